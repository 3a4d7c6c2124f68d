"""autograd: every operation against centered differences, plus the lecture's example."""

import numpy as np
import pytest

from lecnotes import autograd as ag
from lecnotes import gradcheck

RNG = np.random.default_rng(0)


def grad_of(build, *arrays):
    """Gradients of sum(build(*tensors) * R) for a fixed random R, by backprop."""
    tensors = [ag.Tensor(a) for a in arrays]
    out = build(*tensors)
    weights = np.random.default_rng(1).normal(size=out.shape)
    (out * weights).sum().backward()
    return [t.grad for t in tensors], weights


def assert_matches_numeric(build, *arrays):
    grads, weights = grad_of(build, *arrays)
    for k, array in enumerate(arrays):

        def f(value, k=k):
            args = [ag.Tensor(a) for a in arrays]
            args[k] = ag.Tensor(value)
            return float(np.sum(build(*args).data * weights))

        report = gradcheck.check(f, array.copy(), grads[k])
        assert report.ok, f"input {k}: {report}"
        assert grads[k].shape == array.shape


def positive(*shape):
    return RNG.uniform(0.5, 2.0, size=shape)


def normal(*shape):
    return RNG.normal(size=shape)


CASES = {
    "add": (lambda a, b: a + b, normal(3, 4), normal(3, 4)),
    "add broadcast bias": (lambda a, b: a + b, normal(5, 3), normal(3)),
    "add broadcast column": (lambda a, b: a + b, normal(4, 3), normal(4, 1)),
    "sub": (lambda a, b: a - b, normal(2, 3), normal(3)),
    "rsub constant": (lambda a: 2.0 - a, normal(3)),
    "mul": (lambda a, b: a * b, normal(3, 2), normal(3, 2)),
    "mul broadcast scalar tensor": (lambda a, b: a * b, normal(3, 2), normal()),
    "div": (lambda a, b: a / b, normal(4), positive(4)),
    "rdiv constant": (lambda a: 1.0 / a, positive(3)),
    "pow": (lambda a: a**3, normal(5)),
    "sqrt": (lambda a: a**0.5, positive(5)),
    "neg": (lambda a: -a, normal(2, 2)),
    "matmul 2d": (lambda a, b: a @ b, normal(3, 4), normal(4, 2)),
    "matmul matrix vector": (lambda a, b: a @ b, normal(3, 4), normal(4)),
    "matmul vector matrix": (lambda a, b: a @ b, normal(4), normal(4, 2)),
    "matmul vector vector": (lambda a, b: a @ b, normal(4), normal(4)),
    "sum all": (lambda a: a.sum(), normal(3, 4)),
    "sum axis": (lambda a: a.sum(axis=0), normal(3, 4)),
    "sum keepdims": (lambda a: a.sum(axis=1, keepdims=True), normal(3, 4)),
    "mean all": (lambda a: a.mean(), normal(3, 4)),
    "mean axis": (lambda a: a.mean(axis=1), normal(3, 4)),
    "exp": (lambda a: a.exp(), normal(4)),
    "log": (lambda a: a.log(), positive(4)),
    "tanh": (lambda a: a.tanh(), normal(3, 3)),
    "sigmoid": (lambda a: a.sigmoid(), normal(3, 3) * 4),
    "relu": (lambda a: a.relu(), np.array([-1.5, -0.3, 0.4, 2.0])),
    "maximum": (lambda a, b: ag.maximum(a, b), normal(5), normal(5)),
    "maximum broadcast": (lambda a, b: ag.maximum(a, b), normal(2, 3), normal(3)),
    "reshape": (lambda a: a.reshape(2, 6) * 1.0, normal(3, 4)),
    "transpose": (lambda a, b: a.T @ b, normal(3, 2), normal(3, 4)),
    "gather rows with repeats": (lambda e: e[np.array([0, 2, 2, 1])], normal(4, 3)),
    "slice": (lambda a: a[1:, :2], normal(3, 3)),
    "reuse": (lambda a: a * a + a, normal(3)),
    "cross entropy batch": (lambda s: ag.cross_entropy(s, np.array([0, 2, 1])) * 1.0, normal(3, 4)),
    "cross entropy vector": (lambda s: ag.cross_entropy(s, 2) * 1.0, normal(5)),
}


@pytest.mark.parametrize("name", CASES)
def test_operation_gradients_match_centered_differences(name):
    build, *arrays = CASES[name]
    assert_matches_numeric(build, *arrays)


def test_two_layer_network_end_to_end():
    x, y = normal(6, 4), np.array([0, 1, 2, 1, 0, 2])
    W1, b1, W2, b2 = normal(4, 5), normal(5), normal(5, 3), normal(3)

    def loss(W1, b1, W2, b2):
        return ag.cross_entropy((x @ W1 + b1).tanh() @ W2 + b2, y) * 1.0

    assert_matches_numeric(loss, W1, b1, W2, b2)


def test_window_of_word_vectors_gathers_and_sums_repeated_rows():
    E, W, u = normal(6, 2), normal(3, 10), normal(3)
    window = np.array([1, 4, 1, 0, 5])  # word 1 twice

    def score(E, W, u):
        return u @ (W @ E[window].reshape(10)).tanh()

    assert_matches_numeric(score, E, W, u)


def test_lecture_example_values_and_gradients():
    x, y, z = ag.Tensor(1.0), ag.Tensor(2.0), ag.Tensor(0.0)
    a, b = x + y, ag.maximum(y, z)
    f = a * b
    f.backward()
    assert (float(a.data), float(b.data), float(f.data)) == (3.0, 2.0, 6.0)
    assert (float(x.grad), float(y.grad), float(z.grad)) == (2.0, 5.0, 0.0)


def test_gradients_sum_where_a_value_is_used_twice():
    y = ag.Tensor(3.0)
    (y * 2.0 + y * 5.0).backward()
    assert float(y.grad) == 7.0


def test_kink_conventions_follow_pytorch():
    x = ag.Tensor(np.array([0.0, 1.0]))
    x.relu().sum().backward()
    assert x.grad.tolist() == [0.0, 1.0]  # relu'(0) = 0
    a, b = ag.Tensor(2.0), ag.Tensor(2.0)
    ag.maximum(a, b).backward()
    assert (float(a.grad), float(b.grad)) == (0.5, 0.5)  # ties split the gradient


def test_at_nan_relu_and_maximum_pass_the_gradient_through_as_pytorch():
    x = ag.Tensor(np.array([np.nan, -1.0, 0.0, 2.0]))
    x.relu().backward(np.ones(4))
    assert x.grad.tolist() == [1.0, 0.0, 0.0, 1.0]  # relu'(NaN) = 1: "z <= 0" is false
    a, b = ag.Tensor(np.array([np.nan, 1.0, 3.0])), ag.Tensor(np.array([0.0, np.nan, 3.0]))
    out = ag.maximum(a, b)
    out.backward(np.ones(3))
    assert np.isnan(out.data[:2]).all()
    assert a.grad.tolist() == [1.0, 1.0, 0.5] and b.grad.tolist() == [1.0, 1.0, 0.5]


@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2), (2, 0), (-1, -2), (0, 1, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_mean_divides_by_the_number_of_entries_averaged(axis, keepdims):
    # A gradient check cannot catch a wrong count (value and gradient would share it): the
    # value is compared with NumPy's, and the gradient with 1 / count in every entry.
    data = normal(2, 3, 4)
    x = ag.Tensor(data)
    out = x.mean(axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, data.mean(axis=axis, keepdims=keepdims), rtol=1e-14)
    out.backward(np.ones(out.shape))
    np.testing.assert_allclose(x.grad, np.full(data.shape, out.data.size / data.size), rtol=1e-15)


def test_sigmoid_and_cross_entropy_are_stable_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is fine
        s = ag.Tensor(np.array([-1000.0, 0.0, 1000.0])).sigmoid()
        loss = ag.cross_entropy(ag.Tensor(np.array([[1000.0, -1000.0]])), np.array([1]))
    assert s.data.tolist() == [0.0, 0.5, 1.0]
    assert float(loss.data) == 2000.0


def test_gradients_accumulate_and_zero_grad_resets():
    w = ag.Tensor(np.array([1.0, 2.0]))
    (w * 3.0).sum().backward()
    (w * 3.0).sum().backward()
    assert w.grad.tolist() == [6.0, 6.0]
    loss = (w * 3.0).sum()
    loss.zero_grad()
    assert w.grad.tolist() == [0.0, 0.0]


def test_backward_on_non_scalar_needs_an_upstream_gradient():
    v = ag.Tensor(np.ones(3)) * 2.0
    with pytest.raises(ValueError, match=r"non-scalar of shape \(3,\) needs an explicit"):
        v.backward()
    with pytest.raises(ValueError, match=r"grad has shape \(2,\), but the tensor has shape \(3,\)"):
        v.backward(np.ones(2))
    v.backward(np.array([1.0, 0.0, 2.0]))


def test_matmul_shape_mismatch_is_clear():
    with pytest.raises(ValueError, match=r"shapes \(3, 4\) and \(3, 2\) are not aligned"):
        ag.Tensor(np.ones((3, 4))) @ ag.Tensor(np.ones((3, 2)))


def test_backward_through_a_freed_graph_raises():
    x = ag.Tensor(2.0)
    y = x * x
    y.backward()
    with pytest.raises(RuntimeError, match="freed by an earlier backward"):
        y.backward()
    z = x * x
    z.backward(retain_graph=True)
    z.backward()  # allowed once more after retain_graph=True
    assert float(x.grad) == 4.0 + 4.0 + 4.0


def test_foreign_values_are_refused():
    with pytest.raises(ValueError, match="cannot combine a Tensor with str"):
        ag.Tensor(1.0) + "one"
    with pytest.raises(ValueError, match="numeric"):
        ag.Tensor(["a"])
    with pytest.raises(ValueError, match="constant exponent"):
        ag.Tensor(2.0) ** ag.Tensor(2.0)
    with pytest.raises(ValueError, match="targets must"):
        ag.cross_entropy(ag.Tensor(np.ones((2, 3))), np.array([0, 3]))
    for count in (1, 3):  # one class per row of scores: PyTorch names both batch sizes too
        with pytest.raises(ValueError, match=rf"targets has shape \({count},\), but one label"):
            ag.cross_entropy(ag.Tensor(np.ones((2, 3))), np.zeros(count, dtype=int))


def test_topological_order_puts_inputs_before_outputs():
    x, y = ag.Tensor(1.0, name="x"), ag.Tensor(2.0, name="y")
    out = (x + y) * y
    order = ag.topological_order(out)
    position = {id(n): k for k, n in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    assert [n.name for n in order[:2]] == ["x", "y"]


def test_grad_reads_as_zeros_until_a_gradient_arrives():
    x, unused = ag.Tensor(np.array([1.0, 2.0])), ag.Tensor(np.array([[3.0]]))
    assert np.array_equal(x.grad, [0.0, 0.0]) and unused.grad.shape == (1, 1)
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    loss.backward()  # inputs accumulate
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    x.zero_grad()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])
    assert not unused.grad.any()


def test_float64_data_is_wrapped_without_a_copy_and_the_first_gradient_is_copied():
    values = np.array([1.0, -2.0])
    x = ag.Tensor(values)
    assert np.shares_memory(x.data, values)  # like torch.from_numpy
    assert ag.Tensor(np.array([1, 2])).data.dtype == np.float64  # ints are converted
    y = x.reshape(2)
    y.backward(np.array([5.0, 6.0]))
    np.testing.assert_array_equal(x.grad, [5.0, 6.0])
    assert not np.shares_memory(x.grad, y.grad)  # accumulating into x cannot alter y


def test_power_zero_has_zero_gradient_even_at_zero():
    x = ag.Tensor(np.array([0.0, 2.0]))
    (x**0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]


def test_local_rules_are_pure_and_give_one_gradient_per_parent():
    x, y = ag.Tensor(3.0), ag.Tensor(-2.0)
    f = x * y
    f.backward(retain_graph=True)
    assert [float(g) for g in f.grad_fn(np.array(1.0))] == [-2.0, 3.0]
    assert float(x.grad) == -2.0  # asking the rule again changed nothing
