"""Fixtures for tests of the built website in _build/html (made by `make book`), and the
browser they are opened in: Playwright driving Debian's Chromium, never a download."""

import functools
import http.server
import os
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "_build" / "html"


def pages():
    """Every HTML page of the built book, relative to the site root."""
    return sorted(
        p.relative_to(SITE).as_posix() for p in SITE.rglob("*.html") if "_static" not in p.parts
    )


@pytest.fixture(scope="session")
def site():
    if not (SITE / "index.html").is_file():
        pytest.fail(f"no built site at {SITE}: run `make book` first (`make test` does)")
    return SITE


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """The built site served on 127.0.0.1 at a free port; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# index.html is Jupyter Book's redirect to the root page; it is tested on its own.
PAGES = [p for p in pages() if p != "index.html"] if SITE.is_dir() else []


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (Debian package `chromium`)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and REQUIRE_BROWSER=1 requires the browser tests")
        pytest.skip(f"{reason}; set REQUIRE_BROWSER=1 to make this a failure")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Visit:
    """One page opened in a fresh context, with everything that went wrong recorded."""

    def __init__(self, browser, url, width=1280, height=900, **options):
        """``options`` go to the browser context, e.g. ``color_scheme="dark"``.

        Math arrives typeset (_ext/static_math.py): a page is ready at its load event.
        """
        self.problems = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, **options)
        self.context.route("**/*", self._only_local)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)
        self.page.goto(url, wait_until="load")

    def _failed(self, request):
        # A load the page's own navigation cancelled (the favicon, when a test reloads
        # the page) is not a broken link: a missing file is a 404, seen in _response.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} ({request.failure})")

    def _only_local(self, route):
        if route.request.url.startswith("http://127.0.0.1:") or route.request.url.startswith(
            "data:"
        ):
            route.continue_()
        else:
            self.problems.append(f"external request: {route.request.url}")
            route.abort()

    def _console(self, message):
        if message.type in ("error", "warning"):
            self.problems.append(f"console {message.type}: {message.text}")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def visit(browser, server):
    opened = []

    def open_page(path, **options):
        opened.append(Visit(browser, f"{server}/{path}", **options))
        return opened[-1]

    yield open_page
    for v in opened:
        v.context.close()


@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects by marker
def pytest_collection_modifyitems(items):
    """A test that opens Chromium (directly or through a fixture) is end-to-end."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)
