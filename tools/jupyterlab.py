"""JupyterLab on a throwaway copy of the book's notebooks, for the browser test and bench.

``tests/website/test_jupyterlab.py`` (what a learner meets after ``make lab``) and
``bench/lab.py`` (live slider latency) both drive a JupyterLab server started here, from
the project's environment -- the one ``make lab`` runs, with jupyterlab-myst and the
settings ``make deps`` installs -- on a temporary folder, so nothing they do (running
cells, saving) touches the repository.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat

from tools import execute

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [ROOT / "intro.md", *sorted((ROOT / "chapters").glob("*.ipynb"))]


def copy_notebooks(folder: Path, sources: list[Path] = NOTEBOOKS) -> list[str]:
    """Copy notebooks into ``folder`` (a MyST Markdown one as the notebook myst-nb reads).

    Returns:
        The copies' file names, in order.
    """
    names = []
    for source in sources:
        target = folder / f"{source.stem}.ipynb"
        if source.suffix == ".ipynb":
            shutil.copy(source, target)
        else:
            nbformat.write(execute.read_notebook(source), target)
        names.append(target.name)
    return names


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(folder: Path) -> Iterator[tuple[str, str]]:
    """A JupyterLab server on ``folder`` while the block runs; yields (base URL, token).

    As on a first start after ``make lab``: the environment's JupyterLab, extensions and
    settings (``make deps`` installs the book's defaults), but empty user settings and
    workspaces (in ``folder/.lab-user``, hidden from the file browser). Kernels import this
    tree's ``lecnotes`` (``PYTHONPATH``), whatever the environment has installed. The
    server's log is ``folder/lab.log``; it is stopped (and its kernels with it) after.
    """
    port, token = free_port(), secrets.token_hex(16)
    user = folder / ".lab-user"
    env = os.environ | {
        "JUPYTERLAB_SETTINGS_DIR": str(user / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(user / "workspaces"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    with open(folder / "lab.log", "w") as log:
        lab = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
             "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
             "--ServerApp.allow_root=True", f"--ServerApp.root_dir={folder}"],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder, env=env,
        )  # fmt: skip
        try:
            for _ in range(240):
                time.sleep(0.5)
                if "is running at" in (folder / "lab.log").read_text():
                    break
            else:
                tail = (folder / "lab.log").read_text()[-2000:]
                raise RuntimeError(f"JupyterLab did not start:\n{tail}")
            yield f"http://127.0.0.1:{port}", token
        finally:
            lab.terminate()
            lab.wait()
