"""Self-check questions: well formed, and every number an answer states is one the chapter prints.

A question is a markdown cell holding one block (see CONTRIBUTING.md, "Self-check
questions")::

    ::::{admonition} Check yourself N: <topic>
    :class: lecnotes-check

    <the question; options as a numbered list>

    :::{dropdown} Answer
    **<the answer>.** <why, and which cell shows it>
    :::
    ::::

The code cells whose printed output shows the answer carry the tag ``check-N``. Every number
in an answer that the question does not already give must appear, as printed, in the text
output of a cell tagged ``check-N``: an answer cannot drift from the run it explains.
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

BLOCK = re.compile(
    r"^::::\{admonition\} Check yourself (?P<n>\d+): (?P<topic>[^\n]+)\n"
    r":class: lecnotes-check\n(?P<question>.*?)\n"
    r":::\{dropdown\} Answer\n(?P<answer>.*?)\n:::\n::::\s*$",
    re.S,
)
# Numbers as printed: 12, 0.27, 1e-05, 3.2e+04, 1,000 (a comma between digit groups).
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?")
MATH_OR_CODE = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", re.S)


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def questions(path):
    """``{n: (topic, question, answer)}`` of every self-check block in the chapter."""
    found = {}
    for cell in cells(path):
        source = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or "lecnotes-check" not in source:
            continue
        match = BLOCK.match(source.strip() + "\n")
        assert match, f"{path.name}: a self-check cell is not in the documented form:\n{source}"
        n = int(match["n"])
        assert n not in found, f"{path.name}: two questions numbered {n}"
        found[n] = match["topic"], match["question"], match["answer"]
    return found


def printed(cell) -> str:
    """The text a code cell printed: streams and plain-text results."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append("".join(out.get("text", "")))
        parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return "\n".join(parts)


def stated_numbers(text: str) -> set[str]:
    """Numbers in prose, outside math and code; single digits (counts, options) are free."""
    prose = MATH_OR_CODE.sub(" ", text)
    return {m.group(0) for m in NUMBER.finditer(prose) if not re.fullmatch(r"\d", m.group(0))}


def tagged_outputs(path) -> dict[int, str]:
    """``{n: text printed by the cells tagged check-n}``."""
    shown: dict[int, str] = {}
    for cell in cells(path):
        for tag in cell["metadata"].get("tags", []):
            if re.fullmatch(r"check-\d+", tag):
                assert cell["cell_type"] == "code", f"{path.name}: {tag} on a markdown cell"
                n = int(tag.removeprefix("check-"))
                shown[n] = shown.get(n, "") + "\n" + printed(cell)
    return shown


def appears(number: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text) is not None


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_questions_are_numbered_in_order_and_answered(path):
    found = questions(path)
    assert 3 <= len(found) <= 5, f"{path.name}: {len(found)} self-check questions, not 3-5"
    assert sorted(found) == list(range(1, len(found) + 1)), f"{path.name}: {sorted(found)}"
    order = list(found)
    assert order == sorted(order), f"{path.name}: questions out of order: {order}"
    for n, (_, question, answer) in found.items():
        assert question.strip(), f"{path.name}: question {n} is empty"
        assert answer.strip().startswith("**"), (
            f"{path.name}: answer {n} must open with the answer in bold"
        )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_number_an_answer_states_is_printed_by_its_cell(path):
    shown = tagged_outputs(path)
    found = questions(path)
    assert set(shown) <= set(found), f"{path.name}: check-N tags without a question: {shown}"
    for n, (_, question, answer) in found.items():
        new = stated_numbers(answer) - stated_numbers(question)
        missing = sorted(x for x in new if not appears(x, shown.get(n, "")))
        assert not missing, (
            f"{path.name}, question {n}: {missing} stated in the answer but not printed by a "
            f"cell tagged check-{n}"
        )


def test_the_parser_reads_the_documented_form_and_catches_a_wrong_number():
    block = (
        "::::{admonition} Check yourself 1: a step\n:class: lecnotes-check\n\n"
        "After 10 steps at lr 0.5, what is the loss?\n\n1. about 0.1\n2. about 0.69\n\n"
        ":::{dropdown} Answer\n**2: about 0.69.** It is $\\log 2$; the cell prints 0.693.\n"
        ":::\n::::\n"
    )
    match = BLOCK.match(block)
    assert match and match["n"] == "1"
    new = stated_numbers(match["answer"]) - stated_numbers(match["question"])
    assert new == {"0.693"}
    assert appears("0.693", "loss 0.693 after 10 steps")
    assert not appears("0.693", "loss 0.6931")
    assert not appears("0.69", "loss 10.69")
