"""Stubs for the exercises of chapter 5, "Nonlinearities".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# The derivations on paper; here, the numerical checks at a few points.
zs = np.linspace(-5, 5, 11)
# your code here
numeric_sig = ...  # the sigmoid's derivative at zs by centered differences (gradcheck)
via_sigmoid = ...  # tanh'(zs) from tanh(z) = 2 sigma(2z) - 1; compare it with 1 - tanh^2

# %% Exercise 2
z_p = rng.normal(size=10)  # the layer's inputs z
c = rng.normal(size=10)  # the fixed weights of L = sum_i c_i h_i
a = np.array(0.25)  # the shared slope
# your code here
dL_da = ...  # dL/da, from activations.prelu_grad and the chain rule
report = ...  # gradcheck's check of dL_da against centered differences
# which inputs contribute?

# %% Exercise 3
# your code here
grid = ...  # many points on [-6, 6]
error = ...  # |exact GELU - its tanh approximation| there (activations.gelu)
worst = ...  # the index of the largest error
