"""The student edition on the site, and in JupyterLab.

The site offers ``student-edition.zip`` (``_ext/student_edition.py``): the introduction links
to it and every notebook page's download menu holds it, and it is the edition the current
chapters and stubs make. In JupyterLab (as ``make lab`` starts it), Run All goes through a
student notebook past its failing checks, which print their messages.
"""

import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.website.conftest import ROOT, SITE, pages
from tests.website.test_jupyterlab import drawn_text, open_notebook
from tools import student
from tools.jupyterlab import running_lab

pytestmark = pytest.mark.site

BUNDLE = SITE / "student-edition.zip"
NOTEBOOK_PAGES = ["intro.html"] + [p for p in pages() if p.startswith("chapters/")]


def test_the_introduction_and_every_notebook_page_offer_the_student_edition(site):
    assert BUNDLE.is_file(), f"no {BUNDLE.name} on the site"
    intro = BeautifulSoup((site / "intro.html").read_text(encoding="utf-8"), "html.parser")
    (link,) = [a for a in intro.select("article a") if a.get_text() == "student edition"]
    assert (site / link["href"]).resolve() == BUNDLE.resolve()
    for page in NOTEBOOK_PAGES:
        soup = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
        menu = soup.select(".dropdown-download-buttons a")
        labels = [a["class"][2] for a in menu]
        assert labels[:2] == ["btn-download-bundle-button", "btn-download-student-button"], page
        assert ((site / page).parent / menu[1]["href"]).resolve() == BUNDLE.resolve(), page


def test_the_site_holds_the_current_student_edition(site):
    files, _ = student.bundle(ROOT, ROOT / "_build" / "lecnotes-wheel")
    with zipfile.ZipFile(BUNDLE) as bundle:
        names = bundle.namelist()
        assert sorted(names) == sorted(f"{student.EDITION}/{name}" for name in files)
        for name, data in files.items():
            assert bundle.read(f"{student.EDITION}/{name}") == data, name
    notebooks = [n for n in files if n.endswith(".ipynb")]
    assert notebooks == [p.name for p in student.chapters()]


def first_chapter_with_checks() -> tuple[Path, list]:
    """The first chapter with checks, and its exercises that have them."""
    for path in student.chapters():
        exercises = student.find_exercises(nbformat.read(path, 4), path.stem)
        if any(e.checks for e in exercises):
            return path, [e for e in exercises if e.checks]
    raise AssertionError("no chapter has an exercise with checks")


def test_run_all_in_jupyterlab_goes_past_the_failing_checks(browser):
    chapter, checked = first_chapter_with_checks()
    nb = nbformat.read(chapter, 4)
    stubs = student.read_stubs(ROOT / "student" / f"{chapter.stem}.py")
    edition = student.student_notebook(nb, chapter.stem, stubs)
    with tempfile.TemporaryDirectory(prefix="lecnotes-student-lab-") as tmp:
        nbformat.write(edition, Path(tmp) / chapter.name)
        with running_lab(Path(tmp)) as (url, token):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(f"{url}/lab?token={token}", wait_until="load")
            page.wait_for_selector("#jp-main-dock-panel", timeout=60_000)
            open_notebook(page, url, chapter.name)
            page.click("text=Run")
            page.click("text=Run All Cells")
            # Done when every code cell has an execution count: none waiting ([ ]) or
            # running ([*]). A cell that raised would leave those below it at [ ].
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell "
                ".jp-InputArea-prompt')].every(p => /\\[\\d+\\]/.test(p.textContent))",
                timeout=240_000,
            )
            for exercise in checked:
                label = f"exercise {exercise.number}"
                shown = page.locator(".jp-Notebook .jp-CodeCell").filter(
                    has_text=f"%%checks {label}"
                )
                text = drawn_text(shown.locator(".jp-OutputArea"))
                assert f"{label}: 0 of {len(exercise.checks)} checks pass" in text, text
                assert "✗ " in text and "Traceback" not in text
            context.close()
