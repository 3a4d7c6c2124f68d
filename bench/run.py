"""``make bench``: one table of what readers and maintainers wait for, against budgets.

Runs ``bench/build.py`` (builds and tests in a copy of the tree), ``bench/widgets.py``
(every slider's frames), ``bench/lab.py`` (every live slider in JupyterLab) and
``bench/compute.py`` (vectorization, autograd), prints one table and
writes it, with the raw numbers and the machine, to ``bench/results/bench.json``.

Benchmarks report numbers; they pass or fail nothing, except that the exit status is 1
when a measurement exceeds its budget by more than 50 %, or when a rebuild executed other
notebooks than it should have. ``--skip build,test,widgets,lab,compute`` leaves parts out.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TOLERANCE = 1.5  # exit non-zero above 150 % of a budget
BUDGETS = {  # upper bounds on a 2-core machine (issue 10)
    "clean_build_s": 60,
    "no_change_build_s": 10,
    "chapter_edit_s": 15,
    "make_test_s": 240,
    "slider_update_ms": 50,
    "page_mb": 3,
    "autograd_over_numpy": 2,
    "build_over_plain": 0.6,  # make book / plain jupyter-book build --all (issue 17: 0.60)
}


@dataclass
class Row:
    item: str
    value: float
    unit: str
    budget: float | None = None  # an upper bound; None = reported only
    note: str = ""

    @property
    def status(self) -> str:
        if self.budget is None:
            return ""
        if self.value <= self.budget:
            return "ok"
        return "OVER BUDGET" if self.value > TOLERANCE * self.budget else "over"


def build_rows(b: dict) -> list[Row]:
    rows = [Row("full clean build (make book)", b["clean_build_s"], "s", BUDGETS["clean_build_s"])]
    rows += [
        Row(
            f"  executing {name}",
            s,
            "s",
            note=f"one kernel per core ({os.cpu_count()}), side by side",
        )
        for name, s in b["execution_s"].items()
    ]
    if "plain_build_s" in b:
        rows.append(Row("plain jupyter-book build --all, same book", b["plain_build_s"], "s"))
        rows.append(
            Row(
                "  make book / plain build",
                round(b["clean_build_s"] / b["plain_build_s"], 2),
                "x",
                BUDGETS["build_over_plain"],
                "both from scratch, in the same run",
            )
        )
    rows.append(Row("no-change rebuild", b["no_change_build_s"], "s", BUDGETS["no_change_build_s"]))
    for key, label in (("chapter_edit", "edit a code cell of"), ("lecnotes_edit", "edit")):
        e = b[key]
        budget = BUDGETS["chapter_edit_s"] if key == "chapter_edit" else None
        note = "re-executed " + ", ".join(Path(n).stem for n in e["executed"])
        rows.append(Row(f"rebuild after: {label} {e['edited']}", e["build_s"], "s", budget, note))
    if "test_s" in b:
        rows.append(Row("make test (book already built)", b["test_s"], "s", BUDGETS["make_test_s"]))
        rows += [Row(f"  nbval {name}", s, "s") for name, s in b["nbval_s"].items()]
    for w in b.get("site_sliders", []):
        rows.append(
            Row(
                f"slider on site {w['page']}: update, median",
                w["site_median_ms"],
                "ms",
                BUDGETS["slider_update_ms"],
                f"p90 {w['site_p90_ms']} ms; Chromium, input event to decoded frame",
            )
        )
    site = b["site"]
    rows.append(Row("site size", site["total_mb"], "MB"))
    rows.append(
        Row(
            f"largest page: {site['largest_page']}",
            site["largest_page_mb"],
            "MB",
            BUDGETS["page_mb"],
            site["measured_by"],
        )
    )
    return rows


def widget_rows(widgets: list[dict], budget_kb: float) -> list[Row]:
    return [
        Row(
            f"slider {w['page'].split('_')[0].removesuffix('.md')} {w['draw']}: frames",
            w["payload_kb"],
            "KB",
            budget_kb,
            f"{w['frames']} frames, {w['file_kb']} KB as files (site, live view); "
            f"all rendered in {w['render_all_s']} s; live view built in {w['live_view_ms']} ms",
        )
        for w in widgets
    ]


def lab_rows(lab: list[dict]) -> list[Row]:
    return [
        Row(
            f"live slider in JupyterLab {w['page']}: update, median",
            w["lab_median_ms"],
            "ms",
            BUDGETS["slider_update_ms"],
            f"p90 {w['lab_p90_ms']} ms over {w['moves']} moves; input event to painted frame",
        )
        for w in lab
    ]


def compute_rows(c: dict) -> list[Row]:
    v = c["vectorization"]
    rows = [
        Row(
            "vectorization speedup (N=500, d=300, C=5)",
            v["speedup"],
            "x",
            note=f"loop {v['loop_us']:.0f} us vs {v['matrix_us']:.0f} us; notes: "
            f"{v['seed_speedup']:.1f}x",
        )
    ]
    for key in ("autograd_book", "autograd_large"):
        a = c[key]
        size = "/".join(str(s) for s in a["size"].values())
        rows.append(
            Row(
                f"autograd / NumPy step, window classifier {size}",
                a["ratio"],
                "x",
                BUDGETS["autograd_over_numpy"],
                f"{a['autograd_us']:.0f} us vs {a['numpy_us']:.0f} us",
            )
        )
    return rows


def table(rows: list[Row]) -> str:
    lines = ["| item | value | budget | status | note |", "|---|---:|---:|---|---|"]
    for r in rows:
        budget = f"{r.budget:g} {r.unit}" if r.budget is not None else ""
        lines.append(f"| {r.item} | {r.value:.4g} {r.unit} | {budget} | {r.status} | {r.note} |")
    return "\n".join(lines)


def machine() -> dict:
    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [ln for ln in cpuinfo.read_text().splitlines() if ln.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--skip", default="", help="comma-separated: build,test,widgets,lab,compute"
    )
    skip = set(filter(None, parser.parse_args(argv).skip.split(",")))
    rows, raw, problems = [], {}, []
    if "build" not in skip:
        import build

        raw["build"] = build.run(test="test" not in skip)
        rows += build_rows(raw["build"])
        raw["dependencies"] = build.dependency_table()
        rows += [
            Row(
                f"edit lecnotes/{module}.py: notebooks executed again",
                len(names),
                "",
                note=", ".join(Path(n).stem.split("_")[0] for n in names),
            )
            for module, names in raw["dependencies"].items()
        ]
        for key in ("chapter_edit", "lecnotes_edit"):
            e = raw["build"][key]
            if e["executed"] != e["expected"]:
                problems.append(f"{key}: executed {e['executed']}, expected {e['expected']}")
    if "widgets" not in skip:
        import widgets

        raw["widgets"] = widgets.run_all()
        rows += widget_rows(raw["widgets"], widgets.BUDGET_KB)
    if "lab" not in skip:
        import lab

        raw["lab"] = lab.run()
        rows += lab_rows(raw["lab"])
    if "compute" not in skip:
        import compute

        raw["compute"] = compute.run()
        rows += compute_rows(raw["compute"])
    text = table(rows)
    print(text)
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    report = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "rows": [asdict(r) | {"status": r.status} for r in rows],
        "raw": raw,
    }
    (out / "bench.json").write_text(json.dumps(report, indent=1))
    (out / "bench.md").write_text(text + "\n")
    print(f"\nmachine: {report['machine']}\nwrote {out / 'bench.json'} and bench.md")
    problems += [
        f"{r.item}: {r.value:.4g} {r.unit} > 1.5 x {r.budget:g}"
        for r in rows
        if r.status == "OVER BUDGET"
    ]
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
