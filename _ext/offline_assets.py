"""Sphinx extension: the site loads nothing from the internet and carries no dead weight.

1. The theme's icon font is served from the site itself (see below). (Math is typeset when
   the book is built, by ``_ext/static_math.py``, which ships the MathJax fonts it uses.)
2. sphinx-thebe, which Jupyter Book always loads, writes a CDN address into every page even
   with Thebe turned off; its scripts and stylesheet are removed.
3. myst-nb embeds the ipywidgets state of executed notebooks in each page. Our sliders use
   their own static player (lecnotes.widgets), so the state is unused weight; it is dropped.
4. The book's own ``_static`` files reach the site when only they changed: Sphinx copies
   static files only when it writes some page, and a page's links carry a checksum of each
   file (``book.css?v=...``). When a file differs from the site's copy, every page is
   written again (not re-read: about 5 s).

Icons: the theme (pydata-sphinx-theme) loads Font Awesome as a 1.5 MB script on every page.
``_templates/static/webpack-macros.html`` loads Font Awesome's CSS and solid web font
instead (npm ``@fortawesome/fontawesome-free``, the version the theme bundles); they are
copied into ``_static/fontawesome`` at the end of the build (not through
``html_static_path``: Jupyter Book injects a <script> tag for every .js file found under the
static paths), and the unused script is deleted.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError

# Under _static/<name>/: the npm package folder it comes from, and the parts to copy.
ASSETS = {
    # Icons: CSS + one web font, see _templates/static/webpack-macros.html.
    "fontawesome": (
        "@fortawesome/fontawesome-free",
        [
            "css/fontawesome.min.css",
            "css/solid.min.css",
            "webfonts/fa-solid-900.woff2",
            "webfonts/fa-solid-900.ttf",
        ],
    ),
}
# The theme ships its icons as a 1.5 MB script; our template override no longer loads it.
UNUSED = [
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    "scripts/fontawesome.js.map",
]


def npm_source(srcdir: Path, name: str) -> Path:
    """Installed npm folder of asset ``name``; a clear error if something is missing."""
    package, parts = ASSETS[name]
    source = srcdir / "node_modules" / package
    missing = [part for part in parts if not (source / part).exists()]
    if missing:
        raise ExtensionError(
            f"{name}: {missing} not found under {source}: run `npm ci` (or `make book`, "
            "which does it)"
        )
    return source


def copy_assets(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, copy the npm assets into ``<outdir>/_static``."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for name, (_, parts) in ASSETS.items():
        source = npm_source(Path(app.srcdir), name)
        for part in parts:
            src, dst = source / part, static / name / part
            if src.is_dir():
                shutil.copytree(src, dst, dirs_exist_ok=True)
            else:
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)
    for unused in UNUSED:
        (static / unused).unlink(missing_ok=True)


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


def pages_with_stale_assets(app: Sphinx, env) -> list[str]:
    """Every page, when a file of the book's own static folders differs from the site's copy."""
    site = Path(app.outdir) / "_static"
    for folder in app.config.html_static_path:
        source = Path(app.confdir) / folder
        for src in source.rglob("*"):
            copy = site / src.relative_to(source)
            if src.name.endswith(("_t", ".jinja")):  # templates Sphinx renders to another name
                continue
            if src.is_file() and not (copy.is_file() and filecmp.cmp(src, copy, shallow=False)):
                return sorted(env.found_docs)
    return []


def setup(app: Sphinx) -> dict:
    for name in ASSETS:  # fail early, not after minutes of building
        app.connect("builder-inited", lambda app, name=name: npm_source(Path(app.srcdir), name))
    # Priority 900: after sphinx-thebe's own handler (500) has registered its assets.
    app.connect("env-before-read-docs", drop_thebe, priority=900)
    app.connect("doctree-read", drop_widget_state)
    app.connect("env-get-updated", pages_with_stale_assets)
    app.connect("build-finished", copy_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
