"""Sphinx extension: give each exercise's and solution's section its own id.

sphinx-exercise 1.2.1 gives the body of every exercise the id
``exercise-content`` and of every solution ``solution-content``, so a chapter
with five exercises repeats each id five times (invalid HTML; a link or a
script that looks an id up finds only the first). Here each repeat gets a
suffix: ``solution-content``, ``solution-content-2``, ... The first keeps its
name, so nothing that pointed at it breaks.
"""

from docutils import nodes

REPEATED = ("exercise-content", "solution-content")


def _unique_ids(app, doctree, docname):
    seen = {}
    for section in doctree.findall(nodes.section):
        for k, name in enumerate(section["ids"]):
            if name in REPEATED:
                seen[name] = seen.get(name, 0) + 1
                if seen[name] > 1:
                    section["ids"][k] = f"{name}-{seen[name]}"


def setup(app):
    app.connect("doctree-resolved", _unique_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
