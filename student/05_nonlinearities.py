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
via_sigmoid = ...  # tanh'(zs) as the derivative of 2 sigma(2z) - 1, written with the sigmoid

# %% Exercise 2
prelu_rng = np.random.default_rng(5)
z_p = prelu_rng.normal(size=10)  # the inputs z of the layer
c = prelu_rng.normal(size=10)  # the fixed weights c of L
a = np.array(0.25)  # one slope, shared by every unit
# your code here
dL_da = ...  # dL/da, from activations.prelu_grad and the chain rule
report = ...  # gradcheck's check of dL_da against centered differences
contributing = ...  # one boolean per input: True where it contributes to dL/da

# %% Exercise 3
# your code here
grid = ...  # many points on [-6, 6]
error = ...  # |exact GELU - its tanh approximation| at each point of grid (activations.gelu)
worst = ...  # the index of the largest error
