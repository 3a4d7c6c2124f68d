"""Different optimizers for different parameters, as PyTorch's parameter groups (chapter 9).

PyTorch trains an embedding table that gives sparse gradients with ``SparseAdam``, which
takes nothing else, and the other parameters with a second optimizer; and one optimizer may
hold several parameter groups with their own options (``weight_decay`` for the weights,
none for the biases). :class:`ParamGroups` does both, and keeps the optimizer contract of
``lecnotes.optim`` (``init``, then a pure ``update``)::

    opt = groups.ParamGroups({
        ("E",): optim.SparseAdam(lr=1e-2),                    # the table, row by row
        ("W", "U"): optim.AdamW(lr=1e-2, weight_decay=0.1),   # weights, decayed
        ("b", "c"): optim.Adam(lr=1e-2),                      # biases, not decayed
    })

Each group's optimizer sees only its own parameters and their gradients, so one update is
the updates of the groups side by side: ``theta_n <- opt_k.step(theta_n, g_n)`` for every
``n`` in group ``k``. Every group is called at every update, even with no gradient, so that
its step count (and schedule) advances as PyTorch optimizers stepped together do. A group
holding ``AdamW(weight_decay=0)`` is ``Adam``: the decoupled decay multiplies by 1.
"""

from __future__ import annotations

from lecnotes import _checks


class ParamGroups:
    """Optimizers side by side, each updating its own group of parameters.

    Args:
        groups: a dict from a tuple of parameter names to the optimizer of those
            parameters (any object with ``init``/``update``: ``lecnotes.optim`` optimizers,
            ``regularization.WithL2``). A name may belong to one group only; a parameter in
            no group is never updated (a gradient for it is refused).
    """

    def __init__(self, groups: dict):
        if not isinstance(groups, dict) or not groups:
            raise ValueError(
                f"groups must be a non-empty dict of names -> optimizer, got {groups!r}"
            )
        owner = {}
        for names, opt in groups.items():
            names = _checks.sized("groups key", names, low=1, distinct=True)
            for name in names:
                _checks.text("a parameter name in groups", name)
                if name in owner:
                    raise ValueError(
                        f"groups put {name!r} in two groups: {owner[name]} and {names}"
                    )
                owner[name] = names
            if not (
                callable(getattr(opt, "init", None)) and callable(getattr(opt, "update", None))
            ):
                raise ValueError(
                    f"groups[{names}] must be an optimizer (init, update), got {opt!r}"
                )
        self.groups = {tuple(names): opt for names, opt in groups.items()}

    def init(self, params: dict) -> dict:
        """Each group's fresh state, for its own parameters.

        Args:
            params: name -> array; every name of every group must be one of them.

        Returns:
            ``{"groups": [state of group 0, state of group 1, ...]}``, in the order given.
        """
        for names in self.groups:
            _checks.known_names("groups", names, params)
        return {
            "groups": [opt.init(self._own(names, params)) for names, opt in self.groups.items()]
        }

    def update(self, params: dict, grads: dict, state: dict) -> tuple[dict, dict]:
        """One step of every group's optimizer on its own parameters and gradients.

        Args:
            params: name -> array; grads: name -> gradient (a subset of the grouped names;
                ``optim.RowSparse`` where the group's optimizer takes it); state: from
                :meth:`init` or the previous ``update``.

        Returns:
            New ``(params, state)``; the inputs are left untouched.
        """
        grouped = {name for names in self.groups for name in names}
        stray = sorted(set(grads) - grouped)
        if stray:
            raise ValueError(f"grads names parameters {stray} that no group holds")
        new_params, new_states = dict(params), []
        for (names, opt), own_state in zip(self.groups.items(), state["groups"], strict=True):
            mine = {n: g for n, g in grads.items() if n in names}
            updated, own_state = opt.update(self._own(names, params), mine, own_state)
            new_params.update(updated)
            new_states.append(own_state)
        return new_params, {"groups": new_states}

    @staticmethod
    def _own(names: tuple, params: dict) -> dict:
        return {n: params[n] for n in names}
