"""Stubs for the exercises of chapter 4, "Vectorization: one matrix product instead of a loop".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# A small regression: N = 6 examples with d = 3 features.
X_reg = rng.normal(size=(6, 3))
w = rng.normal(size=(3, 1))
t = rng.normal(size=6)
pred = X_reg @ w
# your code here: the shape of pred - t
wrong = ...  # the loss as written, np.mean((pred - t) ** 2)
right = ...  # the mean squared error with the shapes fixed


# %% Exercise 2
def batch_loss(scores):
    """The mean cross-entropy J of a batch of scores (B, C) against the labels y."""
    # your code here
    ...


dS = ...  # dJ/dS without a loop (the batch S and labels y above)
# then compare a few entries of dS with centered differences of batch_loss

# %% Exercise 3
ids = np.array([[1, 2, 3, 2, 4], [5, 2, 6, 7, 1]])  # two windows; word 2 occurs 3 times
dX = rng.normal(size=(2, 5, 4))  # the gradient for each window's slots, D = 4
# your code here
dE_loop = ...  # dE (8 words, D) summed over every window and slot with loops: the reference
dE_wrong = ...  # zeros, then dE_wrong[ids] += dX; does it match the loop?
dE_right = ...  # the vectorized fix
