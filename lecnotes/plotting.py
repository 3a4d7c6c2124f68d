"""The book's figure style, applied explicitly, and small helpers every chapter shares.

Colours are the Okabe–Ito palette, which stays distinguishable under the common forms of
colour blindness. Figures keep an opaque white background so they read the same as a
"card" on the site's light and dark themes. Nothing here runs at import: a chapter calls
:func:`apply_style` once in its first cell (or uses :func:`style` as a context manager).

Every figure is rendered for high-DPI screens: :data:`SCALE` device pixels per CSS pixel
(:func:`render` as PNG, :func:`pixels` unencoded), shown at its CSS size (the figure's size
at its dpi), and reduced to a palette of colours (:func:`palette`), which plots -- flat
colour with anti-aliased edges -- survive without a visible change.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator

from lecnotes import _checks

SCALE = 2  # device pixels per CSS pixel: sharp on high-DPI screens (device scale 2)
FIGURE_COLORS = 256  # palette of a figure a cell displays (see display_png)

# Okabe & Ito (2008), "Color Universal Design"; black is left out, it is the text colour.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
}
CYCLE = [PALETTE[name] for name in ("blue", "orange", "green", "vermillion", "sky", "purple")]

RC = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    # Reaches only figures made outside figure() (pyplot's; no chapter makes one): figure()
    # passes layout="none" and fixed MARGINS, as constrained layout draws every figure twice.
    "figure.constrained_layout.use": True,
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "axes.edgecolor": "#333333",
    "axes.labelcolor": "#222222",
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    # A fixed title position: left as None, matplotlib measures the tick labels on every
    # draw to dodge them, a third of the cost of re-rendering a slider frame.
    "axes.titley": 1.0,
    "axes.titlepad": 6.0,
    "axes.labelsize": 10.5,
    "axes.grid": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": "cycler(color=[" + ", ".join(repr(c) for c in CYCLE) + "])",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "legend.frameon": False,
    "legend.fontsize": 9.5,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "image.cmap": "cividis",
}


def apply_style() -> None:
    """Use the book's style for the rest of the session.

    Sets matplotlib's rcParams and, inside IPython, shows a ``Figure`` that a cell returns
    with :func:`display_png`. (Figures from :func:`figure` bypass pyplot, so the inline
    backend would otherwise print only ``<Figure size 640x360 with 1 Axes>``.)
    """
    import matplotlib as mpl

    mpl.rcParams.update(RC)
    try:
        from IPython import get_ipython
        from IPython.core.pylabtools import select_figure_formats
    except ImportError:  # plain Python: nothing to display
        return
    shell = get_ipython()
    if shell is not None:
        from matplotlib.figure import Figure

        select_figure_formats(shell, {"png"})  # and no other format of a Figure
        shell.display_formatter.formatters["image/png"].for_type(Figure, display_png)


def render(fig, tight: bool = False) -> bytes:
    """The figure as a PNG of :data:`SCALE` times its pixel size (fast zlib, level 1).

    Args:
        fig: a matplotlib ``Figure``.
        tight: crop to the drawn area (``bbox_inches="tight"``), as Jupyter does.

    Returns:
        PNG bytes, ``SCALE * fig.dpi`` pixels per inch.
    """
    return _saved(fig, tight, "png", pil_kwargs={"compress_level": 1})


def _saved(fig, tight: bool, format: str, **options) -> bytes:
    """``fig`` saved at :data:`SCALE` times its pixel size in ``format``, cropped if ``tight``
    (``options``: more of ``savefig``'s arguments)."""
    buffer = io.BytesIO()
    bbox = "tight" if tight else None
    fig.savefig(buffer, format=format, dpi=fig.dpi * SCALE, bbox_inches=bbox, **options)
    return buffer.getvalue()


def pixels(fig):
    """The figure drawn at :data:`SCALE` times its pixel size, as an RGB image, unencoded.

    The same pixels as :func:`render` gives (not cropped), without writing and reading a
    PNG: about 60 ms less a frame for a widget's two-panel figure.

    Args:
        fig: a matplotlib ``Figure``.

    Returns:
        A PIL RGB image of ``int(w * SCALE * dpi)`` by ``int(h * SCALE * dpi)`` pixels, for
        a figure of ``w`` by ``h`` inches (Agg truncates the same way).
    """
    from PIL import Image

    dpi = fig.dpi * SCALE
    data = _saved(fig, False, "rgba")  # one copy of the 4-bytes-a-pixel buffer, not one per use
    width, height = (int(inches * dpi) for inches in fig.get_size_inches())
    if len(data) != 4 * width * height:
        raise RuntimeError(f"matplotlib drew {len(data)} bytes, not {width}x{height}")
    rgba = Image.frombuffer("RGBA", (width, height), data, "raw", "RGBA", 0, 1)
    return rgba.convert("RGB")


def palette(image, colors: int, format: str = "PNG") -> bytes:
    """The image reduced to ``colors`` colours without dithering, then compressed losslessly.

    Plots are mostly flat colour with anti-aliased edges, so 64 colours already look the
    same to a reader; the file is several times smaller than matplotlib's PNG.

    Args:
        image: an encoded image (PNG bytes from :func:`render`, or any format PIL reads) or
            a PIL image (:func:`pixels`).
        colors: the palette size, 2 to 256.
        format: ``"PNG"`` or ``"WEBP"`` (lossless at low effort: about 10 % smaller than
            PNG here and encoded in 40 % less time; higher efforts save another 15 % of the
            bytes in 2.5 times the time).

    Returns:
        The encoded image.
    """
    from PIL import Image

    colors = _checks.integer("colors", colors, low=2, high=256)
    format = _checks.one_of("format", format, ("PNG", "WEBP"))
    if isinstance(image, bytes):
        image = Image.open(io.BytesIO(image))
    image = image.convert("RGB")
    reduced = image.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    if format == "PNG":  # zlib's default level: the highest saved 12 % in 6 times the time
        reduced.save(buffer, format="PNG")
    else:
        reduced.save(buffer, format="WEBP", lossless=True, method=2, quality=0)
    return buffer.getvalue()


def css_width(image: bytes) -> int:
    """The width in CSS pixels of an image rendered by :func:`render`.

    Args:
        image: the encoded image (PNG or WebP bytes), :data:`SCALE` pixels per CSS pixel.

    Returns:
        Its width in pixels divided by :data:`SCALE`, an int.
    """
    from PIL import Image

    return Image.open(io.BytesIO(image)).width // SCALE


def display_png(fig) -> tuple[bytes, dict]:
    """How a cell shows a figure: sharp at device scale 2, at the figure's own size.

    Args:
        fig: a matplotlib ``Figure``.

    Returns:
        ``(png, metadata)``: a :data:`FIGURE_COLORS`-colour PNG of :data:`SCALE` times the
        figure's pixels (cropped as Jupyter crops), and ``{"width": css_width}``, which
        JupyterLab and the book's site use as the image's displayed width.
    """
    # The pixels of render(fig, tight=True), passed on as an uncompressed TIFF: PNG's
    # compression and decompression cost 30 ms a figure, for pixels read back at once.
    png = palette(_saved(fig, True, "tiff"), FIGURE_COLORS)
    return png, {"width": css_width(png)}


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Use the book's style inside a ``with`` block only, restoring the old one after."""
    import matplotlib as mpl

    with mpl.rc_context(RC):
        yield


# Fixed margins for the book's 6.4 x 3.6 in figures, in figure fractions. A layout engine
# ("constrained") would place them itself but draws every figure twice, which doubles the
# cost of each slider update; these margins fit a title, tick labels and axis labels.
MARGINS = {"left": 0.13, "right": 0.97, "bottom": 0.14, "top": 0.9, "wspace": 0.28}


def figure(ncols: int = 1, figsize: tuple[float, float] | None = None):
    """A new ``(fig, axes)`` in the book's style, *not* registered with pyplot.

    Figures made this way are never shown twice or left open by the inline backend, which is
    what a slider callback wants: it renders the figure itself and throws it away.

    Args:
        ncols: panels side by side.
        figsize: (width, height) in inches; default 6.4 x 3.6 for one panel, 4.2 in wide per
            panel for several.

    Returns:
        ``(fig, ax)``, or ``(fig, array of axes)`` for ``ncols > 1``.
    """
    from matplotlib.figure import Figure

    with style():
        width, height = RC["figure.figsize"]
        # Side-by-side panels get 4.2 in each, so titles and tick labels do not collide.
        default = (width if ncols == 1 else 4.2 * ncols, height)
        fig = Figure(figsize=figsize or default, layout="none")
        fig.subplots_adjust(**MARGINS)
        axes = fig.subplots(1, ncols)
    return fig, axes


def log_axes(ax, x: bool = True, y: bool = True) -> None:
    """Log scale with one tick per decade and no minor ticks.

    Minor ticks on a log axis are dozens of artists that matplotlib rebuilds on every draw;
    dropping them halves the time to render a slider frame, and the grid still marks decades.

    Args:
        ax: the axes; x, y: which axes to make logarithmic.
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

    for use, axis, set_scale in ((x, ax.xaxis, ax.set_xscale), (y, ax.yaxis, ax.set_yscale)):
        if use:
            set_scale("log")
            axis.set_major_locator(LogLocator(base=10, numticks=12))
            axis.set_minor_locator(NullLocator())
            # Plain labels (0.01, 1, 1000) instead of mathtext 10^k, which is slow to lay out.
            axis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))


def finish(ax, title: str, xlabel: str, ylabel: str, legend: bool = True) -> None:
    """Give an axes its title and labelled axes, and a legend if anything is labelled.

    Args:
        ax: the axes.
        title: the title; xlabel, ylabel: axis labels, with units in parentheses.
        legend: draw a legend of the labelled artists.
    """
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend()
