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
COLUMN, ROW = 2.6, 1.3  # distance between columns, and between nodes in a column (data units)
HALF_WIDTH = 0.6  # half a node box's width: room for a label such as "b = max"


def edge_bend(x0: float, y0: float, x1: float, y1: float) -> float:
    """How much an edge from (x0, y0) to (x1, y1) curves: matplotlib's ``arc3`` ``rad``.

    An edge between neighbouring columns is straight (0). A longer one would cross the
    columns between its ends, through their nodes' labels, so it bends away from the middle
    of the drawing: up when its midpoint is at or above the middle row, down otherwise.
    """
    if x1 - x0 <= COLUMN:
        return 0.0
    return -0.15 if y0 + y1 >= 0 else 0.15


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
            position[id(node)] = (col * COLUMN, ((len(members) - 1) / 2 - row) * ROW)
    edges = edge_gradients(root) if edge_grads and any(n.grad_fn for n in nodes) else {}

    fig, ax = plotting.figure(figsize=(6.4, 3.6))
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.91)  # no axes to label
    for child in nodes:
        for parent in child.parents:
            (x0, y0), (x1, y1) = position[id(parent)], position[id(child)]
            rad = edge_bend(x0, y0, x1, y1)
            ax.annotate(
                "",
                xy=(x1 - HALF_WIDTH, y1),
                xytext=(x0 + HALF_WIDTH, y0),
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "#555555",
                    "lw": 1.3,
                    "connectionstyle": f"arc3,rad={rad}",
                },
            )
            if (id(parent), id(child)) in edges:
                # The middle of the (curved) edge: arc3's control point is the chord's midpoint
                # plus rad * (dy, -dx), and a quadratic Bezier passes halfway to it.
                dx, dy = (x1 - x0) - 2 * HALF_WIDTH, y1 - y0
                ax.text(
                    (x0 + x1) / 2 + rad * dy / 2,
                    (y0 + y1) / 2 - rad * dx / 2 - 0.12,
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
                (x - HALF_WIDTH, y - 0.22),
                2 * HALF_WIDTH,
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
    ax.set_xlim(min(xs) - HALF_WIDTH - 0.3, max(xs) + HALF_WIDTH + 0.3)
    ax.set_ylim(min(ys) - 1.05, max(ys) + 0.75)  # below: room for the legend
    ax.set_aspect("equal")
    ax.axis("off")
    ax.plot([], [], color=VALUE, lw=3, label="forward value (above a node)")
    ax.plot([], [], color=GRAD, lw=3, label="gradient of the output (below; on edges)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.02), ncols=2, fontsize=9)
    ax.set_title(title)
    return fig
