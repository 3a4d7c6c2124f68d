"""Sphinx extension: the site loads nothing from the internet and carries no dead weight.

1. The theme's icon font is served from the site itself (see below). (Math is typeset when
   the book is built, by ``_ext/static_math.py``, which ships the MathJax fonts it uses.)
2. sphinx-thebe, which Jupyter Book always loads, writes a CDN address into every page even
   with Thebe turned off; its scripts and stylesheet are removed.
3. myst-nb embeds the ipywidgets state of executed notebooks in each page. Our sliders use
   their own static player (lecnotes.widgets), so the state is unused weight; it is dropped.
4. Sphinx's search-word highlighting script is left out where it never ran (see
   ``drop_search_highlighting``).
5. The book's own ``_static`` files reach the site when only they changed: Sphinx copies
   static files only when it writes some page, and a page's links carry a checksum of each
   file (``book.css?v=...``). When a file differs from the site's copy, every page is
   written again (not re-read: about 5 s).

Icons: the theme (pydata-sphinx-theme) loads Font Awesome as a 1.5 MB script on every page,
and its stylesheet also holds all of Font Awesome's CSS (the classes, and @font-face rules
for its fonts, 1 MB of them in the theme's vendor folder). Our template override
(``_templates/static/webpack-macros.html``) loads neither the script nor those fonts: it
links ``_static/fontawesome/icons.css``, written here at the end of the build, whose one
@font-face rule, declared after the theme's, draws the solid icons from
``fa-solid-900.woff``: npm ``@fortawesome/fontawesome-free``'s solid font (the version the
theme bundles) cut to the icons the built pages and the site's scripts name, and those the
site's stylesheets draw themselves (``font_subset``; 3 KB instead of 156 KB). The theme's
stylesheet on the site keeps the class rules of those icons only, and of Bootstrap's and the
theme's rules those that some element of the site can match (``_ext/unused_css.py``): 106 KB
instead of 397 KB on every first visit. The unused script and fonts are deleted from the
site; an icon missing from the cut font would make the browser ask for the deleted ones,
which the browser tests report as a failed request.
"""

from __future__ import annotations

import filecmp
import re
import shutil
from pathlib import Path

import pydata_sphinx_theme
from font_subset import QUOTED, css_characters, subset
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from unused_css import drop_unused_rules, used_words

# Font Awesome (npm @fortawesome/fontawesome-free, the version the theme bundles): its CSS
# maps icon classes to characters; its solid font draws them.
ICON_PACKAGE = Path("node_modules") / "@fortawesome" / "fontawesome-free"
ICON_CSS = ICON_PACKAGE / "css" / "fontawesome.min.css"
ICON_FONT = ICON_PACKAGE / "webfonts" / "fa-solid-900.ttf"
ICONS = Path("_static") / "fontawesome"  # in the site: icons.css and fa-solid-900.woff
# The theme's stylesheet holds Font Awesome's class rules for all 1881 icons (86 KB of its
# 397 KB); the site's copy keeps those of the icons in use.
THEME_STATIC = (
    Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
)
THEME_CSS = THEME_STATIC / "styles" / "pydata-sphinx-theme.css"
PRIVATE_USE = range(0xE000, 0xF900)
ICON_NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*")
ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:{1,2}before,?)+)\{content:"([^"]*)"\}')
ICON_FACE = (
    '@font-face{font-family:"Font Awesome 6 Free";font-style:normal;font-weight:900;'
    'font-display:block;src:url(fa-solid-900.woff) format("woff")}\n'
)
# The theme ships its icons as a 1.5 MB script, and Font Awesome's fonts in full (1 MB);
# our template override loads neither.
UNUSED = [
    "scripts/fontawesome.js",
    "scripts/fontawesome.js.LICENSE.txt",
    "scripts/fontawesome.js.map",
    "vendor/fontawesome",
]


def npm_source(srcdir: Path) -> None:
    """Fail with the fix if the npm files the icons come from are not installed."""
    missing = [str(path) for path in (ICON_CSS, ICON_FONT) if not (srcdir / path).is_file()]
    if missing:
        raise ExtensionError(
            f"{missing} not found under {srcdir}: run `npm ci` (or `make book`, which does it)"
        )


def icon_characters(css: str, names: set[str]) -> set[int]:
    """The characters Font Awesome's ``css`` gives to the icon classes ``names``."""
    found = set()
    for selectors, content in ICON_RULE.findall(css):
        if names & set(ICON_NAME.findall(selectors)):
            found |= css_characters(f'content:"{content}"')
    return found


def css_icons(css: str) -> set[int]:
    """Icon characters a stylesheet draws itself: Font Awesome's characters (its private use
    area) in any quoted string, e.g. the theme's ``--pst-icon-*`` custom properties, besides
    the ``.fa-*`` class rules (which ``icon_characters`` reads for the classes in use)."""
    return {c for c in css_characters(ICON_RULE.sub("", css), QUOTED) if c in PRIVATE_USE}


def cut_icon_rules(css: str, names: set[str]) -> str:
    """``css`` without the ``.fa-*`` class rules of icons not in ``names``."""
    return ICON_RULE.sub(lambda m: m[0] if names & set(ICON_NAME.findall(m[1])) else "", css)


def icon_names(words: set[str]) -> set[str]:
    """Every ``fa-*`` class among ``words``: those of the built pages and the site's scripts,
    which add icons (``unused_css.used_words``)."""
    return {word for word in words if ICON_NAME.fullmatch(word)}


def ship_icons(app: Sphinx, exception: Exception | None) -> None:
    """After a successful HTML build, the icon font cut to the icons the site shows."""
    if exception is not None or app.builder.format != "html":
        return
    site, srcdir = Path(app.outdir), Path(app.srcdir)
    static = site / "_static"
    for unused in UNUSED:
        path = static / unused
        shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    words = used_words(site)  # the site's pages and scripts, read once
    names = icon_names(words)
    theme_css = static / THEME_CSS.relative_to(THEME_STATIC)
    css = cut_icon_rules(THEME_CSS.read_text("utf-8"), names)
    theme_css.write_text(drop_unused_rules(css, words), encoding="utf-8")
    characters = icon_characters((srcdir / ICON_CSS).read_text("utf-8"), names)
    for css in static.rglob("*.css"):
        characters |= css_icons(css.read_text("utf-8"))
    subset(srcdir / ICON_FONT, characters, site / ICONS / "fa-solid-900.woff")
    (site / ICONS / "icons.css").write_text(ICON_FACE, encoding="utf-8")


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


def drop_search_highlighting(app: Sphinx, pagename: str, *_args) -> None:
    """Leave out Sphinx's sphinx_highlight.js, which does nothing here, but on the search page.

    It highlights a search's words on the page a result leads to, but only when Sphinx's
    search code is not loaded (``typeof Search === "undefined"``), and the theme loaded that
    code on every page: it never ran. The search code now stays on the search page
    (_templates/theme/layout.html), where sphinx_highlight.js is needed (the search code
    reads its SPHINX_HIGHLIGHT_ENABLED). Elsewhere it would start to run, and rewrite every
    address through URLSearchParams, which encodes the commas of shared slider views
    (``?scale-beta=4,0.5``) and so loses them. Sphinx restores the list after the page.
    """
    if pagename != "search" and hasattr(app.builder, "_js_files"):
        app.builder._js_files[:] = [
            js for js in app.builder._js_files if js.filename != "_static/sphinx_highlight.js"
        ]


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
    app.connect("builder-inited", lambda app: npm_source(Path(app.srcdir)))  # fail early
    # Priority 900: after sphinx-thebe's own handler (500) has registered its assets.
    app.connect("env-before-read-docs", drop_thebe, priority=900)
    app.connect("doctree-read", drop_widget_state)
    app.connect("env-get-updated", pages_with_stale_assets)
    app.connect("html-page-context", drop_search_highlighting)
    app.connect("build-finished", ship_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
