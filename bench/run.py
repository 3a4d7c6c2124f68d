"""``make bench``: what readers and maintainers wait for, each as a ratio to its yardstick.

Runs ``bench/build.py`` (builds in a copy of the tree, side by side with a plain Jupyter
Book build), ``bench/widgets.py`` (every slider's frames), ``bench/chapters.py`` (each
chapter's Run All, alone), ``bench/lab.py`` (every live slider in JupyterLab) and
``bench/compute.py`` (vectorization, autograd); writes the raw numbers, the machine and its
load to ``bench/results/bench.json`` and the table (``bench/report.py``) to PERFORMANCE.md,
and prints it.

Benchmarks report numbers; they pass or fail nothing, except that the exit status is 1 when
a ratio (or size) exceeds its budget, when a rebuild executed other notebooks than it
should have, when a widget split with ``widgets.layered`` drew other bytes than whole, or when
a chapter's assertion failed in the widgets part.
``--skip build,test,pdf,widgets,chapters,lab,compute`` leaves parts out (``test``: ``make
test`` inside the build part, left out by default: ``--skip ''`` runs it; ``pdf``: ``make
pdf`` inside the build part); ``--pairs`` sets how many pairs of clean builds are compared.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402


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


def measure_build(raw: dict, problems: list[str], test: bool, pairs: int, pdf: bool) -> None:
    import build

    raw["build"] = build.run(test=test, pairs=pairs, pdf=pdf)
    raw["dependencies"] = build.dependency_table()
    for key in ("chapter_edit", "lecnotes_edit"):
        e = raw["build"][key]
        if e["executed"] != e["expected"]:
            problems.append(f"{key}: executed {e['executed']}, expected {e['expected']}")


def measure_widgets(raw: dict, problems: list[str]) -> None:
    import widgets

    failed_checks = []
    raw["widgets"] = widgets.run_all(failed_checks)
    problems += [f"widgets: a chapter's check failed: {c}" for c in failed_checks]
    problems += [
        f"{w['page']} {w['draw']}: a re-run drew other frames"
        for w in raw["widgets"]
        if not w["same_frames_again"]
    ]
    raw["layered"] = widgets.layered_demo()
    if not raw["layered"]["identical"]:
        problems.append("widgets.layered drew other frames than the whole draw")


def measure(skip: set[str], pairs: int) -> tuple[dict, list[str]]:
    """Run every part not in ``skip``; the raw numbers and the problems found.

    A part that fails is a problem; the parts after it still run, so that a failure late
    in the run does not lose the numbers measured before it.
    """
    raw, problems = {}, []
    parts = {
        "build": lambda: measure_build(raw, problems, "test" not in skip, pairs, "pdf" not in skip),
        "widgets": lambda: measure_widgets(raw, problems),
        "chapters": lambda: raw.update(chapters=__import__("chapters").run()),
        "lab": lambda: raw.update(lab=__import__("lab").run()),
        "compute": lambda: raw.update(compute=__import__("compute").run()),
    }
    for name, part in parts.items():
        if name in skip:
            continue
        try:
            part()
        except Exception as exc:  # noqa: BLE001 - reported, with its traceback
            traceback.print_exc()
            problems.append(f"{name}: {type(exc).__name__}: {exc}")
            raw.pop(name, None)
    return raw, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parts = "build,test,pdf,widgets,chapters,lab,compute"
    parser.add_argument("--skip", default="test", help=f"comma-separated: {parts}")
    parser.add_argument("--pairs", type=int, default=2, help="pairs of clean builds (default 2)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    start, load = time.perf_counter(), os.getloadavg()
    raw, problems = measure(skip, args.pairs)
    result = {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "command": f"make bench SKIP={','.join(sorted(skip))}" if skip else "make bench SKIP=",
        "duration_s": round(time.perf_counter() - start),
        "machine": machine(),
        "load": [round(x, 2) for x in load],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "skipped": sorted(skip),
        "raw": raw,
    }
    result["rows"] = report.as_dicts(result)
    report.RESULTS.parent.mkdir(exist_ok=True)
    report.RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    report.write(result)
    print(report.table(result))
    print(f"\nwrote {report.RESULTS} and the table of {report.PERFORMANCE}")
    problems += [
        f"{r['item'].strip()}: {r['value']:.3g} {r['unit']} > {r['budget']:g}"
        for r in result["rows"]
        if r["status"] == "OVER"
    ]
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
