"""Widget figures with a fixed part: render it once, then per frame only what moves.

Most of a frame's cost is the part of the figure that never changes between slider
positions: axes, ticks, tick labels, axis labels, reference curves, contours. Split
``draw`` into that part and the rest, and a widget renders the fixed part once::

    def loss_axes():                   # the fixed part: no arguments, returns the figure
        fig, ax = plotting.figure()
        ax.axhline(START_LOSS, color="grey", linestyle=":", label="loss before training")
        ax.set_xlim(0, 160)
        ax.set_ylim(0, 1.5)
        plotting.finish(ax, "", "step", "batch loss (cross-entropy)", legend=False)
        return fig

    def loss_curve(fig, lr):           # what moves: adds artists, sets an empty title
        ax = fig.axes[0]
        ax.plot(train(lr)["losses"], label=f"lr = {lr:g}")
        ax.legend(loc="upper right")
        ax.set_title(f"SGD, constant lr = {lr:g}")

    draw_constant = widgets.layered(loss_axes, loss_curve)
    widgets.interact(draw_constant, lr=widgets.log_slider(1e-4, 100.0, 13))

``draw_constant(lr=0.1)`` returns the whole figure, like any ``draw`` (a check cell can
inspect it). For a frame, the blitter (:meth:`Layered.blitter`) builds the fixed part
without rendering it and lets the moving part add to it. A full render draws the figure's
artists in a fixed order (:func:`draw_order`); the blitter splits them into those it can
draw before the moving ones -- every artist a full render draws before the first moving one,
and later fixed ones whose box overlaps no moving artist drawn before them (the other panel
of a two-panel figure) -- and the rest. The first part is rendered once (matplotlib's own
``Figure.draw`` with the rest hidden) and stored; per frame, the rest is drawn over a copy
of it, artist by artist in the same order, so a frame has the pixels of a full render: the
first frame drawn over each stored image is also rendered in full and compared, and a
difference raises ``ValueError``.

``fixed`` may take some of the sliders as parameters, when the axes depend on them (the
number of layers on the x axis): it is then rendered once per value of those sliders.

Rules for the moving part, checked on every frame (a ``ValueError`` names what broke them):
it may add artists to the figure and its axes and set texts the fixed part leaves empty (a
title); it must not change the axes' limits, scales or place, add or remove axes, or change
or remove an artist of the fixed part. Autoscaling is off once the fixed part is built, so
adding data does not move the axes (a full call of ``draw`` behaves the same way).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from lecnotes import _checks, plotting
from lecnotes.frames import Frame, image_frame

PAD = 6  # device pixels around an artist's box: anti-aliasing, line caps
TICKS = 10  # points that tick marks may reach outside the axes


def draw_order(fig) -> list:
    """The artists a render of ``fig`` draws, in order: Figure and Axes ``draw`` unrolled."""
    from matplotlib.axes import Axes

    order = [fig.patch]
    children = [a for a in fig.get_children() if a is not fig.patch and not a.get_animated()]
    for child in sorted(children, key=lambda a: a.get_zorder()):
        if not isinstance(child, Axes):
            order.append(child)
            continue
        inner = [a for a in child.get_children() if a is not child.patch]
        if child.axison and child.get_frame_on():
            order.append(child.patch)
        else:
            inner = [a for a in inner if a not in child.spines.values()]
        if not child.axison:
            inner = [a for a in inner if a not in (child.xaxis, child.yaxis)]
        order += sorted((a for a in inner if not a.get_animated()), key=lambda a: a.get_zorder())
    return order


def _parts(artist) -> list:
    """The artist and what it holds (an Axis alone: listing its ticks would create them)."""
    from matplotlib.axis import Axis

    return [artist] if isinstance(artist, Axis) else artist.findobj()


def _blank(artist) -> bool:
    """Whether a render draws nothing for ``artist`` (hidden, or a text without text)."""
    from matplotlib.text import Text

    return not artist.get_visible() or (isinstance(artist, Text) and artist.get_text() == "")


def _axes_state(fig) -> list:
    """What the moving part must leave alone: every Axes, its limits, scales and place."""
    return [
        (id(ax), ax.get_xlim(), ax.get_ylim(), ax.get_xscale(), ax.get_yscale(),
         tuple(ax.get_position().bounds))
        for ax in fig.axes
    ]  # fmt: skip


class _Fixed:
    """The fixed part as built for one frame, before the moving part adds to it."""

    def __init__(self, fig, name: str):
        from matplotlib.figure import Figure

        if not isinstance(fig, Figure):
            raise ValueError(f"{name} must return a matplotlib Figure, got {type(fig).__name__}")
        if fig.get_layout_engine() is not None:
            raise ValueError(
                f"{name} made a figure with a layout engine, which moves the axes when "
                "artists change; use plotting.figure() (fixed margins)"
            )
        self.fig, self.name = fig, name
        self.state = _axes_state(fig)  # reading the limits applies pending autoscaling
        for ax in fig.axes:
            ax.set_autoscale_on(False)
        self.leaves = draw_order(fig)
        self.position = {id(a): k for k, a in enumerate(self.leaves)}
        self.blank = {id(a) for a in self.leaves if _blank(a)}
        for leaf in self.leaves:
            for part in _parts(leaf):
                part.stale = False  # from here on, whatever is changed is marked stale

    def moved(self, moving: str) -> set[int]:
        """Ids of the artists the moving part added or filled in; raises if it broke a rule."""
        leaves = draw_order(self.fig)
        present = {id(a) for a in leaves}
        problem = None
        if _axes_state(self.fig) != self.state:
            problem = "changed the axes (their number, limits, scales or place)"
        elif not self.position.keys() <= present:
            problem = "removed an artist of the fixed part"
        filled = set()
        for leaf in self.leaves:
            if problem is None and any(p.stale for p in _parts(leaf)):
                if id(leaf) not in self.blank:
                    problem = f"changed a {type(leaf).__name__} of the fixed part"
                filled.add(id(leaf))
        if problem is not None:
            raise ValueError(
                f"{moving} {problem}; with widgets.layered, the moving part may only add "
                f"artists and set texts that {self.name} leaves empty: put the rest in {self.name}"
            )
        return {i for i in present if i not in self.position} | filled


class Layered:
    """A ``draw`` function in two parts, ``fixed() -> Figure`` and ``moving(fig, **values)``.

    Call it like any ``draw`` (``draw(lr=0.1)`` returns the whole figure); :meth:`blitter`
    renders frames from a stored image of the fixed part (see the module docstring).
    """

    def __init__(self, fixed: Callable, moving: Callable):
        self.fixed = _checks.function("fixed", fixed)
        self.moving = _checks.function("moving", moving)
        self.__name__ = getattr(moving, "__name__", "draw")
        self.fixed_name = getattr(fixed, "__name__", "fixed")
        self.fixed_by = tuple(inspect.signature(fixed).parameters)  # sliders it depends on

    def fixed_values(self, values: dict) -> tuple:
        """The values of the sliders the fixed part depends on, in its parameters' order."""
        missing = [name for name in self.fixed_by if name not in values]
        if missing:
            raise ValueError(
                f"{self.fixed_name} takes {missing}, which are not sliders: "
                f"its parameters must be slider names, got sliders {sorted(values)}"
            )
        return tuple(values[name] for name in self.fixed_by)

    def build(self, **values) -> tuple[object, _Fixed, set[int]]:
        """The figure for ``values``, its fixed part, and the ids of the artists that moved."""
        part = self.fixed(**dict(zip(self.fixed_by, self.fixed_values(values), strict=True)))
        fixed = _Fixed(part, self.fixed_name)
        self.moving(fixed.fig, **values)
        return fixed.fig, fixed, fixed.moved(self.__name__)

    def __call__(self, **values):
        """The whole figure for ``values``, as a plain ``draw`` returns it."""
        return self.build(**values)[0]

    def blitter(self) -> _Blitter:
        """A renderer of frames for one widget: ``blitter(**values) -> Frame``.

        It keeps the images of the fixed part it rendered, so make a new one whenever what
        ``fixed`` reads may have changed (``widgets.interact`` makes one per widget).
        """
        return _Blitter(self)


class _Blitter:
    """Renders frames of a :class:`Layered` over stored images of what lies below them."""

    def __init__(self, layered: Layered):
        self.layered = layered
        self.boxes: dict[tuple, list] = {}  # fixed values -> box of every fixed artist
        self.below: dict[tuple, object] = {}  # (fixed values, artists drawn first) -> image

    def __call__(self, **values) -> Frame:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig, fixed, moved = self.layered.build(**values)
        canvas = FigureCanvasAgg(fig)
        _prepare(fig)
        renderer = canvas.get_renderer()
        by = self.layered.fixed_values(values)
        if by not in self.boxes:
            self.boxes[by] = [_box(a, renderer) for a in fixed.leaves]
        leaves = draw_order(fig)
        first = self.split(leaves, fixed, moved, self.boxes[by], renderer)
        later = [a for a in leaves if a not in first]
        key = (by, frozenset(fixed.position[id(a)] for a in first))
        check = key not in self.below
        if check:  # render what is drawn first, once
            with _hidden(later):
                canvas.draw()
            self.below[key] = canvas.copy_from_bbox(fig.bbox)
        canvas.restore_region(self.below[key])
        for artist in later:  # in the order a full render draws them
            artist.draw(renderer)
        image = _rgb(renderer)
        if check and not np.array_equal(np.asarray(image), np.asarray(_full(self.layered, values))):
            del self.below[key]
            raise ValueError(
                f"{self.layered.__name__}: rendering only the moving part gave other pixels "
                "than a full render of this figure; draw it with a plain draw function instead"
            )
        return image_frame(image, fig)

    @staticmethod
    def split(leaves: list, fixed: _Fixed, moved: set[int], boxes: list, renderer) -> list:
        """The fixed artists that can be drawn before every moving one (see the docstring)."""
        first, later = [], []  # later: drawn after the first moving artist, boxes
        for artist in leaves:
            if id(artist) in moved:  # where it may draw, so that most frames split alike
                clip = artist.get_clip_box() if artist.get_clip_on() else None
                later.append([clip.padded(1)] if clip is not None else _box(artist, renderer))
                continue
            box = boxes[fixed.position[id(artist)]]
            if id(artist) in fixed.blank or not any(_overlap(box, b) for b in later):
                first.append(artist)  # nothing drawn before it overlaps it
            else:
                later.append(box)
        return first


def _box(artist, renderer):
    """Where ``artist`` draws: padded boxes in device pixels, or "all" when it cannot tell."""
    from matplotlib.axis import Axis

    if _blank(artist):
        return []
    if isinstance(artist, Axis):  # grid and tick marks, tick labels, the axis label
        artist.get_tightbbox(renderer)  # places the ticks
        texts = [*artist.get_majorticklabels(), *artist.get_minorticklabels(), artist.label,
                 artist.get_offset_text()]  # fmt: skip
        marks = artist.axes.bbox.padded(TICKS * renderer.dpi / 72)
        boxes = [marks] + [t.get_window_extent(renderer) for t in texts if not _blank(t)]
    else:
        boxes = [artist.get_tightbbox(renderer)]
        if boxes[0] is None:
            return []
        if (boxes[0].width, boxes[0].height, boxes[0].x0, boxes[0].y0) == (0, 0, 0, 0):
            return "all"  # the default of an artist that does not know where it draws
    width = getattr(artist, "get_linewidth", lambda: 0)()
    pad = PAD + np.max(width, initial=0) * renderer.dpi / 72 / 2
    return [box.padded(pad) for box in boxes]


def _overlap(boxes, others) -> bool:
    if boxes == "all" or others == "all":
        return bool(boxes) and bool(others)
    return any(
        a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1 for a in boxes for b in others
    )


def _prepare(fig) -> None:
    """Render settings as ``plotting.pixels`` (savefig) uses them: device scale, colours."""
    import matplotlib as mpl

    fig.dpi = fig.dpi * plotting.SCALE
    for part in ("facecolor", "edgecolor"):
        color = mpl.rcParams[f"savefig.{part}"]
        if not (isinstance(color, str) and color == "auto"):
            getattr(fig, f"set_{part}")(color)


class _hidden:
    """Hide artists for a ``with`` block (a render then skips them), then show them again."""

    def __init__(self, artists):
        self.artists = [a for a in artists if a.get_visible()]

    def __enter__(self):
        for a in self.artists:
            a.set_visible(False)

    def __exit__(self, *exc):
        for a in self.artists:
            a.set_visible(True)


def _rgb(renderer):
    from PIL import Image

    rgba = np.asarray(renderer.buffer_rgba())
    return Image.fromarray(rgba, "RGBA").convert("RGB")


def _full(layered: Layered, values: dict):
    """A full render of the same figure, through ``plotting.pixels``."""
    return plotting.pixels(layered(**values))


def layered(fixed: Callable, moving: Callable) -> Layered:
    """A ``draw`` for ``widgets.interact`` whose fixed part is rendered once.

    Args:
        fixed: ``fixed() -> Figure``: everything that is the same in every frame (axes,
            limits, labels, reference lines); best made with ``plotting.figure()``. Its
            parameters, if any, are slider names: the fixed part for those values.
        moving: ``moving(fig, **values)``: adds what depends on the slider values to
            ``fig`` (curves, markers, a legend, a title left empty by ``fixed``).

    Returns:
        A :class:`Layered`, callable as ``draw(**values) -> Figure``.
    """
    return Layered(fixed, moving)
