"""The built site in a real browser: Playwright driving Debian's Chromium, never a download.

Every page loads with no failed request, no request leaving 127.0.0.1 and no console
error; math is typeset; figures load; and every static slider moves its picture, by
keyboard and by mouse, to the frame precomputed for the slider's new value. Frames are
files: a first visit loads one per widget, the others come when a reader reaches for a
slider, also from ``file://``.
"""

import json
import re

import pytest

from tests.website.conftest import PAGES, SITE

pytestmark = pytest.mark.site


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_with_math_and_figures(visit, path):
    v = visit(path)
    page = v.page
    # Visible prose (code excluded) must hold no TeX left untypeset (see test_math.py).
    raw_tex = page.evaluate(
        """() => {
            const main = document.querySelector("main").cloneNode(true);
            main.querySelectorAll("pre, code, script, style, mjx-container, .highlight")
                .forEach(e => e.remove());
            const text = main.textContent;
            return (text.match(/\\\\\\(|\\\\\\[|\\$\\$|\\\\[a-zA-Z]{2,}\\{?/g) || []);
        }"""
    )
    assert raw_tex == [], f"untypeset TeX on {path}: {raw_tex[:5]}"
    math_nodes = page.locator("main .math").count()
    typeset = page.locator("main mjx-container").count()
    assert typeset >= math_nodes, f"{path}: {math_nodes} math nodes, {typeset} typeset"
    broken = page.evaluate(
        """() => [...document.images]
            .filter(i => !(i.complete && i.naturalWidth > 0))
            .map(i => i.src.slice(0, 80))"""
    )
    assert broken == [], f"{path}: images that did not load: {broken}"
    assert v.problems == [], f"{path}: {v.problems}"


def test_pages_with_equations_are_typeset(visit):
    page = visit("chapters/04_vectorization.html").page
    assert page.locator("main mjx-container mjx-c").count() > 100
    assert page.locator("script[src*='mathjax' i]").count() == 0


def test_theme_icons_come_from_the_local_icon_font(visit):
    # Our template override swaps the theme's 1.5 MB icon script for Font Awesome's CSS
    # and web font: every icon must still be drawn, with that font, and nothing else.
    v = visit("chapters/07_optimizers.html")
    page = v.page
    page.evaluate("() => document.fonts.ready")
    icons = page.evaluate(
        """() => [...document.querySelectorAll("i.fa-solid")].map(i => {
            const before = getComputedStyle(i, "::before");
            return [i.className, before.fontFamily, before.content,
                    i.getBoundingClientRect().width];
        })"""
    )
    assert len(icons) >= 5
    for name, family, content, _ in icons:
        assert "Font Awesome 6 Free" in family and content not in ("none", "normal"), name
    visible = [icon for icon in icons if icon[3] > 0]
    assert visible and all(width >= 8 for *_, width in visible)
    faces = page.evaluate(
        """() => [...document.fonts].filter(f => f.family.includes("Font Awesome"))
            .map(f => [f.weight, f.status])"""
    )
    assert ["900", "loaded"] in faces, faces
    assert page.locator("script[src*='fontawesome.js']").count() == 0
    assert v.problems == []


def slider_state(widget):
    """(frame index shown, readouts, the <img> src) of one static slider widget."""
    return widget.evaluate(
        """root => ({
            frame: Number(root.dataset.frame),
            readouts: [...root.querySelectorAll("output")].map(o => o.textContent),
            src: root.querySelector(".lw-frame").getAttribute("src"),
            alt: root.querySelector(".lw-frame").getAttribute("alt"),
            values: [...root.querySelectorAll("input[type=range]")].map(i => Number(i.value)),
        })"""
    )


def expected(data, values):
    """What the widget should show for slider positions ``values``."""
    flat = 0
    for size, value in zip(data["sizes"], values, strict=True):
        flat = flat * size + value
    return {
        "frame": flat,
        "readouts": [labels[v] for labels, v in zip(data["labels"], values, strict=True)],
        "src": data["frames"][flat],  # a file the build wrote (_ext/widget_frames.py)
        "alt": data["alts"][flat],
    }


def check(widget, data):
    state = slider_state(widget)
    want = expected(data, state["values"])
    assert {k: state[k] for k in want} == want
    return state


WIDGET_PAGES = [
    p for p in PAGES if "data-lecnotes-widget" in (SITE / p).read_text(encoding="utf-8")
]


def test_there_are_sliders_to_test():
    assert "intro.html" in WIDGET_PAGES and "chapters/04_vectorization.html" in WIDGET_PAGES


def test_index_redirects_to_the_introduction(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/index.html")
    page.wait_for_url("**/intro.html")
    assert page.locator("main h1").first.text_content().startswith("Backpropagation")
    context.close()


@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_every_slider_moves_by_keyboard_and_mouse(visit, path):
    v = visit(path)
    widgets = v.page.locator("[data-lecnotes-widget]")
    assert widgets.count() > 0
    for w in range(widgets.count()):
        widget = widgets.nth(w)
        data = json.loads(widget.locator("script.lw-data").text_content())
        check(widget, data)
        inputs = widget.locator("input[type=range]")
        for k in range(inputs.count()):
            slider = inputs.nth(k)
            label = widget.locator(f"label[for='{slider.get_attribute('id')}']")
            assert label.count() == 1 and label.text_content().strip()
            # Keyboard: one arrow step, towards whichever end is further away.
            before = check(widget, data)
            last = data["sizes"][k] - 1
            key = "ArrowRight" if before["values"][k] < last else "ArrowLeft"
            slider.focus()
            slider.press(key)
            after = check(widget, data)
            assert after["values"][k] == before["values"][k] + (1 if key == "ArrowRight" else -1)
            assert after["src"] != before["src"] or after["frame"] != before["frame"]
            # Mouse: drag the handle to the far left end, then click the far right end.
            slider.scroll_into_view_if_needed()
            box = slider.bounding_box()
            middle_y = box["y"] + box["height"] / 2
            v.page.mouse.move(box["x"] + box["width"] / 2, middle_y)
            v.page.mouse.down()
            v.page.mouse.move(box["x"] + 1, middle_y, steps=8)
            v.page.mouse.up()
            assert check(widget, data)["values"][k] == 0
            v.page.mouse.click(box["x"] + box["width"] - 1, middle_y)
            assert check(widget, data)["values"][k] == last
    assert v.problems == [], f"{path}: {v.problems}"


FRAME_URL = re.compile(r"_images/frames/[0-9a-f]{32}\.(webp|png)$")


@pytest.mark.parametrize("path", WIDGET_PAGES)
def test_frames_are_files_next_to_the_page_not_inlined(site, path):
    text = (SITE / path).read_text(encoding="utf-8")
    assert "data:image/" not in text, f"{path}: a frame is still inlined"
    for data in re.findall(r'<script type="application/json" class="lw-data">(.*?)</script>', text):
        frames = json.loads(data)["frames"]
        assert frames and all(FRAME_URL.search(url) for url in frames), frames[:2]
        for url in frames:
            assert ((SITE / path).parent / url).resolve().is_file(), url


FRAMES_LOADED = """() => performance.getEntriesByType("resource").map(e => e.name)
    .filter(n => n.includes("/_images/frames/"))"""


def frame_requests(page) -> list[str]:
    """Frame files the page has finished loading (a resource entry appears once loaded)."""
    return page.evaluate(FRAMES_LOADED)


def test_a_first_visit_loads_one_frame_per_widget_and_the_rest_when_a_slider_is_touched(visit):
    v = visit("chapters/05_nonlinearities.html")
    page = v.page
    widgets = page.locator("[data-lecnotes-widget]")
    assert widgets.count() == 2
    page.wait_for_load_state("networkidle")
    assert len(set(frame_requests(page))) == 2
    first = widgets.nth(0)
    data = json.loads(first.locator("script.lw-data").text_content())
    first.locator("input[type=range]").first.focus()  # a keyboard reader reaching for it
    # The page reached "networkidle" already, so waiting for it again returns at once: wait
    # for the frames themselves, then check that nothing else was fetched.
    expected = len(set(data["frames"])) + 1  # this widget's frames, the other's first one
    page.wait_for_function(f"() => new Set(({FRAMES_LOADED})()).size >= {expected}")
    page.wait_for_timeout(200)
    loaded = set(frame_requests(page))
    assert len(loaded) == expected, len(loaded)
    assert v.problems == []


def test_sliders_work_from_file_urls(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((SITE / "chapters" / "08_learning_rates.html").as_uri(), wait_until="load")
    widget = page.locator("[data-lecnotes-widget]").first
    data = json.loads(widget.locator("script.lw-data").text_content())
    slider = widget.locator("input[type=range]").first
    slider.focus()
    slider.press("Home")
    state = check(widget, data)
    assert state["values"][0] == 0
    frame = widget.locator("img.lw-frame")
    frame.evaluate("img => img.decode()")
    natural = frame.evaluate("img => img.naturalWidth")
    assert abs(natural - 2 * int(frame.get_attribute("width"))) <= 1, natural
    assert errors == []
    context.close()
