"""graphs: layout, per-edge gradients, and the drawn labels of the lecture's example."""

import numpy as np

from lecnotes import autograd as ag
from lecnotes import graphs


def lecture_graph():
    x, y, z = ag.Tensor(1.0, name="x"), ag.Tensor(2.0, name="y"), ag.Tensor(0.0, name="z")
    a = x + y
    a.name = "a"
    b = ag.maximum(y, z)
    b.name = "b"
    f = a * b
    f.name = "f"
    f.backward(retain_graph=True)
    return x, y, z, a, b, f


def test_levels_put_inputs_left_and_the_output_right():
    x, y, z, a, b, f = lecture_graph()
    level = graphs.levels(f)
    assert [level[id(n)] for n in (x, y, z, a, b, f)] == [0, 0, 0, 1, 1, 2]


def test_edge_gradients_add_up_at_the_branch():
    x, y, z, a, b, f = lecture_graph()
    edges = graphs.edge_gradients(f)
    assert float(edges[id(y), id(a)]) == 2.0 and float(edges[id(y), id(b)]) == 3.0
    assert float(y.grad) == 5.0  # restored after the replay


def test_drawing_shows_every_value_and_gradient():
    *_, f = lecture_graph()
    fig = graphs.draw(f, "lecture example")
    texts = [t.get_text() for t in fig.axes[0].texts]
    for label in ("x", "y", "z", "a = +", "b = max", "f = ×", "6", "5"):
        assert label in texts
    assert fig.axes[0].get_title() == "lecture example"


def test_drawing_without_backward_shows_zero_gradients():
    x = ag.Tensor(np.array(3.0), name="x")
    fig = graphs.draw(x.exp(), "no backward yet")
    assert "0" in [t.get_text() for t in fig.axes[0].texts]


def exercise_graph():
    """g = (x y + z) x: four columns, and x feeds a node three columns away."""
    x, y, z = ag.Tensor(2.0, name="x"), ag.Tensor(-1.0, name="y"), ag.Tensor(3.0, name="z")
    p = x * y
    q = p + z
    g = q * x
    p.name, q.name, g.name = "p", "q", "g"
    g.backward(retain_graph=True)
    return g


def overlapping_labels(fig):
    """Pairs of drawn labels (values, gradients, node names, the legend) whose boxes overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig).draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    boxes.append(("legend", ax.get_legend().get_window_extent(renderer)))
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def test_labels_do_not_overlap_in_three_rows_and_across_a_long_edge():
    for root in (lecture_graph()[-1], exercise_graph()):
        assert overlapping_labels(graphs.draw(root, "layout")) == []


def test_only_edges_that_skip_a_column_bend_away_from_the_middle():
    col = graphs.COLUMN
    assert graphs.edge_bend(0.0, 1.0, col, 0.0) == 0.0  # neighbouring columns: straight
    assert graphs.edge_bend(0.0, 1.0, 3 * col, 0.0) < 0  # above the middle: bends up
    assert graphs.edge_bend(0.0, -1.0, 2 * col, 0.0) > 0  # below: bends down
