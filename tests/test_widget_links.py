"""A static widget's id names it in shared links (``?lr=31.6#lw-lr``): it must not change
when the figures do, only when the sliders do. The link itself is tested in a browser
(tests/website/test_widget_links.py)."""

import re

from lecnotes import widgets


def widget_id(interactive) -> str:
    return re.search(r'<div class="lecnotes-widget" id="([^"]+)"', interactive.static_html())[1]


def test_the_id_is_named_by_the_sliders_not_by_the_frames():
    before = widgets.interact(lambda lr, beta: f"{lr} {beta}", lr=(1, 3), beta=["a", "b"])
    after = widgets.interact(lambda lr, beta: f"changed {lr}", lr=(1, 4), beta=["a", "c"])
    assert before.static_html() != after.static_html()
    assert widget_id(before) == widget_id(after) == "lw-lr-beta"


def test_slider_ids_and_labels_follow_the_widget_id():
    html_text = widgets.interact(lambda n: str(n), n=(1, 3)).static_html()
    assert '<label for="lw-n-0">n</label>' in html_text
    assert '<input type="range" id="lw-n-0"' in html_text
    assert '<output for="lw-n-0">' in html_text
