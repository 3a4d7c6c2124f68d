"""The live view of a widget in Jupyter: ipywidgets sliders over every frame already drawn.

``lecnotes.widgets.Interactive.live_view`` builds one. Moving a slider swaps pictures in the
browser, without asking the kernel (why: ``lecnotes.widgets``).
"""

from __future__ import annotations

import html

from lecnotes.frames import Frame


class LiveView:
    """ipywidgets sliders over nested ``Stack`` widgets holding every rendered frame.

    ``jslink`` ties each slider's ``index`` to the ``selected_index`` of the stacks at its
    level (the first slider picks among the outer stack's children, the last one picks the
    picture), so the front end swaps pictures by itself: a move sends no message to the
    kernel and back, which alone costs about 50 ms in JupyterLab. Every frame is sent once,
    when the widget is displayed.

    Every control, slider or toggle buttons, has its label in the same place: one column as
    wide as the longest label, left of the control.
    """

    def __init__(self, interactive):
        """Args:
        interactive: the ``widgets.Interactive`` whose sliders and frames it shows.
        """
        import ipywidgets as ipw

        self.interactive = interactive
        self.controls = []
        width = f"{max(map(len, interactive.labels.values())) + 2}ch"
        for name, s in interactive.sliders.items():
            common = {
                "options": [(label, k) for k, label in enumerate(s.labels)],
                "value": s.index,
                "description": interactive.labels[name],
                "style": {"description_width": width},
            }
            if s.kind == "choice":
                control = ipw.ToggleButtons(**common)
            else:
                control = ipw.SelectionSlider(**common, continuous_update=True)
            self.controls.append(control)
        self.links = []
        pictures = [picture(frame) for frame in interactive.frames()]
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


def picture(frame: Frame):
    """An ipywidgets view of one frame: an Image at its CSS size, or preformatted text."""
    import ipywidgets as ipw

    if frame.is_image:
        # A fixed width: a flex box would otherwise stretch the picture (blurry). The image
        # has plotting.SCALE pixels per CSS pixel, so it is sharp on high-DPI screens.
        image_format = frame.mime.removeprefix("image/")
        return ipw.Image(value=frame.data, format=image_format, width=str(frame.width))
    return ipw.HTML(f"<pre>{html.escape(frame.data)}</pre>")
