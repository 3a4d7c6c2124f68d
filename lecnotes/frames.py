"""Frames of a slider widget: render what ``draw`` returns, compress it, render many at once.

A frame is PNG bytes (or text) for one slider position. The static site embeds them as
64-colour palette PNGs (:func:`compact`); :func:`render_all` renders a widget's frames in
forked worker processes, one per core.
"""

from __future__ import annotations

import base64
import io
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass

from lecnotes import _checks

PALETTE_COLORS = 64  # colours per static frame (see compact)


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
    raise ValueError(f"draw must return a matplotlib Figure or a str, got {type(result).__name__}")


def compact(frame: Frame, colors: int = PALETTE_COLORS) -> Frame:
    """The frame as the site embeds it: a ``colors``-colour palette PNG, about 4x smaller.

    Plots are mostly flat colour with anti-aliased edges, so 64 colours without dithering look
    the same to a reader.

    Args:
        frame: a rendered frame; text frames are returned unchanged.
        colors: the palette size.

    Returns:
        A new :class:`Frame` with the same title.
    """
    if frame.mime != "image/png":
        return frame
    from PIL import Image

    image = Image.open(io.BytesIO(frame.data)).convert("RGB")
    paletted = image.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    paletted.save(buffer, format="PNG", optimize=True)
    return Frame(frame.mime, buffer.getvalue(), frame.title)


_RENDER: Callable[[int], Frame] | None = None  # the job, inherited by forked workers


def _render_one(flat: int) -> Frame:
    return _RENDER(flat)


def workers(count: int) -> int:
    """Processes to render ``count`` frames with: one per core, 1 where fork is unavailable.

    ``LECNOTES_WIDGET_WORKERS=1`` in the environment forces serial rendering.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get("LECNOTES_WIDGET_WORKERS")
    cores = (
        _checks.positive_int("LECNOTES_WIDGET_WORKERS", int(wanted)) if wanted else os.cpu_count()
    )
    return max(1, min(cores or 1, count))


def render_all(render: Callable[[int], Frame], count: int) -> list[Frame]:
    """``[render(0), ..., render(count - 1)]``, in parallel when there are cores.

    Frames are independent, so they are spread over forked worker processes. Forking (not
    spawning) lets workers call any ``render``, even a closure over a ``draw`` defined in a
    notebook, because they inherit it instead of unpickling it; only frame numbers and PNG bytes
    cross over.

    Args:
        render: a function from a frame number to a :class:`Frame`.
        count: the number of frames.

    Returns:
        The frames, in order.
    """
    global _RENDER
    processes = workers(count)
    _RENDER = render
    try:
        if processes == 1:
            return [render(k) for k in range(count)]
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            return pool.map(_render_one, range(count), chunksize=1)
    finally:
        _RENDER = None
