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
