"""A slider view can be shared: the address holds every moved widget's readouts
(``08_learning_rates.html?lr=31.6``, see _static/lecnotes-widgets.js), opening it restores
them, and each widget has a "Copy link to this view" button."""

import json
import re
from urllib.parse import unquote

import pytest

from tests.website.conftest import SITE
from tests.website.test_browser import WIDGET_PAGES, check, slider_state

pytestmark = pytest.mark.site

CLIPBOARD = ["clipboard-read", "clipboard-write"]


def widgets_on(page) -> list:
    """(locator, frame data) of every static widget on the page."""
    roots = page.locator("[data-lecnotes-widget]")
    return [
        (roots.nth(k), json.loads(roots.nth(k).locator("script.lw-data").text_content()))
        for k in range(roots.count())
    ]


def query(page) -> dict:
    """The address's query parameters (raw values)."""
    search = page.evaluate("location.search").lstrip("?")
    return dict(part.split("=", 1) for part in search.split("&") if part)


def move_away_from_start(page, widget, data) -> dict:
    """Move every slider of ``widget`` to another position by keyboard; its new state."""
    inputs = widget.locator("input[type=range]")
    for k in range(inputs.count()):
        slider = inputs.nth(k)
        at_end = int(slider.input_value()) == data["sizes"][k] - 1
        slider.focus()
        slider.press("Home" if at_end else "End")
    state = check(widget, data)
    # The address is written once the moves pause (lecnotes-widgets.js): wait for it.
    key = widget.get_attribute("id").removeprefix("lw-")
    value = ",".join(state["readouts"])
    page.wait_for_function(
        "([key, value]) => new URLSearchParams(location.search).get(key) === value",
        arg=[key, value],
    )
    return state


@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_every_widget_round_trips_through_the_address(visit, path):
    v = visit(path)
    page = v.page
    history = page.evaluate("history.length")
    moved = {}
    for widget, data in widgets_on(page):
        state = move_away_from_start(page, widget, data)
        # Named by the slider names (lecnotes.widgets); the value is the readouts.
        key = widget.get_attribute("id").removeprefix("lw-")
        assert re.fullmatch(r"\w+(-\w+)*", key), key
        assert [unquote(r) for r in query(page)[key].split(",")] == state["readouts"]
        moved[widget.get_attribute("id")] = state
        # Set a value, reload: the same frame, with no history entry per move.
        page.reload()
        assert {k: slider_state(page.locator(f"#{k}")) for k in moved} == moved
    assert page.evaluate("history.length") == history
    assert v.problems == [], f"{path}: {v.problems}"


def test_moving_back_to_the_start_clears_the_address(visit):
    page = visit("chapters/08_learning_rates.html?highlight=rate").page
    (widget, data), *_ = widgets_on(page)
    start = slider_state(widget)
    slider = widget.locator("input[type=range]").first
    slider.focus()
    slider.press("ArrowRight")
    page.wait_for_function("location.search.includes('lr=')")
    assert query(page)["highlight"] == "rate"  # other parameters are kept
    slider.press("ArrowLeft")
    page.wait_for_function("!location.search.includes('lr=')")
    assert query(page) == {"highlight": "rate"} and slider_state(widget) == start


def test_an_unknown_value_in_the_address_is_ignored(visit):
    v = visit("chapters/08_learning_rates.html?lr=12345")
    widget, data = widgets_on(v.page)[0]
    assert check(widget, data)["frame"] == int(
        re.search(r'data-frame="(\d+)"', (SITE / "chapters/08_learning_rates.html").read_text())[1]
    )
    assert v.problems == []


def test_copy_link_to_this_view_by_keyboard(visit, browser):
    v = visit("chapters/08_learning_rates.html", permissions=CLIPBOARD)
    page = v.page
    widget, data = widgets_on(page)[0]
    state = move_away_from_start(page, widget, data)
    button = widget.get_by_role("button", name="Copy link to this view")
    assert button.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    status = widget.get_by_role("status")
    status.filter(has_text="Link copied").wait_for()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.url.split("#")[0] + "#lw-lr" and "?lr=" in link
    # The link opens the page scrolled to the widget, showing the same view.
    fresh = browser.new_context(viewport={"width": 1280, "height": 900})
    other = fresh.new_page()
    other.goto(link)
    shared = other.locator("#lw-lr")
    assert slider_state(shared) == state
    top = shared.evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 200, top
    fresh.close()
    assert v.problems == []


def test_a_later_widget_with_the_same_sliders_gets_its_own_name(browser, server):
    # Two widgets with the same slider names on one page (here: chapter 8's widget twice):
    # the second becomes "lr-2", with its own slider ids, labels and address parameter.
    def twice(route):
        body = route.fetch().text()
        start = body.index('<div class="lecnotes-widget"')
        end = body.index("</script></div>", start) + len("</script></div>")
        route.fulfill(body=body[:end] + body[start:end] + body[end:], content_type="text/html")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.route("**/08_learning_rates.html*", twice)
    page.goto(f"{server}/chapters/08_learning_rates.html")
    ids = page.evaluate("[...document.querySelectorAll('[data-lecnotes-widget]')].map(w => w.id)")
    assert ids == ["lw-lr", "lw-lr-2"]
    all_ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(all_ids) == len(set(all_ids))
    for wid in ids:
        slider = page.locator(f"#{wid} input[type=range]")
        assert page.locator(f"label[for='{slider.get_attribute('id')}']").count() == 1
    (_, data), (second, _) = widgets_on(page)
    state = move_away_from_start(page, second, data)
    assert "lr" not in query(page) and "lr-2" in query(page)
    page.reload()
    assert slider_state(page.locator("#lw-lr-2")) == state
    assert slider_state(page.locator("#lw-lr"))["frame"] != state["frame"]
    assert errors == []
    context.close()
