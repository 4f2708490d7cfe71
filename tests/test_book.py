"""The book: a strict build, then a real browser opens every page.

The build runs the README's command (warnings are errors) on the stored
outputs, which nbval proves equal to a fresh run in the same ``make test``
(conftest.py). The browser test serves the built site on 127.0.0.1, opens every
page in headless Chromium (Debian's package) and checks what a reader sees:
equations typeset by the local MathJax, every image loaded, solutions folded
until clicked, no script error, and no request leaving the machine.
"""

import functools
import http.server
import os
import re
import threading
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, chromium_path, sanitize

TOC_FILES = [
    entry["file"]
    for part in yaml.safe_load((ROOT / "_toc.yml").read_text())["parts"]
    for entry in part["chapters"]
] + [yaml.safe_load((ROOT / "_toc.yml").read_text())["root"]]


def test_book_builds_with_warnings_as_errors(built_book):
    returncode, log, html = built_book
    assert returncode == 0, log[-5000:]
    assert "build succeeded" in log
    # Sphinx reports "path: WARNING: ..." (the kernel's own "WARNING |" lines
    # about local TCP are not the book's).
    assert not re.search(r"(WARNING|ERROR|CRITICAL): ", log), log[-5000:]
    for name in TOC_FILES:
        assert (html / f"{name}.html").exists(), name


def test_pages_reference_no_outside_resources(built_book):
    _, _, html = built_book
    outside = re.compile(r'<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//', re.I)
    for page in html.rglob("*.html"):
        text = page.read_text()
        for match in outside.finditer(text):
            tag = text[match.start(): text.index(">", match.start()) + 1]
            # <link rel="..."> to another site is fine only if it loads nothing.
            assert tag.startswith("<link") and 'rel="stylesheet"' not in tag and "preload" not in tag, (page, tag)


def test_mathjax_is_served_locally(built_book):
    _, _, html = built_book
    page = (html / "book" / "preface.html").read_text()
    assert 'src="../_static/mathjax/tex-chtml.js' in page
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_every_solution_is_a_dropdown(built_book):
    _, _, html = built_book
    for name in TOC_FILES:
        if name.startswith("notebooks/"):
            text = (html / f"{name}.html").read_text()
            solutions = text.count('<div class="solution')
            assert solutions >= 2 and solutions == text.count('<div class="solution dropdown'), name


@pytest.fixture(scope="module")
def site(built_book):
    returncode, log, html = built_book
    if returncode != 0:
        pytest.fail("the book did not build; see test_book_builds_with_warnings_as_errors")
    handler = functools.partial(_QuietHandler, directory=str(html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", html
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        message = ("Chromium not found: the browser test needs Debian's chromium "
                   "(apt-get install chromium); .ci/run installs it")
        if os.environ.get("LSTM_LESSON_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        yield chromium
        chromium.close()


def pages(html):
    skip = {"genindex.html", "search.html"}
    return sorted(
        str(p.relative_to(html)) for p in html.rglob("*.html")
        if not str(p.relative_to(html)).startswith(("_static", "_sources")) and p.name not in skip
    )


#: How long any one wait in the browser may take (ms); see the comments below.
PAGE_TIMEOUT_MS = 120_000


def test_every_page_in_a_real_browser(site, browser):
    base, html = site
    checked = []
    for name in pages(html):
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        # Generous limits: a busy machine (both cores taken) slows every step,
        # and the waits below end as soon as what they wait for is there.
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        # "load": the document, its scripts, stylesheets and images are in.
        # Not "networkidle", which needs 500 ms of silence that a busy machine
        # may not give; instead the waits below are for what the test reads.
        page.goto(f"{base}/{name}", wait_until="load")

        math_count = page.locator(".math").count()
        if math_count:
            # MathJax's own promise resolves once the page is typeset.
            page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            page.evaluate("MathJax.startup.promise")
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")
            rendered = page.locator("mjx-container").count()
            assert rendered >= math_count, f"{name}: {rendered} of {math_count} equations typeset"
            assert page.locator("mjx-merror").count() == 0, f"{name}: a MathJax error"

        images = page.evaluate(
            "Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
        broken = [src for src, ok in images if not ok]
        assert not broken, f"{name}: images not loaded: {broken}"

        solutions = page.locator("div.solution")
        for k in range(solutions.count()):
            solution = solutions.nth(k)
            body = solution.locator("section").first
            assert not body.is_visible(), f"{name}: solution {k + 1} is not folded"
            solution.locator("button.toggle-button").first.click()  # "Click to show"
            body.wait_for(state="visible")

        outside = [u for u in requests if not u.startswith((base, "data:", "blob:", "about:"))]
        assert not outside, f"{name}: requests left the machine: {outside}"
        assert not errors, f"{name}: script errors: {errors}"
        checked.append((name, math_count, len(images), solutions.count()))
        page.close()
    # The pages a reader must see, with what was checked on each.
    names = {n for n, *_ in checked}
    assert {f"{f}.html" for f in TOC_FILES} <= names
    by_name = {n: rest for n, *rest in checked}
    chapters = [f"{f}.html" for f in TOC_FILES if f.startswith("notebooks/")]
    assert len(chapters) >= 8
    for chapter in chapters:
        math_count, image_count, solution_count = by_name[chapter]
        assert math_count > 10 and image_count >= 2 and solution_count >= 3, (chapter, by_name[chapter])


def test_printed_lines_reach_the_page_unbroken(built_book):
    # Every line a chapter prints appears whole in its page (a line broken in two
    # would be a rendering bug). Both sides pass through nbval's sanitizer, the
    # same rules by which nbval compares a fresh run with the stored outputs, so
    # a page built from a fresh run on another machine compares as nbval does.
    import html as html_module

    import nbformat
    _, _, html = built_book
    for name in TOC_FILES:
        if not name.startswith("notebooks/"):
            continue
        page = sanitize(html_module.unescape(
            re.sub(r"<[^>]+>", "", (html / f"{name}.html").read_text())))
        nb = nbformat.read(ROOT / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "stream":
                    for line in sanitize(output.text).splitlines():
                        assert line.strip() in page, (name, line)


def test_printed_output_is_merged_verbatim():
    # myst-nb's own merge turns a print split across stream messages into two
    # lines; book/_ext/merge_streams.py joins the pieces as printed.
    import importlib.util

    import nbformat
    spec = importlib.util.spec_from_file_location("merge_streams", ROOT / "book" / "_ext" / "merge_streams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pieces = ["max difference < 1e-12:", " True\nnext", " line\n"]
    outputs = [nbformat.v4.new_output("stream", name="stdout", text=p) for p in pieces]
    merged = module.coalesce_streams(outputs)
    assert [o["text"] for o in merged] == ["max difference < 1e-12: True\nnext line\n"]
    assert outputs[0]["text"] == pieces[0], "the stored notebook is not modified"
    assert module._original(outputs)[0]["text"] != merged[0]["text"], "myst-nb still splits lines"
