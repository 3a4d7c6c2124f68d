"""frame_cache: an unchanged re-execution draws nothing; any change to what a frame depends
on draws again; a damaged store never shows a wrong frame."""

import matplotlib as mpl
import numpy as np
import pytest

from lecnotes import (
    frame_cache,
    frames,  # noqa: F401 - named by the changes exec runs below
    plotting,
    widgets,
)
from lecnotes.frames import Frame


@pytest.fixture
def store(monkeypatch, tmp_path):
    """The frame cache in a folder of its own (tests run without one, see conftest)."""
    monkeypatch.setenv("LECNOTES_FRAME_CACHE", str(tmp_path / "frames"))
    monkeypatch.setenv("LECNOTES_WIDGET_WORKERS", "1")  # count draw calls in this process
    return frame_cache.FrameCache(tmp_path / "frames")


def notebook(source: str) -> dict:
    """A namespace like a notebook's (module __main__, no file)."""
    namespace = {"__name__": "__main__"}
    exec(source, namespace)  # noqa: S102 - our own test code
    return namespace


TEXT = "OFFSET = 10\ndef draw(n):\n    CALLS.append(n)\n    return f'{n + OFFSET}'\n"


def run(ns, values=(1, 2, 3)):
    """Execute the widget cell; the draw calls it made, and the widget."""
    ns["CALLS"] = []
    w = widgets.interact(ns["draw"], n=list(values))
    return ns["CALLS"], w


def test_an_unchanged_re_execution_draws_nothing(store):
    ns = notebook(TEXT)
    calls, first = run(ns)
    assert calls == [1, 2, 3] and first.drawn == 3
    calls, again = run(notebook(TEXT))  # the notebook executed again, from the top
    assert calls == [] and again.drawn == 0
    assert again.frames() == first.frames() and again.keys == first.keys


@pytest.mark.parametrize(
    "change",
    [
        "ns['OFFSET'] = 11",  # a global draw reads
        "exec(TEXT.replace('n + OFFSET', 'n - OFFSET'), ns)",  # its code, redefined
        "mpl.rcParams['lines.linewidth'] = 3",  # a rendering setting
        "monkeypatch.setenv('OPENBLAS_CORETYPE', 'Nehalem')",  # the floating-point setup
        "monkeypatch.setattr(frame_cache, 'machine', lambda: 'numpy 0.0')",  # libraries
        "monkeypatch.setattr(plotting, 'SCALE', 3)",  # the render code's device scale
        "monkeypatch.setattr(frames, 'FORMAT', 'PNG')",  # ... and its encoder
    ],
)
def test_any_change_to_what_a_frame_depends_on_draws_again(store, monkeypatch, change):
    ns = notebook(TEXT)
    run(ns)
    with mpl.rc_context():
        exec(change)  # noqa: S102
        calls, w = run(ns)
    assert calls == [1, 2, 3] and w.drawn == 3


def test_new_slider_values_draw_only_the_new_frames(store):
    ns = notebook(TEXT)
    run(ns, (1, 2, 3))
    calls, w = run(ns, (2, 3, 4))
    assert calls == [4] and [f.data for f in w.frames()] == ["12", "13", "14"]


def test_the_environment_names_the_libraries_and_the_cpu():
    machine = frame_cache.machine()
    for version in (np.__version__, mpl.__version__):
        assert version in machine


@pytest.mark.parametrize(
    "damage",
    [
        lambda path, other: path.write_bytes(b"garbage"),
        lambda path, other: path.write_bytes(path.read_bytes()[:-1]),  # torn
        lambda path, other: path.write_bytes(path.read_bytes().replace(b"11", b"99")),
        lambda path, other: path.write_bytes(other.read_bytes()),  # another key's entry
    ],
)
def test_a_damaged_entry_is_drawn_again_never_shown(store, damage):
    ns = notebook(TEXT)
    _, first = run(ns)
    damage(store.path(first.keys[0]), store.path(first.keys[1]))
    calls, w = run(ns)
    assert calls == [1] and [f.data for f in w.frames()] == ["11", "12", "13"]
    assert store.get(first.keys[0]) == Frame("text/plain", "11")  # stored again


def test_figures_come_back_byte_identical(store):
    def draw(slope):
        fig, ax = plotting.figure(figsize=(2, 1.5))
        ax.plot([0, 1], [0, slope])
        ax.set_title(f"slope {slope}")
        return fig

    first = widgets.interact(draw, slope=[1, 2])
    again = widgets.interact(draw, slope=[1, 2])
    assert again.drawn == 0 and again.frames() == first.frames()
    assert again.frames()[1].title == "slope 2"


def test_a_draw_that_cannot_be_fingerprinted_is_drawn_every_time(store, tmp_path):
    ns = notebook(TEXT.replace("n + OFFSET", "n + len(HANDLE.name)"))
    with open(tmp_path / "f", "w") as handle:
        ns["HANDLE"] = handle
        calls, w = run(ns)
        calls_again, _ = run(ns)
    assert calls == calls_again == [1, 2, 3]
    assert w.keys is None and "cannot fingerprint a TextIOWrapper" in w.cache_note
    assert isinstance(w._repr_mimebundle_(), dict)  # no keys to record: a plain bundle


def test_a_stored_output_seeds_a_fresh_store(store, tmp_path):
    ns = notebook(TEXT)
    _, w = run(ns)
    bundle, metadata = w._repr_mimebundle_()
    output = {"output_type": "display_data", "data": bundle, "metadata": metadata}
    nb = {"cells": [{"cell_type": "code", "outputs": [output]}]}
    fresh = frame_cache.FrameCache(tmp_path / "fresh")
    assert frame_cache.seed(nb, fresh) == 3
    assert [fresh.get(k) for k in w.keys] == w.frames()
    assert frame_cache.seed(nb, fresh) == 0  # already there
    edited = {**output, "data": {**bundle, "text/html": bundle["text/html"].replace("12", "42")}}
    other = frame_cache.FrameCache(tmp_path / "other")
    assert frame_cache.seed({"cells": [{"cell_type": "code", "outputs": [edited]}]}, other) == 2


def test_the_store_is_pruned_least_recently_used_first(tmp_path):
    store = frame_cache.FrameCache(tmp_path, max_bytes=3000)
    keys = [f"{k:064x}" for k in range(5)]
    for k, key in enumerate(keys):
        store.put(key, Frame("text/plain", str(k) * 1000))
    store.get(keys[0])  # used lately: kept
    store.prune()
    kept = [key for key in keys if store.get(key) is not None]
    assert keys[0] in kept and len(kept) == 2


def test_the_store_lives_where_the_variable_says_or_in_the_user_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("LECNOTES_FRAME_CACHE", str(tmp_path))
    assert frame_cache.location() == tmp_path
    monkeypatch.setenv("LECNOTES_FRAME_CACHE", "off")
    assert frame_cache.location() is None
    monkeypatch.delenv("LECNOTES_FRAME_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert frame_cache.location() == tmp_path / "cache" / "lecnotes" / "frames"
    with pytest.raises(ValueError, match="key must be 64 hex digits, got '../x'"):
        frame_cache.FrameCache(tmp_path).path("../x")
