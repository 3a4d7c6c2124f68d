"""PyTorch's own numbers for the tests of ``lecnotes``, and the book's "In PyTorch" snippets.

``lecnotes`` promises the semantics of ``torch.optim``, ``torch.optim.lr_scheduler``,
``torch.nn.init``, ``torch.nn.functional`` and autograd. This script asks PyTorch itself, in
float64, and writes what it answers to ``tests/fixtures/torch/*.json``, which
``tests/test_torch_reference.py`` compares with ``lecnotes`` (without torch):

- ``optim.json``: every optimizer and option over 30 steps of fixed pseudo-random gradients
  (stored), SparseAdam on an embedding table, optimizers driven by schedulers, L2 as
  ``weight_decay``, the window classifier fine-tuned by SparseAdam beside AdamW's
  parameter groups; the constructors' defaults.
- ``schedules.json``: every scheduler's rate at steps 0-300; the defaults.
- ``init.json``: fans, gains, and the bound or standard deviation each initializer used.
- ``activations.json``: values and autograd derivatives at random points, at the kinks and
  at NaN.
- ``autograd.json``: gradients of programs written once and run by both (broadcasting,
  repeated gathers, ties, kinks, NaN); a ``gradcheck``.
- ``errors.json``: how PyTorch answers input that ``lecnotes`` must refuse too (a label count
  other than the batch size, an input of the wrong width).

NaN has no JSON spelling: it is written as the string ``"nan"`` (see :func:`nan_as_text`).

Run it in a virtual environment outside the repository; PyTorch is not a dependency of the
book or of ``make test``::

    python3 -m venv ../torch-venv
    ../torch-venv/bin/pip install torch==2.13.0 numpy  # pinned: plain torch can be CUDA
    ../torch-venv/bin/python tools/torch_reference.py          # rewrites the fixtures
    ../torch-venv/bin/python tools/torch_reference.py --check  # compares, writes nothing

Snippets: the book shows the code between a line ``# [name]`` and the next ``# [/name]``
beside the piece of ``lecnotes`` it stands for (Sphinx ``literalinclude`` with
``:start-after: # [name]`` and ``:end-before: # [/name]``). That code is what produced the
numbers, so keep each region short (< 15 lines), idiomatic, and within 88 columns
(``tests/test_torch_reference.py`` checks).
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import json
import math
import random
import sys
from pathlib import Path

import torch
import torch.nn.functional as F  # noqa: N812 - PyTorch's own idiom
from torch.optim.optimizer import register_optimizer_step_post_hook

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "torch"
OPTIONS = {"seed": 0, "optimizer_steps": 30, "schedule_steps": 300, "random_programs": 120}


def tensor(values) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def randn(gen: torch.Generator, *shape, scale: float = 1.0) -> torch.Tensor:
    return scale * torch.randn(shape, generator=gen, dtype=torch.float64)


def signature_defaults(function, names) -> dict:
    """The defaults of ``function``'s parameters ``names`` (tuples become lists)."""
    parameters = inspect.signature(function).parameters
    found = {n: parameters[n].default for n in names}
    return {n: list(v) if isinstance(v, tuple) else v for n, v in found.items()}


# --- optimizers ----------------------------------------------------------------------------
# One factory per optimizer: lecnotes.optim.X(**options) <-> torch.optim.X(params, **options).


def sgd(params, lr, momentum, dampening, nesterov, weight_decay):
    # [sgd]
    optimizer = torch.optim.SGD(
        params,
        lr=lr,
        momentum=momentum,
        dampening=dampening,
        nesterov=nesterov,
        weight_decay=weight_decay,
    )
    # [/sgd]
    return optimizer


def adagrad(params, lr, lr_decay, weight_decay, initial_accumulator_value, eps):
    # [adagrad]
    optimizer = torch.optim.Adagrad(
        params,
        lr=lr,
        lr_decay=lr_decay,
        weight_decay=weight_decay,
        initial_accumulator_value=initial_accumulator_value,
        eps=eps,
    )
    # [/adagrad]
    return optimizer


def rmsprop(params, lr, alpha, eps, weight_decay, momentum, centered):
    # [rmsprop]
    optimizer = torch.optim.RMSprop(
        params,
        lr=lr,
        alpha=alpha,
        eps=eps,
        weight_decay=weight_decay,
        momentum=momentum,
        centered=centered,
    )
    # [/rmsprop]
    return optimizer


def adam(params, lr, betas, eps, weight_decay, amsgrad):
    # [adam]
    optimizer = torch.optim.Adam(
        params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
    )
    # [/adam]
    return optimizer


def adamw(params, lr, betas, eps, weight_decay, amsgrad):
    # [adamw]
    optimizer = torch.optim.AdamW(  # weight decay decoupled from the gradient
        params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad
    )
    # [/adamw]
    return optimizer


OPTIMIZERS = {
    "SGD": (torch.optim.SGD, sgd),
    "Adagrad": (torch.optim.Adagrad, adagrad),
    "RMSprop": (torch.optim.RMSprop, rmsprop),
    "Adam": (torch.optim.Adam, adam),
    "AdamW": (torch.optim.AdamW, adamw),
}

# (optimizer, options that differ from PyTorch's defaults): every option, alone and mixed.
# Some eps are large so that where eps enters the formula shows in the numbers.
OPTIMIZER_CASES = [
    ("SGD", {}),
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True}),
    ("SGD", {"lr": 0.1, "weight_decay": 0.05}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05}),
    ("Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5}),
    ("Adagrad", {"lr": 0.1, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.02,
                 "initial_accumulator_value": 0.1, "eps": 1e-3}),
    ("RMSprop", {}),
    ("RMSprop", {"alpha": 0.9}),
    ("RMSprop", {"centered": True}),
    ("RMSprop", {"momentum": 0.9}),
    ("RMSprop", {"lr": 0.005, "alpha": 0.95, "eps": 1e-3, "weight_decay": 0.1,
                 "momentum": 0.5, "centered": True}),
    ("Adam", {}),
    ("Adam", {"lr": 0.05, "amsgrad": True}),
    ("Adam", {"lr": 0.05, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-3}),
    ("Adam", {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-4, "weight_decay": 0.1,
              "amsgrad": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.05, "weight_decay": 0.1}),
    ("AdamW", {"lr": 0.05, "betas": (0.7, 0.95), "eps": 1e-3, "weight_decay": 0.5,
               "amsgrad": True}),
]  # fmt: skip

# Optimizers whose rate follows a schedule (lecnotes: lr=<schedule>); see SCHEDULERS.
SCHEDULED_CASES = [
    ("SGD", {"momentum": 0.9}, {"name": "sequential", "args": {
        "schedules": [
            {"name": "linear", "args": {"lr": 0.1, "start_factor": 0.1, "end_factor": 1.0,
                                        "total_iters": 8}},
            {"name": "cosine", "args": {"lr": 0.1, "T_max": 22, "eta_min": 0.001}}],
        "milestones": [8]}}),
    ("Adam", {"amsgrad": True}, {"name": "step_decay", "args": {
        "lr": 0.05, "step_size": 7, "gamma": 0.5}}),
    ("RMSprop", {"centered": True}, {"name": "cyclic", "args": {
        "base_lr": 0.001, "max_lr": 0.02, "step_size_up": 5, "step_size_down": 9,
        "mode": "triangular2", "gamma": 1.0}}),
]  # fmt: skip


@contextlib.contextmanager
def recording():
    """A list that receives the parameters after every ``optimizer.step()`` in the block."""
    history = []

    def hook(optimizer, args, kwargs):
        groups = optimizer.param_groups
        history.append([p.detach().tolist() for group in groups for p in group["params"]])

    handle = register_optimizer_step_post_hook(hook)
    try:
        yield history
    finally:
        handle.remove()


def train(optimizer, params, gradients, scheduler=None):
    """Run the loop on gradients given per step (one gradient or None per parameter)."""
    # [loop]
    for grads in gradients:  # each step: one fixed gradient per parameter, or None
        optimizer.zero_grad()
        used = [(p, g) for p, g in zip(params, grads, strict=True) if g is not None]
        loss = sum((p * g).sum() for p, g in used)  # d loss / d p = g
        loss.backward()  # a parameter not in the loss keeps grad None: not updated
        optimizer.step()
        if scheduler is not None:
            scheduler.step()  # after optimizer.step(): the rate for the next step
    # [/loop]


def fresh(values: dict) -> list[torch.Tensor]:
    return [tensor(v).requires_grad_() for v in values.values()]


def optimizer_run(name, options, params0, gradients, schedule=None):
    cls, factory = OPTIMIZERS[name]
    options = {**optimizer_defaults(name, cls), **options}
    if schedule is not None:
        options["lr"] = schedule_start(schedule)
    params = fresh(params0)
    optimizer = factory(params, **options)
    scheduler = make_scheduler(optimizer, schedule) if schedule else None
    grads = [[None if g is None else tensor(g) for g in step.values()] for step in gradients]
    with recording() as history:
        train(optimizer, params, grads, scheduler)
    assert len(history) == len(gradients)
    if schedule is not None:
        options["lr"] = {"schedule": schedule}
    return {
        "optimizer": name,
        "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
        "trajectory": [dict(zip(params0, step, strict=True)) for step in history],
    }


def optimizer_defaults(name, cls=None) -> dict:
    cls = cls or OPTIMIZERS[name][0]
    names = list(inspect.signature(OPTIMIZERS[name][1]).parameters)[1:]
    return signature_defaults(cls, names)


def sparse_adam_run(table0, batches, lr, betas, eps):
    weights, dim = tensor(table0), len(table0[0])
    batches = [
        None if b is None else (torch.tensor(b["ids"], dtype=torch.long),
                                tensor(b["values"]).reshape(len(b["ids"]), dim))
        for b in batches
    ]  # fmt: skip
    with recording() as history:
        run_sparse_adam(weights, batches, lr, betas, eps)
    return [step[0] for step in history]


def run_sparse_adam(weights, batches, lr, betas, eps):
    # [sparse_adam]
    table = torch.nn.Embedding.from_pretrained(weights, freeze=False, sparse=True)
    optimizer = torch.optim.SparseAdam(table.parameters(), lr=lr, betas=betas, eps=eps)
    for batch in batches:  # the rows looked up at each step, and their gradients
        optimizer.zero_grad()
        if batch is not None:  # None: the table is not used at this step
            ids, values = batch
            loss = (table(ids) * values).sum()  # d loss / d table[ids[k]] = values[k]
            loss.backward()  # a sparse gradient: the rows in ids (repeats are summed)
        optimizer.step()
    # [/sparse_adam]


def fine_tune_run(gen: torch.Generator, steps: int) -> dict:
    """The window classifier fine-tuned: SparseAdam for the table, AdamW with two groups."""
    vocab, dim, hidden_size, batch = 7, 2, 3, 4
    E, W, b = randn(gen, vocab, dim), randn(gen, hidden_size, 5 * dim), randn(gen, hidden_size)
    U, c = randn(gen, 2, hidden_size), randn(gen, 2)
    start = {"E": E, "W": W, "b": b, "U": U, "c": c}
    batches = [  # word 6 never occurs: its row must never move
        (torch.randint(0, vocab - 1, (batch, 5), generator=gen),
         torch.randint(0, 2, (batch,), generator=gen))
        for _ in range(steps)
    ]  # fmt: skip
    table = torch.nn.Embedding.from_pretrained(E.clone(), freeze=False, sparse=True)
    hidden, out = torch.nn.Linear(5 * dim, hidden_size), torch.nn.Linear(hidden_size, 2)
    with torch.no_grad():
        for param, value in ((hidden.weight, W), (hidden.bias, b), (out.weight, U), (out.bias, c)):
            param.copy_(value)
    lr, decay = 0.05, 0.5
    with recording() as history:
        fine_tune(table, hidden, out, batches, lr, decay)
    names = ["E", "W", "U", "b", "c"]  # the order of the optimizers' parameters
    return {
        "start": {k: v.tolist() for k, v in start.items()},
        "batches": [{"ids": ids.tolist(), "labels": y.tolist()} for ids, y in batches],
        "lr": lr,
        "decay": decay,
        "trajectory": [  # after each step: each optimizer records once; keep the last
            dict(zip(names, history[2 * k][:1] + history[2 * k + 1], strict=True))
            for k in range(steps)
        ],
    }


def fine_tune(table, hidden, out, batches, lr, decay):
    # [fine_tune]
    weights, biases = [hidden.weight, out.weight], [hidden.bias, out.bias]
    groups = [{"params": weights, "weight_decay": decay}, {"params": biases}]
    optimizers = [
        torch.optim.SparseAdam(table.parameters(), lr=lr),  # the rows looked up only
        torch.optim.AdamW(groups, lr=lr, weight_decay=0.0),  # decay: the weights only
    ]
    for ids, labels in batches:  # ids: (B, 5), the word ids of B windows
        scores = out(torch.tanh(hidden(table(ids).flatten(1))))
        loss = F.cross_entropy(scores, labels)
        for optimizer in optimizers:
            optimizer.zero_grad()
        loss.backward()  # table.weight.grad is sparse: the rows of ids
        for optimizer in optimizers:
            optimizer.step()
    # [/fine_tune]


def l2_run(params0, gradients, lr, lam):
    """SGD with weight_decay = 2 lam on the weights equals the penalty lam sum(w^2)."""
    w, b = fresh(params0)
    # [weight_decay]
    # the book's penalty lam * sum(w ** 2) adds 2 * lam * w to the gradient
    optimizer = torch.optim.SGD(
        [
            {"params": [w], "weight_decay": 2 * lam},  # weights: decayed
            {"params": [b], "weight_decay": 0.0},  # biases: not penalized
        ],
        lr=lr,
    )
    # [/weight_decay]
    grads = [[tensor(s["w"]), None if s["b"] is None else tensor(s["b"])] for s in gradients]
    with recording() as history:
        train(optimizer, [w, b], grads)
    # The same steps with the penalty written into the loss.
    w, b = fresh(params0)
    optimizer = torch.optim.SGD([w, b], lr=lr)
    for (gw, gb), expected in zip(grads, history, strict=True):
        optimizer.zero_grad()
        loss = (w * gw).sum() + (0 if gb is None else (b * gb).sum())
        # [l2_penalty]
        loss = loss + lam * (w**2).sum()  # the same steps as weight_decay=2 * lam
        # [/l2_penalty]
        loss.backward()
        optimizer.step()
        assert torch.allclose(w, tensor(expected[0]), rtol=1e-14, atol=1e-15)
    return {
        "lr": lr,
        "lam": lam,
        "trajectory": [dict(zip(params0, s, strict=True)) for s in history],
    }


def optim_fixture(gen: torch.Generator, steps: int) -> dict:
    params0 = {"w": randn(gen, 2, 3).tolist(), "b": randn(gen, 3).tolist()}
    gradients = []
    for step in range(steps):
        scale = 10 ** (-2 * torch.rand((), generator=gen).item())  # 0.01 to 1
        g = {"w": randn(gen, 2, 3, scale=scale).tolist(), "b": randn(gen, 3).tolist()}
        if step % 4 == 3:
            g["b"] = None  # b gets no gradient: PyTorch skips it (and its step count)
        gradients.append(g)
    cases = [optimizer_run(n, o, params0, gradients) for n, o in OPTIMIZER_CASES]
    cases += [optimizer_run(n, o, params0, gradients, s) for n, o, s in SCHEDULED_CASES]

    rows, dim = 6, 2
    table0 = randn(gen, rows, dim).tolist()
    batches = []
    for step in range(steps):
        if step % 7 == 5:
            batches.append(None)  # table not used: no gradient, no step counted
            continue
        count = 0 if step % 5 == 2 else 1 + step % 4  # some steps: an empty gradient
        ids = torch.randint(0, rows - 1, (count,), generator=gen).tolist()  # row 5: never
        if count >= 2:
            ids[-1] = ids[0]  # a row looked up twice
        batches.append({"ids": ids, "values": randn(gen, count, dim).tolist()})
    sparse_defaults = signature_defaults(torch.optim.SparseAdam, ["lr", "betas", "eps"])
    sparse_cases = []
    for options in ({}, {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-3}):
        options = {**sparse_defaults, **options}
        sparse_cases.append(
            {
                "options": {k: list(v) if isinstance(v, tuple) else v for k, v in options.items()},
                "trajectory": sparse_adam_run(table0, batches, **options),
            }
        )

    defaults = {name: optimizer_defaults(name) for name in OPTIMIZERS}
    defaults["SparseAdam"] = sparse_defaults
    return {
        "defaults": defaults,
        "params0": params0,
        "gradients": gradients,
        "cases": cases,
        "sparse_adam": {"table0": table0, "batches": batches, "cases": sparse_cases},
        "l2": l2_run(params0, gradients, lr=0.1, lam=0.05),
        # its own generator, so that the fixtures drawn after this one stay as they were
        "fine_tune": fine_tune_run(torch.Generator().manual_seed(OPTIONS["seed"]), steps=6),
    }


# --- schedules -----------------------------------------------------------------------------
# lecnotes.schedules.X(lr, **args) <-> torch.optim.lr_scheduler on an optimizer made with lr.

LRS = torch.optim.lr_scheduler


def constant(optimizer):
    return None  # no scheduler: every step uses the optimizer's lr


def step_decay(optimizer, step_size, gamma):
    # [step_decay]
    scheduler = torch.optim.lr_scheduler.StepLR(
        optimizer,
        step_size=step_size,
        gamma=gamma,
    )
    # [/step_decay]
    return scheduler


def exponential(optimizer, gamma):
    # [exponential]
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
    # [/exponential]
    return scheduler


def exponential_decay(optimizer, k):
    # [exponential_decay]
    # the lecture's lr_0 e^(-k t): ExponentialLR with gamma = e^(-k)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=math.exp(-k))
    # [/exponential_decay]
    return scheduler


def cyclic(optimizer, base_lr, max_lr, step_size_up, step_size_down, mode, gamma):
    # [cyclic]
    scheduler = torch.optim.lr_scheduler.CyclicLR(
        optimizer,
        base_lr=base_lr,
        max_lr=max_lr,
        step_size_up=step_size_up,
        step_size_down=step_size_down,
        mode=mode,
        gamma=gamma,
        cycle_momentum=False,  # cycle the rate only (lecnotes schedules are rates)
    )
    # [/cyclic]
    return scheduler


def cosine(optimizer, T_max, eta_min):  # noqa: N803 - PyTorch's names
    # [cosine]
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer,
        T_max=T_max,
        eta_min=eta_min,
    )
    # [/cosine]
    return scheduler


def cosine_restarts(optimizer, T_0, T_mult, eta_min):  # noqa: N803 - PyTorch's names
    # [cosine_restarts]
    scheduler = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        optimizer, T_0=T_0, T_mult=T_mult, eta_min=eta_min
    )
    # [/cosine_restarts]
    return scheduler


def linear(optimizer, start_factor, end_factor, total_iters):
    # [linear]
    scheduler = torch.optim.lr_scheduler.LinearLR(
        optimizer,
        start_factor=start_factor,
        end_factor=end_factor,
        total_iters=total_iters,
    )
    # [/linear]
    return scheduler


def sequential(optimizer, schedules, milestones):
    parts = [make_scheduler(optimizer, part) for part in schedules]  # on the same optimizer
    # [sequential]
    # parts: e.g. [LinearLR(optimizer, ...), CosineAnnealingLR(optimizer, ...)]
    scheduler = torch.optim.lr_scheduler.SequentialLR(
        optimizer, schedulers=parts, milestones=milestones
    )
    # [/sequential]
    return scheduler


SCHEDULERS = {
    "constant": (None, constant),
    "step_decay": (LRS.StepLR, step_decay),
    "exponential": (LRS.ExponentialLR, exponential),
    "exponential_decay": (LRS.ExponentialLR, exponential_decay),
    "cyclic": (LRS.CyclicLR, cyclic),
    "cosine": (LRS.CosineAnnealingLR, cosine),
    "cosine_restarts": (LRS.CosineAnnealingWarmRestarts, cosine_restarts),
    "linear": (LRS.LinearLR, linear),
    "sequential": (LRS.SequentialLR, sequential),
}


def schedule_start(spec) -> float:
    """The optimizer's lr for a schedule: its ``lr`` (CyclicLR: ``base_lr``)."""
    args = spec["args"]
    if spec["name"] == "sequential":
        rates = {schedule_start(part) for part in args["schedules"]}
        assert len(rates) == 1, "SequentialLR's parts share the optimizer's lr"
        return rates.pop()
    return args["lr"] if "lr" in args else args["base_lr"]


def make_scheduler(optimizer, spec):
    args = {k: v for k, v in spec["args"].items() if k != "lr"}
    return SCHEDULERS[spec["name"]][1](optimizer, **args)


def rates(spec, steps: int) -> list[float]:
    """The rate of optimizer steps 0, 1, ..., steps under the scheduler of ``spec``."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=schedule_start(spec))
    scheduler = make_scheduler(optimizer, spec)
    out = []
    for _ in range(steps + 1):
        out.append(optimizer.param_groups[0]["lr"])
        if scheduler is not None:
            assert scheduler.get_last_lr() == [out[-1]]
        optimizer.step()  # no gradient: nothing moves, but the order is the real one
        if scheduler is not None:
            scheduler.step()
    return [float(r) for r in out]


def spec(name, **args):
    return {"name": name, "args": args}


SCHEDULE_CASES = [
    spec("constant", lr=0.1),
    spec("step_decay", lr=0.1, step_size=30, gamma=0.5),
    spec("step_decay", lr=0.5, step_size=7, gamma=0.1),
    spec("exponential", lr=0.1, gamma=0.97),
    spec("exponential_decay", lr=0.3, k=0.02),
    spec("cyclic", base_lr=0.001, max_lr=0.1, step_size_up=20, step_size_down=None,
         mode="triangular", gamma=1.0),
    spec("cyclic", base_lr=0.01, max_lr=0.05, step_size_up=7, step_size_down=13,
         mode="triangular", gamma=1.0),
    spec("cyclic", base_lr=0.001, max_lr=0.1, step_size_up=10, step_size_down=15,
         mode="triangular2", gamma=1.0),
    spec("cyclic", base_lr=0.001, max_lr=0.1, step_size_up=12, step_size_down=None,
         mode="exp_range", gamma=0.99),
    spec("cosine", lr=0.1, T_max=300, eta_min=0.0),
    spec("cosine", lr=0.1, T_max=80, eta_min=0.001),
    spec("cosine", lr=0.2, T_max=50, eta_min=0.0),
    spec("cosine_restarts", lr=0.1, T_0=10, T_mult=1, eta_min=0.0),
    spec("cosine_restarts", lr=0.1, T_0=5, T_mult=2, eta_min=0.001),
    spec("cosine_restarts", lr=0.05, T_0=7, T_mult=3, eta_min=0.0),
    spec("linear", lr=0.1, start_factor=0.01, end_factor=1.0, total_iters=50),
    spec("linear", lr=0.2, start_factor=1.0, end_factor=0.05, total_iters=100),
    spec("linear", lr=0.1, start_factor=1 / 3, end_factor=1.0, total_iters=5),
    spec("sequential", milestones=[20], schedules=[
        spec("linear", lr=0.1, start_factor=0.01, end_factor=1.0, total_iters=20),
        spec("cosine", lr=0.1, T_max=280, eta_min=0.0)]),
    spec("sequential", milestones=[10, 110], schedules=[
        spec("linear", lr=0.1, start_factor=0.1, end_factor=1.0, total_iters=10),
        spec("step_decay", lr=0.1, step_size=25, gamma=0.5),
        spec("exponential", lr=0.1, gamma=0.99)]),
    spec("sequential", milestones=[50], schedules=[
        spec("cosine_restarts", lr=0.05, T_0=10, T_mult=2, eta_min=0.0),
        spec("exponential_decay", lr=0.05, k=0.01)]),
]  # fmt: skip


def schedules_fixture(steps: int) -> dict:
    defaults = {}
    for name, (cls, factory) in SCHEDULERS.items():
        names = list(inspect.signature(factory).parameters)[1:]
        if name not in ("constant", "exponential_decay", "sequential"):  # no defaults
            defaults[name] = {
                n: v
                for n, v in signature_defaults(cls, names).items()
                if v is not inspect.Parameter.empty
            }
    return {
        "defaults": defaults,
        "cases": [{"schedule": s, "rates": rates(s, steps)} for s in SCHEDULE_CASES],
    }


# --- init ----------------------------------------------------------------------------------

SHAPES = [(3, 5), (64, 32), (16, 3, 5), (8, 4, 3, 3), (6, 2, 2, 3, 3)]
GAIN_NAMES = [
    "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "selu", "leaky_relu",
]  # fmt: skip
REFUSED_GAIN_NAMES = ["conv4d", "convolution", "conv", "conv_transpose4d", "Linear", "RELU",
                      "leaky", "softplus", "gelu", "identity"]  # fmt: skip


def xavier_uniform(w, gen, gain):
    # [xavier_uniform]
    torch.nn.init.xavier_uniform_(w, gain=gain, generator=gen)
    # [/xavier_uniform]


def xavier_normal(w, gen, gain):
    # [xavier_normal]
    torch.nn.init.xavier_normal_(w, gain=gain, generator=gen)
    # [/xavier_normal]


def kaiming_uniform(w, gen, a, mode, nonlinearity):
    # [kaiming_uniform]
    torch.nn.init.kaiming_uniform_(
        w,
        a=a,
        mode=mode,
        nonlinearity=nonlinearity,
        generator=gen,
    )
    # [/kaiming_uniform]


def kaiming_normal(w, gen, a, mode, nonlinearity):
    # [kaiming_normal]
    torch.nn.init.kaiming_normal_(
        w,
        a=a,
        mode=mode,
        nonlinearity=nonlinearity,
        generator=gen,
    )
    # [/kaiming_normal]


def uniform(w, gen, a, b):
    # [uniform]
    torch.nn.init.uniform_(w, a=a, b=b, generator=gen)
    # [/uniform]


def normal(w, gen, mean, std):
    # [normal]
    torch.nn.init.normal_(w, mean=mean, std=std, generator=gen)
    # [/normal]


def zeros(w):
    # [zeros]
    torch.nn.init.zeros_(w)  # biases
    # [/zeros]


def constant_init(w, value):
    # [constant_init]
    torch.nn.init.constant_(w, value)
    # [/constant_init]


def calculate_gain(nonlinearity, param):
    # [calculate_gain]
    gain = torch.nn.init.calculate_gain(nonlinearity, param)
    # [/calculate_gain]
    return gain


SAMPLERS = {  # name -> (function, distribution)
    "xavier_uniform": (xavier_uniform, "uniform"),
    "xavier_normal": (xavier_normal, "normal"),
    "kaiming_uniform": (kaiming_uniform, "uniform"),
    "kaiming_normal": (kaiming_normal, "normal"),
    "uniform": (uniform, "uniform"),
    "normal": (normal, "normal"),
}
TORCH_INIT = {
    "xavier_uniform": torch.nn.init.xavier_uniform_,
    "xavier_normal": torch.nn.init.xavier_normal_,
    "kaiming_uniform": torch.nn.init.kaiming_uniform_,
    "kaiming_normal": torch.nn.init.kaiming_normal_,
    "uniform": torch.nn.init.uniform_,
    "normal": torch.nn.init.normal_,
    "constant": torch.nn.init.constant_,
}


def affine_fit(x: torch.Tensor, u: torch.Tensor, through_zero: bool) -> tuple[float, float]:
    """``(offset, scale)`` with ``x = offset + scale * u`` (least squares), checked to 1e-15.

    PyTorch samples ``U(a, b)`` as ``a + (b - a) u`` and ``N(mean, std)`` as ``mean + std z``:
    from a sample and the same-seed unit draw ``u`` (or ``z``) of the same generator, this
    recovers the parameters an initializer really used, whatever formula produced them.
    """
    x, u = x.flatten(), u.flatten()
    if through_zero:
        offset, scale = 0.0, float((x @ u) / (u @ u))
    else:
        du, dx = u - u.mean(), x - x.mean()
        scale = float((du @ dx) / (du @ du))
        offset = float(x.mean() - scale * u.mean())
    residual = (x - offset - scale * u).abs().max().item()
    assert residual <= 1e-15 * x.abs().max().item(), (residual, offset, scale)
    return offset, scale


def recovered(name: str, shape, seed: int, args: dict) -> dict:
    """What the initializer ``name`` used for ``shape``: its bound, std, or (a, b), (mean, std)."""
    function, distribution = SAMPLERS[name]
    w = torch.empty(shape, dtype=torch.float64)
    function(w, torch.Generator().manual_seed(seed), **args)
    unit = torch.empty(shape, dtype=torch.float64)
    gen = torch.Generator().manual_seed(seed)
    if name == "uniform":
        a, width = affine_fit(w, unit.uniform_(0.0, 1.0, generator=gen), through_zero=False)
        return {"a": a, "b": a + width}
    if name == "normal":
        mean, std = affine_fit(w, unit.normal_(0.0, 1.0, generator=gen), through_zero=False)
        return {"mean": mean, "std": std}
    if distribution == "uniform":  # symmetric: w = bound * U(-1, 1)
        return {"bound": affine_fit(w, unit.uniform_(-1.0, 1.0, generator=gen), True)[1]}
    return {"std": affine_fit(w, unit.normal_(0.0, 1.0, generator=gen), True)[1]}


KAIMING_ARGS = [
    {"a": 0.0, "mode": "fan_in", "nonlinearity": "leaky_relu"},
    {"a": 0.2, "mode": "fan_out", "nonlinearity": "leaky_relu"},
    {"a": 0.0, "mode": "fan_in", "nonlinearity": "relu"},
    {"a": 0.0, "mode": "fan_out", "nonlinearity": "tanh"},
    {"a": 0.0, "mode": "fan_in", "nonlinearity": "selu"},
    {"a": 0.0, "mode": "fan_out", "nonlinearity": "conv2d"},
]


def init_fixture(seed: int) -> dict:
    fans = []
    for shape in SHAPES:
        fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        fans.append({"shape": list(shape), "fan_in": fan_in, "fan_out": fan_out})
    gains = [{"nonlinearity": n, "param": None, "gain": calculate_gain(n, None)}
             for n in GAIN_NAMES]  # fmt: skip
    gains += [{"nonlinearity": "leaky_relu", "param": p, "gain": calculate_gain("leaky_relu", p)}
              for p in (0.0, 0.2, 0.5, 1.0)]  # fmt: skip
    gains.append({"nonlinearity": "relu", "param": 0.3, "gain": calculate_gain("relu", 0.3)})
    for name in REFUSED_GAIN_NAMES:
        try:
            calculate_gain(name, None)
        except ValueError:
            continue
        raise AssertionError(f"torch accepted the gain name {name!r}")

    samples = []
    for k, shape in enumerate(SHAPES):
        cases = [("xavier_uniform", {"gain": g}) for g in (1.0, 5 / 3)]
        cases += [("xavier_normal", {"gain": g}) for g in (1.0, math.sqrt(2))]
        cases += [("kaiming_uniform", args) for args in KAIMING_ARGS[k % 2 :: 2]]
        cases += [("kaiming_normal", args) for args in KAIMING_ARGS[(k + 1) % 2 :: 2]]
        cases += [("uniform", {"a": -0.3, "b": 0.7}), ("normal", {"mean": 0.1, "std": 0.05})]
        for name, args in cases:
            seed_k = seed + len(samples)
            samples.append(
                {"init": name, "shape": list(shape), "args": args, "seed": seed_k,
                 "used": recovered(name, shape, seed_k, args)}
            )  # fmt: skip

    filled = []
    w = torch.empty(2, 3, dtype=torch.float64)
    zeros(w.fill_(7.0))
    filled.append({"init": "zeros", "shape": [2, 3], "args": {}, "values": w.tolist()})
    constant_init(w, 0.25)
    filled.append({"init": "constant", "shape": [2, 3], "args": {"value": 0.25},
                   "values": w.tolist()})  # fmt: skip

    defaults = {
        name: {
            n: v
            for n, v in signature_defaults(
                function, list(inspect.signature(function).parameters)
            ).items()
            if n not in ("tensor", "generator") and v is not inspect.Parameter.empty
        }
        for name, function in TORCH_INIT.items()
    }
    defaults["calculate_gain"] = signature_defaults(torch.nn.init.calculate_gain, ["param"])
    return {
        "defaults": defaults,
        "fans": fans,
        "gains": gains,
        "refused_gain_names": REFUSED_GAIN_NAMES,
        "samples": samples,
        "filled": filled,
    }


# --- activations ---------------------------------------------------------------------------

# [activations]
ACTIVATIONS = {  # lecnotes.activations.<name>(z, **args) -> torch.nn.functional
    "sigmoid": lambda z: torch.sigmoid(z),
    "tanh": lambda z: torch.tanh(z),
    "hard_tanh": lambda z, min_val, max_val: F.hardtanh(z, min_val, max_val),
    "relu": lambda z: F.relu(z),
    "leaky_relu": lambda z, negative_slope: F.leaky_relu(z, negative_slope),
    "softplus": lambda z, beta, threshold: F.softplus(z, beta, threshold),
    "gelu": lambda z, approximate: F.gelu(z, approximate=approximate),
    "silu": lambda z: F.silu(z),
}
# [/activations]
ACTIVATION_MODULES = {  # for the defaults
    "hard_tanh": torch.nn.Hardtanh,
    "leaky_relu": torch.nn.LeakyReLU,
    "softplus": torch.nn.Softplus,
    "gelu": torch.nn.GELU,
}


def derivative(f, z: torch.Tensor):
    """``f(z)`` and ``f'(z)`` entry by entry, by autograd."""
    # [derivative]
    z = z.detach().requires_grad_()
    y = f(z)
    y.backward(torch.ones_like(y))  # y[i] depends on z[i] only: z.grad[i] = f'(z[i])
    # [/derivative]
    return y.detach().tolist(), z.grad.tolist()


def up(x: float) -> float:
    return math.nextafter(x, math.inf)


def down(x: float) -> float:
    return math.nextafter(x, -math.inf)


def activation_cases(gen: torch.Generator) -> list[dict]:
    common = [-1000.0, -50.0, -20.0, -6.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 6.0, 20.0, 50.0,
              1000.0]  # fmt: skip
    random_points = randn(gen, 40, scale=3.0).tolist()
    cases = [
        ("sigmoid", {}, []),
        ("tanh", {}, []),
        ("hard_tanh", {"min_val": -1.0, "max_val": 1.0}, [-1.0, down(-1.0), up(-1.0),
                                                          1.0, down(1.0), up(1.0)]),
        ("hard_tanh", {"min_val": -0.5, "max_val": 2.0}, [-0.5, 2.0, down(2.0), up(-0.5)]),
        ("relu", {}, [0.0, -0.0, 5e-324, -5e-324]),
        ("leaky_relu", {"negative_slope": 0.01}, [0.0, -0.0, 5e-324, -5e-324]),
        ("leaky_relu", {"negative_slope": 0.2}, [0.0, -0.0]),
        ("softplus", {"beta": 1.0, "threshold": 20.0}, [20.0, down(20.0), up(20.0), 19.0]),
        ("softplus", {"beta": 2.0, "threshold": 20.0}, [10.0, down(10.0), up(10.0), -300.0]),
        ("softplus", {"beta": 0.5, "threshold": 5.0}, [10.0, down(10.0), up(10.0), 9.0]),
        ("gelu", {"approximate": "none"}, [-8.0, -3.0, 3.0]),
        ("gelu", {"approximate": "tanh"}, [-8.0, -3.0, 3.0]),
        ("silu", {}, [-30.0]),
    ]  # fmt: skip
    out = []
    for name, args, kinks in cases:
        z = tensor(sorted(common + random_points + kinks))
        value, grad = derivative(lambda t, n=name, a=args: ACTIVATIONS[n](t, **a), z)
        out.append({"activation": name, "args": args, "z": z.tolist(), "value": value,
                    "grad": grad})  # fmt: skip
    return out


def prelu_cases(gen: torch.Generator) -> list[dict]:
    out = []
    for a_values in ([0.25, 0.0, -0.3, 1.5], [0.1]):  # per channel; one for all
        z = randn(gen, 5, 4)
        z[0, :] = 0.0  # the kink
        weight = tensor(a_values).requires_grad_()
        z.requires_grad_()
        # [prelu]
        y = F.prelu(z, weight)  # weight: a slope per channel (z's axis 1), or one
        y.backward(torch.ones_like(y))  # z.grad = df/dz; weight.grad = sum of df/da
        # [/prelu]
        out.append({"z": z.detach().tolist(), "a": weight.detach().tolist(),
                    "value": y.detach().tolist(), "dz": z.grad.tolist(),
                    "da": weight.grad.tolist()})  # fmt: skip
    return out


def softmax_cases(gen: torch.Generator) -> list[dict]:
    z = randn(gen, 4, 5, scale=3.0)
    z[1] = tensor([1000.0, 999.0, -1000.0, 1000.0, 0.0])  # large scores, a tie
    z[2] = 0.5  # all equal
    out = []
    for axis in (-1, 0):
        # [softmax]
        p = F.softmax(z, dim=axis)  # lecnotes.activations.softmax(z, axis)
        log_p = F.log_softmax(z, dim=axis)
        # [/softmax]
        out.append({"z": z.tolist(), "axis": axis, "softmax": p.tolist(),
                    "log_softmax": log_p.tolist()})  # fmt: skip
    return out


def nan_as_text(values):
    """``values`` (a float or nested lists of floats) with every NaN as the string "nan"."""
    if isinstance(values, list):
        return [nan_as_text(v) for v in values]
    return "nan" if isinstance(values, float) and math.isnan(values) else values


def nan_cases() -> list[dict]:
    """Every activation at NaN, beside ordinary points: which pass the gradient through."""
    z = tensor([math.nan, -1.0, 0.0, 1.0])
    cases = [(name, {}) for name in ("sigmoid", "tanh", "relu", "silu")]
    cases += [("hard_tanh", {"min_val": -1.0, "max_val": 1.0}),
              ("leaky_relu", {"negative_slope": 0.01}),
              ("softplus", {"beta": 1.0, "threshold": 20.0}),
              ("gelu", {"approximate": "none"}), ("gelu", {"approximate": "tanh"})]  # fmt: skip
    out = []
    for name, args in cases:
        value, grad = derivative(lambda t, n=name, a=args: ACTIVATIONS[n](t, **a), z)
        out.append({"activation": name, "args": args, "z": nan_as_text(z.tolist()),
                    "value": nan_as_text(value), "grad": nan_as_text(grad)})  # fmt: skip
    value, grad = derivative(lambda t: F.prelu(t, tensor([0.25])), z)
    out.append({"activation": "prelu", "args": {"a": 0.25}, "z": nan_as_text(z.tolist()),
                "value": nan_as_text(value), "grad": nan_as_text(grad)})  # fmt: skip
    return out


def activations_fixture(gen: torch.Generator) -> dict:
    defaults = {}
    for name, module in ACTIVATION_MODULES.items():
        names = list(inspect.signature(ACTIVATIONS[name]).parameters)[1:]  # after z
        defaults[name] = signature_defaults(module.__init__, names)
    return {
        "defaults": defaults,
        "cases": activation_cases(gen),
        "prelu": prelu_cases(gen),
        "softmax": softmax_cases(gen),
        "at_nan": nan_cases(),  # draws nothing from gen: the other cases stay as they were
    }


# --- autograd ------------------------------------------------------------------------------
# A program is Python source that runs unchanged on torch tensors and lecnotes Tensors.

HAND_PROGRAMS = [  # (source, float inputs by name, integer inputs, upstream gradient?)
    ("(x * y + z).sum()", {"x": (4,), "y": (4,), "z": (4,)}, {}, False),
    ("(a + c).sum() + (a * d).sum() + (a - s).mean()", "acds", {}, False),
    ("((d + c) ** 2).sum()", "cd", {}, False),
    ("((a * c) / (d * d + 1.0)).mean()", "acd", {}, False),
    ("(E[ids] * v).sum()", {"E": (5, 3), "v": (6, 3)}, {"ids": [1, 0, 1, 1, 3, 1]}, False),
    ("E[ids].reshape(-1) @ q", {"E": (5, 3), "q": (12,)}, {"ids": [2, 2, 4, 2]}, False),
    ("maximum(a, b).sum()", "ab", {}, False),
    ("maximum(a, a).sum() + maximum(a, 0.0).sum()", "a", {}, False),
    ("(maximum(c, a) * b).sum()", "abc", {}, False),
    ("(maximum(d, s) * a).sum()", "ads", {}, False),
    ("(a.relu() * b).sum()", "ab", {}, False),
    ("(a ** 0).sum() + (a ** 0 * b).sum()", "ab", {}, False),
    ("(p ** 2).sum() + (p ** 3).sum() + (p ** -1).sum() + (p ** 0.5).sum()", "p", {}, False),
    ("(a / (b * b + 1.0)).sum() + (1.0 / p).sum() + (2.0 - a).sum() + (-a * 3.0).sum()",
     "abp", {}, False),
    ("a.sum(axis=0).sum() + (a.sum(axis=1, keepdims=True) * a).sum()", "a", {}, False),
    ("((a - a.mean(axis=0, keepdims=True)) ** 2).mean()", "a", {}, False),
    ("(a.sum(axis=-1) * c[:3]).sum() + a.mean(axis=(0, 1)) + (d / p).mean(axis=(0, 1))",
     "acdp", {}, False),
    ("a.exp().log().sum() + (p.log() * a).sum()", "ap", {}, False),
    ("(a.tanh() * b).sum() + (a.sigmoid() * b).sum()", "ab", {}, False),
    ("(W @ x).sum() + (x @ W.T).sum()", {"W": (3, 4), "x": (4,)}, {}, False),
    ("x @ y", {"x": (4,), "y": (4,)}, {}, False),
    ("(a @ m).sum() + (a.T @ a).sum()", "am", {}, False),
    ("cross_entropy(a, y)", "a", {"y": [3, 0, 3]}, False),
    ("cross_entropy(c, k)", "c", {"k": 2}, False),
    ("cross_entropy(a * 100.0, y)", "a", {"y": [1, 2, 1]}, False),
    ("a * b", "ab", {}, True),
    ("(a @ m).tanh()", "am", {}, True),
    ("a[1].sum() + a[:, 2].sum() + a[0, 3] + (a[1:, ::2] * 2.0).sum()", "a", {}, False),
    ("(a.reshape(4, 3).T * a).sum()", "a", {}, False),
    ("u @ (W @ E[window].reshape(-1) + b).sigmoid()",
     {"E": (6, 2), "W": (4, 10), "b": (4,), "u": (4,)}, {"window": [2, 0, 5, 0, 1]}, False),
    ("cross_entropy((x @ W1 + b1).relu() @ W2 + b2, y)",
     {"x": (5, 3), "W1": (3, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}, {"y": [0, 2, 2, 1, 0]},
     False),
]  # fmt: skip
SHAPES_BY_LETTER = {"a": (3, 4), "b": (3, 4), "c": (4,), "d": (3, 1), "s": (), "m": (4, 4),
                    "p": (3, 4)}  # fmt: skip


def program_inputs(gen: torch.Generator, shapes: dict) -> dict:
    inputs = {name: randn(gen, *shape) for name, shape in shapes.items()}
    if "a" in inputs:
        a = inputs["a"]
        a[1, 0] = a[2, 3] = 0.0  # relu and x ** 0 at exactly 0; a tie with maximum(a, 0)
        if "b" in inputs:
            inputs["b"][0, :2] = a[0, :2]  # ties in maximum(a, b)
            inputs["b"][1, 0] = 0.0
        if "c" in inputs:
            inputs["c"][1] = a[2, 1]  # a tie in maximum(c, a)
        if "s" in inputs:
            inputs["s"] = tensor(0.5)
            if "d" in inputs:
                inputs["d"][2, 0] = 0.5  # a tie in maximum(d, s)
    if "p" in inputs:
        inputs["p"] = inputs["p"].abs() + 0.1  # positive, for log, p ** 0.5 and 1 / p
    return inputs


def random_program(rnd: random.Random) -> tuple[str, set[str]]:
    """A random composition of operations both autograds have; returns it and its leaves.

    Leaves are a, b (3, 4), c (4,), d (3, 1) and s () -- all broadcast together -- and m
    (4, 4) for products; the result is reduced to a scalar (w weights a sum).
    """
    used = set()

    def expression(depth: int, top: bool = False) -> tuple[str, tuple]:
        if depth == 0 or (not top and rnd.random() < 0.2):
            leaf = rnd.choice("abcds")
            used.add(leaf)
            return leaf, SHAPES_BY_LETTER[leaf]
        if rnd.random() < 0.45:
            inner, shape = expression(depth - 1)
            options = [
                (f"{inner}.tanh()", shape), (f"{inner}.sigmoid()", shape),
                (f"{inner}.relu()", shape), (f"(-{inner})", shape), (f"({inner} ** 2)", shape),
                (f"({inner} * {inner} + 1.0).log()", shape), (f"{inner}.tanh().exp()", shape),
                (f"maximum({inner}, 0.0)", shape),
            ]  # fmt: skip
            if len(shape) == 2:
                options += [(f"{inner}.sum(axis=0, keepdims=True)", (1, shape[1])),
                            (f"{inner}.mean(axis=1, keepdims=True)", (shape[0], 1))]  # fmt: skip
            if shape and shape[-1] == 4:
                options.append((f"({inner} @ m)", shape))
            choice = rnd.choice(options)
            used.update("m" if "@ m" in choice[0] else "")
            return choice
        (left, ls), (right, rs) = expression(depth - 1), expression(depth - 1)
        shape = tuple(torch.broadcast_shapes(ls, rs))
        op = rnd.choice(["+", "-", "*", "/", "max"])
        if op == "max":
            return f"maximum({left}, {right})", shape
        if op == "/":
            return f"({left} / ({right} * {right} + 1.0))", shape
        return f"({left} {op} {right})", shape

    body, shape = expression(rnd.choice([2, 3, 3, 4]), top=True)
    if shape == (3, 4) and rnd.random() < 0.2:
        return f"cross_entropy({body}, y)", used
    ending = rnd.choice(["sum", "mean", "weighted"])
    if ending == "weighted":
        return f"(({body}) * w).sum()", used | {"w"}
    return f"({body}).{ending}()", used


def cross_entropy(scores, targets):
    # [cross_entropy]
    loss = F.cross_entropy(scores, targets)  # scores (B, C), raw; targets (B,)
    # [/cross_entropy]
    return loss


def torch_namespace(inputs: dict, integers: dict) -> dict:
    return {
        "__builtins__": {},
        "maximum": lambda p, q: torch.maximum(torch.as_tensor(p), torch.as_tensor(q)),
        "cross_entropy": cross_entropy,
        **inputs,
        **{k: torch.tensor(v, dtype=torch.long) for k, v in integers.items()},
    }


def run_program(source: str, inputs: dict, integers: dict, upstream: torch.Tensor | None):
    leaves = {k: v.detach().clone().requires_grad_() for k, v in inputs.items()}
    out = eval(source, torch_namespace(leaves, integers))  # our own source, not input
    out.backward(upstream)
    grads = {}
    for name, leaf in leaves.items():
        assert leaf.grad is not None, f"{source}: {name} is unused"
        grads[name] = leaf.grad.tolist()
    return out.detach().tolist(), grads


def program_entry(gen, source, shapes, integers, with_upstream):
    shapes = {k: SHAPES_BY_LETTER[k] for k in shapes} if isinstance(shapes, str) else shapes
    inputs = program_inputs(gen, shapes)
    upstream = None
    if with_upstream:
        probe = eval(source, torch_namespace(inputs, integers))
        upstream = randn(gen, *probe.shape)
    value, grads = run_program(source, inputs, integers, upstream)
    return {
        "source": source,
        "inputs": {k: v.tolist() for k, v in inputs.items()},
        "integers": integers,
        "upstream": None if upstream is None else upstream.tolist(),
        "value": value,
        "grads": grads,
    }


def window_example(gen: torch.Generator) -> dict:
    """The lecture's window classifier, written as one writes it in PyTorch."""
    # [backward]
    f64 = {"generator": gen, "dtype": torch.float64}
    E, W, b, u = (torch.randn(*shape, **f64).requires_grad_()  # leaves that need .grad
                  for shape in [(6, 2), (4, 10), (4,), (4,)])  # fmt: skip
    window = torch.tensor([2, 0, 5, 0, 1])  # word ids; word 0 appears twice
    x = E[window].reshape(-1)  # the window's word vectors, one after the other
    h = torch.sigmoid(W @ x + b)  # hidden layer
    s = u @ h  # the window's score
    s.backward()  # fills E.grad, W.grad, b.grad and u.grad
    # [/backward]
    inputs = {k: v.detach().clone() for k, v in {"E": E, "W": W, "b": b, "u": u}.items()}
    source = "u @ (W @ E[window].reshape(-1) + b).sigmoid()"
    value, grads = run_program(source, inputs, {"window": window.tolist()}, None)
    assert torch.allclose(tensor(grads["E"]), E.grad, rtol=1e-15, atol=0)
    return {
        "source": source,
        "inputs": {k: v.tolist() for k, v in inputs.items()},
        "integers": {"window": window.tolist()},
        "upstream": None,
        "value": s.item(),
        "grads": {"E": E.grad.tolist(), "W": W.grad.tolist(), "b": b.grad.tolist(),
                  "u": u.grad.tolist()},
    }  # fmt: skip


def gradcheck_example(gen: torch.Generator) -> dict:
    x, W = randn(gen, 5, 3), randn(gen, 4, 3).requires_grad_()
    y = torch.tensor([0, 3, 3, 1, 2])

    # [gradcheck]
    def loss(W):  # float64: finite differences are too coarse in float32
        return F.cross_entropy(x @ W.T, y)

    passed = torch.autograd.gradcheck(loss, (W,), eps=1e-6, atol=1e-8)
    # [/gradcheck]
    loss(W).backward()
    return {"x": x.tolist(), "y": y.tolist(), "W": W.detach().tolist(), "passed": passed,
            "value": loss(W).item(), "grad": W.grad.tolist()}  # fmt: skip


NAN_PROGRAMS = [  # (source, its inputs): a holds NaN, -1, 0, 2; c NaN where a is -1, a tie
    ("a.relu().sum()", "a"),
    ("maximum(a, c).sum()", "ac"),
    ("maximum(c, a).sum()", "ac"),
    ("maximum(a, 0.0).sum() + maximum(0.0, c).sum()", "ac"),
    ("(a.tanh() * c).sum() + (a.sigmoid() + a.exp()).sum()", "ac"),
]


def nan_programs() -> list[dict]:
    """Programs whose inputs hold NaN: where the gradient goes (NaN written as "nan")."""
    values = {"a": tensor([math.nan, -1.0, 0.0, 2.0]), "c": tensor([1.0, math.nan, 0.0, 1.0])}
    out = []
    for source, names in NAN_PROGRAMS:
        inputs = {name: values[name] for name in names}
        value, grads = run_program(source, inputs, {}, None)
        out.append({"source": source, "inputs": {k: nan_as_text(v.tolist()) for k, v in
                    inputs.items()}, "integers": {}, "upstream": None,
                    "value": nan_as_text(value),
                    "grads": {k: nan_as_text(g) for k, g in grads.items()}})  # fmt: skip
    return out


def autograd_fixture(gen: torch.Generator, count: int, seed: int) -> dict:
    programs = [program_entry(gen, *p) for p in HAND_PROGRAMS]
    rnd = random.Random(seed)
    shapes = {k: SHAPES_BY_LETTER[k] for k in "abcdsm"} | {"w": (3, 4)}
    sources = set()
    while len(sources) < count:
        source, used = random_program(rnd)
        if source in sources:
            continue
        sources.add(source)
        integers = {"y": [2, 0, 3]} if source.startswith("cross_entropy") else {}
        leaves = {k: v for k, v in shapes.items() if k in used}
        programs.append(program_entry(gen, source, leaves, integers, False))
    return {
        "programs": programs,
        "window": window_example(gen),
        "gradcheck": gradcheck_example(gen),
        "at_nan": nan_programs(),  # draws nothing from gen
    }


# --- errors --------------------------------------------------------------------------------


def refusal(call) -> dict:
    """The exception ``call()`` raises, as ``{"error": type name, "message"}``."""
    try:
        call()
    except (ValueError, RuntimeError) as error:
        return {"error": type(error).__name__, "message": str(error)}
    raise AssertionError("torch accepted input it should refuse")


def errors_fixture() -> dict:
    """PyTorch's answer to a label count other than the batch size, and to an input of the
    wrong width (a linear layer; the window classifier's windows of the wrong length)."""
    labels = [
        {"rows": rows, "labels": n}
        | refusal(lambda r=rows, k=n: F.cross_entropy(torch.zeros(r, 3), torch.zeros(k).long()))
        for rows, n in ((4, 3), (4, 5))
    ]
    widths = []
    for case in ({"input": [5, 3], "weight": [8, 2]}, {"input": [5, 2], "weight": [8, 3]}):
        x, w = torch.zeros(case["input"]), torch.zeros(case["weight"])
        widths.append(case | refusal(lambda x=x, w=w: F.linear(x, w)))
    E, W = torch.zeros(10, 2), torch.zeros(16, 10)  # windows of 5 words of 2 numbers
    ids = torch.zeros(6, 4, dtype=torch.long)  # windows of 4 words
    window = {"vocab": 10, "dim": 2, "W": [16, 10], "word_ids": [6, 4]}
    window |= refusal(lambda: F.linear(F.embedding(ids, E).reshape(6, -1), W))
    return {"cross_entropy": labels, "linear": widths, "window": window}


# --- output --------------------------------------------------------------------------------


def dump(value, depth: int = 0) -> str:
    """JSON with one line per entry of the top two levels: diffs show which entry changed.

    Floats are written with ``repr`` (exact round trip); NaN and infinities are refused.
    """
    if depth < 2 and isinstance(value, dict) and value:
        inner = ",\n".join(
            f"{' ' * (depth + 1)}{json.dumps(k)}: {dump(v, depth + 1)}" for k, v in value.items()
        )
        return "{\n" + inner + "\n" + " " * depth + "}"
    if depth < 2 and isinstance(value, list) and value and isinstance(value[0], dict):
        inner = ",\n".join(f"{' ' * (depth + 1)}{dump(v, 2)}" for v in value)
        return "[\n" + inner + "\n" + " " * depth + "]"
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def fixtures(seed: int) -> dict[str, dict]:
    gen = torch.Generator().manual_seed(seed)
    meta = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "dtype": "float64",
        "script": "tools/torch_reference.py",
        "options": OPTIONS,
    }
    built = {
        "optim": optim_fixture(gen, OPTIONS["optimizer_steps"]),
        "schedules": schedules_fixture(OPTIONS["schedule_steps"]),
        "init": init_fixture(seed),
        "activations": activations_fixture(gen),
        "autograd": autograd_fixture(gen, OPTIONS["random_programs"], seed),
        "errors": errors_fixture(),
    }
    return {f"{name}.json": {"meta": meta, **data} for name, data in built.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder of the JSON fixtures")
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args(argv)
    torch.set_default_dtype(torch.float64)
    stale = []
    for name, data in fixtures(OPTIONS["seed"]).items():
        text = dump(data) + "\n"
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{len(text.encode()) / 1e3:.0f} kB")  # fmt: skip
    if stale:
        print(f"differ from what torch {torch.__version__} gives: {', '.join(stale)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
