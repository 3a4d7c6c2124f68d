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
warm_cos = ...  # the warm-up + cosine schedule above, with lr0 = 1 (make_schedules)
halfway = ...  # the step halfway through the cosine (WARM steps of warm-up, BUDGET in all)
# then its rate at step 0, at the end of the warm-up, halfway and at the last step

# %% Exercise 3
# your code here
per_batch = ...  # the step decay above (from 10, halved every 4 steps), stepped every batch
in_epochs = ...  # the same schedule stepped once per epoch (per_epoch)
step = ...  # the step at which epoch 2 starts; the rate there, both ways
