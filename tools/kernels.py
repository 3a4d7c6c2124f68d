"""Kernels forked from a warm parent: the start-up every notebook pays, paid once per worker.

A kernel's start-up (Python, IPython, ipykernel) and the imports of a chapter's first cell
(NumPy, matplotlib, ipywidgets, ``lecnotes``) cost about 0.6 s of CPU per notebook, 6 s of
a clean build. ``tools/execute.py`` therefore starts, in each of its worker processes
before anything else (no threads, no ZeroMQ context yet), a *fork server*: a process that
imports those modules once and then, for every notebook, forks a child that becomes the
kernel exactly as ``python -m ipykernel_launcher -f <connection file>`` would -- same
argument list, environment, working folder and ``sys.path``, its random generators
reseeded -- so a notebook computes and prints the same as in a kernel started from scratch
(nbval compares the outputs with such kernels). Modules imported ahead change nothing:
none of them does anything at import that a notebook could see.

:class:`ForkedKernelManager` is the jupyter-client kernel manager that asks the worker's
fork server for its kernel (jupyter-client's documented override point,
``_async_launch_kernel``); interrupting, killing and waiting go to the kernel's process
group, as for a kernel started the usual way. ``LECNOTES_FORK_KERNELS=0`` turns it off.
Only on Linux (where CI and the benchmarks run it): on macOS, a process that forks after
loading system frameworks (Accelerate's BLAS, the Objective-C runtime) may crash in the
child, and Windows has no ``fork``, so there every kernel is started the usual way.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from multiprocessing import Pipe, util

from jupyter_client.manager import AsyncKernelManager

# What every notebook imports, or what the kernel loads before its first cell.
WARM = [  # in the order a kernel imports them (some add warning filters at import)
    "IPython", "ipykernel.kernelapp", "numpy", "numpy.random", "matplotlib", "matplotlib.figure",
    "matplotlib.backends.backend_agg", "matplotlib_inline", "PIL.Image", "ipywidgets",
]  # fmt: skip
_SERVER: tuple | None = None  # (connection, pid) of this worker's fork server


def enabled() -> bool:
    """Whether kernels are forked: on Linux, unless ``LECNOTES_FORK_KERNELS=0``."""
    return os.environ.get("LECNOTES_FORK_KERNELS", "1") != "0" and sys.platform == "linux"


def start_server() -> None:
    """Fork this worker's server (call before any thread or ZeroMQ context exists)."""
    global _SERVER
    if not enabled():
        return
    ours, theirs = Pipe()
    pid = os.fork()
    if pid == 0:  # the server: nothing of the worker's but its pipe and standard streams
        keep = theirs.fileno()
        os.closerange(3, keep)
        os.closerange(keep + 1, os.sysconf("SC_OPEN_MAX"))
        try:
            _serve(theirs)
        finally:
            os._exit(0)
    theirs.close()
    _SERVER = (ours, pid)
    util.Finalize(None, stop_server, exitpriority=10)  # runs when the worker exits


def stop_server() -> None:
    """Close the server and wait for it, so its CPU time is counted with this process's."""
    global _SERVER
    if _SERVER is not None:
        connection, pid = _SERVER
        _SERVER = None
        connection.close()
        os.waitpid(pid, 0)


def _serve(connection) -> None:
    """Import the warm modules, then fork a kernel for every request until the pipe closes."""
    import importlib
    import subprocess

    # The module search path of a Python started afresh, as a kernel is (without its first
    # entry, the working folder, which ipykernel's launcher removes and IPython adds back).
    probe = [sys.executable, "-c", "import sys; print(repr(sys.path[1:]))"]
    fresh = eval(subprocess.run(probe, capture_output=True, text=True, check=True).stdout)  # noqa: S307
    # As ipykernel does at start-up, before matplotlib reads it at import.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    for name in WARM:
        importlib.import_module(name)
    try:  # the book's helpers, as far as this tree has them
        import lecnotes

        for name in getattr(lecnotes, "__all__", []):
            importlib.import_module(f"lecnotes.{name}")
    except Exception:  # noqa: BLE001 - a kernel that needs them imports them (and fails) itself
        pass
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        try:
            argv, env, cwd = connection.recv()
        except (EOFError, OSError):
            return
        pid = os.fork()
        if pid == 0:
            connection.close()
            _become_kernel(argv, env, cwd, fresh)
        connection.send(pid)


def _reap(*_) -> None:
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def _become_kernel(argv: list[str], env: dict, cwd: str, path: list[str]) -> None:
    """In the forked child: ``python -m ipykernel_launcher -f <file>`` from here on."""
    import ipykernel_launcher
    import numpy as np

    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setpgid(0, 0)  # its own process group, like a kernel started by jupyter-client
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # random reseeds itself after a fork; NumPy's legacy global generator does not.
    np.random.seed()  # noqa: NPY002 - fresh entropy, as a new process gets
    sys.argv = [ipykernel_launcher.__file__, *argv[argv.index("ipykernel_launcher") + 1 :]]
    sys.path[:] = path
    from ipykernel import kernelapp

    # ipykernel reads these two when it is imported, which was in the server: set them from
    # the kernel's own environment, so that it watches its manager as a fresh kernel does.
    handles = {"parent_handle": "JPY_PARENT_PID", "interrupt": "JPY_INTERRUPT_EVENT"}
    try:
        kernelapp.IPKernelApp.launch_instance(
            **{t: int(env.get(v) or 0) for t, v in handles.items()}
        )
    finally:
        os._exit(0)


def _fork_kernel(kernel_cmd: list[str], kw: dict) -> int | None:
    """Ask this worker's server for a kernel; its pid, or None if there is no working server."""
    if _SERVER is None:
        return None
    connection, _ = _SERVER
    env, cwd = dict(kw.get("env") or os.environ), str(kw.get("cwd") or os.getcwd())
    env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter-client's launcher sets it
    try:
        connection.send((kernel_cmd, env, cwd))
        return connection.recv()  # at once, or after the server's imports for the first one
    except (EOFError, OSError):  # the server is gone: from now on, plain kernels
        stop_server()
        return None


class _Forked:
    """The parts of ``subprocess.Popen`` jupyter-client uses, for a kernel we did not start."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None
        self.stdin = self.stdout = self.stderr = None  # it shares the worker's streams

    def poll(self) -> int | None:
        try:
            os.kill(self.pid, 0)
            return None
        except ProcessLookupError:
            self.returncode = -signal.SIGKILL
            return self.returncode

    def wait(self, timeout=None) -> int:
        while self.poll() is None:
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels are forks of this worker's server (if it has one)."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        pid = _fork_kernel(kernel_cmd, kw) if "ipykernel_launcher" in kernel_cmd else None
        if pid is None:  # no server, or not an ipykernel: started the usual way
            await super()._async_launch_kernel(kernel_cmd, **kw)
            return
        provisioner = self.provisioner
        provisioner.process, provisioner.pid, provisioner.pgid = _Forked(pid), pid, pid
        provisioner.cwd = str(kw.get("cwd") or os.getcwd())
        self._reconcile_connection_info(provisioner.connection_info)
