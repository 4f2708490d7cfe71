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
    checked, problems = [], []
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
            rendered = page.locator("mjx-container").count()
            assert rendered >= math_count, f"{name}: {rendered} of {math_count} equations typeset"
            assert page.locator("mjx-merror").count() == 0, f"{name}: a MathJax error"
        page.wait_for_function("Array.from(document.images).every(i => i.complete)")

        images = page.evaluate(
            "Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])")
        broken = [src for src, ok in images if not ok]
        assert not broken, f"{name}: images not loaded: {broken}"

        # Nothing wider than the text column at 1280 px (measured after MathJax).
        problems += [f"{name}: {kind} {width} px wide in {room} px: {what}"
                     for kind, width, room, what in page.evaluate(OVERFLOW_JS)]

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
    assert not problems, f"{len(problems)} overflowing elements:\n" + "\n".join(problems)
    # The pages a reader must see, with what was checked on each.
    names = {n for n, *_ in checked}
    assert {f"{f}.html" for f in TOC_FILES} <= names
    by_name = {n: rest for n, *rest in checked}
    chapters = [f"{f}.html" for f in TOC_FILES if f.startswith("notebooks/")]
    assert len(chapters) >= 8
    for chapter in chapters:
        math_count, image_count, solution_count = by_name[chapter]
        assert math_count > 10 and image_count >= 2 and solution_count >= 3, (chapter, by_name[chapter])


#: Every display equation, code block, printed output, image and table of the
#: article that is wider than the room it has: [kind, width, room, text].
OVERFLOW_JS = """() => {
  const article = document.querySelector("article.bd-article");
  if (!article) return [];
  const box = article.getBoundingClientRect();
  const found = [];
  const text = e => (e.innerText || e.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 70);
  const px = x => Math.round(x);
  for (const m of article.querySelectorAll("mjx-container")) {
    const width = (m.querySelector("mjx-math") || m).getBoundingClientRect().width;
    const room = Math.min(m.getBoundingClientRect().width, box.right - m.getBoundingClientRect().left);
    if (width > room + 1) found.push(["equation", px(width), px(room), text(m)]);
  }
  for (const p of article.querySelectorAll("pre")) {
    if (p.scrollWidth > p.clientWidth + 1) found.push(["code or output", p.scrollWidth, p.clientWidth, text(p)]);
  }
  for (const e of article.querySelectorAll("img, table")) {
    const r = e.getBoundingClientRect();
    if (r.right > box.right + 1) found.push([e.tagName.toLowerCase(), px(r.width), px(box.right - r.left), e.alt || text(e)]);
  }
  return found;
}"""


def test_the_overflow_measure_sees_a_wide_line(site, browser):
    # The measure above must be able to fail: a page with one 200-character
    # code line and one short one reports exactly the long one.
    base, html = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/{pages(html)[0]}", wait_until="load")
    page.evaluate("""() => {
      const article = document.querySelector("article.bd-article");
      for (const n of [200, 60]) {
        const pre = document.createElement("pre");
        pre.textContent = "x".repeat(n);
        article.appendChild(pre);
      }
    }""")
    found = page.evaluate(OVERFLOW_JS)
    page.close()
    assert [kind for kind, *_ in found] == ["code or output"] and found[0][3] == "x" * 70


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


def book_texts():
    """(where, Markdown text) of every narrative page and every chapter's Markdown cells."""
    import nbformat
    for name in TOC_FILES:
        path = ROOT / f"{name}.md"
        if path.exists():
            yield name, path.read_text()
        else:
            nb = nbformat.read(ROOT / f"{name}.ipynb", as_version=4)
            yield name, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


#: "chapter 7", "chapters 9 and 10", "chapters 1, 3 and 5", "chapters 9-10".
_CHAPTER_REFS = re.compile(
    r"\b[Cc]hapters?\s+(\d+(?:\s*(?:,|and|or|to|-|–)\s*\d+)*)")


def test_every_chapter_the_text_names_exists():
    chapters = sum(1 for f in TOC_FILES if f.startswith("notebooks/"))
    missing = []
    for where, text in book_texts():
        for match in _CHAPTER_REFS.finditer(text):
            numbers = [int(n) for n in re.findall(r"\d+", match.group(1))]
            missing += [(where, match.group(0)) for n in numbers if not 1 <= n <= chapters]
    assert not missing, f"the text names chapters the book does not have: {missing}"
    # The pattern finds what it must (it would miss nothing above by accident).
    found = [m.group(1) for m in _CHAPTER_REFS.finditer(
        "chapter 15; chapters 9 and 10; Chapters 1, 3 and 5; chapters 9-10")]
    assert found == ["15", "9 and 10", "1, 3 and 5", "9-10"]


def test_every_package_name_the_text_gives_exists():
    import importlib
    missing = []
    for where, text in book_texts():
        for dotted in set(re.findall(r"`(lstm_lesson(?:\.\w+)+)`", text)):
            module, _, name = dotted.rpartition(".")
            try:
                importlib.import_module(dotted)
            except ImportError:
                try:
                    getattr(importlib.import_module(module), name)
                except (ImportError, AttributeError):
                    missing.append((where, dotted))
    assert not missing, missing


def test_no_page_repeats_an_id(built_book):
    _, _, html = built_book
    for name in TOC_FILES:
        ids = re.findall(r'\sid="([^"]+)"', (html / f"{name}.html").read_text())
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        assert not repeated, (name, repeated)


CHAPTERS = [name for name in TOC_FILES if name.startswith("notebooks/")]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_figure_is_numbered_captioned_and_described(built_book, name):
    # Plots are numbered figures with a caption and alt text that says what they
    # show (not the file name Sphinx would put there).
    _, _, html = built_book
    page = (html / "notebooks" / f"{Path(name).stem}.html").read_text()
    article = page[page.index('<article class="bd-article"'):page.index("</article>")]
    for figure in re.findall(r"<img\b[^>]*>", article):
        alt = re.search(r'\salt="([^"]*)"', figure)
        assert alt and len(alt.group(1)) > 20 and not re.search(
            r"\.(png|svg|jpe?g)$|^_build|/", alt.group(1)), figure[:200]
    figures = re.findall(r"<figure\b.*?</figure>", article, re.S)
    images = len(re.findall(r"<img\b", article))
    assert len(figures) == images, f"{images} images, {len(figures)} in figures"
    for figure in figures:
        assert re.search(r'<span class="caption-number">Fig\. \d+', figure), figure[:300]
