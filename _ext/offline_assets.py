"""Sphinx extension: the site loads nothing from the internet and carries no dead weight.

1. MathJax 3 is served from the site itself (see below).
2. sphinx-thebe, which Jupyter Book always loads, writes a CDN address into every page even
   with Thebe turned off; its scripts and stylesheet are removed.
3. myst-nb embeds the ipywidgets state of executed notebooks in each page. Our sliders use
   their own static player (lecnotes.widgets), so the state is unused weight; it is dropped.

MathJax comes from the npm package ``mathjax`` (pinned in package.json / package-lock.json
and installed by ``make book``). We copy only what the ``tex-chtml`` component loads --
the component, TeX extensions it may autoload, the CHTML fonts, and the menu's
accessibility modules -- into ``_build/html/_static/mathjax``; ``mathjax_path`` in
``_config.yml`` points there. It is copied at the end of the build rather than listed in
``html_static_path``, because Jupyter Book injects a <script> tag for every .js file found
under the static paths, which would load hundreds of MathJax modules on every page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

PARTS = ["tex-chtml.js", "input", "output/chtml", "ui", "a11y", "sre", "adaptors"]


def mathjax_source(srcdir: Path) -> Path:
    """Folder of the installed MathJax 3 ``es5`` build; a clear error if it is missing."""
    source = srcdir / "node_modules" / "mathjax" / "es5"
    if not (source / "tex-chtml.js").is_file():
        raise ExtensionError(
            f"MathJax not found at {source}: run `npm ci` (or `make book`, which does it)"
        )
    return source


def copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, copy MathJax into ``<outdir>/_static/mathjax``."""
    if exception is not None or app.builder.format != "html":
        return
    source = mathjax_source(Path(app.srcdir))
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in PARTS:
        src, dst = source / part, target / part
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.is_file():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def _is_thebe(filename: str | None, attributes: dict) -> bool:
    return "thebe" in (filename or "") or "THEBE_JS_URL" in attributes.get("body", "")


def drop_thebe(app: Sphinx, *_args) -> None:
    """Unregister sphinx-thebe's assets and per-page config (Thebe is off in _config.yml)."""
    for event, listeners in app.events.listeners.items():
        app.events.listeners[event] = [
            listener
            for listener in listeners
            if getattr(listener.handler, "__module__", "") != "sphinx_thebe"
        ]
    registry = app.registry
    registry.js_files = [(f, kw) for f, kw in registry.js_files if not _is_thebe(f, kw)]
    registry.css_files = [(f, kw) for f, kw in registry.css_files if "thebe" not in f]
    builder = app.builder
    if hasattr(builder, "_js_files"):
        builder._js_files = [
            js for js in builder._js_files if not _is_thebe(js.filename, js.attributes)
        ]
        builder._css_files = [css for css in builder._css_files if "thebe" not in css.filename]


def drop_widget_state(app: Sphinx, _doctree) -> None:
    """Forget the ipywidgets state myst-nb recorded for the page just read."""
    page_files = getattr(app.env, "nb_metadata", {}).get(app.env.docname, {}).get("js_files", {})
    page_files.pop("ipywidgets_state", None)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", lambda app: mathjax_source(Path(app.srcdir)))
    # Priority 900: after sphinx-thebe's own handler (500) has registered its assets.
    app.connect("env-before-read-docs", drop_thebe, priority=900)
    app.connect("doctree-read", drop_widget_state)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
