"""Stubs for the exercises of chapter 1, "Gradients with respect to a weight matrix".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# The rank of ds/dW for our window (grads["W"]), then of the gradient summed over
# B = 1, 2, ..., 5 windows of random words (window.vector, window.score and
# window.score_backward give one window's).
# your code here
windows = ...  # a list of B windows x
summed = ...  # the sum of their gradients ds/dW

# %% Exercise 2
# delta for f(z) = max(z, 0); ds/dW checked against centered differences
# (gradcheck.check), at our window and after moving z_0 = W[0] @ x + b[0] to 1e-6.


def relu_score(W, x_=x):
    """The score s = u^T max(W x_ + b, 0) with the chapter's u and b, as a float."""
    # your code here
    ...


delta_relu = ...  # u * f'(z) for the ReLU
report = ...  # gradcheck's report at W = params["W"]
near_kink = ...  # gradcheck's report once z_0 is 1e-6
crossing = ...  # sorted entries (0, j) whose step h = 1e-5 moves z_0 across 0: h |x_j| > |z_0|

# %% Exercise 3
# For 40 seeds: a task data.synonym_task(np.random.default_rng(100 + seed), dim=2,
# noise=1.0), every word a training word, the classifier trained with fixed and with
# fine-tuned vectors (finetune.train_word_classifier, lr_vectors 0.0 and 0.5 as above).


def separable(points, labels):
    """True if a line separates the points (n, 2) of label 1 from those of label 0."""
    # your code here
    ...


n_separable = ...  # how many of the 40 vocabularies a line can separate
all_right = {"fixed": ..., "fine-tuned": ...}  # runs that get every word right, of 40
