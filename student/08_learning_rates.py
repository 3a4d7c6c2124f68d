"""Stubs for the exercises of chapter 8, "Learning rates and schedules".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# your code here
k_half = ...  # the k that makes lr0 e^(-k t) halve the rate every 4 epochs
stepwise = ...  # the step decay from 1.0, halved every 4 epochs (schedules.step_decay)
smooth_decay = ...  # the exponential decay from 1.0 with k_half (schedules.exponential_decay)
# then both at epochs 0, 4, 8, 12, and in between

# %% Exercise 2
# your code here
warm_cos = ...  # the figure's warm-up + cosine schedule with lr0 = 1 (SHAPES)
halfway = ...  # the step halfway through the cosine (WARM steps of warm-up, PASS in all)
# then its rate at step 0, at the end of the warm-up, halfway and at the last step

# %% Exercise 3
# your code here
per_batch = ...  # the step decay from 10, halved every 4 calls, called every batch


def in_epochs(step):
    """The rate at `step` (counted in batches) of the same decay called once per epoch."""
    # your code here
    ...


step = ...  # the step after two epochs (STEPS_PER_EPOCH batches an epoch)

# %% Exercise 4
# optim.Adam on 2,000 parameters for 1,000 steps, each gradient drawn afresh from N(0, 1)
# (with a generator of its own, e.g. np.random.default_rng(4)).
# your code here
last_step = ...  # the root-mean-square of the last step, divided by the learning rate (rms)
predicted = ...  # sqrt((1 - beta1) / (1 + beta1)) for Adam's beta1


# %% Exercise 5
def hovering_loss(lr, chains=2000, steps=1000, seed=5):
    """The loss theta^2 / 2 that SGD at rate `lr` with gradients theta + N(0, 1) hovers at:
    its mean over the last half of the steps, across `chains` independent runs."""
    # your code here
    ...


floors = ...  # {lr: hovering_loss(lr)} for lr = 0.1, 0.2 and 0.4
# then each against eta / (2 (2 - eta)), and the factor from halving the rate
