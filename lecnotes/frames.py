"""Frames of a slider widget: render what ``draw`` returns, compress it, render many at once.

A frame is an image (or text) for one slider position. Figures are rendered for high-DPI
screens (``plotting.SCALE`` device pixels per CSS pixel) and stored as 64-colour palette
WebP images (:func:`to_frame`); :func:`render_all` renders a widget's frames in forked
worker processes, one per core, and reports the first position ``draw`` fails for.
"""

from __future__ import annotations

import base64
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass

from lecnotes import _checks, plotting

PALETTE_COLORS = 64  # colours per frame (see to_frame)
FORMAT = "WEBP"  # lossless WebP: smaller than PNG for the same palette image, and faster


@dataclass(frozen=True)
class Frame:
    """What ``draw`` produced for one slider position: image bytes or text."""

    mime: str  # "image/png", "image/webp" or "text/plain"
    data: bytes | str
    title: str = ""

    @property
    def is_image(self) -> bool:
        return self.mime.startswith("image/")

    @property
    def width(self) -> int:
        """Displayed width of an image frame in CSS pixels (its pixels / ``plotting.SCALE``)."""
        return plotting.css_width(self.data)

    def url(self) -> str:
        """The frame as a ``data:`` URL (images), or its text."""
        if self.is_image:
            return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"
        return self.data


class DrawError(ValueError):
    """``draw`` failed for a slider position: one line, without the worker's traceback."""

    def _render_traceback_(self) -> list[str]:
        """What IPython prints for this error: the message only (IPython's hook)."""
        return [f"{type(self).__name__}: {self}"]


def to_frame(result, colors: int = PALETTE_COLORS) -> Frame:
    """Render what ``draw`` returned, as widgets show it.

    A figure becomes a ``colors``-colour lossless WebP of ``plotting.SCALE`` times its pixels
    (``plotting.pixels``, then ``plotting.palette``; about 6x smaller than matplotlib's PNG)
    and is closed; a string is a text frame. Plots are mostly flat colour with anti-aliased
    edges, so 64 colours without dithering look the same to a reader.

    Args:
        result: a matplotlib ``Figure`` or a ``str``.
        colors: the palette size, 2 to 256.

    Returns:
        A :class:`Frame` (``image/webp`` with the axes' titles, or ``text/plain``).
    """
    if isinstance(result, str):
        return Frame("text/plain", result)
    from matplotlib.figure import Figure

    if isinstance(result, Figure):
        return image_frame(plotting.pixels(result), result, colors)
    raise ValueError(f"draw must return a matplotlib Figure or a str, got {type(result).__name__}")


def image_frame(image, fig, colors: int = PALETTE_COLORS) -> Frame:
    """The frame of ``fig`` rendered as ``image``: compressed, titled, and the figure closed.

    Args:
        image: the figure's pixels at device scale (``plotting.pixels``), a PIL image.
        fig: the matplotlib ``Figure`` it shows (its axes' titles name the frame).
        colors: the palette size, 2 to 256.

    Returns:
        An ``image/webp`` :class:`Frame`.
    """
    data = plotting.palette(image, colors, FORMAT)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    if fig.canvas.manager is not None:  # made with pyplot: do not let it show again
        import matplotlib.pyplot as plt

        plt.close(fig)
    return Frame(f"image/{FORMAT.lower()}", data, "; ".join(titles))


@dataclass(frozen=True)
class Failure:
    """A frame that could not be rendered: the exception, as ``Type: message``."""

    reason: str


_RENDER: Callable[[int], Frame] | None = None  # the job, inherited by forked workers


def _render_one(flat: int) -> Frame | Failure:
    """Frame ``flat``, or the exception it raised (a traceback cannot leave the worker)."""
    try:
        return _RENDER(flat)
    except Exception as error:  # noqa: BLE001 - reported, in grid order, by render_all
        return Failure(f"{type(error).__name__}: {error}")


def workers(count: int) -> int:
    """Processes to render ``count`` frames with: one per core, 1 where fork is unavailable.

    ``LECNOTES_WIDGET_WORKERS=1`` in the environment forces serial rendering.

    Args:
        count: the number of frames.

    Returns:
        The number of processes, between 1 and ``count``.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    wanted = os.environ.get("LECNOTES_WIDGET_WORKERS")
    cores = (
        _checks.positive_int("LECNOTES_WIDGET_WORKERS", int(wanted)) if wanted else os.cpu_count()
    )
    return max(1, min(cores or 1, count))


def render_all(
    render: Callable[[int], Frame], count: int, describe: Callable[[int], str] = str
) -> list[Frame]:
    """``[render(0), ..., render(count - 1)]``, in parallel when there are cores.

    Frames are independent, so they are spread over forked worker processes. Forking (not
    spawning) lets workers call any ``render``, even a closure over a ``draw`` defined in a
    notebook, because they inherit it instead of unpickling it; only frame numbers, image
    bytes and error messages cross over.

    Args:
        render: a function from a frame number to a :class:`Frame`.
        count: the number of frames.
        describe: names frame ``k`` in an error message (e.g. ``draw(lr=0.05)``).

    Returns:
        The frames, in order.

    Raises:
        DrawError: for the first frame, in order, whose ``render`` raised, naming it with
            ``describe`` and the exception (the same frame on every run).
    """
    global _RENDER
    processes = workers(count)
    _RENDER = render
    try:
        if processes == 1:
            results = [_render_one(k) for k in range(count)]
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                results = pool.map(_render_one, range(count), chunksize=1)
    finally:
        _RENDER = None
    failed = [k for k, result in enumerate(results) if isinstance(result, Failure)]
    if failed:
        more = len(failed) - 1
        others = f"; {more} later position{'s' * (more > 1)} fail{'s' * (more == 1)} too"
        raise DrawError(
            f"{describe(failed[0])} raised {results[failed[0]].reason}{others * (more > 0)}"
        )
    return results
