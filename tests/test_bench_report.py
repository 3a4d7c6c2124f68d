"""PERFORMANCE.md's table is what make bench measured: generated, never edited by hand."""

import copy
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import report  # noqa: E402  (bench/report.py)


@pytest.fixture(scope="module")
def committed():
    return json.loads(report.RESULTS.read_text())


def test_the_committed_table_is_what_the_committed_measurements_give(committed):
    assert report.generated() == report.table(committed), (
        "PERFORMANCE.md's table differs from bench/results/bench.json: regenerate it with "
        "`python bench/report.py` (or run make bench), never edit it by hand"
    )
    assert committed["rows"] == report.as_dicts(committed)


def test_the_table_names_the_machine_and_its_load(committed):
    header = report.table(committed).splitlines()[0]
    assert committed["machine"]["cpu"] in header and "load average" in header


def test_a_ratio_over_its_budget_is_judged_over(committed):
    if "build" not in committed["raw"]:
        pytest.skip("the committed run left the builds out")
    raw = copy.deepcopy(committed["raw"])
    clean = raw["build"]["clean"]
    clean["ratio"] = report.BUDGETS["clean_build"] * 1.01
    row = next(r for r in report.rows(raw) if r.item == "clean build: make book")
    assert row.status == "OVER"
    clean["ratio"] = report.BUDGETS["clean_build"]
    row = next(r for r in report.rows(raw) if r.item == "clean build: make book")
    assert row.status == "ok"


def test_write_replaces_only_the_generated_table(tmp_path, committed):
    page = tmp_path / "PERFORMANCE.md"
    page.write_text(f"# Title\n\nprose\n\n{report.BEGIN}\nold\n{report.END}\n\nmore prose\n")
    report.write(committed, page)
    text = page.read_text()
    assert text.startswith("# Title\n\nprose\n\n") and text.endswith("\n\nmore prose\n")
    assert report.generated(page) == report.table(committed) and "old" not in text
