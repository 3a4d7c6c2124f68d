"""Stubs for the exercises of chapter 1, "Gradients with respect to a weight matrix".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
window_rng = np.random.default_rng(3)  # the exercise's own numbers: draw the windows' words
# your code here
rank_one_window = ...  # the rank of our window's gradient grads["W"], an int
ranks = ...  # [the rank of the gradient summed over B random windows, for B = 1, 2, ..., 5]
# then: what bounds each rank?


# %% Exercise 2
def relu_score(W, x_=x):
    """The score s = u^T max(W x_ + b, 0) with the chapter's u and b, as a float."""
    # your code here
    ...


# your code here
z_relu = ...  # z = W x + b at our window
delta_relu = ...  # delta for f(z) = max(z, 0)
report = ...  # gradcheck's report on your grad_W s at params["W"]
# Then change W so that z_0 = 1e-6 and check again:
near_kink = ...  # gradcheck's report there
caught = ...  # the warnings issued meanwhile (a list: warnings.catch_warnings(record=True))
crossing = ...  # the sorted entries (0, j) whose step h = 1e-5 (gradcheck's) moves z_0 across 0


# %% Exercise 3
# For 40 seeds: a task data.synonym_task(np.random.default_rng(100 + seed), dim=2,
# noise=1.0), every word a training word, the classifier trained with fixed and with
# fine-tuned vectors (finetune.train_word_classifier with np.random.default_rng(200 + seed),
# lr_vectors 0.0 and 0.5, as above).


def separable(points, labels):
    """True if a line separates the points (n, 2) of label 1 from those of label 0."""
    # your code here
    ...


n_separable = ...  # how many of the 40 vocabularies a line can separate
all_right = {"fixed": ..., "fine-tuned": ...}  # runs that get every word right, of 40
