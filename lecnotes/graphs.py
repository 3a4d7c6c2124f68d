"""Draw a small computation graph with its forward values and gradients, like the lecture.

Inputs sit on the left, the output on the right. Each node shows its forward value (blue,
above) and the gradient of the output with respect to it (vermillion, below); each edge is
labelled with the gradient flowing back along it, so at a branch you can read how the
gradients add up. Pure matplotlib: no Graphviz binary needed.
"""

from __future__ import annotations

import numpy as np

from lecnotes import plotting
from lecnotes.autograd import Tensor, topological_order

VALUE, GRAD = plotting.PALETTE["blue"], plotting.PALETTE["vermillion"]


def _fmt(array: np.ndarray) -> str:
    return f"{float(array):.3g}" if array.size == 1 else f"array{array.shape}"


def levels(root: Tensor) -> dict[int, int]:
    """Column of each node: the length of the longest path from an input to it."""
    level: dict[int, int] = {}
    for node in topological_order(root):
        level[id(node)] = 1 + max((level[id(p)] for p in node.parents), default=-1)
    return level


def edge_gradients(root: Tensor) -> dict[tuple[int, int], np.ndarray]:
    """Gradient sent along each edge (parent -> child) by the child's local rule.

    Needs the graph after ``root.backward(retain_graph=True)``: each node's ``grad_fn``
    turns its own gradient into one gradient per parent, and nothing is modified.

    Returns:
        ``{(id(parent), id(child)): gradient}``, each gradient of the parent's shape.
    """
    edges = {}
    for child in topological_order(root):
        if child.grad_fn is not None:
            for parent, grad in zip(child.parents, child.grad_fn(child.grad), strict=True):
                edges[id(parent), id(child)] = np.asarray(grad)
    return edges


def draw(root: Tensor, title: str = "Computation graph", edge_grads: bool = True):
    """A figure of the graph that computes ``root``, with values and gradients, as in the lecture.

    Call ``root.backward(retain_graph=True)`` first to see gradients and edge gradients.

    Args:
        root: the output Tensor; its graph is drawn inputs left, output right.
        title: the figure's title.
        edge_grads: label each edge with the gradient flowing back along it.

    Returns:
        The matplotlib ``Figure`` (made with :func:`plotting.figure`).
    """
    from matplotlib.patches import FancyBboxPatch

    nodes = topological_order(root)
    level = levels(root)
    columns: dict[int, list[Tensor]] = {}
    for node in nodes:  # topological order keeps inputs in the order they were used
        columns.setdefault(level[id(node)], []).append(node)
    position = {}
    for col, members in columns.items():
        for row, node in enumerate(members):
            position[id(node)] = (col * 2.6, (len(members) - 1) / 2 - row)
    edges = edge_gradients(root) if edge_grads and any(n.grad_fn for n in nodes) else {}

    fig, ax = plotting.figure(figsize=(6.4, 3.6))
    for child in nodes:
        for parent in child.parents:
            (x0, y0), (x1, y1) = position[id(parent)], position[id(child)]
            ax.annotate(
                "",
                xy=(x1 - 0.5, y1),
                xytext=(x0 + 0.5, y0),
                arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.3},
            )
            if (id(parent), id(child)) in edges:
                ax.text(
                    (x0 + x1) / 2,
                    (y0 + y1) / 2 - 0.12,
                    _fmt(edges[id(parent), id(child)]),
                    color=GRAD,
                    ha="center",
                    va="top",
                    fontsize=10,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
                )
    for node in nodes:
        x, y = position[id(node)]
        op = {"*": "×", "max": "max", "+": "+"}.get(node.op, node.op)
        label = f"{node.name} = {op}" if node.name and op else (node.name or op or "const")
        leaf = not node.parents
        ax.add_patch(
            FancyBboxPatch(
                (x - 0.5, y - 0.22),
                1.0,
                0.44,
                boxstyle="round,pad=0.02",
                facecolor="#eef5fb" if leaf else "white",
                edgecolor="#333333",
                linewidth=1.2,
            )
        )
        ax.text(x, y, label, ha="center", va="center", fontsize=12, fontweight="bold")
        ax.text(x, y + 0.28, _fmt(node.data), color=VALUE, ha="center", va="bottom", fontsize=10)
        ax.text(x, y - 0.28, _fmt(node.grad), color=GRAD, ha="center", va="top", fontsize=10)
    xs = [p[0] for p in position.values()]
    ys = [p[1] for p in position.values()]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
    ax.set_ylim(min(ys) - 0.75, max(ys) + 0.75)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.plot([], [], color=VALUE, lw=3, label="forward value (above a node)")
    ax.plot([], [], color=GRAD, lw=3, label="gradient of the output (below; on edges)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.02), ncols=2, fontsize=9)
    ax.set_title(title)
    return fig
