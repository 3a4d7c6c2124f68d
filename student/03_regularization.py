"""Stubs for the exercises of chapter 3, "Regularization".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""


# %% Exercise 1
def shrink_factor(eta, lam, t):
    """The factor by which t steps of gradient descent on lam * w^2 alone shrink a weight w."""
    # your code here
    ...


def simulate(eta, lam, t):
    """A weight of 1.0 after t steps of regularization.WithL2(optim.SGD(lr=eta), lam) with a
    data gradient of 0 at every step, as a float."""
    # your code here
    ...


lam_half = ...  # the lambda that halves such a weight in 100 steps at eta = 0.5


# %% Exercise 2
def l1_regression(lam_, lr=0.2, steps=300):
    """The softmax regression on (Xb, yb) from zero, with the penalty lam_ * sum |W| on the
    weights (not the bias) by proximal steps: after each gradient step on the cross-entropy,
    shrink every weight towards 0 by lr * lam_ and clip at 0. Returns {"W1": (3, 2), "b1": (3,)}."""
    # your code here
    ...


W_l1 = ...  # the weights l1_regression(0.3) ends with
W_l2 = ...  # {0.3: W, 3.0: W}, the weights of mlp.train's L2 regression at each lambda
data_grad = ...  # (3, 2): the cross-entropy's gradient with respect to W at the L1 model

# %% Exercise 3
# 150 points per class (data.spirals, seed 6, the same noise), the network without a penalty,
# the same rate and steps, the validation loss every 100 steps.
# your code here
more_data = ...  # what mlp.train returns for it
big_test = ...  # its test loss
small_test = ...  # the test loss of the first draw's L2 model (lambda = best_lam)
big_val = ...  # its validation losses, one per check

# %% Exercise 4
# The first draw, from init.xavier_normal with the seed 4, as the chapter trains it otherwise.
# your code here
glorot = ...  # what mlp.train returns (with val, so that best_step is in it)
