"""A small reverse-mode automatic differentiation over NumPy arrays (a tensor micrograd).

Every operation on :class:`Tensor` values returns a new tensor that remembers its inputs
(``parents``) and a local backward rule. ``loss.backward()`` then visits the graph in reverse
topological order, and each node turns its upstream gradient into gradients for its inputs:

    downstream gradient = upstream gradient x local gradient,

**adding** into ``parent.grad``, so that a value used in several places receives the sum of
the gradients flowing back along each use. Semantics follow NumPy and PyTorch: operations
broadcast, and ``grad`` always has the shape of ``data`` (broadcast dimensions are summed
back). Data are float64.

Two choices keep a step within about 2x of the same step written by hand in NumPy (see
``bench/``): a float64 array is wrapped without a copy (like ``torch.from_numpy``; nothing
here modifies ``data`` in place), and a gradient array is only allocated when a gradient
first arrives (reading ``grad`` before that gives zeros).

Conventions at kinks (as PyTorch): ``relu'(0) = 0``; ``maximum(a, b)`` at a tie sends half
of the gradient to each input.
"""

from __future__ import annotations

import numpy as np


class Tensor:
    """An array in a computation graph: ``data``, its gradient ``grad`` and how it was made."""

    __array_priority__ = 1000  # ndarray + Tensor calls Tensor.__radd__, not NumPy's add

    def __init__(self, data, parents: tuple[Tensor, ...] = (), op: str = "", name: str = ""):
        array = np.asarray(data)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"Tensor data must be numeric, got dtype {array.dtype}")
        self.data = np.asarray(array, dtype=np.float64)  # no copy if already float64
        self._grad = None  # allocated when the first gradient arrives
        self.parents = parents
        self.op = op  # the operation that made this value ("" for an input)
        self.name = name
        self._backward = None  # local rule: reads self.grad, adds into parents' grads
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
        self._grad = np.asarray(value, dtype=np.float64)

    def _add_grad(self, grad: np.ndarray) -> None:
        """Accumulate a gradient contribution (the first one is copied, not zero-filled + added)."""
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
        out = Tensor(self.data + other.data, (self, other), "+")

        def backward():  # + distributes: each input gets the upstream gradient
            self._add_grad(unbroadcast(out.grad, self.shape))
            other._add_grad(unbroadcast(out.grad, other.shape))

        out._backward = backward
        return out

    def __mul__(self, other) -> Tensor:
        other = as_tensor(other)
        out = Tensor(self.data * other.data, (self, other), "*")

        def backward():  # * switches: each input gets upstream x the other input
            self._add_grad(unbroadcast(out.grad * other.data, self.shape))
            other._add_grad(unbroadcast(out.grad * self.data, other.shape))

        out._backward = backward
        return out

    def __pow__(self, exponent: float) -> Tensor:
        if isinstance(exponent, Tensor) or not np.isscalar(exponent):
            raise TypeError("only a constant exponent is supported: t ** 2, not t ** tensor")
        out = Tensor(self.data**exponent, (self,), f"**{exponent:g}")

        def backward():
            self._add_grad(out.grad * exponent * self.data ** (exponent - 1))

        out._backward = backward
        return out

    def __neg__(self) -> Tensor:
        return self * -1.0

    def __sub__(self, other) -> Tensor:
        return self + (-as_tensor(other))

    def __truediv__(self, other) -> Tensor:
        return self * as_tensor(other) ** -1.0

    def __radd__(self, other) -> Tensor:
        return as_tensor(other) + self

    def __rsub__(self, other) -> Tensor:
        return as_tensor(other) - self

    def __rmul__(self, other) -> Tensor:
        return as_tensor(other) * self

    def __rtruediv__(self, other) -> Tensor:
        return as_tensor(other) / self

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
        out = Tensor(a @ b, (self, other), "@")

        def backward():
            # Treat vectors as a row (left) or column (right) matrix, then undo it.
            a2, b2 = a.reshape(-1, a.shape[-1]), b.reshape(b.shape[0], -1)
            g2 = out.grad.reshape(a2.shape[0], b2.shape[1])
            self._add_grad((g2 @ b2.T).reshape(a.shape))  # dL/dA = G B^T
            other._add_grad((a2.T @ g2).reshape(b.shape))  # dL/dB = A^T G

        out._backward = backward
        return out

    def __rmatmul__(self, other) -> Tensor:
        return as_tensor(other) @ self

    # -- reductions and shape ----------------------------------------------------------------

    def sum(self, axis=None, keepdims: bool = False) -> Tensor:
        out = Tensor(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def backward():  # every summed entry gets the upstream gradient of its sum
            grad = out.grad if keepdims or axis is None else np.expand_dims(out.grad, axis)
            self._add_grad(np.broadcast_to(grad, self.shape))

        out._backward = backward
        return out

    def mean(self, axis=None, keepdims: bool = False) -> Tensor:
        count = (
            self.data.size if axis is None else np.prod(np.array(self.shape)[np.atleast_1d(axis)])
        )
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / count)

    def reshape(self, *shape) -> Tensor:
        out = Tensor(self.data.reshape(*shape), (self,), "reshape")

        def backward():
            self._add_grad(out.grad.reshape(self.shape))

        out._backward = backward
        return out

    @property
    def T(self) -> Tensor:  # noqa: N802 - NumPy's name
        out = Tensor(self.data.T, (self,), "T")

        def backward():
            self._add_grad(out.grad.T)

        out._backward = backward
        return out

    def __getitem__(self, index) -> Tensor:
        """Indexing, including gathering rows of an embedding matrix: ``E[word_ids]``."""
        index = index.data.astype(int) if isinstance(index, Tensor) else index
        out = Tensor(self.data[index], (self,), "[]")

        def backward():
            # np.add.at, not +=: a row gathered twice must receive both gradients.
            np.add.at(self.grad, index, out.grad)

        out._backward = backward
        return out

    # -- element-wise functions ---------------------------------------------------------------

    def _unary(self, value: np.ndarray, local_grad: np.ndarray, op: str) -> Tensor:
        out = Tensor(value, (self,), op)

        def backward():
            self._add_grad(out.grad * local_grad)

        out._backward = backward
        return out

    def exp(self) -> Tensor:
        value = np.exp(self.data)
        return self._unary(value, value, "exp")

    def log(self) -> Tensor:
        return self._unary(np.log(self.data), 1.0 / self.data, "log")

    def tanh(self) -> Tensor:
        value = np.tanh(self.data)
        return self._unary(value, 1.0 - value**2, "tanh")

    def sigmoid(self) -> Tensor:
        # 1 / (1 + e^-z) overflows e^-z for z << 0; this form only exponentiates -|z|.
        e = np.exp(-np.abs(self.data))
        value = np.where(self.data >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        return self._unary(value, value * (1.0 - value), "sigmoid")

    def relu(self) -> Tensor:
        return self._unary(np.maximum(self.data, 0.0), (self.data > 0).astype(float), "relu")

    # -- graph traversal ---------------------------------------------------------------------

    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Backpropagate from this value: fill ``.grad`` of everything it depends on.

        ``grad`` is the upstream gradient (same shape as ``data``); it may be omitted only
        for a scalar, where it is 1. Gradients of inputs accumulate across calls (use
        ``zero_grad``); those of intermediate values are recomputed by each call.
        The graph is freed afterwards, as in PyTorch, unless ``retain_graph=True``.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() on a non-scalar of shape {self.shape} needs an explicit "
                    "upstream gradient: call backward(grad) with grad of that shape"
                )
            grad = np.ones_like(self.data)
        grad = np.asarray(grad, dtype=np.float64)
        if grad.shape != self.shape:
            raise ValueError(f"upstream gradient has shape {grad.shape}, expected {self.shape}")
        order = topological_order(self)
        for node in order:  # inputs accumulate across calls; intermediate values start fresh
            if node.parents:
                node._grad = None
        self._add_grad(grad)
        for node in reversed(order):
            if node._backward is not None and node._grad is not None:  # else nothing flows
                node._backward()
        if not retain_graph:
            for node in order:
                if node._backward is not None:
                    node._backward, node._freed = None, True


def as_tensor(value) -> Tensor:
    """Wrap numbers and arrays as (constant) tensors; pass tensors through."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray | float | int | np.number) and not isinstance(value, bool):
        return Tensor(value)
    raise TypeError(f"cannot combine a Tensor with {type(value).__name__} {value!r}")


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``grad`` over the dimensions that broadcasting added or stretched to reach ``shape``."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def topological_order(root: Tensor) -> list[Tensor]:
    """Every node ``root`` depends on, each after all of its inputs (iterative DFS).

    Inputs are visited in order, so the first input of a node is listed first. Tensors
    hash by identity, so ``seen`` holds the nodes themselves.
    """
    _check_not_freed(root)
    order, seen, stack = [], {root}, [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if parent not in seen:
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
    """Element-wise ``max(a, b)``: the gradient goes to the larger input (split at ties)."""
    a, b = as_tensor(a), as_tensor(b)
    out = Tensor(np.maximum(a.data, b.data), (a, b), "max")

    def backward():  # max routes the gradient to the winner
        share_a = np.where(a.data > b.data, 1.0, np.where(a.data == b.data, 0.5, 0.0))
        a._add_grad(unbroadcast(out.grad * share_a, a.shape))
        b._add_grad(unbroadcast(out.grad * (1.0 - share_a), b.shape))

    out._backward = backward
    return out


def cross_entropy(scores: Tensor, targets) -> Tensor:
    """Mean of ``-log softmax(scores)[target]`` over the rows; scores (B, C) or (C,).

    Computed from the log-sum-exp with the row maximum subtracted, so large scores do not
    overflow; the gradient with respect to the scores is ``(softmax - onehot) / B``.
    """
    scores = as_tensor(scores)
    s = scores.data if scores.ndim == 2 else scores.data[None, :]
    y = np.atleast_1d(np.asarray(targets))
    rows, classes = s.shape
    if y.dtype.kind not in "iu" or y.shape != (rows,) or y.min() < 0 or y.max() >= classes:
        raise ValueError(
            f"targets must be {rows} integer class indices in [0, {classes}), got {targets!r}"
        )
    shifted = s - s.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    out = Tensor(-log_p[rows, y].mean(), (scores,), "xent")

    def backward():
        dscores = np.exp(log_p)
        dscores[rows, y] -= 1.0
        scores._add_grad((out.grad * dscores / len(y)).reshape(scores.shape))

    out._backward = backward
    return out
