"""runs: many runs of the window classifier at once equal window's runs, one by one."""

import warnings

import numpy as np
import pytest

from lecnotes import data, groups, optim, regularization, runs, schedules, window

WORDS, LABELS = data.location_windows(np.random.default_rng(1), n_windows=96, vocab_size=20)
START = window.init(np.random.default_rng(2), vocab=20, dim=3, hidden=4)


def random_stack(seed: int, count: int) -> dict:
    """``count`` different parameter sets of START's shapes, stacked."""
    rng = np.random.default_rng(seed)
    return {name: rng.normal(size=(count, *value.shape)) for name, value in START.items()}


def run_slice(params: dict, r: int) -> dict:
    return {name: value[r] for name, value in params.items()}


@pytest.mark.parametrize("activation", ["sigmoid", "gelu"])  # gelu: f'(Z), not from H
def test_forward_and_backward_are_windows_run_by_run(activation):
    params = random_stack(0, 3)
    rng = np.random.default_rng(5)
    rows = np.stack([rng.choice(len(LABELS), 8, replace=False) for _ in range(3)])
    value, cache = runs.forward(params, WORDS[rows], LABELS[rows], activation)
    grads = runs.backward(params, cache)
    assert value.shape == (3,)
    for r in range(3):
        one = run_slice(params, r)
        expected, one_cache = window.forward(one, WORDS[rows[r]], LABELS[rows[r]], activation)
        assert value[r] == pytest.approx(expected, rel=1e-13)
        for name, grad in window.backward(one, one_cache).items():
            assert grads[name].shape == params[name].shape
            np.testing.assert_allclose(grads[name][r], grad, rtol=1e-12, atol=1e-15)


def test_losses_on_a_shared_data_set_are_windows_losses():
    params = random_stack(1, 4)
    got = runs.losses(params, WORDS, LABELS)
    expected = [window.loss(run_slice(params, r), WORDS, LABELS) for r in range(4)]
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_losses_in_blocks_of_runs_are_those_of_all_runs_at_once_exactly():
    # 9,000 windows: a block holds fewer runs than the 5 here, so the blocks are used.
    words, labels = data.location_windows(np.random.default_rng(3), 9000, vocab_size=20)
    params = random_stack(2, 5)
    shared = [np.broadcast_to(a, (5, *a.shape)) for a in (words, labels)]
    at_once = runs.forward(params, *shared)[0]
    np.testing.assert_array_equal(runs.losses(params, words, labels), at_once)


def test_stack_scales_each_copy_by_its_nudge():
    stacked = runs.stack(START, [0.0, 0.5])
    np.testing.assert_array_equal(stacked["W"][0], START["W"])
    np.testing.assert_allclose(stacked["W"][1], 1.5 * START["W"])
    assert stacked["E"].shape == (2, *START["E"].shape)


def solo(order, opt, nudge=0.0, steps=30, **options):
    start = {name: (1 + nudge) * value for name, value in START.items()}
    return window.train(
        np.random.default_rng(order), start, opt, WORDS, LABELS, steps, 16, **options
    )


def assert_same_run(batched: dict, r: int, one: dict) -> None:
    for name, value in one["params"].items():
        np.testing.assert_allclose(batched["params"][name][r], value, rtol=1e-10, atol=1e-13)
    taken = len(one["losses"])
    np.testing.assert_allclose(batched["losses"][r, :taken], one["losses"], rtol=1e-10)
    assert np.isnan(batched["losses"][r, taken:]).all()
    assert batched["diverged"][r] == one["diverged"]


def test_sgd_runs_with_their_own_rates_schedules_orders_and_nudges_are_windows_runs():
    decay = schedules.step_decay(2.0, step_size=6, gamma=0.5)
    orders, lrs, nudges = [3, 4, 3], [1.0, decay, 1.0], [0.0, 0.0, 1e-3]
    held = data.location_windows(np.random.default_rng(9), n_windows=40, vocab_size=20)
    track = {"held-out": held}
    batched = runs.train(
        orders, START, optim.SGD(), WORDS, LABELS, 30, 16, lrs=lrs, nudges=nudges, track=track
    )
    for r in range(3):
        one = solo(orders[r], optim.SGD(lr=lrs[r]), nudges[r], track=track)
        assert_same_run(batched, r, one)
        np.testing.assert_allclose(batched["tracked"]["held-out"][r], one["tracked"]["held-out"])
    np.testing.assert_array_equal(batched["tracked_steps"], one["tracked_steps"])
    assert not np.allclose(batched["params"]["W"][0], batched["params"]["W"][2])  # the nudge


def test_adam_runs_at_their_own_rates_and_a_shared_schedule_are_windows_runs():
    batched = runs.train([5, 6], START, optim.Adam(), WORDS, LABELS, 30, 16, lrs=[0.01, 0.05])
    for r, lr in enumerate([0.01, 0.05]):
        assert_same_run(batched, r, solo(5 + r, optim.Adam(lr=lr)))
    cosine = schedules.cosine(0.05, T_max=30)
    shared = runs.train([5, 6], START, optim.Adam(lr=cosine), WORDS, LABELS, 30, 16)
    assert_same_run(shared, 1, solo(6, optim.Adam(lr=cosine)))


def test_weight_decay_of_every_kind_applies_to_each_run():
    # The optimizer's decays (its weight_decay, AdamW's decoupled one, one added with
    # with_decay, as WithL2 does) are part of each run's update, as in window.train.
    for make, plain in (
        (lambda lr: optim.SGD(lr=lr, weight_decay=0.1), optim.SGD()),
        (lambda lr: optim.AdamW(lr=lr, weight_decay=0.5), optim.AdamW(weight_decay=0.0)),
        (lambda lr: optim.Adam(lr=lr).with_decay(optim.WeightDecay(0.2, include=("W",))),
         optim.Adam()),
    ):  # fmt: skip
        batched = runs.train([5, 6], START, make(0.01), WORDS, LABELS, 20, 16, lrs=[0.01, 0.1])
        for r, lr in enumerate([0.01, 0.1]):
            assert_same_run(batched, r, solo(5 + r, make(lr), steps=20))
        undecayed = runs.train([5, 6], START, plain, WORDS, LABELS, 20, 16, lrs=[0.01, 0.1])
        assert not np.allclose(undecayed["params"]["W"], batched["params"]["W"], rtol=1e-6)


def test_a_schedule_is_evaluated_once_per_training_however_many_runs_hold_it():
    steps_asked = []

    def halving(t):
        steps_asked.append(t)
        return 0.5 ** (t // 10)

    batched = runs.train([3, 4, 5], START, optim.SGD(), WORDS, LABELS, 30, 16, lrs=[halving] * 3)
    assert steps_asked == list(range(30)), "one table of rates for the 3 runs and 5 parameters"
    assert_same_run(batched, 1, solo(4, optim.SGD(lr=halving)))


def test_a_diverging_run_stops_alone_and_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        batched = runs.train([3, 3], START, optim.SGD(), WORDS, LABELS, 30, 16, lrs=[1e4, 1.0])
    assert batched["diverged"].tolist() == [True, False]
    assert_same_run(batched, 0, solo(3, optim.SGD(lr=1e4)))
    assert_same_run(batched, 1, solo(3, optim.SGD(lr=1.0)))


def test_bad_input_is_rejected():
    sgd = optim.SGD()
    with pytest.raises(ValueError, match="orders must hold"):
        runs.train([], START, sgd, WORDS, LABELS, 5)
    with pytest.raises(ValueError, match="lrs must hold"):
        runs.train([1, 2], START, sgd, WORDS, LABELS, 5, lrs=[0.1])
    with pytest.raises(ValueError, match=r"lrs\[1\] at step 0 must be a real number in \[0"):
        runs.train([1, 2], START, sgd, WORDS, LABELS, 5, lrs=[0.1, -1.0])
    with pytest.raises(ValueError, match=r"lrs\[0\] must be a finite real number, got 'fast'"):
        runs.train([1, 2], START, sgd, WORDS, LABELS, 5, lrs=["fast", 0.1])
    with pytest.raises(ValueError, match=r"lrs\[0\] at step 3 must be a finite real number"):
        runs.train([1], START, sgd, WORDS, LABELS, 5, lrs=[lambda t: 0.1 if t < 3 else np.nan])
    with pytest.raises(ValueError, match="nudges must hold"):
        runs.train([1, 2], START, sgd, WORDS, LABELS, 5, nudges=[0.0])
    with pytest.raises(ValueError, match="labels has shape"):
        runs.train([1], START, sgd, WORDS, LABELS[:-1], 5)
    params = random_stack(0, 2)
    with pytest.raises(ValueError, match="word_ids must be a 3-D array"):
        runs.forward(params, WORDS[:4], LABELS[:4])
    with pytest.raises(ValueError, match=r"word_ids has shape \(3, 4, 5\), but one batch per"):
        runs.forward(params, np.stack([WORDS[:4]] * 3), np.stack([LABELS[:4]] * 3))


def test_final_losses_are_the_losses_at_the_end_and_inf_for_a_diverged_run():
    batched = runs.train([3, 3], START, optim.SGD(), WORDS, LABELS, 30, 16, lrs=[1e4, 1.0])
    ends = runs.final_losses(batched, WORDS, LABELS)
    assert ends[0] == np.inf
    assert ends[1] == pytest.approx(
        window.loss(solo(3, optim.SGD(lr=1.0))["params"], WORDS, LABELS)
    )


def other_start(seed: int) -> dict:
    return window.init(np.random.default_rng(seed), vocab=20, dim=3, hidden=4)


def test_runs_from_their_own_starts_with_fixed_vectors_are_windows_runs():
    starts = [other_start(7), START, other_start(8)]
    batched = runs.train(
        [3, 4, 3], starts, optim.Adam(lr=0.05), WORDS, LABELS, 30, 16, frozen=("E",)
    )
    for r, start in enumerate(starts):
        one = window.train(
            np.random.default_rng([3, 4, 3][r]), start, optim.Adam(lr=0.05), WORDS, LABELS,
            30, 16, frozen=("E",),
        )  # fmt: skip
        assert_same_run(batched, r, one)
        np.testing.assert_array_equal(batched["params"]["E"][r], start["E"])  # never moved


def groups_of_three():
    # The table by SparseAdam, the weights by AdamW, the biases by Adam (chapter 9's groups).
    return groups.ParamGroups(
        {
            ("E",): optim.SparseAdam(lr=0.05),
            ("W", "U"): optim.AdamW(lr=0.05, weight_decay=0.5),
            ("b", "c"): optim.Adam(lr=schedules.cosine(0.05, T_max=30)),
        }
    )


def test_param_groups_with_sparse_adam_for_the_table_are_windows_sparse_runs():
    starts = [START, other_start(9)]
    batched = runs.train([5, 6], starts, groups_of_three(), WORDS, LABELS, 30, 16, nudges=[0, 1e-3])
    for r, start in enumerate(starts):
        nudged = {name: (1 + [0, 1e-3][r]) * value for name, value in start.items()}
        one = window.train(
            np.random.default_rng(5 + r), nudged, groups_of_three(), WORDS, LABELS, 30, 16,
            sparse=True,
        )  # fmt: skip
        assert_same_run(batched, r, one)


def test_a_param_group_left_out_is_frozen_and_dense_groups_take_dense_gradients():
    opt = groups.ParamGroups({("E", "W", "U"): optim.Adam(lr=0.05), ("c",): optim.SGD(lr=0.1)})
    batched = runs.train([2], START, opt, WORDS, LABELS, 20, 16)
    one = window.train(np.random.default_rng(2), START, opt, WORDS, LABELS, 20, 16, frozen=("b",))
    assert_same_run(batched, 0, one)
    np.testing.assert_array_equal(batched["params"]["b"][0], START["b"])


def test_predict_is_windows_predict_run_by_run():
    params = random_stack(3, 3)
    got = runs.predict(params, WORDS, "tanh")
    assert got.shape == (3, len(WORDS))
    for r in range(3):
        np.testing.assert_array_equal(got[r], window.predict(run_slice(params, r), WORDS, "tanh"))


def test_sparse_and_frozen_gradients_of_the_table():
    params = random_stack(4, 2)
    rng = np.random.default_rng(6)
    rows = np.stack([rng.choice(len(LABELS), 8, replace=False) for _ in range(2)])
    _, cache = runs.forward(params, WORDS[rows], LABELS[rows])
    dense = runs.backward(params, cache)
    sparse = runs.backward(params, cache, sparse=True)["E"]
    table = np.zeros(2 * 20 * 3).reshape(40, 3)
    np.add.at(table, sparse.indices, sparse.values)
    np.testing.assert_allclose(table.reshape(2, 20, 3), dense["E"], rtol=1e-12, atol=1e-15)
    frozen = runs.backward(params, cache, frozen=("E", "b"))
    assert sorted(frozen) == ["U", "W", "c"]


def test_bad_groups_starts_and_rates_are_rejected():
    with pytest.raises(ValueError, match="lrs must be None with a ParamGroups"):
        runs.train([1], START, groups_of_three(), WORDS, LABELS, 5, lrs=[0.1])
    lazy_all = groups.ParamGroups({("E", "W"): optim.SparseAdam(), ("b", "U", "c"): optim.Adam()})
    with pytest.raises(ValueError, match="SparseAdam can update only the table 'E', not 'W'"):
        runs.train([1], START, lazy_all, WORDS, LABELS, 5)
    with pytest.raises(ValueError, match="start must hold 2 entries"):
        runs.train([1, 2], [START], optim.SGD(), WORDS, LABELS, 5)
    partial = {name: value for name, value in START.items() if name != "c"}
    with pytest.raises(ValueError, match=r"start\[1\] must be a dict of \["):
        runs.train([1, 2], [START, partial], optim.SGD(), WORDS, LABELS, 5)
    with pytest.raises(ValueError, match="frozen names unknown parameters"):
        runs.train([1], START, optim.SGD(), WORDS, LABELS, 5, frozen=("V",))
    penalized = regularization.WithL2(optim.Adam(), 1e-3)  # init/update, but no step
    not_an_optimizer = groups.ParamGroups({("W", "U"): penalized, ("b", "c"): optim.Adam()})
    with pytest.raises(ValueError, match="the optimizer of 'W' must be an optim.Optimizer"):
        runs.train([1], START, not_an_optimizer, WORDS, LABELS, 5)
