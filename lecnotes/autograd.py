"""A small reverse-mode automatic differentiation over NumPy arrays (a tensor micrograd).

Every operation on :class:`Tensor` values returns a new tensor that remembers its inputs
(``parents``) and its local rule ``grad_fn``: a function from the upstream gradient (the
gradient of the output with respect to this value) to one downstream gradient per parent,

    downstream gradient = upstream gradient x local gradient.

``loss.backward()`` visits the graph in reverse topological order, calls each node's
``grad_fn`` and **adds** the results into the parents' ``grad``, so that a value used in
several places receives the sum of the gradients flowing back along each use. Rules are
pure (they modify nothing), so a drawing can ask any node what it sends along each edge
(``lecnotes.graphs`` does). Semantics follow NumPy and PyTorch: operations broadcast, and
``grad`` always has the shape of ``data`` (broadcast dimensions are summed back). Data are
float64.

For speed (``bench/`` times it against the same step by hand), a float64 array is wrapped
without a copy (like ``torch.from_numpy``), and a gradient array is allocated only when a
gradient first arrives (``grad`` reads as zeros before).

Conventions as PyTorch's: ``relu'(0) = 0`` and ``relu'(NaN) = 1`` (``activations``); at a
tie ``maximum(a, b)`` sends half of the gradient to each input, and where either is NaN the
whole gradient to both; ``x ** 0`` has gradient 0 everywhere, also at ``x = 0``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lecnotes import _checks, activations, losses

GradFn = Callable[[np.ndarray], tuple[np.ndarray, ...]]


class Tensor:
    """An array in a computation graph: ``data``, its gradient ``grad`` and how it was made.

    Args:
        data: a numeric array or number (stored as float64).
        parents: the tensors this one was computed from (empty for an input).
        op: the operation's symbol, for display ("" for an input).
        name: an optional label, for display.
        grad_fn: the local rule, ``upstream -> (gradient for parents[0], ...)``; None: input.
    """

    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__, not NumPy's add

    def __init__(
        self, data, parents: tuple[Tensor, ...] = (), op: str = "", name: str = "",
        grad_fn: GradFn | None = None,
    ):  # fmt: skip
        self.data = _checks.float_array("data", data)  # no copy if already float64
        self._grad = None  # allocated when the first gradient arrives
        self.parents = parents
        self.op = op
        self.name = name
        self.grad_fn = grad_fn
        self._freed = False

    # -- basics ----------------------------------------------------------------------------

    @property
    def grad(self) -> np.ndarray:
        """Gradient of the last ``backward()`` root with respect to this value (zeros if none)."""
        if self._grad is None:
            self._grad = np.zeros_like(self.data)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        self._grad = _checks.float_array("grad", value)

    def _accumulate(self, grad: np.ndarray) -> None:
        """Add a gradient contribution (the first one is copied, not zero-filled and added)."""
        if self._grad is None:
            self._grad = np.array(grad, dtype=np.float64)
        else:
            self._grad += grad

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def __repr__(self) -> str:
        label = f"{self.name}, " if self.name else ""
        return f"Tensor({label}shape={self.shape}, op={self.op or 'input'!r})"

    def zero_grad(self) -> None:
        """Reset the gradients of this value and everything it was computed from."""
        for node in topological_order(self):
            node._grad = None

    # -- arithmetic with broadcasting -----------------------------------------------------

    def __add__(self, other) -> Tensor:
        other = as_tensor(other)

        def grad_fn(g):  # + distributes: each input gets the upstream gradient
            return unbroadcast(g, self.shape), unbroadcast(g, other.shape)

        return Tensor(self.data + other.data, (self, other), "+", grad_fn=grad_fn)

    def __mul__(self, other) -> Tensor:
        other = as_tensor(other)

        def grad_fn(g):  # * switches: each input gets upstream x the other input
            return unbroadcast(g * other.data, self.shape), unbroadcast(g * self.data, other.shape)

        return Tensor(self.data * other.data, (self, other), "*", grad_fn=grad_fn)

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor):
            raise ValueError("only a constant exponent is supported: t ** 2, not t ** tensor")
        exponent = _checks.real("exponent", exponent)

        def grad_fn(g):  # d x^p / dx = p x^(p-1); for p = 0 it is 0 (not 0 * 0^-1 at x = 0)
            if exponent == 0:
                return (np.zeros_like(self.data),)
            return (g * exponent * self.data ** (exponent - 1),)

        return Tensor(self.data**exponent, (self,), f"**{exponent:g}", grad_fn=grad_fn)

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other) -> Tensor:
        return self + (-as_tensor(other))

    def __truediv__(self, other) -> Tensor:
        return self * as_tensor(other) ** -1.0

    def __rsub__(self, other) -> Tensor:
        return as_tensor(other) - self

    def __rtruediv__(self, other) -> Tensor:
        return as_tensor(other) / self

    __radd__ = __add__  # other + self: the same value and gradients as self + other
    __rmul__ = __mul__

    # -- matrix product ------------------------------------------------------------------

    def __matmul__(self, other) -> Tensor:
        other = as_tensor(other)
        a, b = self.data, other.data
        if not (1 <= a.ndim <= 2 and 1 <= b.ndim <= 2) or a.shape[-1] != b.shape[0]:
            raise ValueError(
                f"matmul: shapes {a.shape} and {b.shape} are not aligned (need 1-D or 2-D "
                f"operands with a.shape[-1] == b.shape[0], got {a.shape[-1]} vs "
                f"{b.shape[0] if b.ndim else '?'})"
            )

        def grad_fn(g):
            # Treat vectors as a row (left) or column (right) matrix, then undo it.
            a2, b2 = a.reshape(-1, a.shape[-1]), b.reshape(b.shape[0], -1)
            g2 = g.reshape(a2.shape[0], b2.shape[1])
            return (g2 @ b2.T).reshape(a.shape), (a2.T @ g2).reshape(b.shape)  # G B^T, A^T G

        return Tensor(a @ b, (self, other), "@", grad_fn=grad_fn)

    def __rmatmul__(self, other) -> Tensor:
        return as_tensor(other) @ self

    # -- reductions and shape ----------------------------------------------------------------

    def sum(self, axis=None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (an axis, a tuple, or None for all), as ``np.sum``."""

        def grad_fn(g):  # every summed entry gets the upstream gradient of its sum
            g = g if keepdims or axis is None else np.expand_dims(g, axis)
            return (np.broadcast_to(g, self.shape),)

        value = self.data.sum(axis=axis, keepdims=keepdims)
        return Tensor(value, (self,), "sum", grad_fn=grad_fn)

    def mean(self, axis=None, keepdims: bool = False) -> Tensor:
        """Mean over ``axis`` (an axis, a tuple, or None for all), as ``np.mean``."""
        total = self.sum(axis=axis, keepdims=keepdims)
        return total * (total.data.size / self.data.size)  # 1 / (entries per sum)

    def reshape(self, *shape) -> Tensor:
        """The same entries in a new shape, as ``np.reshape``."""
        value = self.data.reshape(*shape)
        return Tensor(value, (self,), "reshape", grad_fn=lambda g: (g.reshape(self.shape),))

    @property
    def T(self) -> Tensor:  # noqa: N802 - NumPy's name
        """The transpose."""
        return Tensor(self.data.T, (self,), "T", grad_fn=lambda g: (g.T,))

    def __getitem__(self, index) -> Tensor:
        """Indexing, including gathering rows of an embedding matrix: ``E[word_ids]``."""
        index = index.data.astype(int) if isinstance(index, Tensor) else index

        def grad_fn(g):
            full = np.zeros_like(self.data)
            np.add.at(full, index, g)  # not +=: a row gathered twice must receive both
            return (full,)

        return Tensor(self.data[index], (self,), "[]", grad_fn=grad_fn)

    # -- element-wise functions ---------------------------------------------------------------

    def _unary(self, value: np.ndarray, local_grad: np.ndarray, op: str) -> Tensor:
        return Tensor(value, (self,), op, grad_fn=lambda g: (g * local_grad,))

    def _activation(self, name: str) -> Tensor:
        """``f(self)`` for an activation of ``lecnotes.activations``, with its local rule."""
        act = activations.get(name)
        value = act.f(self.data)  # sigmoid: the stable form, never exponentiates +|z|
        return self._unary(value, act.local_grad(self.data, value), name)

    def exp(self) -> Tensor:
        value = np.exp(self.data)
        return self._unary(value, value, "exp")

    def log(self) -> Tensor:
        return self._unary(np.log(self.data), 1.0 / self.data, "log")

    def tanh(self) -> Tensor:
        return self._activation("tanh")

    def sigmoid(self) -> Tensor:
        return self._activation("sigmoid")

    def relu(self) -> Tensor:
        return self._activation("relu")

    # -- graph traversal ---------------------------------------------------------------------

    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Backpropagate from this value: fill ``.grad`` of everything it depends on.

        Gradients of inputs accumulate across calls (reset with ``zero_grad``); those of
        intermediate values are recomputed by each call. The graph is freed afterwards, as
        in PyTorch, unless ``retain_graph=True``.

        Args:
            grad: the upstream gradient, of this tensor's shape; 1 if omitted (scalars only).
            retain_graph: keep the local rules (to call ``backward`` again, or to draw).
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() on a non-scalar of shape {self.shape} needs an explicit "
                    "upstream gradient: call backward(grad) with grad of that shape"
                )
            grad = np.ones_like(self.data)
        grad = _checks.float_array("grad", grad)
        _checks.same_shape("grad", grad, self.shape, "the tensor")
        order = topological_order(self)
        for node in order:  # inputs accumulate across calls; intermediate values start fresh
            if node.parents:
                node._grad = None
        self._accumulate(grad)
        for node in reversed(order):
            if node.grad_fn is not None and node._grad is not None:  # else nothing flows
                for parent, downstream in zip(node.parents, node.grad_fn(node._grad), strict=True):
                    parent._accumulate(downstream)
        if not retain_graph:
            for node in order:
                if node.grad_fn is not None:
                    node.grad_fn, node._freed = None, True


def as_tensor(value) -> Tensor:
    """A number or array as a (constant) Tensor, a Tensor itself; else ``ValueError``."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray | float | int | np.number) and not isinstance(value, bool):
        return Tensor(value)
    raise ValueError(f"cannot combine a Tensor with {type(value).__name__} {value!r}")


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` (of a broadcast result's shape) over the dimensions that broadcasting added or
    stretched, back to the input's ``shape``; ``grad`` itself when nothing was broadcast."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def topological_order(root: Tensor) -> list[Tensor]:
    """Every node ``root`` depends on, each after all of its inputs, ending with ``root``
    (iterative DFS; a node's first input is listed first). Raises ``RuntimeError`` if the graph
    was freed by an earlier ``backward()``."""
    _check_not_freed(root)
    order, seen, stack = [], {root}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:  # tensors hash by identity
                _check_not_freed(parent)
                seen.add(parent)
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every input is listed: now this node
            stack.pop()
            order.append(node)
    return order


def _check_not_freed(node: Tensor) -> None:
    if node._freed:
        raise RuntimeError(
            "this graph was freed by an earlier backward(); recompute the forward pass, "
            "or call backward(retain_graph=True) the first time"
        )


def maximum(a, b) -> Tensor:
    """Element-wise ``max(a, b)`` of two broadcastable values: the gradient goes to the larger
    input, split evenly at ties; where either is NaN (so is the maximum), both get all of it
    (PyTorch's rule: an input gets nothing only where it is the smaller one)."""
    a, b = as_tensor(a), as_tensor(b)

    def grad_fn(g):  # max routes the gradient to the winner
        tie = a.data == b.data
        share_a = np.where(tie, 0.5, np.where(a.data < b.data, 0.0, 1.0))
        share_b = np.where(tie, 0.5, np.where(a.data > b.data, 0.0, 1.0))
        return unbroadcast(g * share_a, a.shape), unbroadcast(g * share_b, b.shape)

    return Tensor(np.maximum(a.data, b.data), (a, b), "max", grad_fn=grad_fn)


def cross_entropy(scores, targets) -> Tensor:
    """Mean of ``-log softmax(scores)[target]`` over the rows: ``lecnotes.losses.cross_entropy``
    (stable for large scores), whose gradient ``(softmax - onehot) / B`` is the local rule.

    Args:
        scores: a Tensor (or array) of shape (B, C), or (C,) for one example.
        targets: B integer class indices in [0, C), one per row (one integer for one example).

    Returns:
        A scalar Tensor.
    """
    scores = as_tensor(scores)
    s = scores.data if scores.ndim == 2 else scores.data[None, :]
    loss, dscores, _ = losses.cross_entropy(s, np.atleast_1d(np.asarray(targets)), "targets")
    return Tensor(loss, (scores,), "xent", grad_fn=lambda g: ((g * dscores).reshape(scores.shape),))
