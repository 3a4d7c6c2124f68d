"""layered: a widget whose fixed part is rendered once has the pixels of full renders."""

import matplotlib.axis
import numpy as np
import pytest

from lecnotes import frames, layered, plotting, widgets

X = np.linspace(0, 1, 40)


def loss_axes():
    fig, ax = plotting.figure(figsize=(3, 2))
    ax.axhline(0.5, color="grey", linestyle=":", label="reference")
    ax.set_xlim(0, 1)
    ax.set_ylim(-1, 1)
    plotting.finish(ax, "", "x (m)", "y (m)", legend=False)
    return fig


def loss_curve(fig, a):
    ax = fig.axes[0]
    ax.plot(X, a * (X - 0.2), label=f"a = {a}")  # crosses the left spine: drawn under it
    ax.legend(loc="lower right")
    ax.set_title(f"slope {a}")


def two_panels():
    fig, axes = plotting.figure(ncols=2, figsize=(8.4, 2.5))  # the book's two panels
    xs, ys = np.meshgrid(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30))
    for ax in axes:
        ax.contour(xs, ys, xs**2 + 3 * ys**2, levels=5, colors="#bbbbbb")
        ax.set_xlim(-1, 1)
        ax.set_ylim(-1, 1)
        plotting.finish(ax, "", "w0", "w1", legend=False)
    return fig


def two_paths(fig, a, b):
    for k, ax in enumerate(fig.axes):
        ax.plot(X - 0.5, a * np.sin(6 * X + k) * b, label="path")
        ax.set_title(f"a = {a}, b = {b}")
    fig.axes[0].legend(loc="lower left")


@pytest.mark.parametrize(
    "draw, sliders",
    [
        (layered.layered(loss_axes, loss_curve), {"a": [-2.0, 0.5, 3.0]}),
        (layered.layered(two_panels, two_paths), {"a": [0.2, 0.9], "b": [1, -1]}),
    ],
)
def test_frames_are_byte_identical_to_full_renders(draw, sliders):
    w = widgets.interact(draw, **sliders)
    for k in range(w.frame_count):
        assert w.frames()[k] == frames.to_frame(draw(**w.values_at(k))), w.values_at(k)
    assert len({f.data for f in w.frames()}) == w.frame_count


def test_calling_a_layered_draw_gives_the_whole_figure():
    draw_line = widgets.layered(loss_axes, loss_curve)
    fig = draw_line(a=2.0)
    ax = fig.axes[0]
    assert ax.get_title() == "slope 2.0" and ax.get_xlabel() == "x (m)"
    assert [line.get_label() for line in ax.get_lines()] == ["reference", "a = 2.0"]
    assert ax.get_ylim() == (-1, 1)  # autoscaling is off: the fixed part's limits stay
    assert draw_line.__name__ == "loss_curve"


def test_after_the_first_frame_no_axis_is_drawn_again(monkeypatch):
    drawn = []
    original = matplotlib.axis.Axis.draw

    def counting(axis, renderer):
        if axis.get_visible():
            drawn.append(axis)
        return original(axis, renderer)

    monkeypatch.setattr(matplotlib.axis.Axis, "draw", counting)
    blitter = layered.layered(two_panels, two_paths).blitter()
    blitter(a=0.2, b=1)  # renders the fixed part (4 axes), then checks against a full render
    drawn.clear()
    blitter(a=0.9, b=-1)
    assert drawn == []  # the other panel's axes too: nothing moving overlaps them


def test_a_split_that_would_change_pixels_is_caught(monkeypatch):
    # Pretend no artist overlaps another: the spine goes under the curve that crosses it.
    monkeypatch.setattr(layered, "_overlap", lambda boxes, others: False)
    blitter = layered.layered(loss_axes, loss_curve).blitter()
    with pytest.raises(ValueError, match="loss_curve: rendering only the moving part gave other"):
        blitter(a=3.0)


def moves_the_axes(fig, a):
    fig.axes[0].set_ylim(-a, a)


def recolours_the_reference(fig, a):
    fig.axes[0].get_lines()[0].set_color("red")


def removes_the_reference(fig, a):
    fig.axes[0].get_lines()[0].remove()


def relabels_the_axis(fig, a):
    fig.axes[0].set_xlabel("other")


@pytest.mark.parametrize(
    "moving, message",
    [
        (moves_the_axes, "moves_the_axes changed the axes"),
        (recolours_the_reference, "recolours_the_reference changed a Line2D of the fixed"),
        (removes_the_reference, "removes_the_reference removed an artist of the fixed part"),
        (relabels_the_axis, "relabels_the_axis changed a XAxis of the fixed part"),
    ],
)
def test_a_moving_part_that_changes_the_fixed_part_is_refused(moving, message):
    with pytest.raises(ValueError, match=message + ".*put the rest in loss_axes"):
        widgets.layered(loss_axes, moving)(a=2.0)


def test_a_fixed_part_must_be_a_figure_with_fixed_margins():
    import matplotlib.figure

    def not_a_figure():
        return "x"

    with pytest.raises(ValueError, match="not_a_figure must return a matplotlib Figure, got str"):
        widgets.layered(not_a_figure, loss_curve)(a=1.0)

    def constrained():
        return matplotlib.figure.Figure(layout="constrained")

    with pytest.raises(ValueError, match="constrained made a figure with a layout engine"):
        widgets.layered(constrained, loss_curve)(a=1.0)


def test_the_moving_part_does_not_rescale_axes_the_fixed_part_left_to_autoscale():
    def data_axes():
        fig, ax = plotting.figure(figsize=(3, 2))
        ax.plot([0, 1], [0, 1])  # limits from the data, not set
        return fig

    def far_point(fig, a):
        fig.axes[0].plot([0, a], [0, a])

    fig = widgets.layered(data_axes, far_point)(a=10.0)
    assert fig.axes[0].get_ylim() == data_axes().axes[0].get_ylim()


def test_the_fixed_part_is_rendered_once_whichever_edge_the_curve_reaches():
    def centred(fig, width):  # reaches the left spine only at width 1
        fig.axes[0].plot(0.5 + width * (X - 0.5), X - 0.5)

    blitter = widgets.layered(loss_axes, centred).blitter()
    frames_drawn = [blitter(width=w) for w in (0.5, 1.0, 0.8)]
    assert len({f.data for f in frames_drawn}) == 3
    assert len(blitter.below) == 1  # one stored image of the fixed part
