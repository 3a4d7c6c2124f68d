"""Sphinx extension: read a notebook's page once ``tools/execute.py`` has executed it.

``make book`` starts the build from ``tools/execute.py --render`` (see ``tools/render.py``),
alongside the kernels: the build's environment then names a pipe (``LECNOTES_EXECUTION_FD``)
on which the executor announces the notebooks it will execute, in the order it expects them
to finish, and then each one as it finishes. This extension reads the other pages first and
those notebooks in that order, and holds the reading of each until its outputs are in the
jupyter-cache, where myst-nb takes them from. A notebook that failed, or an executor that
stopped before finishing one, fails the build. Without that variable (a plain
``jupyter-book build``, the tests' builds) it does nothing.
"""

from __future__ import annotations

import json
import os

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

FD = "LECNOTES_EXECUTION_FD"  # tools/render.py sets it
EXECUTIONS: dict = {}  # Sphinx application -> its executor's Executions (when started by one)


class Executions:
    """The executor's news, read from its pipe only when a page needs them."""

    def __init__(self, fd: int):
        self.stream = os.fdopen(fd, "r", encoding="utf-8")
        self.pending = json.loads(self.stream.readline() or '{"pending": []}')["pending"]
        self.finished: dict[str, bool] = {}

    def wait_for(self, path: str) -> None:
        """Return once the notebook at ``path`` is executed; raise if it never will be."""
        while path in self.pending and path not in self.finished:
            line = self.stream.readline()
            if not line:
                raise ExtensionError(f"tools/execute.py stopped before executing {path}")
            news = json.loads(line)
            self.finished[news["path"]] = news["ok"]
        if not self.finished.get(path, True):
            raise ExtensionError(f"executing {path} failed (its traceback is above)")


def source_path(env: BuildEnvironment, docname: str) -> str:
    """The page's source, relative to the book's folder, with ``/``."""
    return env.doc2path(docname, base=False).replace(os.sep, "/")


def start(app: Sphinx) -> None:
    """Open the executor's pipe, if this build was started alongside it."""
    fd = os.environ.get(FD)
    if fd:
        EXECUTIONS[app] = Executions(int(fd))


def reorder(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Pages needing no execution first, then the notebooks in their expected finish order."""
    executions = EXECUTIONS.get(app)
    if executions is None:
        return
    rank = {path: i for i, path in enumerate(executions.pending)}
    docnames.sort(key=lambda doc: rank.get(source_path(env, doc), -1))  # stable: keeps ties


def await_outputs(app: Sphinx, docname: str, _source: list[str]) -> None:
    """Hold the page's reading until its notebook is executed and cached."""
    executions = EXECUTIONS.get(app)
    if executions is not None:
        executions.wait_for(source_path(app.env, docname))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", start)
    app.connect("env-before-read-docs", reorder)
    app.connect("source-read", await_outputs)
    # Pages wait in this process's reading: no parallel reading when started by the executor.
    return {"parallel_read_safe": FD not in os.environ, "parallel_write_safe": True}
