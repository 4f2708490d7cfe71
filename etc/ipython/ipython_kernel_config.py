# Installed by `make` into .venv/etc/ipython/, where every IPython kernel started
# from this virtual environment reads it (the book build's, nbval's, JupyterLab's).
#
# ipykernel logs "Kernel is running over TCP without encryption ..." on stderr
# each time a kernel starts over plain TCP, which is how Jupyter Book and nbval
# start theirs: ten lines of noise on every `make book`. The kernels only ever
# listen on 127.0.0.1, so this one message is dropped; every other warning of
# the kernel still shows.
import logging


class _DropUnencryptedTcpWarning(logging.Filter):
    def filter(self, record):
        return "running over TCP without encryption" not in record.getMessage()


c.IPKernelApp.logging_config = {  # noqa: F821 (c is given to config files)
    "filters": {"drop_unencrypted_tcp": {"()": _DropUnencryptedTcpWarning}},
    "loggers": {"IPKernelApp": {"filters": ["drop_unencrypted_tcp"]}},
}
