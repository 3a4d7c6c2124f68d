"""Stubs for the exercises of chapter 2, "Computation graphs and backpropagation".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# By hand first: draw the graph of g, then find the forward value at each node and dg/dx,
# dg/dy, dg/dz at (2, -1, 3). Then check them with autograd.
# your code here
gx = gy = gz = ...  # x, y and z as ag.Tensor (then .grad: dg/dx, dg/dy, dg/dz)
g = ...  # (x y + z) x, built from them
x_edges = ...  # the gradient that reaches x along each of its edges in the graph, as floats


# %% Exercise 2
class SigmoidGate:
    """The gate t -> sigma(t) = 1 / (1 + e^(-t)), elementwise."""

    def forward(self, t):
        """Return sigma(t), and cache the output: it is all that backward may use."""
        # your code here
        ...

    def backward(self, upstream):
        """Return the downstream gradient, upstream * d sigma/dt, from the cached output."""
        # your code here
        ...


# Then check the gate at a few points t, for an upstream gradient of 1.
# your code here
from_gate = ...  # the gate's gradients at those points
t = ...  # the same points as an ag.Tensor; after autograd's sigmoid and backward, t.grad
numeric = ...  # gradcheck's report on the gate's gradients against centered differences

# %% Exercise 3
# D = 50, a window of 5 words, H = 100 hidden units; the word vectors are not counted.
# your code here
n_real = ...  # the parameters of W, b and u
numeric_passes = ...  # the forward passes a centered-difference gradient needs
backprop_passes = ...  # backprop's forward + backward, in forward passes of multiplications
