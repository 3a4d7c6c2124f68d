"""Stubs for the exercises of chapter 9, "Putting it together: a named-entity window classifier".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# The development F1 (dev_f1) of the default model (fit) for each optimizer of OPTIMIZERS
# at each rate of the exercise. fit(optimizer=name) builds the optimizer from
# OPTIMIZERS[name], a function of no argument: add your own, e.g. a name for
# lambda: optim.SGD(lr=1.0), and remove it afterwards.
# your code here
sweep = ...  # {(optimizer name, rate): development F1}
steps_taken = ...  # {(optimizer name, rate): updates made, fewer than STEPS if it diverged}
below = ...  # the best F1 of plain SGD at a rate below 0.1

# %% Exercise 2
# Windows of 7 (data[3] = cut(3)), trained (fit(size=3, frozen=...)) with fixed and with
# fine-tuned vectors (VECTORS). Which development errors remain, and why?
# your code here
wide = ...  # {"fixed": run, "fine-tuned": run}


def cosine(M, a, b):
    """The cosine of the angle between the rows of M for the words a and b."""
    # your code here
    ...


# What tells the deciding words apart: their neighbours in the unlabelled text
# (vectors.cooccurrence of sentence_ids, two words each side), and the cosines of the pairs
# (beautiful, brilliant), (trip, school) and (cold, kind).
neighbours_of = ...  # {word: the set of words within two words of it}
cos = ...  # {first word of a pair: [cosine in the PPMI rows, E, 64-dim vectors, fine-tuned E]}
left = ...  # for each error left with fixed vectors, the set of words in its window
paired = ...  # how many of those windows hold "beautiful", "brilliant" or "trip"

# %% Exercise 3
# Each word's label in the dictionary: the one it had most often in the training sentences
# (sentences["training"], with .tokens and .labels); 0 ("no") for a word training never saw.
# your code here
looked_up = ...  # the dictionary's label for each development window's centre word (dev_w)
missed_by = ...  # {origin(word): locations it missed}
alarms = ...  # the sorted origins of its false alarms
as_place = ...  # {missed ambiguous name seen in training: (times a place there, times seen)}

# %% Exercise 4
# The default model and plain SGD from the too-small start (lambda = 1e-3), each with
# c = 0 (as in panel) and with c at the log priors (fit(..., track=True, c=...)).
# your code here
log_priors = ...  # the log of each class's share of the training labels (q: locations)
zero = prior = ...  # the training losses after each epoch, with c = 0 / the log priors
f1_zero = f1_prior = ...  # the development F1 with c = 0 / the log priors
