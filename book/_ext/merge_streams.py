"""Sphinx extension: merge a cell's printed output without inventing line breaks.

A kernel may deliver one ``print`` in several stream messages. myst-nb 1.4's
``coalesce_streams`` (used with ``nb_merge_streams: true``) strips each piece
and appends a newline, so a line split mid-way is shown on two lines in the
book ("max difference < 1e-12:" / "True"), although the notebook and nbval
see one line. Here the pieces of each stream are joined verbatim first; the
original function then only normalises the end and the control characters.
"""

import myst_nb.core.render as render

_original = render.coalesce_streams


def coalesce_streams(outputs):
    """Join consecutive and separated pieces of each stream exactly as printed."""
    merged, streams = [], {}
    for output in outputs or []:
        if output.get("output_type") != "stream":
            merged.append(output)
        elif output["name"] in streams:
            streams[output["name"]]["text"] += output["text"]
        else:
            output = type(output)(output)  # a copy: the notebook stays as stored
            merged.append(output)
            streams[output["name"]] = output
    return _original(merged)


def setup(app):
    render.coalesce_streams = coalesce_streams
    return {"parallel_read_safe": True, "parallel_write_safe": True}
