"""Every kind of math the chapters may write is typeset at build time, by every HTML builder.

A one-page book with this project's _config.yml and extensions holds numbered and labelled
equations with references, an amsmath environment, Sphinx's unwrapped math, and math in an
admonition, a collapsed dropdown and a table; it is built as the site (``html``) and as the
single page that the PDF is printed from (``singlehtml``).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = [pytest.mark.site, pytest.mark.e2e]  # builds a book
ROOT = Path(__file__).resolve().parents[2]

PAGE = r"""# Math of every kind

Inline $\nabla J(\theta)$ and a labelled equation, referred to as {eq}`loss`:

$$
J(\theta) = \frac{1}{N} \sum_{i=1}^{N} \ell_i(\theta)
$$ (loss)

\begin{align}
a &= b + c \\
\lVert x \rVert &\le \left( \frac{x}{2} \right)
\end{align}

```{math}
:nowrap:

\begin{eqnarray}
u & = & v^2
\end{eqnarray}
```

:::{note}
A note with $W \in \mathbb{R}^{m \times n}$.
:::

:::{dropdown} Collapsed
Hidden until opened: $\sigma(z) = 1 / (1 + e^{-z})$.
:::

| symbol | meaning |
|---|---|
| $\eta$ | learning rate |
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    book = tmp_path_factory.mktemp("math") / "book"
    book.mkdir()
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    for folder in ("_ext", "_static", "_templates"):
        shutil.copytree(ROOT / folder, book / folder)
    (book / "node_modules").symlink_to(ROOT / "node_modules")
    (book / "references.bib").write_text("")
    (book / "intro.md").write_text(PAGE)
    (book / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    return book


def build(book: Path, builder: str) -> Path:
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(book), "--builder", builder, "-W", "-n"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return book / "_build" / builder


@pytest.mark.parametrize("builder", ["html", "singlehtml"])
def test_every_kind_of_math_is_typeset(book, builder):
    site = build(book, builder)
    page = BeautifulSoup((site / "intro.html").read_text(encoding="utf-8"), "html.parser")
    main = page.select_one("main") or page.body
    elements = main.select("span.math, div.math")
    assert len(elements) == 7
    for element in elements:
        assert element.find("mjx-container"), element
    assert all(e.find("mjx-container") for e in main.select(".admonition .math, table .math"))
    assert main.select_one("details .math mjx-container")  # collapsed: typeset all the same
    assert "amsmath" in main.select("div.math")[1]["class"]
    numbered = main.select_one("div.math#equation-loss")
    assert numbered.select_one("span.eqno").get_text(strip=True) == "(1)#"
    assert main.select_one('a[href="#equation-loss"]').get_text() == "(1)"
    for container in main.select("mjx-container"):
        container.decompose()
    assert not re.search(r"\\\(|\\\[|\\begin\{", main.get_text())
    assert page.head.find("style", id="MJX-CHTML-styles") is not None
    assert not page.find("script", src=re.compile("mathjax", re.I))
    fonts = {p.name for p in (site / "_static" / "mathjax" / "fonts").iterdir()}
    assert {"MathJax_Main-Regular.woff", "MathJax_AMS-Regular.woff"} <= fonts


def test_a_tex_error_fails_the_build(book, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(book, broken, symlinks=True, ignore=shutil.ignore_patterns("_build"))
    (broken / "intro.md").write_text("# Broken\n\nAn undefined macro: $\\nablaa J$.\n")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(broken), "-W", "-n"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "intro.html: TeX error: Undefined control sequence \\nablaa" in output
