"""optimizer: the contract every optimizer shares (pure updates, schedules, parameters without
a gradient), weight decay as one composable piece, row-sparse gradients."""

import doctest

import numpy as np
import pytest

from lecnotes import optim, optimizer
from lecnotes.optimizer import RowSparse, WeightDecay

EVERY_KIND = [
    optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.1),
    optim.Adagrad(lr=0.1, weight_decay=0.1),
    optim.RMSprop(lr=0.1, momentum=0.5, centered=True, weight_decay=0.1),
    optim.Adam(lr=0.1, weight_decay=0.1, amsgrad=True),
    optim.AdamW(lr=0.1),
    optim.SGD(lr=0.1).with_decay(WeightDecay(0.2, include=("w",))),
    optim.Adam(lr=0.1).with_decay(WeightDecay(0.2, decoupled=True)),
]


@pytest.mark.parametrize("opt", EVERY_KIND, ids=lambda o: type(o).__name__)
def test_update_is_pure(opt):
    params = {"w": np.array([1.0, 2.0]), "b": np.array([0.5])}
    grads = {"w": np.array([0.3, -0.1]), "b": np.array([0.2])}
    state = opt.init(params)
    copies = ({k: v.copy() for k, v in params.items()}, {k: v.copy() for k, v in grads.items()})
    new_params, new_state = opt.update(params, grads, state)
    before = repr(state)
    opt.update(new_params, grads, new_state)
    for k in params:
        np.testing.assert_array_equal(params[k], copies[0][k])
        np.testing.assert_array_equal(grads[k], copies[1][k])
        assert not np.array_equal(new_params[k], params[k])  # ... and it did move
    assert repr(state) == before and state["step"] == 0 and new_state["step"] == 1


def test_schedule_is_called_with_the_number_of_updates_made():
    seen = []

    def schedule(step):
        seen.append(step)
        return 0.1 / (step + 1)

    opt = optim.SGD(lr=schedule)
    p = {"w": np.array([1.0])}
    s = opt.init(p)
    for _ in range(3):
        p, s = opt.update(p, {"w": np.array([1.0])}, s)
    assert seen == [0, 1, 2]
    assert p["w"][0] == pytest.approx(1.0 - 0.1 - 0.05 - 0.1 / 3)


def test_parameters_without_a_gradient_are_left_alone():
    opt = optim.AdamW(lr=0.1, weight_decay=0.5)  # its decay too skips them
    params = {"a": np.array([1.0]), "b": np.array([2.0])}
    state = opt.init(params)
    params, state = opt.update(params, {"a": np.array([1.0])}, state)
    assert params["b"][0] == 2.0 and state["params"]["b"]["step"] == 0
    assert state["params"]["a"]["step"] == 1 and state["step"] == 1


# --- weight decay ------------------------------------------------------------------------

PARAMS = {"W": np.array([[1.0, -2.0]]), "b": np.array([3.0])}
GRADS = {"W": np.array([[0.5, 0.5]]), "b": np.array([0.25])}


def test_coupled_decay_adds_wd_theta_to_the_gradients_it_includes():
    decay = WeightDecay(0.1, include=("W",))
    theta, grad = decay.apply("W", PARAMS["W"], GRADS["W"], lr=0.3)
    assert theta is PARAMS["W"]
    np.testing.assert_array_equal(grad, GRADS["W"] + 0.1 * PARAMS["W"])
    assert decay.apply("b", PARAMS["b"], GRADS["b"], lr=0.3) == (PARAMS["b"], GRADS["b"])
    everything = WeightDecay(0.1).apply("b", PARAMS["b"], GRADS["b"], lr=0.3)[1]
    np.testing.assert_array_equal(everything, GRADS["b"] + 0.1 * PARAMS["b"])


def test_decoupled_decay_shrinks_the_weights_by_one_minus_lr_wd():
    theta, grad = WeightDecay(0.1, decoupled=True).apply("W", PARAMS["W"], GRADS["W"], lr=0.3)
    assert grad is GRADS["W"]
    np.testing.assert_array_equal(theta, PARAMS["W"] * (1 - 0.3 * 0.1))
    opt = optim.SGD(lr=0.3).with_decay(WeightDecay(0.1, decoupled=True))
    untouched = opt.update(PARAMS, {"W": GRADS["W"]}, opt.init(PARAMS))[0]
    assert untouched["b"] is PARAMS["b"]  # no gradient: no decay (as PyTorch skips it)
    runs = np.array([0.1, 0.3]).reshape(2, 1, 1)  # one rate per run, as lecnotes.runs does
    stacked = np.stack([PARAMS["W"]] * 2)
    theta = WeightDecay(0.1, decoupled=True).apply("W", stacked, GRADS["W"], lr=runs)[0]
    np.testing.assert_array_equal(theta[1], PARAMS["W"] * (1 - 0.3 * 0.1))


def test_zero_decay_changes_nothing():
    for decay in (WeightDecay(0.0), WeightDecay(0.0, decoupled=True)):
        assert decay.apply("W", PARAMS["W"], GRADS["W"], lr=0.3) == (PARAMS["W"], GRADS["W"])


def run(opt, n=4):
    params, state = PARAMS, opt.init(PARAMS)
    for _ in range(n):
        params, state = opt.update(params, GRADS, state)
    return params


def test_the_optimizers_decays_are_the_piece():
    # weight_decay of SGD/Adagrad/RMSprop/Adam is a coupled WeightDecay; AdamW's is decoupled.
    pairs = [
        (optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.2), optim.SGD(lr=0.1, momentum=0.9)),
        (optim.Adagrad(lr=0.1, weight_decay=0.2), optim.Adagrad(lr=0.1)),
        (optim.RMSprop(lr=0.1, weight_decay=0.2), optim.RMSprop(lr=0.1)),
        (optim.Adam(lr=0.1, weight_decay=0.2), optim.Adam(lr=0.1)),
    ]
    for built_in, plain in pairs:
        composed = plain.with_decay(WeightDecay(0.2))
        for name, value in run(built_in).items():
            np.testing.assert_array_equal(value, run(composed)[name])
    adamw = run(optim.AdamW(lr=0.1, weight_decay=0.2))
    composed = run(optim.Adam(lr=0.1).with_decay(WeightDecay(0.2, decoupled=True)))
    for name, value in adamw.items():
        np.testing.assert_array_equal(value, composed[name])
    assert not np.array_equal(adamw["W"], run(optim.Adam(lr=0.1, weight_decay=0.2))["W"])


def test_with_decay_copies_and_applies_the_new_decay_first():
    plain = optim.SGD(lr=0.1, weight_decay=0.2)
    twin = plain.with_decay(WeightDecay(0.5, include=("W",)))
    assert (
        plain.decays != twin.decays and len(plain.decays) == 1 and twin.decays[1:] == plain.decays
    )
    new, _ = twin.update(PARAMS, GRADS, twin.init(PARAMS))
    g = GRADS["W"] + 0.5 * PARAMS["W"] + 0.2 * PARAMS["W"]  # added in that order
    np.testing.assert_array_equal(new["W"], PARAMS["W"] - 0.1 * g)
    np.testing.assert_array_equal(new["b"], PARAMS["b"] - 0.1 * (GRADS["b"] + 0.2 * PARAMS["b"]))


def test_bad_decays_are_refused():
    with pytest.raises(ValueError, match=r"weight_decay must be a real number in \[0, inf\)"):
        WeightDecay(-0.1)
    with pytest.raises(ValueError, match=r"include names unknown parameters \['V'\]"):
        decayed = optim.SGD(lr=0.1).with_decay(WeightDecay(0.1, include=("V",)))
        decayed.update(PARAMS, GRADS, decayed.init(PARAMS))
    table = {"E": np.ones((3, 2))}
    sparse = optim.SparseAdam().with_decay(WeightDecay(0.1))
    with pytest.raises(ValueError, match="row-sparse; weight decay needs dense gradients"):
        sparse.update(table, {"E": RowSparse(np.array([0]), np.ones((1, 2)))}, sparse.init(table))


# --- row-sparse gradients ----------------------------------------------------------------


def test_row_sparse_gradients_sum_repeated_rows():
    rows, values = RowSparse(np.array([3, 1, 3]), np.array([[1.0], [2.0], [4.0]])).coalesced(5)
    assert rows.tolist() == [1, 3] and values.tolist() == [[2.0], [5.0]]
    with pytest.raises(ValueError, match="one row of values per index"):
        RowSparse(np.array([0, 1]), np.ones((3, 1))).coalesced(5)
    with pytest.raises(ValueError, match=r"indices must lie in \[0, 5\)"):
        RowSparse(np.array([5]), np.ones((1, 1))).coalesced(5)


def test_names_are_reexported_by_optim_and_examples_run():
    assert optim.Optimizer is optimizer.Optimizer and optim.RowSparse is RowSparse
    assert optim.WeightDecay is WeightDecay
    results = doctest.testmod(optimizer)
    assert results.attempted > 0 and results.failed == 0
