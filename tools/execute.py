"""Execute the book's notebooks in parallel, and only those whose inputs changed.

``make book`` runs this with ``--render "jupyter-book build ..."``: the build runs alongside
and reads each notebook's page once it is executed (``tools/render.py``). Executed notebooks
go into the jupyter-cache that myst-nb reads (``execute_notebooks: cache`` in
``_config.yml``), so the build itself renders pages and executes nothing.

A notebook is executed again when the key of its last execution no longer matches. The key
covers everything its outputs depend on (``tools/dependencies.py``):

- its code cells (jupyter-cache's own hash, which is also how myst-nb finds the outputs);
- the source of every ``lecnotes`` module it imports, directly or through other modules
  (a notebook whose imports cannot be resolved depends on the whole package);
- ``requirements.txt`` (library versions change printed numbers).

Stale notebooks run side by side, one kernel per core (``--jobs``), the longest first (by
the time their last execution took: in the cache, else as ``make execute`` recorded it in
the notebook's metadata, ``lecnotes.execution_seconds``; a notebook with neither, such as a
Markdown one on a clean build, goes last), so that the last one to finish is a short one. A
cell that raises, a timeout or a dead kernel prints the traceback and makes the exit status
1 (the other notebooks still finish and are cached; a failed one never is). A notebook
to be executed again without a change to its own file (a ``lecnotes`` module changed) has
its modification time set to now before any execution starts, so that Sphinx, which
re-reads only pages whose source is newer than its last reading, renders the new outputs.
``--inplace`` executes every given notebook and writes the outputs back into it (``make
execute``: outputs that nbval checks).

The cell timeout is ``execute.timeout`` of ``_config.yml``, the build's own setting.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import functools
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

if __package__:  # imported as tools.execute (the tests, the benchmarks)
    from tools import kernels
    from tools.dependencies import dependency_key, notebook_dependencies, package_graph
    from tools.render import Render, finish_order
else:  # run as a script: tools/ is the first entry of sys.path
    import kernels
    from dependencies import dependency_key, notebook_dependencies, package_graph
    from render import Render, finish_order

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path("_build") / ".jupyter_cache"  # myst-nb's default: <build folder>/.jupyter_cache
FRAMES = Path("_build") / "frame-cache"  # widget frames by key (lecnotes.frame_cache)


def cell_timeout(root: Path = ROOT) -> int:
    """Seconds a cell may run: ``execute.timeout`` of the book's ``_config.yml``."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int(config["execute"]["timeout"])


# --- reading and executing ------------------------------------------------------------------


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """A ``.ipynb`` file, or a MyST Markdown notebook read exactly as myst-nb reads it."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        return nbformat.reads(text, as_version=4)
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    reader = create_nb_reader(str(path), MdParserConfig(), NbParserConfig(), text)
    if reader is None:
        raise ValueError(f"{path} is not a notebook (no jupytext/mystnb front matter)")
    return reader.read(text)


def execute(path: str, timeout: int) -> tuple[str, str | None, float]:
    """Run one notebook in a fresh kernel, in its own folder.

    Returns ``(notebook JSON, error text or None, seconds)``; runs in a worker process.
    """
    source, start = Path(path), time.perf_counter()
    try:
        nb = read_notebook(source)
        seed_frames(nb)
        run_notebook(nb, source.parent, timeout, forked=True)
        merge_streams(nb)
        return nbformat.writes(nb), None, time.perf_counter() - start
    except Exception as exc:  # noqa: BLE001 - any failure is reported, with its type
        return "", f"{type(exc).__name__}: {exc}", time.perf_counter() - start


def merge_streams(nb) -> None:
    """Join each run of consecutive stream outputs of one name into one output, in place.

    A kernel sends what a cell prints in chunks, as it flushes (on a timer, or when a buffer
    fills), so the same cell may give one stream output or several, depending on the load;
    myst-nb strips each chunk when it merges them for the page, which shows a flush inside a
    line as a blank line. Joined, the outputs are the same however the kernel flushed; a
    print after a figure stays after it.
    """
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            last = merged[-1] if merged else {}
            same = output.get("output_type") == last.get("output_type") == "stream"
            if same and output.get("name") == last.get("name"):
                last["text"] += output["text"]
            else:
                merged.append(output)
        if "outputs" in cell:
            cell["outputs"] = merged


def run_notebook(nb, folder: Path, timeout: int, forked: bool = False) -> None:
    """Execute ``nb`` in place in a fresh kernel whose working folder is ``folder``.

    The kernel talks over Unix sockets in a private folder, not TCP: kernels started at the
    same moment by two workers could otherwise both pick the same free port, and one would
    die before it started ("Address already in use"). With ``forked``, the kernel is a fork
    of this worker's fork server (``tools/kernels.py``; a plain kernel if it has none).
    Raises what the execution raised.
    """
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="lecnotes-kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(sockets) / "kernel")
        NotebookClient(
            nb,
            config=config,
            kernel_manager_class=kernels.ForkedKernelManager if forked else AsyncKernelManager,
            timeout=timeout,
            allow_errors=False,
            record_timing=False,
            store_widget_state=False,  # the outputs carry static frames instead
            shutdown_kernel="immediate",  # its work is done: no need to wait for a clean exit
            resources={"metadata": {"path": str(folder)}},
        ).execute()


def seed_frames(nb) -> int:
    """File the widget frames of ``nb``'s stored outputs in the frame cache (see
    ``lecnotes.frame_cache.seed``): frames whose inputs did not change are not drawn again.
    A book whose ``lecnotes`` has no frame cache (the build tests' tiny books) files none."""
    try:
        from lecnotes import frame_cache
    except ImportError:
        return 0
    return frame_cache.seed(nb)


# --- the cache --------------------------------------------------------------------------------


class Cache:
    """jupyter-cache records, plus the dependency key we store in each record's data."""

    def __init__(self, path: Path):
        from jupyter_cache import get_cache

        self.path = path
        self.cache = get_cache(str(path))

    def record(self, nb) -> dict:
        """What we stored with ``nb``'s cached execution (``lecnotes_key``,
        ``execution_seconds``); empty if it is not cached."""
        try:
            return self.cache.match_cache_notebook(nb).data
        except KeyError:
            return {}

    def seconds_of(self, nb, record: dict | None = None) -> float:
        """How long ``nb``'s last execution took: the cache's record (``record``, if already
        looked up), else the one ``make execute`` wrote into the notebook
        (``metadata.lecnotes.execution_seconds``), else 0."""
        recorded = nb.metadata.get("lecnotes", {}).get("execution_seconds", 0.0)
        return (self.record(nb) if record is None else record).get("execution_seconds", recorded)

    def store(self, nb, path: Path, key: str, seconds: float) -> None:
        from jupyter_cache.base import CacheBundleIn

        data = {"lecnotes_key": key, "execution_seconds": round(seconds, 2)}
        bundle = CacheBundleIn(nb, str(path), data=data)
        self.cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def plan(paths: list[Path], cache: Cache, force: bool, root: Path) -> dict[Path, tuple]:
    """For each notebook: ``(dependency key, whether it must be executed, expected seconds)``
    (one reading and one cache lookup each)."""
    graph = package_graph(root / "lecnotes")
    result = {}
    for path in paths:
        nb = read_notebook(path)
        key = dependency_key(notebook_dependencies(nb, graph), root)
        record = cache.record(nb)
        stale = force or record.get("lecnotes_key") != key
        result[path] = (key, stale, cache.seconds_of(nb, record))
    return result


def schedule(paths: list[Path], cache: Cache, inplace: bool, root: Path) -> tuple[dict, dict]:
    """What to execute, in which order: ``(plan, {stale path: expected seconds})``, the
    longest first. Unless ``inplace``, each stale notebook's file is touched now: newer than
    Sphinx's last reading, so that its page is read again (see the module docstring)."""
    todo = plan(paths, cache, force=inplace, root=root)
    expected = {p: seconds for p, (_, stale, seconds) in todo.items() if stale}
    if not inplace:
        for path in expected:
            os.utime(path)
    return todo, dict(sorted(expected.items(), key=lambda item: -item[1]))


def run(
    paths: list[Path], jobs: int, inplace: bool = False, root: Path = ROOT,
    render: list[str] | None = None,
) -> int:  # fmt: skip
    """Execute what is stale (everything with ``inplace``) and update the cache.

    ``root`` is the book's folder: ``lecnotes/``, ``requirements.txt``, ``_config.yml`` and
    the cache are there. With ``render``, that command (the site's build) runs alongside and
    reads each page once its notebook is executed (``tools/render.py``). Returns 0 on
    success, 1 if a notebook (or the render) failed.
    """
    # Each worker forks its kernels from a server that does the common imports once. The
    # workers start first, before any thread exists, and their servers import while we plan.
    size = max(1, min(jobs, len(paths)))
    renderer = None
    try:
        with concurrent.futures.ProcessPoolExecutor(size, initializer=kernels.start_server) as pool:
            pool.submit(int)  # starts every worker now
            cache = Cache(root / CACHE)
            todo, expected = schedule(paths, cache, inplace, root)
            stale, workers = list(expected), max(1, min(jobs, len(expected)))
            name = {p: p.relative_to(root).as_posix() for p in paths}
            start = time.perf_counter()
            futures = {pool.submit(execute, str(p), cell_timeout(root)): p for p in stale}
            try:
                if render:  # the workers are forked: they inherit neither its pipe nor thread
                    order = finish_order(list(expected.values()), workers)
                    renderer = Render(render, root, [name[stale[i]] for i in order])
                say = renderer.print if renderer else functools.partial(print, flush=True)
                failed = collect(futures, cache, todo, name, inplace, say, renderer)
            except BaseException:
                pool.shutdown(cancel_futures=True)  # not the notebooks still waiting
                raise
        for path in (p for p in paths if p not in stale):
            say(f"cached   {name[path]}")
        wall = time.perf_counter() - start
        say(f"{len(stale) - len(failed)} of {len(paths)} notebooks executed in {wall:.1f} s "
            f"with {workers} kernel(s) side by side")  # fmt: skip
    finally:  # the render always ends with us (a page still waiting then fails it)
        render_failed = renderer.wait() if renderer else 0
    return 1 if failed or render_failed else 0


def collect(futures: dict, cache: Cache, todo: dict, name: dict, inplace: bool, say, renderer):
    """Store each notebook's execution as it finishes (and tell the render); the names of
    those that failed."""
    failed = []
    for future in concurrent.futures.as_completed(futures):
        path = futures[future]
        try:
            text, error, seconds = future.result()
        except Exception as exc:  # noqa: BLE001 - e.g. a worker that died
            text, error, seconds = "", f"{type(exc).__name__}: {exc}", 0.0
        if error is None:
            nb = nbformat.reads(text, as_version=4)
            cache.store(nb, path, todo[path][0], seconds)
            if inplace:  # with its time, which orders a clean build's executions
                nb.metadata.setdefault("lecnotes", {})["execution_seconds"] = round(seconds, 1)
                nbformat.write(nb, path)
            say(f"executed {name[path]} in {seconds:.1f} s")
        else:
            failed.append(name[path])
            say(f"FAILED   {name[path]} after {seconds:.1f} s\n{error}", file=sys.stderr)
        if renderer:
            renderer.finished(name[path], ok=error is None)
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="kernels to run side by side (default: one per core)",
    )
    parser.add_argument(
        "--inplace",
        action="store_true",
        help="execute every notebook given and write the outputs into it",
    )
    parser.add_argument(
        "--render",
        metavar="COMMAND",
        help="the site's build, run alongside: it reads each page once its notebook is "
        "executed (tools/render.py)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="the book's folder, holding lecnotes/ and _build/ (default: the current one)",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error(f"--jobs must be >= 1, got {args.jobs}")
    # Kernels side by side must not each start a BLAS thread per core (see the Makefile).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    # Widget frames reused between executions live with the build (the Makefile sets it too).
    os.environ.setdefault("LECNOTES_FRAME_CACHE", str(args.root.resolve() / FRAMES))
    paths = [p.resolve() for p in args.notebooks]
    for path in paths:
        if not path.is_file():
            parser.error(f"no such notebook: {path}")
        if args.inplace and path.suffix != ".ipynb":
            parser.error(f"--inplace writes .ipynb files only, got {path}")
    if args.inplace and args.render:
        parser.error("--inplace and --render do not go together")
    render = shlex.split(args.render) if args.render else None
    return run(paths, args.jobs, args.inplace, args.root.resolve(), render)


if __name__ == "__main__":
    sys.exit(main())
