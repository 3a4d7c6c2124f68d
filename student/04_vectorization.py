"""Stubs for the exercises of chapter 4, "Vectorization: one matrix product instead of a loop".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# A small regression: N = 6 examples with d = 3 features.
reg_rng = np.random.default_rng(11)  # the exercise's own numbers
X_reg, w, t = reg_rng.normal(size=(6, 3)), reg_rng.normal(size=(3, 1)), reg_rng.normal(size=6)
pred = X_reg @ w
# your code here
diff = ...  # pred - t, as the loss above computes it: what shape is it?
wrong = ...  # the loss as written, np.mean((pred - t) ** 2)
fixed = ...  # one difference per example
right = ...  # the mean squared error with the shapes fixed


# %% Exercise 2
def batch_loss(scores):
    """The mean cross-entropy J of a batch of scores (B, C) against the labels y."""
    # your code here
    ...


dS = ...  # dJ/dS without a loop (the batch S and labels y above)
differences = []  # |dS[i, c] - centered difference| for a few entries (i, c)
dW = ...  # dJ/dW_batch, shape (C, 5 D), as one matrix product
dW_loop = ...  # the same as a sum of one outer product per window

# %% Exercise 3
ids = np.array([[1, 2, 3, 2, 4], [5, 2, 6, 7, 1]])  # two windows; word 2 occurs 3 times
dX = np.random.default_rng(13).normal(size=(2, 5, 4))  # each window's slot gradients, D = 4
# your code here
dE_loop = ...  # dE (8 words, D) summed over every window and slot with loops: the reference
dE_wrong = ...  # zeros, then dE_wrong[ids] += dX; does it match the loop?
dE_right = ...  # the vectorized fix

# %% Exercise 4
classes_rng = np.random.default_rng(14)  # the exercise's own numbers
# your code here: time the loop against one product with C = 50 classes, as the grid did
fifty = ...  # a timing.Comparison of the loop (slow) and the product (fast), C = 50
five = grid[N, d]  # the grid's measurement, C = 5
loop_growth_50 = ...  # the loop's time per window with C = 50 over its time with C = 5
