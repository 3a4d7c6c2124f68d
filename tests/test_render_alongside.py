"""The render started alongside the executions: the expected finish order, and the pipe on
which ``_ext/await_execution.py`` waits for each notebook (``tools/render.py``)."""

import json
import os
import sys
from pathlib import Path

import pytest
from sphinx.errors import ExtensionError

from tools.render import Render, finish_order

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import await_execution  # noqa: E402


def test_one_worker_finishes_jobs_in_the_order_they_start():
    assert finish_order([5.0, 1.0, 3.0], workers=1) == [0, 1, 2]


def test_two_workers_take_jobs_as_they_free_up():
    # worker A: 5 (ends 5); worker B: 4 (ends 4), then 3 (4 -> 7); A: 2 (5 -> 7), ties in order
    assert finish_order([5.0, 4.0, 3.0, 2.0], workers=2) == [1, 0, 2, 3]
    assert finish_order([], workers=2) == []


def _pipe(*messages: dict, close: bool = True) -> tuple[await_execution.Executions, int]:
    read_end, write_end = os.pipe()
    os.write(write_end, "".join(json.dumps(m) + "\n" for m in messages).encode())
    if close:
        os.close(write_end)
    return await_execution.Executions(read_end), write_end


def test_a_page_waits_only_for_its_own_notebook():
    executions, _ = _pipe(
        {"pending": ["b.ipynb", "a.ipynb"]}, {"path": "b.ipynb", "ok": True},
        {"path": "a.ipynb", "ok": True},
    )  # fmt: skip
    executions.wait_for("glossary.md")  # not executed: reads nothing
    assert executions.finished == {}
    executions.wait_for("a.ipynb")  # reads up to its news
    assert executions.finished == {"b.ipynb": True, "a.ipynb": True}
    executions.wait_for("b.ipynb")  # already known


def test_a_failed_notebook_fails_its_page():
    executions, _ = _pipe({"pending": ["a.ipynb"]}, {"path": "a.ipynb", "ok": False})
    with pytest.raises(ExtensionError, match="executing a.ipynb failed"):
        executions.wait_for("a.ipynb")


def test_an_executor_that_stops_fails_the_pages_still_waiting():
    executions, _ = _pipe({"pending": ["a.ipynb", "b.ipynb"]}, {"path": "a.ipynb", "ok": True})
    executions.wait_for("a.ipynb")
    with pytest.raises(ExtensionError, match="stopped before executing b.ipynb"):
        executions.wait_for("b.ipynb")


class _Env:
    def doc2path(self, docname: str, base: bool = True) -> str:
        return {"intro": "intro.md"}.get(docname, f"{docname}.ipynb")


class _App:
    env = _Env()


def test_pages_needing_no_execution_are_read_first_then_in_the_finish_order():
    app = _App()
    await_execution.EXECUTIONS[app], _ = _pipe({"pending": ["c/2.ipynb", "intro.md", "c/1.ipynb"]})
    docnames = ["c/1", "c/2", "glossary", "intro", "bibliography"]
    await_execution.reorder(app, app.env, docnames)
    assert docnames == ["glossary", "bibliography", "c/2", "intro", "c/1"]


def test_without_the_executor_the_extension_does_nothing(monkeypatch):
    app = _App()
    monkeypatch.delenv(await_execution.FD, raising=False)
    await_execution.start(app)
    docnames = ["b", "a"]
    await_execution.reorder(app, app.env, docnames)
    await_execution.await_outputs(app, "b", [""])
    assert app not in await_execution.EXECUTIONS and docnames == ["b", "a"]


def test_the_render_gets_the_news_and_every_line_it_prints_is_relayed(tmp_path, capsys):
    echo = (
        "import os\n"
        "news = os.fdopen(int(os.environ['LECNOTES_EXECUTION_FD']))\n"
        "for line in news:\n"
        "    print('got', line.strip())\n"
        "print('no newline at the end', end='')\n"
    )
    render = Render([sys.executable, "-c", echo], tmp_path, ["a.ipynb"])
    render.print("executed a.ipynb")
    render.finished("a.ipynb", ok=True)
    assert render.wait() == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "executed a.ipynb"
    assert lines[1:] == [
        'got {"pending": ["a.ipynb"]}',
        'got {"path": "a.ipynb", "ok": true}',
        "no newline at the end",
    ]
