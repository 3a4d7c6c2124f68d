"""_ext/execution_cache.py: a page is read again when its notebook was executed again."""

import json
import sys
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import execution_cache  # noqa: E402


class FakeEnv(SimpleNamespace):
    def doc2path(self, docname, base=True):
        return f"{docname}.ipynb"


def fake_app(tmp_path, executions: dict, env: FakeEnv):
    summary = tmp_path / "_build" / ".jupyter_cache" / "lecnotes-executions.json"
    summary.parent.mkdir(parents=True, exist_ok=True)
    summary.write_text(json.dumps({k: {"executed": True, "at": v} for k, v in executions.items()}))
    return SimpleNamespace(outdir=str(tmp_path / "_build" / "html"), env=env)


def test_pages_whose_notebook_ran_again_are_outdated(tmp_path):
    env = FakeEnv(found_docs={"ch1", "ch2", "ch3"})
    app = fake_app(tmp_path, {"ch1.ipynb": 1.0, "ch2.ipynb": 1.0, "ch3.ipynb": 1.0}, env)
    for doc in ("ch1", "ch2", "ch3"):
        execution_cache.remember(app, doc, [""])
    assert execution_cache.outdated(app, env, set(), set(), set()) == []

    app = fake_app(tmp_path, {"ch1.ipynb": 1.0, "ch2.ipynb": 2.0, "ch3.ipynb": 1.0}, env)
    assert execution_cache.outdated(app, env, set(), set(), set()) == ["ch2"]
    assert execution_cache.outdated(app, env, set(), set(), {"ch2"}) == []  # removed pages

    execution_cache.remember(app, "ch2", [""])  # read again: up to date
    assert execution_cache.outdated(app, env, set(), set(), set()) == []
    execution_cache.purge(app, env, "ch3")
    assert "ch3" not in env.lecnotes_executions


def test_without_a_summary_nothing_is_outdated(tmp_path):
    env = FakeEnv(found_docs={"intro"})
    app = SimpleNamespace(outdir=str(tmp_path / "_build" / "html"), env=env)
    execution_cache.remember(app, "intro", [""])
    assert execution_cache.outdated(app, env, set(), set(), set()) == []
