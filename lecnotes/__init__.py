"""Helpers behind the CS224n Lecture 4 companion book.

One module per idea of the lecture. Importing the package has no side effects: no
seeding, no matplotlib style changes and no heavy imports until a module is used.
Import modules by name, e.g. ``from lecnotes import timing``.
"""

__all__ = [
    "activations", "autograd", "corpus", "data", "dead_units", "finetune", "frames",
    "gradcheck", "graphs", "init", "metrics", "mlp", "optim", "plotting",
    "regularization", "schedules", "stacks", "surfaces", "timing", "tuning", "vectors",
    "widgets", "window",
]  # fmt: skip
__version__ = "0.1.0"
