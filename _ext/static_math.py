"""Sphinx extension: math typeset when the book is built, so pages load no MathJax script.

Sphinx writes each formula as its TeX source for the reader's MathJax to typeset
(``<span class="math notranslate nohighlight">\\(...\\)</span>``, ``<div class="math ...">``
with ``\\[...\\]``, after an equation number if it has one). This extension registers the
math renderer ``static_mathjax`` (``html_math_renderer`` in ``_config.yml``): it writes the
same markup as Sphinx's ``mathjax`` renderer (with myst-parser's amsmath handling) but adds
no MathJax script to the page. When the build finishes, every page that still holds TeX --
the pages Sphinx wrote in this build, and only those, since the others were typeset before --
is typeset by the npm MathJax's Node API, in one Node process for the whole site
(``_ext/typeset_math.js``):

- each math element's TeX becomes MathJax's CHTML markup, with assistive MathML for screen
  readers (holding the TeX as an annotation, which the search page's summaries quote:
  ``_ext/search_math.js``); the equation number and its link stay as Sphinx wrote them;
- the page gets a ``<style id="MJX-CHTML-styles">`` with only the rules its math uses
  (characters, delimiters, node kinds), and ``@font-face`` rules for only the MathJax fonts
  its markup can ask for;
- ``_static/mathjax/fonts/`` holds exactly the font files some page's stylesheet names,
  each cut to the characters the site's math draws (``font_subset.py``).

A TeX error or an undefined macro is a build warning (so an error with ``-W``), naming the
page; the browser used to draw it in red.

It runs for every HTML builder (``html``, ``singlehtml``, ``dirhtml``), and on a built
folder from the command line: ``python _ext/static_math.py _build/singlehtml``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from font_subset import css_characters, subset
from sphinx.errors import ExtensionError
from sphinx.ext.mathjax import html_visit_math
from sphinx.util import logging

logger = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TYPESETTER = HERE / "typeset_math.js"
SEARCH_SCRIPT = HERE / "search_math.js"
RENDERER = "static_mathjax"
FONTS = Path("_static") / "mathjax" / "fonts"  # in the built site
FONT_SOURCE = Path("node_modules") / "mathjax" / "es5" / "output" / "chtml" / "fonts" / "woff-v2"
# First in every MathJax font list (for a few zero-width characters): every formula loads
# it, and cut to the characters drawn it would hold none, which browsers reject. Shipped whole.
ZERO_FONT = "MathJax_Zero.woff"
FONT_URL = "%%MATHJAX_FONTS%%"  # replaced by each page's relative path to FONTS
TYPESETTING: dict = {}  # Sphinx application -> its SiteTypesetting under way

# A math element as Sphinx writes it (the node's own classes, e.g. amsmath, come first): its
# start tag and optional equation number, then the TeX text (HTML-escaped, so it holds no
# "<"), then the end tag. Once typeset, its content starts with "<mjx-container", so it no
# longer matches.
MATH = re.compile(
    r'(?P<start><(?P<tag>span|div) class="(?:[\w-]+ )*math notranslate nohighlight[^"]*"[^>]*>'
    r'(?:\s*<span class="eqno">.*?</span>)?)(?P<tex>[^<]*?\S[^<]*)(?P<end></(?P=tag)>)',
    re.DOTALL,
)
STYLE_ID = "MJX-CHTML-styles"
FONT_FACE = re.compile(
    r"@font-face[^{]*\{font-family: (?P<family>[\w-]+);"
    r'src: url\("[^"]*/(?P<file>[^/"?]+)(?:\?v=\w*)?"[^}]*\}\n?'
)
# A font's address in a page's stylesheet, with the version ship_fonts stamps on it.
FONT_ADDRESS = re.compile(r'(?P<url>/(?P<file>MathJax_[\w-]+\.woff))(?:\?v=\w*)?"')
# The font families a page's markup can make the browser load: MathJax's main font and its
# zero-width font always; a variant's font where a character carries its class (TEX-I for
# math italic, ...); stretchy delimiters are drawn from a list of fonts.
VARIANT_CLASS = re.compile(r"\bTEX-([A-Z0-9]+)\b")
STRETCHY_FAMILIES = {"MJXTEX-S1", "MJXTEX-S4", "MJXTEX-A"}


class MathError(Exception):
    """The typesetter failed, or a formula could not be typeset."""


def pages_of(site: Path) -> list[Path]:
    """Every HTML page of a built site (its static files excluded)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


class Typesetter:
    """One Node process typesetting ``pages`` (page name -> texts of its math elements).

    It starts at once and works while the caller goes on (a thread feeds it and collects
    its answer); :meth:`result` waits for it.
    """

    def __init__(self, pages: dict[str, list[str]]) -> None:
        request = json.dumps({"fontURL": FONT_URL, "pages": pages})
        try:
            self.process = subprocess.Popen(
                ["node", str(TYPESETTER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
        except FileNotFoundError as err:
            raise MathError("node not found: install Node 18 or newer (see README.md)") from err
        self.output: tuple[str, str] = ("", "")
        self.thread = threading.Thread(target=self._talk, args=(request,), daemon=True)
        self.thread.start()

    def _talk(self, request: str) -> None:
        self.output = self.process.communicate(request)

    def result(self) -> dict[str, dict]:
        """page name -> ``{"html": [markup per text], "css": str, "errors": [str]}``."""
        self.thread.join()
        if self.process.returncode != 0:
            raise MathError(f"{TYPESETTER.name} failed:\n{self.output[1].strip()}")
        return json.loads(self.output[0])["pages"]


def needed_families(markup: str) -> set[str]:
    """The MathJax font families that typeset ``markup`` can draw characters from."""
    families = {"MJXZERO", "MJXTEX"} | {f"MJXTEX-{v}" for v in VARIANT_CLASS.findall(markup)}
    if "<mjx-stretchy-" in markup:
        families |= STRETCHY_FAMILIES
    return families


def page_stylesheet(css: str, markup: str, font_url: str) -> str:
    """The page's ``<style>``: ``css`` with @font-face rules for only the fonts it needs."""
    families = needed_families(markup)
    css = FONT_FACE.sub(lambda m: m[0] if m["family"] in families else "", css)
    return f'<style id="{STYLE_ID}">\n{css.replace(FONT_URL, font_url)}\n</style>\n'


def typeset_page(text: str, typeset: dict, font_url: str) -> str:
    """``text`` (a page's HTML) with its math replaced by ``typeset`` and its stylesheet."""
    markup = iter(typeset["html"])
    text = MATH.sub(lambda m: m["start"] + next(markup) + m["end"], text)
    head_end = text.index("</head>")
    style = page_stylesheet(typeset["css"], text, font_url)
    return text[:head_end] + style + text[head_end:]


class SiteTypesetting:
    """Typesetting every page of a built ``site`` that still holds TeX, started at once:
    the pages are read and Node typesets them while the caller does other work;
    :meth:`finish` writes the pages and ships the fonts they use.

    Args:
        site: a built HTML folder (any HTML builder's output).
        srcdir: the book's folder, whose ``node_modules`` holds MathJax's fonts.
    """

    def __init__(self, site: Path, srcdir: Path = HERE.parent) -> None:
        self.site, self.srcdir, texts, self.pages = site, srcdir, {}, {}
        for page in pages_of(site):
            text = page.read_text(encoding="utf-8")
            found = [html.unescape(m["tex"]) for m in MATH.finditer(text)]
            if found:
                name = page.relative_to(site).as_posix()
                texts[name], self.pages[name] = found, (page, text)
        self.typesetter = Typesetter(texts) if texts else None

    def finish(self) -> dict[str, list[str]]:
        """Write the typeset pages, ship the fonts.

        Returns:
            page (relative to the site) -> the TeX errors on that page (pages typeset only).
        """
        results = self.typesetter.result() if self.typesetter else {}
        for name, (page, text) in self.pages.items():
            font_url = Path(os.path.relpath(self.site / FONTS, page.parent)).as_posix()
            page.write_text(typeset_page(text, results[name], font_url), encoding="utf-8")
        ship_fonts(self.site, self.srcdir)
        return {name: result["errors"] for name, result in results.items()}


def typeset_site(site: Path, srcdir: Path = HERE.parent) -> dict[str, list[str]]:
    """Typeset every page of the built ``site`` that still holds TeX; ship the fonts used.

    Returns:
        page (relative to ``site``) -> the TeX errors on that page (pages typeset only).
    """
    return SiteTypesetting(site, srcdir).finish()


def ship_fonts(site: Path, srcdir: Path) -> list[str]:
    """Make ``site/_static/mathjax/fonts`` hold the fonts some page's math names.

    Each is cut to the characters the pages' math draws (``font_subset``): the union over
    all pages, so that an incremental build, which typesets only the pages it wrote, keeps
    what the other pages need. Returns the font files shipped.
    """
    used, characters = set(), set()
    for page in pages_of(site):
        text = page.read_text(encoding="utf-8")
        start = text.find(f'<style id="{STYLE_ID}">')
        if start >= 0:
            css = text[start : text.index("</style>", start)]
            used |= {m["file"] for m in FONT_FACE.finditer(css)}
            characters |= css_characters(css)
    folder = site / FONTS
    folder.mkdir(parents=True, exist_ok=True)
    for stale in set(os.listdir(folder)) - used:
        (folder / stale).unlink()
    for name in sorted(used):
        if name == ZERO_FONT:
            shutil.copy2(srcdir / FONT_SOURCE / name, folder / name)
        else:
            subset(srcdir / FONT_SOURCE / name, characters, folder / name)
    stamp_font_versions(site, folder)
    return sorted(used)


def stamp_font_versions(site: Path, folder: Path) -> None:
    """Give every page's font addresses the version of the file shipped (``?v=<digest>``).

    A font is cut to the characters the whole site draws, so a new formula can change the
    file under the same name; the version in its address keeps a returning reader's browser
    from drawing the new formula with a cached old cut (a missing glyph). Pages whose fonts
    did not change are not written.
    """
    digests = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:12] for p in folder.glob("*.woff")
    }

    def stamped(match: re.Match) -> str:
        digest = digests.get(match["file"])
        return f'{match["url"]}?v={digest}"' if digest else match[0]

    for page in pages_of(site):
        text = page.read_text(encoding="utf-8")
        new = FONT_ADDRESS.sub(stamped, text)
        if new != text:
            page.write_text(new, encoding="utf-8")


# --- Sphinx ------------------------------------------------------------------------------


def visit_displaymath(self, node) -> None:
    """Write a display formula as the registered ``mathjax`` renderer does.

    That is myst-parser's renderer when its amsmath extension is on (it wraps amsmath
    environments in ``\\[...\\]`` and numbers them), else Sphinx's own.
    """
    visit, _depart = self.builder.app.registry.html_block_math_renderers["mathjax"]
    visit(self, node)


def check_setup(app) -> None:
    """Fail early, with the fix, if pages would be written for the browser's MathJax."""
    if app.builder.format != "html":
        return
    if getattr(app.builder, "math_renderer_name", RENDERER) != RENDERER:
        raise ExtensionError(
            f"static_math: html_math_renderer is {app.builder.math_renderer_name!r}; set it "
            f"to {RENDERER!r} (in _config.yml, sphinx.config) for math typeset at build time"
        )
    if not (Path(app.srcdir) / FONT_SOURCE).is_dir():
        raise ExtensionError(
            f"static_math: {FONT_SOURCE} not found under {app.srcdir}: run `npm ci` (or "
            "`make book`, which does it)"
        )


def start_typesetting(app, exception: Exception | None) -> None:
    """After a successful HTML build, start typesetting the pages this build wrote: Node
    works on them while the other build-finished handlers (icons, bundles, the student
    edition) run in this process; :func:`finish_typesetting` runs after them all."""
    if exception is not None or app.builder.format != "html":
        return
    try:
        TYPESETTING[app] = SiteTypesetting(Path(app.outdir), Path(app.srcdir))
    except MathError as err:
        raise ExtensionError(f"static_math: {err}") from err


def finish_typesetting(app, exception: Exception | None) -> None:
    """Write the typeset pages; a TeX error is a warning naming its page."""
    typesetting = TYPESETTING.pop(app, None)
    if typesetting is None or exception is not None:
        return
    try:
        errors = typesetting.finish()
    except MathError as err:
        raise ExtensionError(f"static_math: {err}") from err
    for page, messages in sorted(errors.items()):
        for message in messages:
            logger.warning(f"{page}: TeX error: {message}", type="math", subtype="tex")


def add_search_script(app, pagename: str, _template, _context, _doctree) -> None:
    """On the search page, summaries quote each formula's TeX (see ``search_math.js``)."""
    if pagename == "search":
        app.add_js_file(None, body=SEARCH_SCRIPT.read_text(encoding="utf-8"))


def setup(app) -> dict:
    app.add_html_math_renderer(RENDERER, (html_visit_math, None), (visit_displaymath, None))
    app.connect("builder-inited", check_setup)
    app.connect("html-page-context", add_search_script)
    # First and last of the build-finished handlers: the other handlers run while Node
    # typesets (they do not read the pages' math), and no handler runs after the pages are
    # written (the icon and stylesheet cuts read the pages before, as they did).
    app.connect("build-finished", start_typesetting, priority=1)
    app.connect("build-finished", finish_typesetting, priority=999)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    """``python _ext/static_math.py SITE``: typeset a built HTML folder in place."""
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(__doc__.split("\n\n")[0], "\nusage: python _ext/static_math.py SITE_FOLDER")
        return 2
    errors = typeset_site(Path(argv[0]))
    for page, messages in sorted(errors.items()):
        for message in messages:
            print(f"{page}: TeX error: {message}", file=sys.stderr)
    return 1 if any(errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
