"""A first visit to any page of the site loads at most 1.2 MB (issue 27).

Bytes, not time: every response Chromium receives for the page, with an empty cache, once
the page and the fonts and frames it asks for have loaded (the test server does not
compress, so these are the files' sizes). ``make bench`` reports the same figure per page.
"""

import pytest

from tests.website.conftest import PAGES

pytestmark = pytest.mark.site

BUDGET = 1_200_000

FIRST_VISIT = """async () => {
    await document.fonts.ready;
    const entries = [...performance.getEntriesByType("navigation"),
                     ...performance.getEntriesByType("resource")];
    return entries.map(e => [e.name.replace(location.origin, ""), e.encodedBodySize]);
}"""


@pytest.mark.parametrize("path", PAGES)
def test_a_first_visit_loads_at_most_the_budget(visit, path):
    v = visit(path)
    v.page.wait_for_load_state("networkidle")
    loaded = v.page.evaluate(FIRST_VISIT)
    total = sum(size for _, size in loaded)
    heaviest = sorted(loaded, key=lambda entry: -entry[1])[:5]
    assert total <= BUDGET, f"{path}: {total} bytes; heaviest: {heaviest}"
    if path != "search.html":  # the search page alone loads the search code and index
        search = ("searchindex", "searchtools", "sphinx_highlight", "mathjax/tex")
        assert not [name for name, _ in loaded if any(part in name for part in search)]
    assert v.problems == []
