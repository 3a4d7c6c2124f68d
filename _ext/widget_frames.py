"""Sphinx extension: a slider widget's frames are files, fetched when a reader needs them.

``lecnotes.widgets`` embeds every frame of a widget in the cell's HTML output as a ``data:``
URL, so that the notebook holds everything it shows. Inlined in a page, that is every
frame of every widget on a first visit (hundreds of KB a page, most of it pictures a reader
may never look at). When a page is written, each frame of each widget becomes a file,
``_images/frames/<sha256>.<ext>`` (named by its content: a frame shared by two widgets or
unchanged by a rebuild is one file), and the widget's ``<img>`` and JSON payload point to
it. ``_static/lecnotes-widgets.js`` shows the first one and fetches the others when a
reader first reaches for a slider; plain image loads, so the site still works offline and
from ``file://``. Only the page written changes: the notebook and the jupyter-cache keep
the embedded frames.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

WIDGET = "data-lecnotes-widget"  # marks a widget's HTML (lecnotes.widgets.static_html)
DATA_URL = re.compile(r"data:image/(png|webp);base64,([A-Za-z0-9+/=]+)")
FOLDER = "frames"  # under the builder's image folder (_images)


def frame_file(outdir: Path, folder: str, match: re.Match) -> str:
    """Write the image of one ``data:`` URL under ``outdir/folder``; its path there."""
    data = base64.b64decode(match[2])
    name = f"{folder}/{hashlib.sha256(data).hexdigest()[:32]}.{match[1]}"
    path = outdir / name
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return name


def frames_to_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """In the page being written, replace every widget frame by a URL of its file."""
    if app.builder.format != "html":
        return
    page = app.builder.get_target_uri(docname)
    folder = f"{app.builder.imagedir}/{FOLDER}"
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if WIDGET not in text or "html" not in node.get("format", "").split():
            continue

        def to_url(match: re.Match) -> str:
            return relative_uri(page, frame_file(Path(app.outdir), folder, match))

        written = node.copy()  # the same attributes (format, classes), no children
        written += nodes.Text(DATA_URL.sub(to_url, text))
        node.replace_self(written)


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", frames_to_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
