"""Every page as a reader meets it, at desktop width (1280 px, light and dark) and on a phone
(390 px): accessibility by axe-core, code that fits, and a page that never scrolls sideways.

axe-core (npm, pinned in package-lock.json) is injected from node_modules as a script's
text: nothing is fetched, and nothing of it is shipped with the site. Serious and critical
violations fail; moderate and minor ones are listed in the run's summary ("axe-core:
moderate and minor violations") so that they stay visible.

Each page is loaded once per width and shared by the tests below (module-scoped fixtures,
which pytest runs page by page). Light and dark are the same load: the theme follows the
reader's colour scheme. The phone is a fresh load, because the theme makes scrolling code
blocks keyboard-focusable when a page loads, not when it is resized.
"""

import pytest

from tests.website.conftest import PAGES, ROOT, Visit

pytestmark = pytest.mark.site

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING = ("serious", "critical")
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; }"


def open_page(request, browser, server, **options):
    visit = Visit(browser, f"{server}/{request.param}", **options)
    # Colours are measured as they are, not halfway through a theme transition.
    visit.page.add_style_tag(content=NO_TRANSITIONS)
    request.addfinalizer(visit.context.close)
    return request.param, visit


@pytest.fixture(scope="module", params=PAGES)
def desktop(request, browser, server):
    """(path, Visit) of every page at 1280 px."""
    return open_page(request, browser, server)


@pytest.fixture(scope="module", params=PAGES)
def phone(request, browser, server):
    """(path, Visit) of every page at 390 px, in dark mode."""
    return open_page(request, browser, server, width=390, height=844, color_scheme="dark")


def axe_violations(page, rules=None) -> list[dict]:
    """axe-core's violations on the page as it is now (all rules, or only ``rules``)."""
    if not page.evaluate("() => 'axe' in window"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate(
        """async options => (await axe.run(document, options)).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target)}))""",
        options,
    )


def check_axe(page, view: str, path: str, axe_report: dict, rules=None) -> list:
    """The serious and critical violations; the others go to the run's summary."""
    violations = axe_violations(page, rules)
    axe_report[(path, view)] = [
        f"{v['impact']} {v['id']} x{len(v['nodes'])}"
        for v in violations
        if v["impact"] not in FAILING
    ]
    return [(view, v) for v in violations if v["impact"] in FAILING]


def test_axe_is_installed_from_npm():
    assert AXE.is_file(), "run `npm ci` (make book does it): axe-core is in package-lock.json"


def test_axe_finds_a_violation_when_there_is_one(visit):
    # The check must be able to fail: an unlabelled button is a critical violation.
    page = visit("bibliography.html").page
    page.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in axe_violations(page) if v["impact"] in FAILING}


def test_no_code_or_output_scrolls_sideways_at_desktop_width(desktop):
    path, v = desktop
    # Collapsed exercise solutions are opened: their code must fit too (and axe, next,
    # checks them as well).
    v.page.evaluate("() => document.querySelectorAll('main details').forEach(d => d.open = true)")
    blocks = v.page.evaluate(
        """() => [...document.querySelectorAll("main pre")].map(pre => ({
            overflow: pre.scrollWidth - pre.clientWidth,
            line: pre.textContent.split("\\n").reduce((a, b) => a.length >= b.length ? a : b),
        }))"""
    )
    if path.startswith("chapters/") or path == "intro.html":
        assert blocks, f"{path}: no code blocks"
    wide = [b for b in blocks if b["overflow"] > 0]
    assert wide == [], f"{path}: {len(wide)} of {len(blocks)} blocks scroll: {wide[:3]}"


def test_no_serious_or_critical_axe_violation_at_desktop_width(desktop, axe_report):
    path, v = desktop
    failing = check_axe(v.page, "1280-light", path, axe_report)
    # Dark mode changes colours only: the second pass runs the rules that look at colour.
    v.page.emulate_media(color_scheme="dark")
    v.page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
    failing += check_axe(v.page, "1280-dark", path, axe_report, COLOUR_RULES)
    assert failing == [], f"{path}: {failing}"
    assert v.problems == [], f"{path}: {v.problems}"


def test_the_page_never_scrolls_sideways_on_a_phone(phone):
    # WCAG 1.4.10 (reflow): code blocks may scroll inside themselves, the page may not.
    path, v = phone
    width = v.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path}: page is {width[0]} px wide in a {width[1]} px window"


def test_no_serious_or_critical_axe_violation_on_a_phone(phone, axe_report):
    path, v = phone
    failing = check_axe(v.page, "390-dark", path, axe_report)
    assert failing == [], f"{path}: {failing}"
    assert v.problems == [], f"{path}: {v.problems}"
