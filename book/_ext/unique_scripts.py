"""Sphinx extension: drop repeated <script> entries from every page.

Under Sphinx 7.4, inline scripts added after the builder starts (sphinx-thebe
0.3.1's configuration, sphinx-togglebutton's selector) reach each page twice,
once with the filename None and once with "", so each page declares
``const THEBE_JS_URL`` twice and
the browser stops that script with "Identifier 'THEBE_JS_URL' has already been
declared" (caught by tests/test_book.py). Keeping the first of each identical
script fixes it without touching the installed packages.
"""


def _unique_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The copies differ only in an empty filename written as None or "".
        filename = str(getattr(script, "filename", script) or "")
        attributes = getattr(script, "attributes", {}) or {}
        key = (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    if "script_files" in context:
        context["script_files"][:] = unique


def setup(app):
    # Late (priority 900): after the themes and extensions have added theirs.
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

