"""Stubs for the exercises of chapter 2, "Computation graphs and backpropagation".

`make student` (tools/student.py) puts the code under `# %% Exercise N` in place of the
solution of exercise N in the student edition; see CONTRIBUTING.md, "Exercises and the
student edition". Names come from the chapter's cells, which run before these.
"""

# %% Exercise 1
# First by hand: the forward values and dg/dx, dg/dy, dg/dz at (2, -1, 3). Then check
# them with autograd: build g from tensors and call g.backward().
# your code here
gx = gy = gz = ...  # x, y and z as ag.Tensor
g = ...  # (x y + z) x, built from them


# %% Exercise 2
class SigmoidGate:
    """The gate t -> sigma(t) = 1 / (1 + e^(-t)), elementwise."""

    def forward(self, t):
        """Return sigma(t), and keep the output: it is all that backward may use."""
        # your code here
        ...

    def backward(self, upstream):
        """Return the downstream gradient, upstream * d sigma/dt, from the cached output."""
        # your code here
        ...


# Then compare gate.backward at a few points with autograd and with centered differences.
from_gate = ...  # the gate's gradients at those points

# %% Exercise 3
# D = 50, a window of 5 words, H = 100 hidden units.
# your code here
n_real = ...  # the parameters of W, b and u
# and the forward passes a centered-difference gradient needs, against backprop's
