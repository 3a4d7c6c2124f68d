"""How the project starts a browser: Debian's Chromium, driven by Playwright for Python.

Never a downloaded browser. Used by the browser tests (tests/website/conftest.py), the
printed book (tools/pdf_print.py) and the benchmarks (bench/widgets.py, bench/lab.py).
"""

from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# No sandbox (it needs privileges a container lacks), no GPU, nothing that phones home.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright):
    """Debian's Chromium, headless, from a started ``sync_playwright()``."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
