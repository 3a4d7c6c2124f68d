"""groups: optimizers side by side, each on its own parameters (PyTorch's parameter groups)."""

import numpy as np
import pytest

from lecnotes import groups, optim, regularization, schedules

PARAMS = {
    "E": np.arange(8.0).reshape(4, 2),
    "W": np.array([[1.0, -2.0], [0.5, 0.25]]),
    "b": np.array([0.3, -0.1]),
}


def grads_at(step):
    rng = np.random.default_rng(step)
    rows = np.array([step % 4, (step + 2) % 4, step % 4])  # a row twice
    return {
        "E": optim.RowSparse(rows, rng.normal(size=(3, 2))),
        "W": rng.normal(size=(2, 2)),
        "b": rng.normal(size=2),
    }


def test_each_group_steps_as_its_own_optimizer():
    def three():
        return optim.SparseAdam(lr=0.1), optim.AdamW(lr=0.1, weight_decay=0.5), optim.Adam(lr=0.1)

    table, weights, biases = three()
    opt = groups.ParamGroups({("E",): table, ("W",): weights, ("b",): biases})
    params, state = PARAMS, opt.init(PARAMS)
    table, weights, biases = three()
    alone = {n: {n: PARAMS[n]} for n in PARAMS}
    states = {"E": table.init(alone["E"]), "W": weights.init(alone["W"])}
    states["b"] = biases.init(alone["b"])
    for step in range(5):
        g = grads_at(step)
        params, state = opt.update(params, g, state)
        for name, o in (("E", table), ("W", weights), ("b", biases)):
            alone[name], states[name] = o.update(alone[name], {name: g[name]}, states[name])
    for name in PARAMS:
        np.testing.assert_array_equal(params[name], alone[name][name])
        assert not np.array_equal(params[name], PARAMS[name])


def test_adamw_without_decay_in_one_group_is_adamw_with_per_group_decay():
    # PyTorch: AdamW([{"params": [W], "weight_decay": 0.5}, {"params": [b], "weight_decay": 0}])
    opt = groups.ParamGroups(
        {
            ("W",): optim.AdamW(lr=0.1, weight_decay=0.5),
            ("b",): optim.AdamW(lr=0.1, weight_decay=0.0),
        }
    )
    plain = optim.Adam(lr=0.1)
    dense = {k: v for k, v in PARAMS.items() if k != "E"}
    params, state = dense, opt.init(dense)
    b, b_state = {"b": dense["b"]}, plain.init({"b": dense["b"]})
    for step in range(5):
        g = {k: v for k, v in grads_at(step).items() if k != "E"}
        params, state = opt.update(params, g, state)
        b, b_state = plain.update(b, {"b": g["b"]}, b_state)
    np.testing.assert_array_equal(params["b"], b["b"])


def test_every_group_counts_every_update_and_missing_gradients_leave_parameters():
    rate = schedules.step_decay(1.0, step_size=1, gamma=0.5)  # 1, 0.5, 0.25, ...
    opt = groups.ParamGroups({("W",): optim.SGD(lr=rate), ("b",): optim.SGD(lr=rate)})
    dense = {"W": PARAMS["W"], "b": PARAMS["b"]}
    params, state = dense, opt.init(dense)
    for _ in range(3):  # b gets no gradient: unchanged, but its schedule moves on
        params, state = opt.update(params, {"W": np.ones((2, 2))}, state)
    np.testing.assert_array_equal(params["b"], dense["b"])
    params, state = opt.update(params, {"b": np.ones(2)}, state)
    np.testing.assert_allclose(params["b"], dense["b"] - 0.125)  # the rate of update 3
    np.testing.assert_allclose(params["W"], dense["W"] - 1.75)


def test_update_is_pure_and_composes_with_an_l2_penalty():
    inner = regularization.WithL2(optim.SGD(lr=0.1), lam=0.5, include=("W",))
    opt = groups.ParamGroups({("E",): optim.SparseAdam(lr=0.1), ("W", "b"): inner})
    before = {k: v.copy() for k, v in PARAMS.items()}
    g = grads_at(1)
    params, state = opt.update(PARAMS, g, opt.init(PARAMS))
    for name in PARAMS:
        np.testing.assert_array_equal(PARAMS[name], before[name])
    expected = PARAMS["W"] - 0.1 * (g["W"] + 2 * 0.5 * PARAMS["W"])
    np.testing.assert_allclose(params["W"], expected)
    np.testing.assert_allclose(params["b"], PARAMS["b"] - 0.1 * g["b"])
    assert state["groups"][0]["step"] == state["groups"][1]["step"] == 1


def test_bad_groups_and_gradients_are_refused():
    with pytest.raises(ValueError, match="groups must be a non-empty dict"):
        groups.ParamGroups({})
    with pytest.raises(ValueError, match=r"groups put 'W' in two groups"):
        groups.ParamGroups({("W",): optim.SGD(), ("W", "b"): optim.SGD()})
    with pytest.raises(ValueError, match=r"groups\[\('W',\)\] must be an optimizer"):
        groups.ParamGroups({("W",): 0.1})
    with pytest.raises(ValueError, match="groups key must hold at least 1 entries"):
        groups.ParamGroups({(): optim.SGD()})
    opt = groups.ParamGroups({("W", "V"): optim.SGD()})
    with pytest.raises(ValueError, match=r"groups names unknown parameters \['V'\]"):
        opt.init(PARAMS)
    opt = groups.ParamGroups({("W",): optim.SGD()})
    with pytest.raises(ValueError, match=r"grads names parameters \['b'\] that no group holds"):
        opt.update(PARAMS, {"W": np.ones((2, 2)), "b": np.ones(2)}, opt.init(PARAMS))
    dense_only = groups.ParamGroups({("E",): optim.Adam()})
    with pytest.raises(ValueError, match=r"grads\['E'\] is row-sparse; Adam takes dense"):
        dense_only.update(PARAMS, {"E": grads_at(0)["E"]}, dense_only.init(PARAMS))
