"""A status line that shows a long computation's progress, then a constant text.

In Jupyter, :class:`Status` shows one line of text (``training 1000 steps``),
replaces it as the work goes on (``training 1000 steps: step 400, loss 0.0123``)
and, when the work is done, puts the first text back. What a notebook stores is
therefore the same on every run and every machine: ``nbclient`` (``jupyter
execute``) stores a display's last version, ``nbval`` compares its first, and
both are the constant text; the loss, whose last digits depend on the machine,
is only ever seen live.

Outside Jupyter (a script, the command line) it writes the same line to a
terminal's standard error, overwriting it in place, and nothing when standard
error is not a terminal; or it calls a function of yours with each update.
"""

import sys
import time

__all__ = ["Status"]


def _in_kernel():
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with the package
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class Status:
    """A context manager: ``with Status("training 1000 steps") as status:``.

    Parameters
    ----------
    text : str
        The constant line, shown first and left at the end.
    show : bool or callable
        True: a live line in Jupyter (or on a terminal); False: nothing; a
        function: called as ``show(line)`` with every update instead.
    every : float
        The fewest seconds between two updates (updating costs time too).
    """

    def __init__(self, text, show=True, every=0.5):
        self.text, self.every = str(text), float(every)
        self.show = show
        self._handle = None
        self._last = -float("inf")
        self._terminal = False

    def __enter__(self):
        if callable(self.show):
            self.show(self.text)
        elif self.show and _in_kernel():
            from IPython.display import display

            self._handle = display({"text/plain": self.text}, raw=True, display_id=True)
        elif self.show and sys.stderr.isatty():
            self._terminal = True
            sys.stderr.write(self.text)
            sys.stderr.flush()
        return self

    def update(self, detail, force=False):
        """Show ``<text>: <detail>`` (at most once per ``every`` seconds unless ``force``)."""
        now = time.monotonic()
        if not force and now - self._last < self.every:
            return
        self._last = now
        self._write(f"{self.text}: {detail}")

    def _write(self, line):
        if callable(self.show):
            self.show(line)
        elif self._handle is not None:
            self._handle.update({"text/plain": line}, raw=True)
        elif self._terminal:
            sys.stderr.write("\r\033[K" + line)
            sys.stderr.flush()

    def __exit__(self, kind, error, traceback):
        if self._handle is not None:
            self._handle.update({"text/plain": self.text}, raw=True)
        elif self._terminal:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
        return False
