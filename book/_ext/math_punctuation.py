"""Sphinx extension: keep inline math together with the punctuation around it.

In "the sigmoid at $x = 0$: its slope", nothing stops the browser from
breaking the line between the typeset $x = 0$ and the colon, which then opens
the next line alone (seen at 420 px). Here each inline equation and the
punctuation that touches it (an opening bracket before, a stop, comma, colon,
semicolon, closing bracket or quote after) are wrapped in one
``<span class="nowrap">``, which book/_static/course.css keeps on one line.
"""

import re

from docutils import nodes

_BEFORE = re.compile(r"[(\[\"“‘]+$")
_AFTER = re.compile(r"^[.,:;!?)\]\"”’'%]+")


def _glue(app, doctree, docname):
    for math in list(doctree.findall(nodes.math)):
        parent = math.parent
        if parent is None or isinstance(parent, nodes.inline) and "nowrap" in parent["classes"]:
            continue
        index = parent.index(math)
        after = parent[index + 1] if index + 1 < len(parent) else None
        before = parent[index - 1] if index > 0 else None
        tail = _AFTER.match(after.astext()) if isinstance(after, nodes.Text) else None
        head = _BEFORE.search(before.astext()) if isinstance(before, nodes.Text) else None
        if not (tail or head):
            continue
        span = nodes.inline(classes=["nowrap"])
        if head:
            text = before.astext()
            parent.replace(before, nodes.Text(text[:head.start()]))
            span += nodes.Text(head.group(0))
        index = parent.index(math)
        parent.remove(math)
        span += math
        if tail:
            text = after.astext()
            span += nodes.Text(tail.group(0))
            parent.replace(after, nodes.Text(text[tail.end():]))
        parent.insert(index, span)


def setup(app):
    app.connect("doctree-resolved", _glue)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
