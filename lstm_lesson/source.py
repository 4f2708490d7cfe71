"""Show the package's own source in a notebook, so the book never holds a copy.

A chapter's Implementation section calls ``show_source(sigmoid)``: the reader
sees the code that the tests run, highlighted, and it cannot drift.
"""

import inspect

__all__ = ["show_source"]


def show_source(obj):
    """Display the source of a function, class or module as a Python block.

    In Jupyter (and the built book) it renders as highlighted Markdown; the
    returned object's plain-text form is the source itself.
    """
    from IPython.display import Markdown

    module = inspect.getmodule(obj)
    where = module.__name__ if module is not None else ""
    code = inspect.getsource(obj).rstrip()
    header = f"`{where}.{obj.__qualname__}`" if hasattr(obj, "__qualname__") else f"`{where}`"
    return Markdown(f"Source of {header}:\n\n```python\n{code}\n```")
