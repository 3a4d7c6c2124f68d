"""Stubs for the exercises of chapter 7, "Optimizers".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# Adam's first step from w = 0 (optim.Adam, lr = 0.01) for gradients of 1e-4 and 1e4,
# against lr g / (|g| + eps). Then look for a later step larger than lr.
# your code here
new = ...  # the parameters after one opt.update
expected = ...  # lr g / (|g| + eps)


# %% Exercise 2
def steps_to_converge(mu, lr, kappa, tol=1e-6, limit=3000):
    """The steps SGD with heavy-ball momentum `mu` and rate `lr` takes on the quadratic of
    condition number `kappa` (surfaces.quadratic_grad), from [1, 1], until every entry of
    the gradient is below `tol`; `limit` if it never gets there."""
    # your code here
    ...


# For kappa 10 and 100, mu in 0, 0.3, 0.6, 0.9 and mu*: the fewest steps over rates up to
# the stability limit 2 (1 + mu) / kappa (and eta* for mu*).
best_steps = ...  # {(kappa, mu is mu*, mu): fewest steps}
plain = ...  # fewest steps without momentum: [kappa = 10, kappa = 100]
optimal = ...  # the same with mu*: [kappa = 10, kappa = 100]
