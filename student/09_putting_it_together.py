"""Stubs for the exercises of chapter 9, "Putting it together: a named-entity window classifier".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# Plain SGD at 10 from both starts (STARTS) and the 3 seeds: fit("SGD", STARTS, lrs=[...]);
# a run's twin is the same call with nudge=tuning.NUDGE, and settles(run, twin) says whether
# the run settles. The rates 0.01, 0.1 and 1 are in the learning rate section's outcome and
# rate_f1 (keyed by the factor of RATE["SGD"]: 0.1, 1, 10).
# your code here
sgd_outcome = ...  # {(start, rate): the mean development F1, or "diverges" / "does not settle"}

# %% Exercise 2
# Windows of 7 (data[3] = cut(3)), trained with fixed vectors (fit(size=3)) and fine-tuned by
# SparseAdam (fit("SparseAdam for E", size=3)), from the 3 seeds.
# your code here
errors_of = ...  # {"windows of 5, fixed" / "windows of 7, fixed" / "windows of 7, fine-tuned":
#                   each seed's development errors (indices of the windows)}


def cosine(M, a, b):
    """The cosine of the angle between the rows of M for the words a and b."""
    # your code here
    ...


# What tells the deciding words apart: their neighbours in the unlabelled text
# (vectors.cooccurrence of sentence_ids, two words each side), and the cosines of the pairs
# (beautiful, brilliant), (trip, school) and (cold, kind).
neighbours_of = ...  # {word: the set of words within two words of it}
cos = ...  # {first word of a pair: [cosine in the PPMI rows, E, 64-dim vectors, fine-tuned E]}
left = ...  # for each error left with windows of 7 and fixed vectors (seed 0), its window's words

# %% Exercise 3
# Each word's label in the dictionary: the one it had most often in the training sentences
# (sentences["training"], with .tokens and .labels); 0 ("no") for a word training never saw.
# your code here
looked_up = ...  # the dictionary's label for each development window's centre word (dev_w)
missed_by = ...  # {origin(word): locations it missed}
alarms = ...  # the sorted origins of its false alarms
as_place = ...  # {missed ambiguous name seen in training: (times a place there, times seen)}

# %% Exercise 4
# The default model and plain SGD at 0.1 from the too-small start (seed 0), each with c = 0
# (as in panel) and with c at the log priors (fit(..., track=True, c=...)).
DEFAULT, STALLED = ("Xavier", "Adam"), ("too small", "SGD")
# your code here
log_priors = ...  # the log of each class's share of the training labels (q: locations)
curves = ...  # {(DEFAULT or STALLED, "c = 0" or "c = log priors"): training loss per epoch}
f1s = ...  # {the same keys: development F1}
said_yes = ...  # {the same keys: how many development windows it calls a location}
