"""Sphinx extension: re-render a page whose notebook was executed again.

Sphinx reads a page again only when its source file changed. ``tools/execute.py`` also
re-executes a notebook whose source did not change, when a ``lecnotes`` module it imports
(or a pinned library) did. It records the time of every execution in
``_build/.jupyter_cache/lecnotes-executions.json``; this extension remembers, per page, the
execution it was rendered from and marks the page outdated when that record moves on.

It also holds a build started by ``tools/execute.py --render`` until the executions are done
(see :func:`await_execution`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError

SUMMARY = Path(".jupyter_cache") / "lecnotes-executions.json"
READY = Path(".jupyter_cache") / "lecnotes-ready"  # see tools/execute.py --render
AWAIT = "LECNOTES_AWAIT_EXECUTION"


def executions(app: Sphinx) -> dict[str, float]:
    """Source path (relative to the book) -> time of its last execution."""
    path = Path(app.outdir).parent / SUMMARY
    if not path.is_file():
        return {}
    return {name: entry.get("at") for name, entry in json.loads(path.read_text()).items()}


def _source(env: BuildEnvironment, docname: str) -> str:
    return Path(env.doc2path(docname, False)).as_posix()


def remember(app: Sphinx, docname: str, _source_text: list[str]) -> None:
    """On reading a page, note which execution of its notebook it shows."""
    env = app.env
    if not hasattr(env, "lecnotes_executions"):
        env.lecnotes_executions = {}
    env.lecnotes_executions[docname] = executions(app).get(_source(env, docname))


def await_execution(app: Sphinx) -> None:
    """When started by ``tools/execute.py --render``, wait until its executions are done.

    That executor starts the build first, so that Sphinx's start-up overlaps the kernels'
    work, and writes its run id and status to READY when done. It is this process's parent;
    if it is gone, nobody will answer.
    """
    run_id = os.environ.get(AWAIT)
    if not run_id:
        return
    ready, parent = Path(app.outdir).parent / READY, os.getppid()
    while True:
        answer = ready.read_text().split() if ready.is_file() else []
        if answer[:1] == [run_id]:
            if answer[1:] != ["ok"]:
                raise ExtensionError("executing the notebooks failed (see above)")
            return
        if os.getppid() != parent:
            raise ExtensionError("tools/execute.py, which started this build, has stopped")
        time.sleep(0.05)


def outdated(app: Sphinx, env: BuildEnvironment, _added, _changed, removed) -> list[str]:
    """Pages whose notebook has been executed since they were read."""
    await_execution(app)  # the first event before reading: outputs must be final by now
    seen = getattr(env, "lecnotes_executions", {})
    now = executions(app)
    return [
        doc
        for doc, at in seen.items()
        if doc not in removed and doc in env.found_docs and now.get(_source(env, doc)) != at
    ]


def purge(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "lecnotes_executions", {}).pop(docname, None)


def merge(_app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    """Parallel reads: take the records of the pages another process read."""
    if not hasattr(env, "lecnotes_executions"):
        env.lecnotes_executions = {}
    theirs = getattr(other, "lecnotes_executions", {})
    env.lecnotes_executions.update({d: theirs[d] for d in docnames if d in theirs})


def setup(app: Sphinx) -> dict:
    app.connect("source-read", remember)
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
