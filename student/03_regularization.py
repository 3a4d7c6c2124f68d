"""Stubs for the exercises of chapter 3, "Regularization".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# your code here
lam_half = ...  # the lambda that halves a weight in 100 steps at learning rate 0.5
w = ...  # a weight of 1.0 after 100 of those steps with no data gradient (simulated)


# %% Exercise 2
def sparse_regression(penalty, lam_=0.3, lr=0.2, steps=300):
    """The weights W (3, 2) of the softmax regression on (Xb, yb) above after `steps` steps
    of gradient descent from zero, with a penalty of strength `lam_` on W (not on the bias):
    "l1" with the proximal step (shrink towards 0 by lr * lam_, clip at 0), or "l2"."""
    # your code here
    ...


W_fit = ...  # for each penalty, the fitted W; count its entries that are exactly 0

# %% Exercise 3
# 150 points per class instead of 15 (data.spirals with the same noise), the network
# without a penalty, the same learning rate and number of steps, validation tracked.
# your code here
X_big = y_big = ...  # the larger training set
more_data = ...  # what mlp.train returns for it
# then its test loss against the best regularized model's; does it overfit?
