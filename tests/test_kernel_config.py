"""etc/ipython/ipython_kernel_config.py: kernels say nothing about unencrypted TCP.

`make book` and nbval start their kernels over plain TCP on 127.0.0.1, and
ipykernel warned about it on the terminal for every notebook. The config file,
installed by `make` into the virtual environment, drops that one message.
"""

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

CONFIG = ROOT / "etc" / "ipython" / "ipython_kernel_config.py"

# One plain-TCP kernel, as Jupyter Book's executor starts it, running a cell
# that logs another warning of the kernel: that one must still show.
RUN_A_KERNEL = """
import nbclient, nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    "import logging; logging.getLogger('IPKernelApp').warning('another warning')")])
nbclient.NotebookClient(nb, timeout=120, startup_timeout=120).execute()
"""


def kernel_stderr(tmp_path):
    """What a kernel prints on stderr, with its IPython profile in ``tmp_path``.

    The profile holds the repository's file, so the file itself is tested
    (the environment's copy, where `make` installed one, is read as well).
    """
    profile = tmp_path / "ipython" / "profile_default"
    profile.mkdir(parents=True)
    (profile / CONFIG.name).write_text(CONFIG.read_text())
    env = {"IPYTHONDIR": str(tmp_path / "ipython"), "PATH": str(Path(sys.executable).parent),
           "HOME": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", RUN_A_KERNEL], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    return run.stderr


def test_the_config_drops_only_the_unencrypted_tcp_warning(tmp_path):
    stderr = kernel_stderr(tmp_path)
    assert "without encryption" not in stderr
    assert "another warning" in stderr  # the kernel's other warnings still show


def test_make_installs_the_config_into_the_environment():
    installed = Path(sys.prefix) / "etc" / "ipython" / CONFIG.name
    if not (Path(sys.prefix) / ".installed").exists():
        pytest.skip("this environment was not made by `make`")
    assert installed.exists() and filecmp.cmp(installed, CONFIG, shallow=False)
    makefile = (ROOT / "Makefile").read_text()
    assert "etc/ipython/ipython_kernel_config.py $(VENV)/etc/ipython/" in makefile
