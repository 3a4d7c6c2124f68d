"""Web fonts cut down to the characters the site draws with them.

The site ships two kinds of fonts from npm packages: MathJax's TeX fonts (math typeset at
build time, ``static_math.py``) and Font Awesome's solid icons (``offline_assets.py``).
Each page uses a few dozen of their thousands of glyphs, and a first visit downloads every
font it uses in full. ``subset`` keeps the glyphs of the characters a built site asks for
(and what they need: ligatures, composites, ``.notdef``), with their outlines and metrics
unchanged, as a WOFF file (compressed with zlib; WOFF2 would need the ``brotli`` package).

``css_characters`` reads the characters a stylesheet draws with ``content:`` (how CHTML
math and icon fonts put a glyph on the page).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

# A CSS string's escapes: "\2202" or "\1D44A " (hex, up to 6 digits, one optional space)
# or "\" followed by the character itself.
CSS_ESCAPE = re.compile(r"\\([0-9A-Fa-f]{1,6}) ?|\\(.)|(.)", re.DOTALL)
CONTENT = re.compile(r'content:\s*"((?:[^"\\]|\\.)*)"')
QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def css_characters(css: str, strings: re.Pattern = CONTENT) -> set[int]:
    """Code points of every character in the ``content: "..."`` strings of ``css``.

    Args:
        css: a stylesheet.
        strings: which strings to read (its first group): ``QUOTED`` reads every quoted
            string, e.g. custom properties that hold an icon for a later ``content``.
    """
    found = set()
    for string in strings.findall(css):
        for hex_code, escaped, plain in CSS_ESCAPE.findall(string):
            found.add(int(hex_code, 16) if hex_code else ord(escaped or plain))
    return found


def subset(source: Path, codepoints: Iterable[int], target: Path) -> bool:
    """Write ``source``'s glyphs for ``codepoints`` to ``target`` as a WOFF font.

    Args:
        source: a TrueType, OpenType or WOFF font file.
        codepoints: the characters to keep (those the font lacks are ignored).
        target: the WOFF file to write.

    Returns:
        True if ``target`` was written, False if it already held exactly these bytes (an
        unchanged font keeps its modification time).
    """
    from fontTools import subset as fonttools_subset  # ~0.2 s to import: only when needed

    options = fonttools_subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]  # keep what the kept glyphs need, e.g. ligatures
    options.name_IDs = ["*"]  # the font's names and licence, as shipped
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps, which fontTools cannot cut
    font = fonttools_subset.load_font(str(source), options)
    subsetter = fonttools_subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    data = io.BytesIO()
    fonttools_subset.save_font(font, data, options)
    if target.is_file() and target.read_bytes() == data.getvalue():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.getvalue())
    return True
