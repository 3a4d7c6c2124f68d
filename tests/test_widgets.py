"""widgets: slider specs, the static player's HTML, and parity between live and static."""

import base64
import html
import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from lecnotes import frames, plotting, widgets


def draw_line(slope, shift):
    """A small deterministic figure whose pixels depend on both slider values."""
    fig, ax = plotting.figure()
    x = np.linspace(0, 1, 50)
    ax.plot(x, slope * x + shift, label="line")
    ax.set_ylim(-3, 3)
    plotting.finish(ax, "A line", "x (m)", "y (m)")
    return fig


def parse(html_text):
    """The JSON payload and the <input> elements of a static player."""
    payload = re.search(
        r'<script type="application/json" class="lw-data">(.*?)</script>', html_text
    )
    data = json.loads(payload.group(1).replace("<\\/", "</"))
    inputs = re.findall(r'<input type="range"[^>]*>', html_text)
    return data, inputs


def pixels(image_bytes):
    return np.asarray(Image.open(io.BytesIO(image_bytes)).convert("RGB"))


def from_url(url):
    """The bytes of a ``data:...;base64,`` URL."""
    return base64.b64decode(url.split(",", 1)[1])


@pytest.fixture(scope="module")
def line_widget():
    return widgets.interact(
        draw_line,
        slope=widgets.linear_slider(-1.0, 1.0, 1.0, value=1.0),
        shift=widgets.choice([0, 1], label="vertical shift"),
    )


# --- slider specs ---------------------------------------------------------------------


def test_log_slider_values_and_labels():
    s = widgets.log_slider(1e-4, 10, 6)
    assert s.values == (1e-4, 1e-3, 0.01, 0.1, 1.0, 10.0)
    assert s.labels == ("1e-4", "1e-3", "0.01", "0.1", "1", "10")
    assert s.kind == "log"


def test_linear_slider_has_exact_decimal_values():
    s = widgets.linear_slider(0.0, 0.99, 0.09, value=0.9)
    assert s.values[:4] == (0.0, 0.09, 0.18, 0.27) and s.values[-1] == 0.99
    assert s.labels[-1] == "0.99" and s.value == 0.9


def test_int_slider_and_tuple_shorthands():
    assert widgets.int_slider(1, 9, 2).values == (1, 3, 5, 7, 9)
    assert widgets.as_slider("n", (1, 5)).kind == "int"
    assert widgets.as_slider("beta", (0.0, 0.9, 0.3)).labels == ("0.0", "0.3", "0.6", "0.9")
    assert widgets.as_slider("f", ["relu", "tanh"]).kind == "choice"


def test_default_start_is_the_middle_and_value_picks_the_nearest():
    assert widgets.int_slider(0, 4).value == 2
    assert widgets.log_slider(1, 1000, 4, value=90).value == 100


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: widgets.linear_slider(1.0, 1.0, 0.1), r"hi must be a real number in \(1, inf\)"),
        (lambda: widgets.linear_slider(2.0, 1.0, 0.1), r"hi must be a real number in \(2, inf\)"),
        (lambda: widgets.linear_slider(0.0, 1.0, 0.0), r"step must be a real number in \(0, inf\)"),
        (lambda: widgets.log_slider(0.0, 1.0, 5), r"lo must be a real number in \(0, inf\)"),
        (lambda: widgets.log_slider(-1.0, 1.0, 5), r"lo must be a real number in \(0, inf\)"),
        (lambda: widgets.log_slider(1.0, 10.0, 1), r"num must be an integer in \[2, inf\)"),
        (lambda: widgets.int_slider(0, 5, 0), r"step must be an integer in \[1, inf\)"),
        (lambda: widgets.int_slider(0.5, 5), "lo must be an integer"),
        (lambda: widgets.choice([]), "at least 2"),
        (lambda: widgets.choice(["a", "a"]), "distinct"),
        (
            lambda: widgets.choice(["a", "b"], value="c"),
            r"choice value must be one of \[\'a\', \'b\'\]",
        ),
        (
            lambda: widgets.linear_slider(0.0, 1.0, 0.1, value=2.0),
            r"linear_slider value must be a real number in \[0, 1\]",
        ),
        (lambda: widgets.as_slider("x", "nonsense"), "slider 'x'"),
    ],
)
def test_bad_slider_specs_raise_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_too_many_frames_or_sliders_are_refused_before_rendering():
    calls = []

    def draw(**values):
        calls.append(values)
        return "x"

    with pytest.raises(ValueError, match="make 100 frames; a widget may embed at most 64"):
        widgets.interact(draw, a=widgets.int_slider(1, 10), b=widgets.int_slider(1, 10))
    with pytest.raises(ValueError, match="sliders must hold 1 to 3 entries, got 4"):
        widgets.interact(draw, a=(0, 1), b=(0, 1), c=(0, 1), d=(0, 1))
    with pytest.raises(ValueError, match="sliders must hold 1 to 3 entries, got 0"):
        widgets.interact(draw)
    assert calls == []


def descent_table(lr, curvature, start):
    """A text frame a chapter could show: 400 steps of gradient descent on a quadratic.

    About 30 kB, like a large figure's frame, and text does not compress: the payload is
    real. Made in milliseconds, where 64 figures take seconds to render.
    """
    h = curvature * np.array([1.0, 0.3, 0.1, 0.03])
    steps = np.arange(400)[:, None]
    theta = start * (1 - lr * h) ** steps  # theta_t = (1 - lr h)^t theta_0
    table = np.column_stack([steps, 0.5 * (h * theta**2).sum(axis=1), theta])
    row = "%4d  %.6e  %+.6e %+.6e %+.6e %+.6e\n"
    return "step  loss          theta\n" + row * len(table) % tuple(table.ravel().tolist())


def test_a_grid_whose_frames_outweigh_the_budget_is_refused():
    # The most frames a widget may have, each about a fiftieth of the budget: only together
    # do they exceed it, which is the case the budget is for.
    sliders = {
        "lr": widgets.log_slider(0.01, 1.0, 4),
        "curvature": widgets.log_slider(0.1, 1.0, 4),
        "start": widgets.linear_slider(0.5, 2.0, 0.5),
    }
    w = widgets.Interactive(descent_table, sliders)  # does not draw yet
    assert w.frame_count == widgets.MAX_FRAMES
    frames = [descent_table(**w.values_at(k)) for k in range(w.frame_count)]
    assert len(set(frames)) == w.frame_count
    assert max(map(len, frames)) < widgets.PAYLOAD_BUDGET / 40
    payload = sum(map(len, frames))
    assert payload > widgets.PAYLOAD_BUDGET
    with pytest.raises(ValueError, match=r"64 frames weigh \S+ MB, over the 1.5 MB") as error:
        widgets.interact(descent_table, **sliders)  # frames are drawn by interact
    assert error.value.args[0].split()[3] == f"{payload / 1e6:.2f}"
    # The remedy the message names, fewer positions: half the grid, the same frames, fits.
    sliders["lr"] = widgets.choice(sliders["lr"].values[:2])
    half = widgets.interact(descent_table, **sliders)
    assert [f.data for f in half.frames()] == frames[: half.frame_count]
    assert half.payload_bytes <= widgets.PAYLOAD_BUDGET


def test_draw_must_return_a_figure_or_text():
    with pytest.raises(ValueError, match="must return a matplotlib Figure or a str, got int"):
        widgets.interact(lambda n: 42, n=(1, 2))


# --- draw failing for a slider value ----------------------------------------------------


def draw_from_runs(lr, kind):
    """A chapter's draw: it shows runs computed beforehand, so other values fail."""
    runs = {(0.1, "sgd"): "a", (1.0, "sgd"): "b", (1.0, "adam"): "c"}
    return runs[(lr, kind)]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_failing_draw_names_the_first_failing_position_in_grid_order(monkeypatch, workers):
    monkeypatch.setenv("LECNOTES_WIDGET_WORKERS", workers)
    sliders = {"lr": widgets.log_slider(0.01, 1.0, 3), "kind": ["sgd", "adam"]}
    # Row-major: (0.01, sgd) fails first, then (0.01, adam) and (0.1, adam).
    for _ in range(3):  # the same position every time, however workers finish
        with pytest.raises(widgets.DrawError) as error:
            widgets.interact(draw_from_runs, **sliders)
        assert str(error.value) == (
            "draw_from_runs(lr=0.01, kind='sgd') raised KeyError: (0.01, 'sgd'); "
            "2 later positions fail too"
        )
    sliders["lr"] = widgets.log_slider(0.1, 1.0, 2)
    with pytest.raises(widgets.DrawError, match=r"kind='adam'\) raised KeyError: \(0.1, 'adam'\)$"):
        widgets.interact(draw_from_runs, **sliders)


def test_a_failing_draw_prints_one_line_in_ipython_and_no_widget(capsys):
    # As in a notebook: the error is raised by the cell, and IPython prints its one line
    # (no worker traceback) and nothing else -- no repr of a widget that was not made.
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.user_ns.update(widgets=widgets, draw_from_runs=draw_from_runs)
    result = shell.run_cell(
        "widgets.interact(draw_from_runs, lr=widgets.log_slider(1, 100, 3), kind=['sgd', 'adam'])"
    )
    assert isinstance(result.error_in_exec, widgets.DrawError)
    printed = capsys.readouterr()
    lines = [line for line in (printed.out + printed.err).splitlines() if line.strip()]
    assert lines == [
        "DrawError: draw_from_runs(lr=10.0, kind='sgd') raised KeyError: (10.0, 'sgd'); "
        "3 later positions fail too"
    ]


# --- static player ----------------------------------------------------------------------


def test_static_html_is_accessible_and_starts_at_the_live_default(line_widget):
    data, inputs = parse(line_widget.static_html())
    assert len(inputs) == 2
    assert 'min="0" max="2" step="1" value="2"' in inputs[0]  # slope starts at 1.0
    assert 'value="0"' in inputs[1]  # shift starts at the middle of 2 options: index 0
    labels = re.findall(r'<label for="(lw-[a-z-]+\d)">([\w ]+)</label>', line_widget.static_html())
    assert [name for _, name in labels] == ["slope", "vertical shift"]
    assert data["sizes"] == [3, 2] and data["labels"] == [["-1", "0", "1"], ["0", "1"]]
    assert len(data["frames"]) == len(data["alts"]) == 6
    assert data["alts"][5] == "A line (slope = 1, vertical shift = 1)"
    start = line_widget.start_flat()
    assert start == 4
    shown = re.search(
        r'<img class="lw-frame" src="(data:image/webp;base64,[^"]+)" width="640" alt="([^"]+)"',
        line_widget.static_html(),
    )
    assert shown.group(1) == data["frames"][start]
    assert html.unescape(shown.group(2)) == data["alts"][start]


def test_stored_output_tells_a_jupyterlab_reader_to_run_the_cell(line_widget):
    # JupyterLab shows the static player of a cell that has not run yet, without its
    # script (sliders disabled): the hint says what to do. The site's CSS hides it.
    hint = f'<p class="lw-hint">{widgets.RUN_HINT}</p>'
    assert widgets.RUN_HINT == "Run this cell to make the sliders live."
    assert hint + '<div class="lw-controls">' in line_widget.static_html()


def test_frames_are_in_row_major_order(line_widget):
    order = [line_widget.values_at(k) for k in range(line_widget.frame_count)]
    assert order[:3] == [
        {"slope": -1.0, "shift": 0},
        {"slope": -1.0, "shift": 1},
        {"slope": 0.0, "shift": 0},
    ]


def test_text_frames_need_no_images():
    w = widgets.interact(lambda n: f"n squared is {n * n}", n=widgets.int_slider(1, 3))
    data, _ = parse(w.static_html())
    assert data["mime"] == "text/plain"
    assert data["frames"] == ["n squared is 1", "n squared is 4", "n squared is 9"]
    assert '<pre class="lw-frame lw-text">n squared is 4</pre>' in w.static_html()


def test_mimebundle_carries_live_and_static_views_and_the_frame_keys(line_widget):
    bundle, metadata = line_widget._repr_mimebundle_()
    assert set(bundle) == {
        "application/vnd.jupyter.widget-view+json",
        "text/html",
        "text/plain",
    }
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert bundle["text/html"].startswith('<div class="lecnotes-widget"')
    recorded = metadata["lecnotes_frames"]
    assert recorded["keys"] == line_widget.keys and len(set(recorded["keys"])) == 6
    assert recorded["titles"] == ["A line"] * 6


def test_frames_are_sharp_at_device_scale_2_and_fit_the_budget(line_widget):
    data, _ = parse(line_widget.static_html())
    assert line_widget.payload_bytes == sum(len(f) for f in data["frames"])
    assert line_widget.payload_bytes < widgets.PAYLOAD_BUDGET
    assert line_widget.file_bytes == sum(len(from_url(f)) for f in data["frames"])
    frame = Image.open(io.BytesIO(from_url(data["frames"][0])))
    assert frame.format == "WEBP" and data["mime"] == "image/webp"  # see frames.to_frame
    assert len(frame.convert("RGB").getcolors(256)) <= frames.PALETTE_COLORS
    # A 6.4 x 3.6 in figure at 100 dpi is shown 640 CSS pixels wide, with twice the pixels.
    assert frame.size == (1280, 720) and line_widget.frames()[0].width == 640


def draw_colour_map():
    """A figure with hundreds of colours (a smooth colour map): quantizing must show."""
    fig, ax = plotting.figure()
    ax.imshow(np.linspace(0, 1, 10_000).reshape(100, 100))
    plotting.finish(ax, "A colour map", "column (px)", "row (px)")
    return fig


def test_frames_keep_at_most_64_colours_of_a_many_coloured_figure():
    # The line figure above has fewer than 64 colours to begin with, so its frames cannot
    # show the palette; this figure has hundreds, and its frame keeps 64 at most.
    raw = plotting.pixels(draw_colour_map()).getcolors(2**24)
    assert raw is not None and len(raw) > 256
    frame = frames.to_frame(draw_colour_map())
    kept = Image.open(io.BytesIO(frame.data)).convert("RGB").getcolors(2**24)
    assert frames.PALETTE_COLORS == 64 and 32 < len(kept) <= 64


def test_parallel_and_serial_rendering_agree(monkeypatch, line_widget):
    parallel = [f.data for f in frames.render_all(line_widget.frame_at, line_widget.frame_count)]
    monkeypatch.setenv("LECNOTES_WIDGET_WORKERS", "1")
    serial = [f.data for f in frames.render_all(line_widget.frame_at, line_widget.frame_count)]
    assert parallel == serial


# --- parity: what draw draws, the static frames and the live view -----------------------


def test_every_static_frame_is_what_draw_draws_for_its_values(line_widget):
    # Frames come from worker processes in any order; each must match a fresh render.
    data, _ = parse(line_widget.static_html())
    for flat in range(line_widget.frame_count):
        fresh = line_widget.frame_at(flat)
        static = from_url(data["frames"][flat])
        np.testing.assert_array_equal(pixels(fresh.data), pixels(static), err_msg=f"frame {flat}")


def test_live_stacks_hold_the_frame_of_every_slider_position(line_widget):
    data, _ = parse(line_widget.static_html())
    view = line_widget.live_view()
    for flat in range(line_widget.frame_count):
        positions = [int(i) for i in np.unravel_index(flat, line_widget.shape)]
        picture = view.picture_at(positions)
        assert picture.value == from_url(data["frames"][flat]), f"frame {flat}"
        assert picture.format == "webp"
        assert picture.width == "640"  # its CSS size: 1280 pixels, sharp at device scale 2


def test_each_slider_is_linked_in_the_browser_to_the_stacks_of_its_level(line_widget):
    # jslink: the front end swaps pictures itself. Slider k drives every stack at depth k.
    view = line_widget.live_view()
    stacks_by_level = [[view.view]]
    for _ in line_widget.shape[1:]:
        stacks_by_level.append([child for st in stacks_by_level[-1] for child in st.children])
    linked = {(id(link.source[0]), link.source[1], id(link.target[0]), link.target[1])
              for link in view.links}  # fmt: skip
    expected = {
        (id(control), "index", id(stack), "selected_index")
        for control, stacks in zip(view.controls, stacks_by_level, strict=True)
        for stack in stacks
    }
    assert linked == expected and len(view.links) == 1 + line_widget.shape[0]
    start = [s.index for s in line_widget.sliders.values()]
    assert [c.index for c in view.controls] == start
    assert all(st.selected_index == start[k] for k, sts in enumerate(stacks_by_level) for st in sts)


def test_live_sliders_never_call_draw_again(monkeypatch):
    # Moving a slider must cost a swap, not a render: draw runs once per position, in all.
    monkeypatch.setenv("LECNOTES_WIDGET_WORKERS", "1")  # count calls in this process
    calls = []

    def draw(a, b):
        calls.append((a, b))
        return f"{a} {b}"

    w = widgets.interact(draw, a=(0, 2), b=["x", "y"])
    for control in w.live_view().controls:
        for index in range(len(control.options)):
            control.value = index
    assert sorted(calls) == sorted(tuple(w.values_at(k).values()) for k in range(6))
    assert len(calls) == w.frame_count == 6


def test_live_frames_differ_between_positions(line_widget):
    # Guards the parity tests against a draw that ignores its arguments.
    frames = {f.url() for f in line_widget.frames()}
    assert len(frames) == line_widget.frame_count


def test_every_control_is_labelled_in_one_layout(line_widget):
    # Sliders and toggle buttons alike: the readable label, in one column as wide as the
    # longest label ("vertical shift", 14 characters).
    slider, toggles = line_widget.live_view().controls
    assert (slider.description, toggles.description) == ("slope", "vertical shift")
    assert slider.style.description_width == toggles.style.description_width == "16ch"


def test_a_label_must_be_text():
    with pytest.raises(ValueError, match="label must be a non-empty string, got ''"):
        widgets.log_slider(0.1, 1.0, 3, label="")
    assert widgets.int_slider(1, 3, label="depth (layers)").label == "depth (layers)"
    assert widgets.as_slider("n", (1, 3)).label is None  # shown as "n"


def test_live_view_uses_the_same_labels_and_start():
    w = widgets.interact(lambda lr: f"{lr}", lr=widgets.log_slider(1e-3, 1, 4, value=0.01))
    (slider, stack) = w.live().children
    assert slider.description == "lr"
    assert [label for label, _ in slider.options] == ["1e-3", "0.01", "0.1", "1"]
    assert slider.value == 1 and stack.selected_index == 1
    assert stack.children[1].value == "<pre>0.01</pre>"
    assert [p.value for p in stack.children] == [f"<pre>{v}</pre>" for v in (0.001, 0.01, 0.1, 1.0)]
