"""Sphinx extension: highlighted code without the markup that changes nothing on screen.

Pygments wraps every token of a code cell in ``<span class="...">``, names (``n``) and
punctuation (``p``) included. The theme draws both, in its light and its dark style, in the
colour of plain text, which is what the code block's own colour already gives them: those
spans are half of a chapter's code markup (chapter 7: 145 KB of its 612 KB page) and change
no pixel. Here the formatter leaves out the span of every token type that both styles draw
exactly as plain text (:func:`plain_types`), so adjacent plain tokens are written as one
run of text. Token types with any colour, weight, slant or background keep their spans.

The styles are the theme's (``pygments_light_style`` and ``pygments_dark_style`` of
pydata-sphinx-theme, which writes ``pygments.css`` from them), so a change of style cannot
leave a token unstyled: a type that stops looking like plain text gets its span back.
"""

from __future__ import annotations

from pygments.formatters import HtmlFormatter
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Text, _TokenType
from sphinx.application import Sphinx


def plain_types(*styles: type[Style]) -> frozenset[_TokenType]:
    """The token types that every one of ``styles`` draws exactly as plain text.

    Args:
        styles: Pygments style classes (the light and the dark one).

    Returns:
        The standard token types whose style (colour, bold, italic, underline, background,
        border, font) equals that of ``Text`` in every style.
    """
    return frozenset(
        ttype
        for ttype in STANDARD_TYPES
        if all(style.style_for_token(ttype) == style.style_for_token(Text) for style in styles)
    )


def formatter_without(plain: frozenset[_TokenType]) -> type[HtmlFormatter]:
    """An ``HtmlFormatter`` that writes the tokens of the types in ``plain`` with no span."""

    class PlainTokensFormatter(HtmlFormatter):
        def _get_css_classes(self, ttype: _TokenType) -> str:
            # An empty class makes Pygments write the token with no span around it.
            return "" if ttype in plain else super()._get_css_classes(ttype)

    return PlainTokensFormatter


def theme_styles(app: Sphinx) -> list[type[Style]]:
    """The light and dark Pygments styles that the theme writes ``pygments.css`` from."""
    defaults = app.builder.theme.get_options()
    keys = [f"pygments_{mode}_style" for mode in ("light", "dark")]
    return [get_style_by_name(app.config.html_theme_options.get(k) or defaults[k]) for k in keys]


def install_formatter(app: Sphinx) -> None:
    """Give the HTML builder's highlighter the formatter that leaves plain tokens bare."""
    highlighter = getattr(app.builder, "highlighter", None)
    if highlighter is None or app.builder.format != "html":
        return
    highlighter.formatter = formatter_without(plain_types(*theme_styles(app)))


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", install_formatter)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
