"""axe-core (npm, pinned in package-lock.json) on every page, in the browser.

Serious and critical violations fail the test; moderate and minor ones are listed in the
test run's summary ("axe-core: moderate and minor violations") so that they stay visible.
Every page is checked at desktop width in light and dark mode (colour contrast differs) and
at phone width, where the theme shows other controls. axe is injected from node_modules as
a script's text: nothing is fetched, and nothing of it is shipped with the site.
"""

import pytest

from tests.website.conftest import PAGES, ROOT

pytestmark = pytest.mark.site

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now: id, impact, and where."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))"""
    )


def test_axe_is_installed_from_npm():
    assert AXE.is_file(), "run `npm ci` (make book does it): axe-core is in package-lock.json"


def test_axe_finds_a_violation_when_there_is_one(visit):
    # The check must be able to fail: an unlabelled button is a critical violation.
    page = visit("intro.html").page
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in axe_violations(page) if v["impact"] in FAILING}


# Views: (viewport width, colour scheme). The theme follows the reader's colour scheme, so
# light and dark are one page load; phone width is a fresh load, because the theme makes
# scrolling code blocks keyboard-focusable when a page loads, not when it is resized.
VIEWS = {"1280-light": (1280, "light"), "1280-dark": (1280, "dark"), "390-dark": (390, "dark")}
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_or_critical_axe_violation(visit, axe_report, path):
    failing = []
    page = None
    for view, (width, scheme) in VIEWS.items():
        if page is None or page.viewport_size["width"] != width:
            page = visit(path, width=width, color_scheme=scheme).page
            # Colours are measured as they are, not halfway through the theme's transitions.
            page.add_style_tag(content=NO_TRANSITIONS)
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'")
        violations = axe_violations(page)
        failing += [(view, x) for x in violations if x["impact"] in FAILING]
        axe_report[(path, view)] = [
            f"{x['impact']} {x['id']} x{len(x['nodes'])}"
            for x in violations
            if x["impact"] not in FAILING
        ]
    assert failing == [], f"{path}: {failing}"
