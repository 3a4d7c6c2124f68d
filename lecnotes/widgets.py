"""Sliders that are live in Jupyter and still work on the book's static website.

One call, ``widgets.interact(draw, n=widgets.log_slider(10, 1e4, 7))``, displays one output
with two representations of the same thing:

* ``application/vnd.jupyter.widget-view+json`` -- real ipywidgets sliders. JupyterLab,
  Notebook 7 and VS Code prefer this one; moving a slider swaps the picture in place
  (``Image`` widgets in a ``Stack``, so nothing flickers and no figures pile up).
* ``text/html`` -- a small player for the static site. ``draw`` is evaluated once per
  slider position when the notebook executes, the frames are embedded in the page, and
  ``_static/lecnotes-widgets.js`` swaps them as a reader moves an ``<input type="range">``.
  The book's ``_config.yml`` tells myst-nb to drop the widget view for HTML builds, so the
  site needs neither a kernel nor the ipywidgets JavaScript.

Both views show the same frames: ``draw`` runs once per slider position when the cell runs
(in parallel, see :func:`render_all`), and moving a live slider only shows the frame already
drawn for that position -- in the browser, without asking the kernel (see ``_LiveView``).
A fresh matplotlib render takes about 100 ms and a kernel round trip about 50 ms, both too
slow for a slider that should follow the mouse. So ``draw`` must depend only on its
arguments -- which the static site needs anyway.

``draw(**values)`` returns a matplotlib ``Figure`` (best made with ``plotting.figure()``,
which pyplot does not track) or a ``str``. Frames are PNG at the figure's own dpi (palette PNG on
the site, see :func:`compact`); a widget may embed at most :data:`MAX_FRAMES` frames and
:data:`PAYLOAD_BUDGET` bytes of them.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from lecnotes._checks import finite_real, positive_int, positive_real

MAX_SLIDERS = 3
MAX_FRAMES = 64
PAYLOAD_BUDGET = 1_500_000  # bytes of embedded frames per widget (as base64, on the page)
PALETTE_COLORS = 64  # colours per static frame (see compact)


@dataclass(frozen=True)
class Slider:
    """The positions a slider can take: ``values[i]`` is shown to readers as ``labels[i]``."""

    kind: str  # "linear", "log", "int" or "choice"
    values: tuple
    labels: tuple[str, ...]
    index: int  # starting position, the same in Jupyter and on the site

    @property
    def value(self):
        """The starting value."""
        return self.values[self.index]


def _start(name: str, values: Sequence, value) -> int:
    """Index of the position closest to ``value`` (the middle one when ``value`` is None)."""
    if value is None:
        return (len(values) - 1) // 2
    if isinstance(values[0], str):
        if value not in values:
            raise ValueError(f"{name}: value {value!r} is not one of the options {list(values)}")
        return list(values).index(value)
    value = finite_real(f"{name} value", value)
    lo, hi = min(values), max(values)
    if not lo <= value <= hi:
        raise ValueError(f"{name}: value {value!r} must lie in [{lo}, {hi}]")
    return int(np.argmin([abs(v - value) for v in values]))


def _check_range(lo: float, hi: float) -> None:
    if not lo < hi:
        raise ValueError(f"need lo < hi for a slider, got lo={lo!r}, hi={hi!r}")


def _decimals(step: float) -> int:
    """Decimals needed to print multiples of ``step`` exactly: 0.09 -> 2, 5 -> 0."""
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def linear(lo: float, hi: float, step: float, value: float | None = None) -> Slider:
    """Evenly spaced floats ``lo, lo + step, ..., <= hi`` (like ``ipywidgets.FloatSlider``)."""
    lo, hi, step = finite_real("lo", lo), finite_real("hi", hi), positive_real("step", step)
    _check_range(lo, hi)
    count = int(math.floor((hi - lo) / step + 1e-9)) + 1
    digits = _decimals(step)
    # Multiply and round rather than add repeatedly: 0.1 + 0.2 is 0.30000000000000004.
    values = tuple(round(lo + k * step, digits + 6) for k in range(count))
    labels = tuple(f"{v:.{digits}f}" for v in values)
    return Slider("linear", values, labels, _start("linear", values, value))


def int_slider(lo: int, hi: int, step: int = 1, value: int | None = None) -> Slider:
    """The integers ``lo, lo + step, ..., <= hi``."""
    for name, number in (("lo", lo), ("hi", hi)):
        if isinstance(number, bool) or not isinstance(number, int | np.integer):
            raise ValueError(f"{name} must be an integer, got {number!r}")
    step = positive_int("step", step)
    _check_range(lo, hi)
    values = tuple(range(int(lo), int(hi) + 1, step))
    return Slider("int", values, tuple(str(v) for v in values), _start("int", values, value))


def format_log(value: float) -> str:
    """Readable label for a log-scale value: 1e-3, 3.16e-5, 0.5, 316, 1024, 1e6."""
    if float(value).is_integer() and abs(value) < 1e5:
        return str(int(value))
    if 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def log_slider(lo: float, hi: float, num: int, value: float | None = None) -> Slider:
    """``num`` values evenly spaced in log scale from ``lo`` to ``hi`` (both > 0)."""
    lo, hi = positive_real("lo", lo), positive_real("hi", hi)
    _check_range(lo, hi)
    num = positive_int("num", num)
    if num < 2:
        raise ValueError(f"num must be >= 2 for a log slider, got {num!r}")
    values = tuple(float(f"{v:.12g}") for v in np.geomspace(lo, hi, num))
    labels = tuple(format_log(v) for v in values)
    return Slider("log", values, labels, _start("log_slider", values, value))


def choice(options: Sequence, value=None) -> Slider:
    """One of a few named options, e.g. ``choice(["sigmoid", "tanh", "relu"])``."""
    options = tuple(options)
    if len(options) < 2:
        raise ValueError(f"options must hold at least 2 entries, got {list(options)!r}")
    if len(set(map(str, options))) != len(options):
        raise ValueError(f"options must be distinct, got {list(options)!r}")
    labels = tuple(str(o) for o in options)
    start = _start("choice", labels, None if value is None else str(value))
    return Slider("choice", options, labels, start)


def as_slider(name: str, spec) -> Slider:
    """Accept a :class:`Slider`, a ``(lo, hi, step)`` tuple or a list of options."""
    if isinstance(spec, Slider):
        return spec
    if isinstance(spec, list):
        return choice(spec)
    if isinstance(spec, tuple) and len(spec) in (2, 3):
        lo, hi, *step = spec
        if all(isinstance(v, int) and not isinstance(v, bool) for v in spec):
            return int_slider(lo, hi, *step)
        return linear(lo, hi, *(step or [(hi - lo) / 10]))
    raise ValueError(
        f"slider {name!r}: expected a Slider, a (lo, hi, step) tuple or a list of options, "
        f"got {spec!r}"
    )


@dataclass(frozen=True)
class Frame:
    """What ``draw`` produced for one slider position: PNG bytes or text."""

    mime: str  # "image/png" or "text/plain"
    data: bytes | str
    title: str = ""

    def encoded(self) -> str:
        """The frame as it is embedded in the page (base64 for images)."""
        if self.mime == "image/png":
            return base64.b64encode(self.data).decode("ascii")
        return self.data


def to_frame(result) -> Frame:
    """Render what ``draw`` returned; a figure is saved as PNG and closed.

    zlib level 1: these bytes go straight to a local kernel's front end, so speed beats size.
    """
    if isinstance(result, str):
        return Frame("text/plain", result)
    from matplotlib.figure import Figure

    if isinstance(result, Figure):
        buffer = io.BytesIO()
        result.savefig(buffer, format="png", dpi=result.dpi, pil_kwargs={"compress_level": 1})
        titles = [ax.get_title() for ax in result.axes if ax.get_title()]
        if result.canvas.manager is not None:  # made with pyplot: do not let it show again
            import matplotlib.pyplot as plt

            plt.close(result)
        return Frame("image/png", buffer.getvalue(), "; ".join(titles))
    raise TypeError(f"draw must return a matplotlib Figure or a str, got {type(result).__name__}")


def compact(frame: Frame, colors: int = PALETTE_COLORS) -> Frame:
    """The frame as the site embeds it: a ``colors``-colour palette PNG, about 4x smaller.

    Plots are mostly flat colour with anti-aliased edges, so 64 colours without dithering
    look the same to a reader; text frames are returned unchanged.
    """
    if frame.mime != "image/png":
        return frame
    from PIL import Image

    image = Image.open(io.BytesIO(frame.data)).convert("RGB")
    paletted = image.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    paletted.save(buffer, format="PNG", optimize=True)
    return Frame(frame.mime, buffer.getvalue(), frame.title)


class Interactive:
    """``draw`` with up to three sliders; display it to get the live and static views."""

    def __init__(self, draw: Callable, sliders: dict[str, Slider]):
        if not callable(draw):
            raise ValueError(f"draw must be callable, got {draw!r}")
        if not 1 <= len(sliders) <= MAX_SLIDERS:
            raise ValueError(f"need 1 to {MAX_SLIDERS} sliders, got {len(sliders)}")
        self.draw = draw
        self.sliders = {name: as_slider(name, spec) for name, spec in sliders.items()}
        self.shape = tuple(len(s.values) for s in self.sliders.values())
        if self.frame_count > MAX_FRAMES:
            raise ValueError(
                f"sliders {dict(zip(self.sliders, self.shape, strict=True))} make "
                f"{self.frame_count} frames; a widget may embed at most {MAX_FRAMES}: "
                "use fewer positions"
            )
        self._frames: list[Frame] | None = None
        self._live = None

    @property
    def frame_count(self) -> int:
        """Number of slider positions, i.e. the size of the cross product."""
        return math.prod(self.shape)

    @property
    def start(self) -> dict:
        """The starting value of every slider."""
        return {name: s.value for name, s in self.sliders.items()}

    def values_at(self, flat: int) -> dict:
        """Slider values for the ``flat``-th frame (row-major: the last slider moves fastest)."""
        indices = np.unravel_index(flat, self.shape)
        return {n: s.values[i] for (n, s), i in zip(self.sliders.items(), indices, strict=True)}

    def frame(self, **values) -> Frame:
        """Run ``draw`` for one set of values and render the result."""
        return to_frame(self.draw(**values))

    def frames(self) -> list[Frame]:
        """Every static frame, in row-major order, rendered once and then reused."""
        if self._frames is None:
            frames = render_all(self)
            if len({f.mime for f in frames}) != 1:
                raise TypeError("draw must return the same kind of result for every value")
            payload = sum(len(f.encoded()) for f in frames)
            if payload > PAYLOAD_BUDGET:
                raise ValueError(
                    f"{self.frame_count} frames weigh {payload / 1e6:.2f} MB, over the "
                    f"{PAYLOAD_BUDGET / 1e6:.1f} MB budget: use fewer positions, a smaller "
                    "figure or a lower dpi"
                )
            self._frames = frames
        return self._frames

    @property
    def payload_bytes(self) -> int:
        """Bytes of frame data the static page embeds for this widget."""
        return sum(len(f.encoded()) for f in self.frames())

    def alt(self, flat: int) -> str:
        """Alt text of one frame: the figure's title and the slider values."""
        indices = np.unravel_index(flat, self.shape)
        labels = ", ".join(
            f"{n} = {s.labels[i]}" for (n, s), i in zip(self.sliders.items(), indices, strict=True)
        )
        title = self.frames()[flat].title
        return f"{title} ({labels})" if title else f"Figure for {labels}"

    def start_flat(self) -> int:
        """Flat index of the starting frame."""
        return int(np.ravel_multi_index([s.index for s in self.sliders.values()], self.shape))

    def static_html(self) -> str:
        """The self-contained player used by the static site (see ``lecnotes-widgets.js``)."""
        frames = self.frames()
        # A stable id, named by the sliders (never by the frames, which change with every
        # figure tweak): it names the widget in a shared link (``?lr=31.6#lw-lr``, see
        # lecnotes-widgets.js, which numbers a later widget with the same sliders "-2").
        uid = "lw-" + "-".join(self.sliders)
        start = self.start_flat()
        data = {
            "mime": frames[0].mime,
            "sizes": list(self.shape),
            "labels": [list(s.labels) for s in self.sliders.values()],
            "frames": [f.encoded() for f in frames],
            "alts": [self.alt(k) for k in range(self.frame_count)],
        }
        controls = "".join(
            f'<div class="lw-control"><label for="{uid}-{k}">{html.escape(name)}</label>'
            f'<input type="range" id="{uid}-{k}" min="0" max="{len(s.values) - 1}" step="1" '
            f'value="{s.index}" aria-valuetext="{html.escape(s.labels[s.index])}">'
            f'<output for="{uid}-{k}">{html.escape(s.labels[s.index])}</output></div>'
            for k, (name, s) in enumerate(self.sliders.items())
        )
        first = frames[start]
        if first.mime == "image/png":
            view = (
                f'<img class="lw-frame" src="data:image/png;base64,{first.encoded()}" '
                f'alt="{html.escape(self.alt(start))}">'
            )
        else:
            view = f'<pre class="lw-frame lw-text">{html.escape(first.data)}</pre>'
        # "</" cannot appear inside a <script> element; JSON lets us escape it as "<\/".
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<div class="lecnotes-widget" id="{uid}" data-lecnotes-widget '
            f'data-frame="{start}"><div class="lw-controls">{controls}</div>{view}'
            f'<script type="application/json" class="lw-data">{payload}</script></div>'
        )

    def live(self):
        """The ipywidgets view: one slider per parameter above the picture."""
        return self.live_view().box

    def live_view(self) -> _LiveView:
        """The live view's parts: ``controls``, the nested ``view`` stacks, their ``links``."""
        if self._live is None:
            self._live = _LiveView(self)
        return self._live

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.live()._repr_mimebundle_())
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"<interactive {self.draw.__name__}({', '.join(self.sliders)})>"
        return bundle


_JOB: Interactive | None = None  # the widget being rendered, inherited by forked workers


def _render_one(flat: int) -> Frame:
    return compact(_JOB.frame(**_JOB.values_at(flat)))


def workers(count: int) -> int:
    """Processes to render ``count`` frames with: one per core, 1 where fork is unavailable.

    ``LECNOTES_WIDGET_WORKERS=1`` in the environment forces serial rendering.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get("LECNOTES_WIDGET_WORKERS")
    cores = positive_int("LECNOTES_WIDGET_WORKERS", int(wanted)) if wanted else os.cpu_count()
    return max(1, min(cores or 1, count))


def render_all(interactive: Interactive) -> list[Frame]:
    """Every static frame of ``interactive``, rendered in parallel when there are cores.

    Frames are independent, so they are spread over forked worker processes. Forking (not
    spawning) lets workers call any ``draw``, even a closure defined in a notebook, because
    they inherit it instead of unpickling it; only frame numbers and PNG bytes cross over.
    """
    global _JOB
    count = workers(interactive.frame_count)
    _JOB = interactive
    try:
        if count == 1:
            return [_render_one(k) for k in range(interactive.frame_count)]
        with multiprocessing.get_context("fork").Pool(count) as pool:
            return pool.map(_render_one, range(interactive.frame_count), chunksize=1)
    finally:
        _JOB = None


class _LiveView:
    """ipywidgets sliders over nested ``Stack`` widgets holding every rendered frame.

    ``jslink`` ties each slider's ``index`` to the ``selected_index`` of the stacks at its
    level (the first slider picks among the outer stack's children, the last one picks the
    picture), so the front end swaps pictures by itself: a move sends no message to the
    kernel and back, which alone costs about 50 ms in JupyterLab. Every frame is sent once,
    when the widget is displayed.
    """

    def __init__(self, interactive: Interactive):
        import ipywidgets as ipw

        self.interactive = interactive
        self.controls = []
        for name, s in interactive.sliders.items():
            options = [(label, k) for k, label in enumerate(s.labels)]
            if s.kind == "choice":
                control = ipw.ToggleButtons(options=options, value=s.index, description=name)
            else:
                control = ipw.SelectionSlider(
                    options=options, value=s.index, description=name, continuous_update=True
                )
            self.controls.append(control)
        self.links = []
        pictures = [_picture(frame) for frame in interactive.frames()]
        self.view = self._stack(pictures, level=0)
        self.box = ipw.VBox([*self.controls, self.view])
        self.box.add_class("lecnotes-live")  # for tests and benchmarks in a browser

    def _stack(self, pictures: list, level: int):
        """A Stack over the positions of slider ``level``, linked to it in the browser."""
        import ipywidgets as ipw

        size = self.interactive.shape[level]
        if level < len(self.interactive.shape) - 1:
            per = len(pictures) // size  # row-major: each position owns a contiguous block
            pictures = [
                self._stack(pictures[k * per : (k + 1) * per], level + 1) for k in range(size)
            ]
        control = self.controls[level]
        stack = ipw.Stack(children=pictures, selected_index=control.index)
        self.links.append(ipw.jslink((control, "index"), (stack, "selected_index")))
        return stack

    def picture_at(self, positions) -> object:
        """The picture widget the stacks hold for slider ``positions`` (one index per slider)."""
        node = self.view
        for index in positions:
            node = node.children[index]
        return node


def _picture(frame: Frame):
    """An ipywidgets view of one frame: an Image at the PNG's own size, or preformatted text."""
    import ipywidgets as ipw

    if frame.mime == "image/png":
        # Show the PNG at its own size: a flex box would otherwise stretch it (blurry).
        width = int.from_bytes(frame.data[16:20], "big")  # from the PNG's IHDR chunk
        return ipw.Image(value=frame.data, format="png", width=str(width))
    return ipw.HTML(f"<pre>{html.escape(frame.data)}</pre>")


def interact(draw: Callable, /, **sliders) -> Interactive:
    """Sliders for ``draw``'s keyword arguments; display the result (last line of a cell).

    Each keyword is a :class:`Slider` (:func:`linear`, :func:`log_slider`, :func:`int_slider`,
    :func:`choice`), a ``(lo, hi, step)`` tuple or a list of options.
    """
    return Interactive(draw, sliders)
