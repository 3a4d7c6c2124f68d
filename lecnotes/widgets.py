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
drawn for that position -- in the browser, without asking the kernel (see ``lecnotes.live``).
A fresh matplotlib render takes about 100 ms and a kernel round trip about 50 ms, both too
slow for a slider that should follow the mouse. So ``draw`` must depend only on its
arguments -- which the static site needs anyway.

``draw(**values)`` returns a matplotlib ``Figure`` (best made with ``plotting.figure()``,
which pyplot does not track) or a ``str``. Frames are rendered for high-DPI screens and shown
at the figure's own size (64-colour lossless WebP, see :func:`frames.to_frame`); a widget may
embed at most :data:`MAX_FRAMES` frames and :data:`PAYLOAD_BUDGET` bytes of them. When
``draw`` fails for a position, :func:`interact` raises :class:`DrawError` naming the first
such position in grid order.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Callable

import numpy as np

from lecnotes import _checks, frame_cache
from lecnotes.fingerprint import Unfingerprintable
from lecnotes.frames import (
    DrawError,  # raised by interact: widgets.DrawError
    Frame,
    to_frame,
)
from lecnotes.layered import Layered, layered  # widgets.layered: a fixed part drawn once
from lecnotes.live import LiveView

# The slider kinds, re-exported: chapters write widgets.log_slider(...).
from lecnotes.sliders import (
    Slider,
    as_slider,
    choice,
    format_log,
    int_slider,
    linear_slider,
    log_slider,
)

__all__ = [
    "DrawError", "Interactive", "Slider", "as_slider", "choice", "embedded_bytes",
    "format_log", "int_slider", "interact", "Layered", "layered", "linear_slider",
    "log_slider", "MAX_FRAMES",
    "MAX_SLIDERS", "PAYLOAD_BUDGET", "RUN_HINT",
]  # fmt: skip
MAX_SLIDERS = 3
MAX_FRAMES = 64
PAYLOAD_BUDGET = 1_500_000  # bytes of frames per widget, as the notebook embeds them (base64)
# Shown by a widget's stored output before its cell runs (JupyterLab shows the static
# player, without its script); the site's stylesheet hides it.
RUN_HINT = "Run this cell to make the sliders live."


def embedded_bytes(frames: list[Frame]) -> int:
    """Bytes of ``frames`` as a notebook embeds them: ``data:`` URLs, or text.

    Args:
        frames: a widget's frames.

    Returns:
        The total length of their embedded forms, an int.
    """
    return sum(len(f.url()) for f in frames)


class Interactive:
    """``draw`` with up to three sliders; display it to get the live and static views.

    Args:
        draw: ``draw(**values)`` -> a figure or a ``str``, for one value of every slider.
        sliders: name -> slider spec (see :func:`interact`), at most :data:`MAX_SLIDERS`.
    """

    def __init__(self, draw: Callable, sliders: dict[str, Slider]):
        _checks.function("draw", draw)
        _checks.sized("sliders", sliders, 1, MAX_SLIDERS)
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
        self._blitter = None  # renders a Layered draw's frames over its fixed part
        self.keys: list[str] | None = None  # each frame's key in the frame cache
        self.cache_note = ""  # why the frame cache could not be used, if it could not
        self.drawn = 0  # frames drawn by the last render (the others came from the cache)

    @property
    def frame_count(self) -> int:
        """Number of slider positions, i.e. the size of the cross product."""
        return math.prod(self.shape)

    @property
    def start(self) -> dict:
        """The starting value of every slider."""
        return {name: s.value for name, s in self.sliders.items()}

    @property
    def labels(self) -> dict[str, str]:
        """What readers see next to each slider: its ``label``, or its name."""
        return {name: s.label or name for name, s in self.sliders.items()}

    def values_at(self, flat: int) -> dict:
        """Slider values for the ``flat``-th frame (row-major: the last slider moves fastest)."""
        indices = np.unravel_index(flat, self.shape)
        return {n: s.values[i] for (n, s), i in zip(self.sliders.items(), indices, strict=True)}

    def frame(self, **values) -> Frame:
        """Run ``draw`` for one set of values and render the result as both views show it.

        A :class:`Layered` draw renders only its moving part over its fixed part.
        """
        if isinstance(self.draw, Layered):
            if self._blitter is None:
                self._blitter = self.draw.blitter()
            return self._blitter(**values)
        return to_frame(self.draw(**values))

    def frame_at(self, flat: int) -> Frame:
        """The ``flat``-th frame (see :meth:`values_at`)."""
        return self.frame(**self.values_at(flat))

    def call_text(self, flat: int) -> str:
        """The ``flat``-th call of ``draw`` as code, e.g. ``draw_constant(lr=0.05)``."""
        arguments = ", ".join(f"{name}={value!r}" for name, value in self.values_at(flat).items())
        return f"{getattr(self.draw, '__name__', 'draw')}({arguments})"

    def frames(self) -> list[Frame]:
        """Every frame, in row-major order, rendered once and then reused.

        Raises:
            DrawError: ``draw`` raised for some position; names the first in row-major order.
            ValueError: results of different kinds, or frames over :data:`PAYLOAD_BUDGET`.
        """
        if self._frames is None:
            self._blitter = None  # the fixed part as it is now
            self.keys = self.frame_keys()
            frames, self.drawn = frame_cache.render(
                self.frame_at, self.frame_count, self.keys, self.call_text
            )
            if len({f.mime for f in frames}) != 1:
                raise ValueError("draw must return the same kind of result for every value")
            payload = embedded_bytes(frames)
            if payload > PAYLOAD_BUDGET:
                raise ValueError(
                    f"{self.frame_count} frames weigh {payload / 1e6:.2f} MB, over the "
                    f"{PAYLOAD_BUDGET / 1e6:.1f} MB budget: use fewer positions, a smaller "
                    "figure or a lower dpi"
                )
            self._frames = frames
        return self._frames

    def frame_keys(self) -> list[str] | None:
        """Every frame's key in the frame cache; None if ``draw`` cannot be fingerprinted.

        The key covers the code that renders ``draw``'s frames (:meth:`frame` dispatches to
        it): ``to_frame``, or for a ``Layered`` draw its blitter.
        """
        values = [self.values_at(k) for k in range(self.frame_count)]
        render = Layered.blitter if isinstance(self.draw, Layered) else to_frame
        try:
            return frame_cache.frame_keys(render, self.draw, values)
        except Unfingerprintable as error:
            self.cache_note = f"frames drawn every time: {error}"
            return None

    @property
    def payload_bytes(self) -> int:
        """Bytes of this widget's frames as the notebook embeds them (``data:`` URLs)."""
        return embedded_bytes(self.frames())

    @property
    def file_bytes(self) -> int:
        """Bytes of this widget's frames as files (what the site and the live view send)."""
        return sum(len(f.data) for f in self.frames())

    def alt(self, flat: int) -> str:
        """Alt text of one frame: the figure's title and the slider values."""
        indices = np.unravel_index(flat, self.shape)
        labels = ", ".join(
            f"{self.labels[n]} = {s.labels[i]}"
            for (n, s), i in zip(self.sliders.items(), indices, strict=True)
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
        # "frames" holds URLs (data: URLs here; the site's build moves them to files, see
        # _ext/widget_frames.py) or, for text frames, the text.
        data = {
            "mime": frames[0].mime,
            "sizes": list(self.shape),
            "labels": [list(s.labels) for s in self.sliders.values()],
            "frames": [f.url() for f in frames],
            "alts": [self.alt(k) for k in range(self.frame_count)],
        }
        controls = "".join(
            f'<div class="lw-control"><label for="{uid}-{k}">{html.escape(self.labels[name])}'
            f'</label><input type="range" id="{uid}-{k}" min="0" max="{len(s.values) - 1}" '
            f'step="1" value="{s.index}" aria-valuetext="{html.escape(s.labels[s.index])}">'
            f'<output for="{uid}-{k}">{html.escape(s.labels[s.index])}</output></div>'
            for k, (name, s) in enumerate(self.sliders.items())
        )
        first = frames[start]
        if first.is_image:
            # Shown at its CSS size: the image has plotting.SCALE pixels per CSS pixel.
            view = (
                f'<img class="lw-frame" src="{first.url()}" width="{first.width}" '
                f'alt="{html.escape(self.alt(start))}">'
            )
        else:
            view = f'<pre class="lw-frame lw-text">{html.escape(first.data)}</pre>'
        # "</" cannot appear inside a <script> element; JSON lets us escape it as "<\/".
        payload = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<div class="lecnotes-widget" id="{uid}" data-lecnotes-widget '
            f'data-frame="{start}"><p class="lw-hint">{RUN_HINT}</p>'
            f'<div class="lw-controls">{controls}</div>{view}'
            f'<script type="application/json" class="lw-data">{payload}</script></div>'
        )

    def live(self):
        """The ipywidgets view: one slider per parameter above the picture."""
        return self.live_view().box

    def live_view(self) -> LiveView:
        """The live view's parts: ``controls``, the nested ``view`` stacks, their ``links``."""
        if self._live is None:
            self._live = LiveView(self)
        return self._live

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = dict(self.live()._repr_mimebundle_())
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"<interactive {self.draw.__name__}({', '.join(self.sliders)})>"
        if self.keys is None:
            return bundle
        return bundle, frame_cache.output_metadata(self.keys, self.frames())


def interact(draw: Callable, /, **sliders) -> Interactive:
    """Sliders for ``draw``'s keyword arguments; display the result (last line of a cell).

    Every frame is drawn here, so a problem shows in the cell that made the widget.

    Args:
        draw: ``draw(**values)`` -> a matplotlib ``Figure`` or a ``str``; it must depend
            only on its arguments.
        sliders: one keyword per argument of ``draw`` (its name in shared links): a
            :class:`Slider` (:func:`linear_slider`, :func:`log_slider`, :func:`int_slider`,
            :func:`choice`), a ``(lo, hi, step)`` tuple or a list of options.

    Returns:
        An :class:`Interactive`; as a cell's last expression it shows live sliders in
        Jupyter and a static player on the book's site.

    Raises:
        DrawError: ``draw`` failed for some slider position, e.g. a value the chapter did
            not compute; the message names the first one in row-major order and the
            exception (IPython prints only this line).
    """
    interactive = Interactive(draw, sliders)
    interactive.frames()
    return interactive
