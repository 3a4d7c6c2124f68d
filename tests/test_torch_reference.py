"""lecnotes against PyTorch's own numbers: the fixtures in tests/fixtures/torch.

``tools/torch_reference.py`` wrote them with PyTorch (the version is in each file's
``meta``); these tests need no torch. The by-hand tests in the other files show how each
formula works; where they and these disagree, these are the authority.

Tolerances: relative 1e-10 for closed forms (schedules, init, activations, one backward
pass) and 1e-8 for multi-step runs (optimizers), each with an absolute floor for entries
near 0, where a relative comparison means nothing. The floors, and why:

- ``OPTIM_ATOL = 1e-12``: parameters are O(1) and each step moves them by lr x O(1); one
  that passes near 0 keeps the ~1e-16 absolute rounding of those O(1) terms.
- ``SCHEDULE_ATOL = 1e-15``: rates are at most 0.5; where a cosine brings one to ~0 it is a
  difference of O(lr) numbers, exact only to ~1e-17.
- ``ACTIVATION_ATOL = 1e-13``: some values and derivatives are differences of O(1) numbers
  (``1 + tanh(u)`` for u << 0 in GELU's tanh form, ``1 - tanh(z)^2``); those carry an
  absolute rounding error of ~1e-15 however small they are.
- ``AUTOGRAD_ATOL = 1e-12``: a gradient entry is a sum of terms up to ~100 in size (scores
  times 100 in a cross-entropy); one that cancels to ~0 keeps ~1e-14 of their rounding.

Every perturbation these tests are meant to catch (a formula, a constant, a convention at a
kink) moves the numbers by far more than these floors: see CONTRIBUTING.md.
"""

import inspect
import json
import math
from pathlib import Path

import numpy as np
import pytest

from lecnotes import (
    activations,
    autograd,
    gradcheck,
    groups,
    init,
    losses,
    mlp,
    optim,
    schedules,
    window,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "torch"
SCRIPT = ROOT / "tools" / "torch_reference.py"

CLOSED_FORM_RTOL, MULTI_STEP_RTOL = 1e-10, 1e-8
OPTIM_ATOL, SCHEDULE_ATOL, ACTIVATION_ATOL, AUTOGRAD_ATOL = 1e-12, 1e-15, 1e-13, 1e-12


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


OPTIM, SCHEDULES, INIT = load("optim.json"), load("schedules.json"), load("init.json")
ACTIVATIONS, AUTOGRAD, ERRORS = load("activations.json"), load("autograd.json"), load("errors.json")

# What each file holds and what each entry carries: test_every_fixture_entry_is_checked
# fails when the script records something these tests do not read.
LAYOUT = {
    "optim.json": (OPTIM, {"defaults", "params0", "gradients", "cases", "sparse_adam", "l2",
                           "fine_tune"}),
    "schedules.json": (SCHEDULES, {"defaults", "cases"}),
    "init.json": (INIT, {"defaults", "fans", "gains", "refused_gain_names", "samples",
                         "filled"}),
    "activations.json": (ACTIVATIONS, {"defaults", "cases", "prelu", "softmax", "at_nan"}),
    "autograd.json": (AUTOGRAD, {"programs", "window", "gradcheck", "at_nan"}),
    "errors.json": (ERRORS, {"cross_entropy", "linear", "window"}),
}  # fmt: skip
ENTRY_KEYS = [
    (OPTIM["cases"], {"optimizer", "options", "trajectory"}),
    (OPTIM["sparse_adam"]["cases"], {"options", "trajectory"}),
    ([OPTIM["sparse_adam"]], {"table0", "batches", "cases"}),
    ([OPTIM["l2"]], {"lr", "lam", "trajectory"}),
    ([OPTIM["fine_tune"]], {"start", "batches", "lr", "decay", "trajectory"}),
    (SCHEDULES["cases"], {"schedule", "rates"}),
    (INIT["fans"], {"shape", "fan_in", "fan_out"}),
    (INIT["gains"], {"nonlinearity", "param", "gain"}),
    (INIT["samples"], {"init", "shape", "args", "seed", "used"}),
    (INIT["filled"], {"init", "shape", "args", "values"}),
    (ACTIVATIONS["cases"], {"activation", "args", "z", "value", "grad"}),
    (ACTIVATIONS["prelu"], {"z", "a", "value", "dz", "da"}),
    (ACTIVATIONS["softmax"], {"z", "axis", "softmax", "log_softmax"}),
    (ACTIVATIONS["at_nan"], {"activation", "args", "z", "value", "grad"}),
    (AUTOGRAD["programs"] + [AUTOGRAD["window"]] + AUTOGRAD["at_nan"],
     {"source", "inputs", "integers", "upstream", "value", "grads"}),
    ([AUTOGRAD["gradcheck"]], {"x", "y", "W", "passed", "value", "grad"}),
    (ERRORS["cross_entropy"], {"rows", "labels", "error", "message"}),
    (ERRORS["linear"], {"input", "weight", "error", "message"}),
    ([ERRORS["window"]], {"vocab", "dim", "W", "word_ids", "error", "message"}),
]  # fmt: skip


def with_nan(values):
    """A fixture's numbers with the string "nan" (JSON has no NaN) read back as NaN."""
    if isinstance(values, dict):
        return {k: with_nan(v) for k, v in values.items()}
    if isinstance(values, list):
        return [with_nan(v) for v in values]
    return math.nan if values == "nan" else values


def close(actual, expected, rtol: float, atol: float, what: str) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
        rtol=rtol, atol=atol, err_msg=what,
    )  # fmt: skip


def public_functions(module) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and not name.startswith("_")
        and value.__module__ == module.__name__
    }  # fmt: skip


def defaults_of(function, names) -> dict:
    parameters = inspect.signature(function).parameters
    found = {n: parameters[n].default for n in names}
    return {n: list(v) if isinstance(v, tuple) else v for n, v in found.items()}


# --- the fixtures themselves ----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LAYOUT))
def test_fixtures_record_where_they_come_from(name):
    meta = LAYOUT[name][0]["meta"]
    assert meta["torch"].startswith("2.13") and meta["dtype"] == "float64"
    assert meta["script"] == "tools/torch_reference.py" and SCRIPT.exists()
    assert set(meta["options"]) == {"seed", "optimizer_steps", "schedule_steps",
                                    "random_programs"}  # fmt: skip


def test_every_fixture_entry_is_checked():
    # Every file holds exactly the sections read below, and every entry exactly the fields
    # its test reads: nothing the script records goes unchecked.
    assert sorted(p.name for p in FIXTURES.glob("*.json")) == sorted(LAYOUT)
    for name, (data, sections) in LAYOUT.items():
        assert set(data) - {"meta"} == sections, name
    for entries, keys in ENTRY_KEYS:
        assert entries and all(set(entry) == keys for entry in entries), keys
    # ... and together they cover every public piece of lecnotes that promises PyTorch's
    # semantics.
    optimizers = {c.__name__ for c in vars(optim).values() if isinstance(c, type)
                  and issubclass(c, optim.Optimizer) and c is not optim.Optimizer}  # fmt: skip
    assert {c["optimizer"] for c in OPTIM["cases"]} | {"SparseAdam"} == optimizers
    assert set(OPTIM["defaults"]) == optimizers
    # (rates evaluates any schedule over steps: not a schedule of its own)
    scheduled = {c["schedule"]["name"] for c in SCHEDULES["cases"]}
    assert scheduled | {"rates"} == public_functions(schedules)
    assert {
        c["schedule"]["args"]["mode"]
        for c in SCHEDULES["cases"]
        if c["schedule"]["name"] == "cyclic"
    } == {"triangular", "triangular2", "exp_range"}
    sampled = {s["init"] for s in INIT["samples"]} | {f["init"] for f in INIT["filled"]}
    assert sampled | set(HE) | {"fans", "calculate_gain", "xavier_std", "kaiming_std"} == (
        public_functions(init)
    )
    assert {c["activation"] for c in ACTIVATIONS["cases"]} == set(activations.ACTIVATIONS)
    assert {c["activation"] for c in ACTIVATIONS["at_nan"]} == {*activations.ACTIVATIONS, "prelu"}


def test_every_optimizer_option_is_exercised():
    # Each option of each optimizer differs from its default in at least one recorded run.
    for name, defaults in OPTIM["defaults"].items():
        cases = OPTIM["sparse_adam"]["cases"] if name == "SparseAdam" else [
            c for c in OPTIM["cases"] if c["optimizer"] == name]  # fmt: skip
        changed = {k for c in cases for k, v in c["options"].items() if v != defaults[k]}
        assert changed == set(defaults), (name, set(defaults) - changed)


def snippet_regions() -> dict[str, list[str]]:
    regions, current = {}, None
    for line in SCRIPT.read_text().splitlines():
        marker = line.strip()
        if marker.startswith("# [/") and marker.endswith("]"):
            assert current == marker[4:-1], f"{marker} closes {current}"
            current = None
        elif marker.startswith("# [") and marker.endswith("]"):
            assert current is None and marker[3:-1] not in regions, marker
            current = marker[3:-1]
            regions[current] = []
        elif current is not None:
            regions[current].append(line)
    assert current is None, f"region {current} is not closed"
    return regions


def test_snippet_regions_fit_a_book_column():
    # The book shows these regions beside the from-scratch code (literalinclude).
    regions = snippet_regions()
    expected = {
        "sgd", "adagrad", "rmsprop", "adam", "adamw", "sparse_adam", "loop", "weight_decay",
        "l2_penalty", "step_decay", "exponential", "exponential_decay", "cyclic", "cosine",
        "cosine_restarts", "linear", "sequential", "xavier_uniform", "xavier_normal",
        "kaiming_uniform", "kaiming_normal", "uniform", "normal", "zeros", "constant_init",
        "calculate_gain", "activations", "derivative", "prelu", "softmax", "cross_entropy",
        "backward", "gradcheck", "fine_tune",
    }  # fmt: skip
    assert set(regions) == expected
    for name, lines in regions.items():
        assert 1 <= len(lines) < 15, name
        assert all(len(line) <= 88 for line in lines), name


# --- optimizers ----------------------------------------------------------------------------


def schedule(spec: dict):
    """The lecnotes schedule a fixture's ``{"name": ..., "args": ...}`` describes."""
    args = dict(spec["args"])
    if spec["name"] == "sequential":
        args["schedules"] = [schedule(part) for part in args["schedules"]]
    return getattr(schedules, spec["name"])(**args)


def optimizer(case: dict) -> optim.Optimizer:
    options = dict(case["options"])
    if isinstance(options["lr"], dict):
        options["lr"] = schedule(options["lr"]["schedule"])
    return getattr(optim, case["optimizer"])(**options)


def case_id(case: dict) -> str:
    options = case["options"]
    scheduled = isinstance(options["lr"], dict)
    lr = options["lr"]["schedule"]["name"] if scheduled else options["lr"]
    return f"{case['optimizer']}-lr={lr}-" + ",".join(
        f"{k}={v}" for k, v in options.items() if k != "lr"
    )


@pytest.mark.parametrize("name", sorted(OPTIM["defaults"]))
def test_optimizer_defaults_are_pytorchs(name):
    cls = getattr(optim, name)
    torch_defaults = OPTIM["defaults"][name]
    assert set(inspect.signature(cls).parameters) == set(torch_defaults)
    assert defaults_of(cls, torch_defaults) == torch_defaults


@pytest.mark.parametrize("case", OPTIM["cases"], ids=case_id)
def test_optimizer_trajectory_matches_pytorch(case):
    opt = optimizer(case)
    params = {name: np.array(value) for name, value in OPTIM["params0"].items()}
    state = opt.init(params)
    for step, (grads, expected) in enumerate(
        zip(OPTIM["gradients"], case["trajectory"], strict=True)
    ):
        # A gradient of None: the parameter had no .grad at that step, so it is left out.
        grads = {name: np.array(g) for name, g in grads.items() if g is not None}
        params, state = opt.update(params, grads, state)
        for name, value in expected.items():
            close(params[name], value, MULTI_STEP_RTOL, OPTIM_ATOL, f"{name} after step {step}")


def row_sparse(batch: dict | None, dim: int) -> dict:
    if batch is None:
        return {}  # the table was not used: no gradient at all
    ids = np.array(batch["ids"], dtype=np.int64)
    return {"table": optim.RowSparse(ids, np.array(batch["values"]).reshape(len(ids), dim))}


@pytest.mark.parametrize("case", OPTIM["sparse_adam"]["cases"], ids=lambda c: str(c["options"]))
def test_sparse_adam_matches_pytorch(case):
    # Rows looked up twice (summed), rows never looked up, steps whose gradient has no row
    # (counted by PyTorch), and steps without a gradient (not counted).
    record = OPTIM["sparse_adam"]
    batches = record["batches"]
    assert any(b is None for b in batches) and any(b and not b["ids"] for b in batches)
    assert any(b and len(set(b["ids"])) < len(b["ids"]) for b in batches)
    opt = optim.SparseAdam(**case["options"])
    table = np.array(record["table0"])
    params = {"table": table}
    state = opt.init(params)
    for step, (batch, expected) in enumerate(zip(batches, case["trajectory"], strict=True)):
        params, state = opt.update(params, row_sparse(batch, table.shape[1]), state)
        close(params["table"], expected, MULTI_STEP_RTOL, OPTIM_ATOL, f"after step {step}")
    untouched = sorted(set(range(len(table))) - {i for b in batches if b for i in b["ids"]})
    assert untouched and np.array_equal(params["table"][untouched], table[untouched])


def test_l2_penalty_is_weight_decay_two_lambda():
    # PyTorch: SGD with weight_decay = 2 lam on the weights (not the biases). lecnotes: the
    # penalty lam * sum(w^2) through regularization.l2_grad, then plain SGD.
    from lecnotes import regularization

    record = OPTIM["l2"]
    opt = optim.SGD(lr=record["lr"])
    params = {name: np.array(value) for name, value in OPTIM["params0"].items()}
    state = opt.init(params)
    for step, (grads, expected) in enumerate(
        zip(OPTIM["gradients"], record["trajectory"], strict=True)
    ):
        penalty = regularization.l2_grad(params, record["lam"])
        grads = {n: np.array(g) + penalty[n] for n, g in grads.items() if g is not None}
        params, state = opt.update(params, grads, state)
        for name, value in expected.items():
            close(params[name], value, MULTI_STEP_RTOL, OPTIM_ATOL, f"{name} after step {step}")


def test_fine_tuning_with_sparse_adam_and_adamw_groups_matches_pytorch():
    # PyTorch: nn.Embedding(sparse=True) under SparseAdam, the Linear layers under AdamW with
    # weight decay on the weights only. lecnotes: window.backward(sparse=True) and ParamGroups.
    record = OPTIM["fine_tune"]
    lr, decay = record["lr"], record["decay"]
    opt = groups.ParamGroups({
        ("E",): optim.SparseAdam(lr=lr),
        ("W", "U"): optim.AdamW(lr=lr, weight_decay=decay),
        ("b", "c"): optim.AdamW(lr=lr, weight_decay=0.0),
    })  # fmt: skip
    params = {name: np.array(value) for name, value in record["start"].items()}
    state = opt.init(params)
    for step, (batch, expected) in enumerate(
        zip(record["batches"], record["trajectory"], strict=True)
    ):
        ids, labels = np.array(batch["ids"]), np.array(batch["labels"])
        _, cache = window.forward(params, ids, labels, "tanh")
        params, state = opt.update(params, window.backward(params, cache, sparse=True), state)
        for name, value in expected.items():
            close(params[name], value, MULTI_STEP_RTOL, OPTIM_ATOL, f"{name} after step {step}")
    never = 6  # a word no batch holds: its row never moved
    assert all(never not in np.ravel(b["ids"]) for b in record["batches"])
    assert params["E"][never].tolist() == record["start"]["E"][never]


# --- schedules -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SCHEDULES["defaults"]))
def test_schedule_defaults_are_pytorchs(name):
    expected = SCHEDULES["defaults"][name]
    assert defaults_of(getattr(schedules, name), expected) == expected


@pytest.mark.parametrize(
    "case", SCHEDULES["cases"], ids=lambda c: f"{c['schedule']['name']}-{c['schedule']['args']}"
)
def test_schedule_matches_pytorch_at_every_step(case):
    rate = schedule(case["schedule"])
    assert len(case["rates"]) == 301  # steps 0 to 300
    actual = [rate(step) for step in range(len(case["rates"]))]
    close(actual, case["rates"], CLOSED_FORM_RTOL, SCHEDULE_ATOL, str(case["schedule"]))
    assert rate(np.int64(7)) == actual[7]  # numpy integers are steps too


# --- init ----------------------------------------------------------------------------------

HE = {  # lecnotes' He initializers are Kaiming's with nonlinearity="relu"
    "he_uniform": ("kaiming_uniform", {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}),
    "he_normal": ("kaiming_normal", {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"}),
}


@pytest.mark.parametrize("name", sorted(INIT["defaults"]))
def test_init_defaults_are_pytorchs(name):
    expected = INIT["defaults"][name]
    functions = [getattr(init, name)]
    functions += {"xavier_normal": [init.xavier_std], "kaiming_normal": [init.kaiming_std]}.get(
        name, []
    )
    for function in functions:
        assert defaults_of(function, expected) == expected, function.__name__


def test_fans_match_pytorch():
    for entry in INIT["fans"]:
        assert init.fans(tuple(entry["shape"])) == (entry["fan_in"], entry["fan_out"])


def test_gains_match_pytorch_and_the_same_names_are_refused():
    for entry in INIT["gains"]:
        gain = init.calculate_gain(entry["nonlinearity"], entry["param"])
        close(gain, entry["gain"], CLOSED_FORM_RTOL, 0.0, str(entry))
    for name in INIT["refused_gain_names"]:
        with pytest.raises(ValueError, match="nonlinearity must be one of"):
            init.calculate_gain(name)


def fit(x: np.ndarray, u: np.ndarray, through_zero: bool) -> tuple[float, float]:
    """``(offset, scale)`` with ``x = offset + scale * u``, checked to 1e-15 (least squares)."""
    x, u = x.ravel(), u.ravel()
    if through_zero:
        offset, scale = 0.0, float(x @ u / (u @ u))
    else:
        du, dx = u - u.mean(), x - x.mean()
        scale = float(du @ dx / (du @ du))
        offset = float(x.mean() - scale * u.mean())
    assert np.abs(x - offset - scale * u).max() <= 1e-15 * np.abs(x).max()
    return offset, scale


def used_by_lecnotes(name: str, shape: tuple, seed: int, args: dict) -> dict:
    """The bound, std or (a, b), (mean, std) a lecnotes sampler used, recovered as PyTorch's
    were: from a sample and the same-seed unit draw of the same generator."""
    sample = getattr(init, name)(np.random.default_rng(seed), shape, **args)
    unit = np.random.default_rng(seed)
    if name == "uniform":
        a, width = fit(sample, unit.uniform(0.0, 1.0, shape), through_zero=False)
        return {"a": a, "b": a + width}
    if name == "normal":
        mean, std = fit(sample, unit.normal(0.0, 1.0, shape), through_zero=False)
        return {"mean": mean, "std": std}
    if name.endswith("uniform"):
        return {"bound": fit(sample, unit.uniform(-1.0, 1.0, shape), through_zero=True)[1]}
    return {"std": fit(sample, unit.normal(0.0, 1.0, shape), through_zero=True)[1]}


@pytest.mark.parametrize(
    "entry", INIT["samples"], ids=lambda e: f"{e['init']}-{e['shape']}-{e['args']}"
)
def test_initializer_uses_pytorchs_bound_or_std(entry):
    name, shape, args = entry["init"], tuple(entry["shape"]), entry["args"]
    used = used_by_lecnotes(name, shape, entry["seed"], args)
    assert set(used) == set(entry["used"])
    for key, value in entry["used"].items():
        close(used[key], value, CLOSED_FORM_RTOL, 0.0, f"{name} {key}")
    # The closed forms behind them, and the He shortcuts for the ReLU cases.
    family = name.split("_")[0]
    if family in ("xavier", "kaiming"):
        std = getattr(init, f"{family}_std")(shape, **args)
        expected = entry["used"].get("std", entry["used"].get("bound", 0.0) / math.sqrt(3.0))
        close(std, expected, CLOSED_FORM_RTOL, 0.0, f"{family}_std")
    for he, (kaiming, he_args) in HE.items():
        if name == kaiming and args == he_args:
            assert used_by_lecnotes(he, shape, entry["seed"], {}) == used, he


def test_he_shortcuts_are_checked():
    checked = {
        he
        for he, (kaiming, args) in HE.items()
        for e in INIT["samples"]
        if e["init"] == kaiming and e["args"] == args
    }
    assert checked == set(HE)  # fmt: skip


def test_zeros_and_constant_match_pytorch():
    for entry in INIT["filled"]:
        values = getattr(init, entry["init"])(tuple(entry["shape"]), **entry["args"])
        assert np.array_equal(values, np.array(entry["values"]))


# --- activations ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(ACTIVATIONS["defaults"]))
def test_activation_defaults_are_pytorchs(name):
    expected = ACTIVATIONS["defaults"][name]
    for function in (getattr(activations, name), getattr(activations, f"{name}_grad")):
        assert defaults_of(function, expected) == expected, function.__name__


@pytest.mark.parametrize(
    "case", ACTIVATIONS["cases"], ids=lambda c: f"{c['activation']}-{c['args']}"
)
def test_activation_and_derivative_match_pytorch(case):
    # Random points, large ones, and the kinks (0, min_val/max_val, the softplus threshold,
    # each also one ulp to either side).
    z, args, name = np.array(case["z"]), case["args"], case["activation"]
    close(getattr(activations, name)(z, **args), case["value"], CLOSED_FORM_RTOL,
          ACTIVATION_ATOL, f"{name}{args}")  # fmt: skip
    close(getattr(activations, f"{name}_grad")(z, **args), case["grad"], CLOSED_FORM_RTOL,
          ACTIVATION_ATOL, f"{name}_grad{args}")  # fmt: skip


def test_prelu_matches_pytorch():
    for case in ACTIVATIONS["prelu"]:
        z, a = np.array(case["z"]), np.array(case["a"])
        close(activations.prelu(z, a), case["value"], CLOSED_FORM_RTOL, ACTIVATION_ATOL, "prelu")
        dz, da = activations.prelu_grad(z, a)
        close(dz, case["dz"], CLOSED_FORM_RTOL, ACTIVATION_ATOL, "prelu dz")
        # PyTorch's weight.grad sums df/da over the positions that share each slope.
        da = np.broadcast_to(da, z.shape).reshape(-1, len(a)).sum(axis=0)
        close(da, case["da"], CLOSED_FORM_RTOL, ACTIVATION_ATOL, "prelu da")


def test_softmax_and_log_softmax_match_pytorch():
    for case in ACTIVATIONS["softmax"]:
        z, axis = np.array(case["z"]), case["axis"]
        for name in ("softmax", "log_softmax"):
            actual = getattr(losses, name)(z, axis=axis)
            close(actual, case[name], CLOSED_FORM_RTOL, ACTIVATION_ATOL, f"{name} axis {axis}")


@pytest.mark.parametrize(
    "case", ACTIVATIONS["at_nan"], ids=lambda c: f"{c['activation']}-{c['args']}"
)
def test_activations_at_nan_match_pytorch(case):
    # NaN, then -1, 0, 1: ReLU and hard tanh pass the gradient through NaN, leaky ReLU and
    # PReLU give their slope, the smooth ones NaN; every value is NaN (close() treats NaN
    # as equal to NaN). local_grad, the derivative backward passes use, agrees.
    z, name, args = np.array(with_nan(case["z"])), case["activation"], case["args"]
    if name == "prelu":
        value, grad = activations.prelu(z, args["a"]), activations.prelu_grad(z, args["a"])[0]
    else:
        value, grad = (
            getattr(activations, name)(z, **args),
            getattr(activations, f"{name}_grad")(z, **args),
        )
        if defaults_of(getattr(activations, name), args) == args:  # the table's Activation
            act = activations.get(name)
            close(act.local_grad(z, act.f(z)), with_nan(case["grad"]), CLOSED_FORM_RTOL,
                  ACTIVATION_ATOL, f"{name} local_grad")  # fmt: skip
    assert np.isnan(value[0])
    close(value, with_nan(case["value"]), CLOSED_FORM_RTOL, ACTIVATION_ATOL, name)
    close(grad, with_nan(case["grad"]), CLOSED_FORM_RTOL, ACTIVATION_ATOL, f"{name}_grad")


# --- autograd ------------------------------------------------------------------------------


def run_program(program: dict) -> tuple[autograd.Tensor, dict]:
    """Evaluate a program's source on lecnotes Tensors, then backpropagate."""
    leaves = {
        k: autograd.Tensor(np.array(with_nan(v), dtype=float)) for k, v in program["inputs"].items()
    }
    namespace = {
        "__builtins__": {},
        "maximum": autograd.maximum,
        "cross_entropy": autograd.cross_entropy,
        **leaves,
        **{k: np.asarray(v) for k, v in program["integers"].items()},
    }
    out = eval(program["source"], namespace)  # source from our fixture, run by torch too
    upstream = program["upstream"]
    out.backward(None if upstream is None else np.array(upstream))
    return out, leaves


@pytest.mark.parametrize(
    "program", AUTOGRAD["programs"] + [AUTOGRAD["window"]], ids=lambda p: p["source"]
)
def test_autograd_gradients_match_pytorch(program):
    out, leaves = run_program(program)
    close(out.data, program["value"], CLOSED_FORM_RTOL, AUTOGRAD_ATOL, "value")
    assert set(leaves) == set(program["grads"])
    for name, leaf in leaves.items():
        close(leaf.grad, program["grads"][name], CLOSED_FORM_RTOL, AUTOGRAD_ATOL, name)


@pytest.mark.parametrize("program", AUTOGRAD["at_nan"], ids=lambda p: p["source"])
def test_autograd_at_nan_matches_pytorch(program):
    # relu and maximum send the whole gradient where an input is NaN, as PyTorch does.
    with np.errstate(invalid="ignore"):
        out, leaves = run_program(program)
    assert np.isnan(out.data) and program["value"] == "nan"
    for name, leaf in leaves.items():
        close(leaf.grad, with_nan(program["grads"][name]), CLOSED_FORM_RTOL, AUTOGRAD_ATOL, name)


def test_autograd_programs_cover_the_conventions():
    sources = " ".join(p["source"] for p in AUTOGRAD["programs"])
    for piece in ("maximum(a, b)", "maximum(a, a)", ".relu()", "** 0", "E[ids]",
                  "cross_entropy", "keepdims=True", ".T", ".reshape(", "@"):  # fmt: skip
        assert piece in sources, piece
    assert sum(p["upstream"] is not None for p in AUTOGRAD["programs"]) >= 2


def test_gradcheck_agrees_with_pytorchs():
    # torch.autograd.gradcheck passed on this float64 loss; so must lecnotes.gradcheck, on
    # the gradient lecnotes' autograd computes (which must be PyTorch's).
    record = AUTOGRAD["gradcheck"]
    x, y = np.array(record["x"]), np.array(record["y"])

    def loss(W):  # noqa: N803 - the lecture's name
        return autograd.cross_entropy(autograd.Tensor(x) @ W.T, y)

    W = autograd.Tensor(np.array(record["W"]))  # noqa: N806
    value = loss(W)
    value.backward()
    close(value.data, record["value"], CLOSED_FORM_RTOL, AUTOGRAD_ATOL, "loss")
    close(W.grad, record["grad"], CLOSED_FORM_RTOL, AUTOGRAD_ATOL, "dloss/dW")
    report = gradcheck.check(lambda w: float(loss(autograd.Tensor(w)).data), W.data, W.grad)
    assert record["passed"] is True and report.ok, str(report)


# --- bad input: refused as PyTorch refuses it ---------------------------------------------


@pytest.mark.parametrize(
    "case", ERRORS["cross_entropy"], ids=lambda c: f"{c['rows']} rows, {c['labels']} labels"
)
def test_a_label_count_other_than_the_batch_size_is_refused_as_by_pytorch(case):
    # PyTorch: ValueError naming both batch sizes. Every cross-entropy of lecnotes (the one in
    # losses, through autograd, mlp and window) raises ValueError naming both too.
    rows, count = case["rows"], case["labels"]
    assert case["error"] == "ValueError"
    assert f"({rows})" in case["message"] and f"({count})" in case["message"]
    scores, labels = np.zeros((rows, 3)), np.zeros(count, dtype=int)
    net = {"W1": np.zeros((3, 2)), "b1": np.zeros(3)}
    params = window.init(np.random.default_rng(0), vocab=4, dim=2, classes=3, window=1)
    for call in (
        lambda: losses.cross_entropy(scores, labels),
        lambda: autograd.cross_entropy(autograd.Tensor(scores), labels),
        lambda: mlp.loss(net, np.zeros((rows, 2)), labels),
        lambda: mlp.train(net, np.zeros((rows, 2)), labels, steps=1),
        lambda: window.forward(params, np.zeros((rows, 1), dtype=int), labels),
    ):
        with pytest.raises(ValueError, match=rf"has shape \({count},\), but .* \({rows},\)"):
            call()


@pytest.mark.parametrize("case", ERRORS["linear"], ids=lambda c: f"{c['input']} @ {c['weight']}")
def test_an_input_of_the_wrong_width_is_refused_as_by_pytorch(case):
    # PyTorch: RuntimeError "mat1 and mat2 shapes cannot be multiplied (5x3 and 2x8)".
    # lecnotes: its one error type, ValueError, naming the input, the width it needs and the
    # shapes PyTorch names.
    (n, width), (fan_out, fan_in) = case["input"], case["weight"]
    assert case["error"] == "RuntimeError"
    assert f"({n}x{width} and {fan_in}x{fan_out})" in case["message"]
    net = {"W1": np.zeros((fan_out, fan_in)), "b1": np.zeros(fan_out)}
    message = (
        rf"X must have {fan_in} columns \(W1 has shape \({fan_out}, {fan_in}\)\), "
        rf"got shape \({n}, {width}\)"
    )
    with pytest.raises(ValueError, match=message):
        mlp.forward(net, np.zeros((n, width)))


def test_windows_of_the_wrong_length_are_refused_as_by_pytorch():
    case = ERRORS["window"]
    (hidden, width), (batch, words), dim = case["W"], case["word_ids"], case["dim"]
    assert case["error"] == "RuntimeError"
    assert f"({batch}x{words * dim} and {width}x{hidden})" in case["message"]
    params = window.init(np.random.default_rng(0), vocab=case["vocab"], dim=dim, hidden=hidden,
                         window=width // dim)  # fmt: skip
    assert params["W"].shape == (hidden, width)
    message = rf"word_ids must have {width // dim} columns .* got shape \({batch}, {words}\)"
    with pytest.raises(ValueError, match=message):
        window.forward(params, np.zeros((batch, words), dtype=int), np.zeros(batch, dtype=int))
