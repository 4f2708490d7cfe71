"""lstm_lesson.lab: `make lab` starts JupyterLab on the workbook, which renders there.

The server test starts the real command, as `make lab` does, on a free port of
127.0.0.1 with a token, and reads a workbook notebook through JupyterLab's REST
API; the browser tests open it, then a chapter, in Chromium: one server and one
page for all (JupyterLab loads once; the second notebook is opened in it). Set
LSTM_LESSON_SCREENSHOTS to a folder to keep screenshots of what the browser saw.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lstm_lesson.chapters import chapter_files
from lstm_lesson.lab import OFFLINE, ensure_workbook, lab_command

from conftest import ROOT
from test_book import browser  # noqa: F401 (the fixture: Debian's Chromium, headless)

TOKEN = "lstm-lesson-test"
#: Generous: JupyterLab starts in ~5 s, far slower on a machine busy with other tests.
START_TIMEOUT = 180
CHAPTER = "03-forget-gate.ipynb"


def test_lab_serves_the_folder_above_and_opens_the_workbook(tmp_path):
    command = lab_command(tmp_path / "workbook", ["--no-browser"], cwd=tmp_path)
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command
    assert "--LabApp.default_url=/lab/tree/workbook" in command
    assert set(OFFLINE) <= set(command) and command[-1] == "--no-browser"


def test_a_workbook_elsewhere_is_served_on_its_own(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    command = lab_command(elsewhere, cwd=tmp_path / "repo")
    assert f"--ServerApp.root_dir={elsewhere.resolve()}" in command
    assert "--LabApp.default_url=/lab/tree" in command


@pytest.mark.parametrize("uid, flagged", [(0, True), (1000, False)])
def test_root_gets_allow_root(monkeypatch, tmp_path, uid, flagged):
    monkeypatch.setattr(os, "geteuid", lambda: uid)
    assert ("--allow-root" in lab_command(tmp_path, cwd=tmp_path)) == flagged


def test_the_workbook_is_made_only_when_missing(tmp_path):
    directory = tmp_path / "workbook"
    chapters = len(chapter_files(ROOT / "notebooks"))  # as many as there are now
    assert f"{chapters} written" in ensure_workbook(directory)
    mine = directory / CHAPTER
    mine.write_text(mine.read_text().replace("your code here", "mine"))
    assert ensure_workbook(directory) is None and "mine" in mine.read_text()


def test_make_lab_runs_the_lab_command():
    from test_workbook import make

    assert "-m lstm_lesson lab --no-browser" in make("-n", "lab", "LAB_ARGS=--no-browser").stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`python -m lstm_lesson lab` started in a fresh folder, as `make lab` runs it.

    The folder holds the chapters (notebooks/) and no workbook: the command
    must make it. JupyterLab's runtime files, workspaces and user settings go to
    the temporary folder too, so nothing of a developer's own setup is used.
    """
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / CHAPTER, root / "notebooks" / CHAPTER)
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(root / ".runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(root / ".workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"))
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "lstm_lesson", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={TOKEN}",
         # window.jupyterapp, to open a second notebook without loading JupyterLab again
         "--LabApp.expose_app_in_browser=True"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                fetch(f"{base}/api/status?token={TOKEN}")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start:\n{(root / 'lab.log').read_text()}")
                time.sleep(0.5)
        yield base, root
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and any kernel it started
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_lab_makes_the_workbook_and_serves_it(lab):
    base, root = lab
    assert (root / "workbook" / CHAPTER).is_file()
    status, body = fetch(f"{base}/api/contents/workbook/{CHAPTER}?token={TOKEN}")
    assert status == 200 and '"type": "notebook"' in body
    assert "**Exercise: The forget gate**" in body and "your code here" in body
    # ... and the chapters, with their solutions, one folder up.
    status, body = fetch(f"{base}/api/contents/notebooks/{CHAPTER}?token={TOKEN}")
    assert status == 200 and "{exercise}" in body


def test_lab_opens_on_the_workbook_offline_with_myst(lab):
    base, root = lab
    status, page = fetch(f"{base}/lab/tree/workbook?token={TOKEN}")
    assert status == 200
    assert '"news": {"disabled": true}' in page and "jupyterlab-myst" in page
    log = (root / "lab.log").read_text()
    assert "Running as root is not recommended" not in log
    assert "starting JupyterLab on workbook/" in log


# ---- in a real browser ----

@pytest.fixture(scope="module")
def lab_page(lab, browser):  # noqa: F811 (browser is the fixture)
    """One browser page on the lab, for every test here.

    Requests that leave 127.0.0.1 are refused and listed in ``page.outside``.
    """
    base, _ = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.outside = []

    def route(request_route):
        if request_route.request.url.startswith(base):
            request_route.continue_()
        else:
            page.outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    yield page
    page.close()


def open_notebook(page, base, path, text):
    """``page`` showing the notebook ``path``, the cell containing ``text`` in view.

    The first notebook loads JupyterLab; a later one is opened in it, alone.
    """
    if not page.url.startswith(base):
        page.goto(f"{base}/lab/tree/{path}?token={TOKEN}&reset", timeout=120_000)
    else:
        page.evaluate("""async p => { await window.jupyterapp.commands.execute('application:close-all');
                                      await window.jupyterapp.commands.execute('docmanager:open', {path: p}); }""",
                      path)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    # Cells are drawn as they scroll into view: scroll until the cell is there.
    find = """t => {
        const cell = [...document.querySelectorAll('.jp-Cell')].find(c => c.textContent.includes(t));
        if (cell) { cell.scrollIntoView({block: 'start'}); return true; }
        document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTop += 600;
        return false;
    }"""
    deadline = time.monotonic() + 60
    while not page.evaluate(find, text):
        assert time.monotonic() < deadline, f"no cell with {text!r} in {path}"
        time.sleep(0.3)
    time.sleep(1)  # cells above settle their heights; scroll again to land on it
    page.evaluate(find, text)
    # Markdown is rendered as it comes into view: wait for what is on screen.
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-MarkdownCell')]
        .filter(c => { const r = c.getBoundingClientRect();
                       return r.bottom > 0 && r.top < window.innerHeight; })
        .every(c => { const shown = c.querySelector('.myst, .jp-RenderedMarkdown');
                      const editor = c.querySelector('.cm-editor');
                      return shown && shown.offsetHeight > 0 && !(editor && editor.offsetHeight > 0); })""", timeout=60_000)
    return page


def screenshot(page, name):
    folder = os.environ.get("LSTM_LESSON_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def test_a_workbook_exercise_renders_in_jupyterlab(lab, lab_page):
    base, _ = lab
    page = open_notebook(lab_page, base, f"workbook/{CHAPTER}", "Exercise: The forget gate")
    cell = page.locator(".jp-MarkdownCell", has_text="Exercise: The forget gate").first
    cell.locator("strong", has_text="Exercise: The forget gate").wait_for(timeout=60_000)
    assert cell.locator(".katex, mjx-container").count() > 0  # $...$ typeset
    rendered = page.locator(".jp-RenderedMarkdown, .myst").all_inner_texts()
    assert not any("**Exercise" in text or "{exercise}" in text for text in rendered)
    assert page.get_by_text("get notified about official Jupyter news").count() == 0
    # Opened, not changed: the copy already names the kernel as JupyterLab does.
    assert page.locator(".jp-Document.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty").count() == 0
    screenshot(page, "jupyterlab-workbook-03.png")
    assert page.outside == []


def test_a_chapter_renders_its_exercises_and_folds_its_solutions(lab, lab_page):
    base, _ = lab
    page = open_notebook(lab_page, base, f"notebooks/{CHAPTER}", "What values could it take")
    cell = page.locator(".jp-MarkdownCell", has_text="What values could it take").first
    title = cell.locator(".myst-exercise-title").first
    title.wait_for(timeout=60_000)
    assert title.inner_text().startswith("Exercise ") and "Why a sigmoid?" in title.inner_text()
    solution = cell.locator("details", has_text="Solution to Exercise").first
    assert solution.get_attribute("open") is None  # folded until the reader opens it
    assert cell.locator(".katex").count() > 0
    assert ":label:" not in cell.locator(".myst").first.inner_text()
    screenshot(page, "jupyterlab-chapter-03.png")
    assert page.outside == []
