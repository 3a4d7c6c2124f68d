"""Stubs for the exercises of chapter 6, "Parameter initialization".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# The variance a^2 / 3 on paper; here, the numerical checks.
uniform_rng = np.random.default_rng(11)  # draw everything from this generator
a = 0.7  # any bound
# your code here
samples = ...  # many draws from Uniform(-a, a) (init.uniform); their variance against a^2 / 3
W_x = ...  # init.xavier_uniform for a (200, 800) weight; its variance against Xavier's target
W_h = ...  # init.he_uniform for the same shape; its variance against He's target

# %% Exercise 2
labels = np.repeat([1.0, 0.0], [900, 100])  # 90 % of the labels are 1


def bce(bias):
    """The mean binary cross-entropy of `labels` when every prediction is sigmoid(bias)."""
    # your code here
    ...


best_bias = ...  # log(mean / (1 - mean)) of the labels; compare bce(0.0) with bce(best_bias)

# %% Exercise 3
# For gain 1 and for gain 5/3 (init.calculate_gain("tanh")): 20 layers of Xavier uniform
# weights (width x width) with that gain, the tanh stack's activations on `inputs`
# (stacks.forward_activations), and the spread of each layer's activations.
# your code here
stds_by_gain = ...  # {gain: [the standard deviation of layers 1 to 20]}
steadier = ...  # the gain whose spread changes least from layer 1 to layer 20
