"""The site's render, started alongside the executions: each page is read once its notebook is.

``tools/execute.py --render COMMAND`` (``make book``) starts ``COMMAND`` (the Jupyter Book
build) as soon as it has handed the notebooks to its kernels, so that Sphinx starts up,
reads the pages that need no execution, and reads each notebook's page as soon as that
notebook is executed and cached, while the kernels are still working on the others. Only
writing the pages waits for the last execution, as it must (Sphinx writes after reading
every page).

The two processes talk over a pipe, one JSON line at a time (:class:`Render` writes, the
Sphinx extension ``_ext/await_execution.py`` reads, blocking, only when it needs a page):

- first ``{"pending": [path, ...]}``: the notebooks that will be executed, in the order they
  are expected to finish (:func:`finish_order`), so the render reads them in that order;
- then ``{"path": path, "ok": bool}`` as each one finishes.

Paths are relative to the book's folder, with ``/``. When the executor is done, or stops on
an error, it closes the pipe and waits for the render: a page still waiting then fails the
build. A notebook that failed fails it too, with the executor's traceback printed above.

The executor and the render print to the executor's standard output a whole line at a time
(the render's lines are relayed by a thread), so the executor's ``executed ...`` lines stay
whole (``bench/build.py`` reads them); a failure's traceback goes to standard error.
"""

from __future__ import annotations

import heapq
import json
import os
import subprocess
import threading
from pathlib import Path

FD = "LECNOTES_EXECUTION_FD"  # the environment variable naming the pipe's reading end


def finish_order(seconds: list[float], workers: int) -> list[int]:
    """The order in which jobs started in list order on ``workers`` workers finish.

    Each job goes to the first worker free, as ``concurrent.futures`` hands them out; a job
    of ``s`` seconds started at ``t`` finishes at ``t + s``.

    Args:
        seconds: each job's expected duration, in the order the jobs are submitted.
        workers: how many run side by side, >= 1.

    Returns:
        The jobs' indices, the earliest expected to finish first (ties: in list order).
    """
    free = [(0.0, w) for w in range(max(1, workers))]  # (time the worker is free, worker)
    ends = []
    for index, duration in enumerate(seconds):
        start, worker = heapq.heappop(free)
        ends.append((start + duration, index))
        heapq.heappush(free, (start + duration, worker))
    return [index for _, index in sorted(ends)]


class Render:
    """The render command, running alongside the executions; its output relayed line by line."""

    def __init__(self, command: list[str], root: Path, pending: list[str]):
        read_end, self._write_end = os.pipe()
        self.lock = threading.Lock()  # whole lines from both processes
        self.process = subprocess.Popen(
            command,
            cwd=root,
            env=os.environ | {FD: str(read_end)},
            pass_fds=(read_end,),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",  # a stray byte must not stop the relay (the render would block)
        )
        os.close(read_end)
        self._relay = threading.Thread(target=self._print_output, daemon=True)
        self._relay.start()
        self._send({"pending": pending})

    def _print_output(self) -> None:
        for line in self.process.stdout:  # read to the end, even if printing fails
            try:
                self.print(line, end="")
            except OSError:  # our own output is gone (a closed pipe): drop the line
                pass

    def print(self, *args, **kwargs) -> None:
        """``print`` to standard output, never in the middle of one of the render's lines."""
        with self.lock:
            print(*args, **kwargs, flush=True)

    def _send(self, message: dict) -> None:
        if self._write_end is None:
            return
        try:
            os.write(self._write_end, (json.dumps(message) + "\n").encode())
        except BrokenPipeError:  # the render has stopped; its status says why
            self.close_pipe()

    def finished(self, path: str, ok: bool) -> None:
        """Tell the render that the notebook at ``path`` is executed (or failed)."""
        self._send({"path": path, "ok": ok})

    def close_pipe(self) -> None:
        """No more news: a page still waiting for its notebook fails the build."""
        if self._write_end is not None:
            os.close(self._write_end)
            self._write_end = None

    def wait(self) -> int:
        """Close the pipe, wait for the render to end; its exit status."""
        self.close_pipe()
        code = self.process.wait()
        self._relay.join()
        return code
