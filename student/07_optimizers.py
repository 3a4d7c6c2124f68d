"""Stubs for the exercises of chapter 7, "Optimizers".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# Adam's first step from w = 0 (optim.Adam with lr = 0.01), for gradients g = 1e-4 and 1e4
# (and 1 between them, if you like).
# your code here
first_steps = ...  # {g: (-w after the first step, lr g / (|g| + eps))}
# Is every later step at most lr? Find a sequence of gradients that makes one larger:
sudden = ...  # the size of that step, in units of lr
bound = ...  # Kingma and Ba's bound (1 - beta1) / sqrt(1 - beta2), Adam's default betas


# %% Exercise 2
def heavy_ball_steps(kappa, mu, lr, start=(1.0, 1.0), tol=1e-6, limit=3000):
    """The steps SGD with heavy-ball momentum `mu` and rate `lr` takes from `start` on the
    quadratic (w0^2 + kappa w1^2) / 2 until every entry of its gradient is below `tol`;
    `limit` if it never gets there. `mu` and `lr` may also be arrays of one shape, to run
    every pair at once: then an array of that shape."""
    # your code here
    ...


# Your heavy ball should take the steps of lecnotes' optim.SGD, whose path this is:
one = surfaces.trajectory(
    optim.SGD(lr=0.05, momentum=0.6), surfaces.quadratic_grad, [1.0, 1.0], 3000, tol=1e-6
)
# your code here
fractions = ...  # the rates to search, as shares of the stability limit 2 (1 + mu) / kappa
best_steps = ...  # {(kappa, whether mu is mu*, mu rounded to 0.01): the fewest steps}
best_span = ...  # {(kappa, mu rounded to 0.01): (lowest, highest) share giving the fewest}
plain = ...  # the fewest steps without momentum: [kappa = 10, kappa = 100]
optimal = ...  # the same with mu*: [kappa = 10, kappa = 100]


# %% Exercise 3
def later_steps(beta1, beta2=0.999, t0=101, steps=100):
    """Dense Adam's steps on a row whose only nonzero gradient comes at its step t0 (the
    rare word's is step 101): the steps k = 0, 1, ..., steps - 1 from that one on, each
    divided by the first (eps neglected), as an array."""
    # your code here
    ...


# Predict the factor for beta1 = 0.9, 0.5 and 0, then check it with rare_word_moves(beta1).
# your code here
ratios = ...  # {beta1: {optimizer's name: how far the row moved by the end / at its step}}
exact = ...  # {beta1: the factor later_steps(beta1) predicts}

# %% Exercise 4
# your code here
loose = ...  # {(name, surface, beta): the rate tune(..., climb=10.0) chooses}, as TUNED's keys
loose_gap = ...  # gap at the looser rule's rates: on Rosenbrock, the lowest final loss
# without momentum over the highest with it
