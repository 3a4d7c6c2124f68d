"""The chapters' "In PyTorch" blocks show code that ran.

Each block is a sphinx-design dropdown titled "In PyTorch: ..." (class ``lecnotes-pytorch``)
beside a piece of ``lecnotes`` that a reader will later replace by a library call. Its code
is nothing but ``literalinclude``s of the marked regions of ``tools/torch_reference.py``,
the script whose numbers ``tests/test_torch_reference.py`` compares ``lecnotes`` with. The
built pages are checked against the script in ``tests/website/test_glossary.py``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.test_torch_reference import SCRIPT, snippet_regions

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
INCLUDE_PATH = "../tools/torch_reference.py"  # from chapters/
BLOCK = re.compile(r"(?ms)^(:{3,})\{dropdown\} In PyTorch: (.+?)$(.*?)^\1[ \t]*$")
FENCE = re.compile(r"(?ms)^```(\S*)[^\n]*\n(.*?)^```[ \t]*$")
OPTION = re.compile(r"(?m)^:([a-z-]+):[ \t]*(.*?)[ \t]*$")


@dataclass
class Block:
    chapter: str
    title: str
    body: str

    @property
    def includes(self) -> list[dict[str, str]]:
        """The options of each literalinclude, in order, with its path as ``path``."""
        found = []
        for fence in FENCE.finditer(self.body):
            if fence.group(1).startswith("{literalinclude}"):
                options = dict(OPTION.findall(fence.group(2)))
                path = fence.group(0).split("\n", 1)[0].removeprefix("```{literalinclude}")
                found.append({"path": path.strip(), **options})
        return found


def blocks_of(path: Path) -> list[Block]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return [Block(path.stem, m.group(2).strip(), m.group(3)) for m in BLOCK.finditer(text)]


BLOCKS = [block for path in CHAPTERS for block in blocks_of(path)]
REGIONS = snippet_regions()


def region_of(include: dict[str, str]) -> str:
    """The region a literalinclude shows, checked to be cut exactly at its markers."""
    start, end = include["start-after"].strip('"'), include["end-before"].strip('"')
    name = re.fullmatch(r"# \[([a-z_0-9]+)\]", start)
    assert name, f"start-after {start!r} is not a region marker"
    assert end == f"# [/{name.group(1)}]", f"{start!r} ends at {end!r}"
    return name.group(1)


def block_id(block: Block) -> str:
    return f"{block.chapter}: {block.title}"


def test_every_chapter_has_a_pytorch_block():
    assert {b.chapter for b in BLOCKS} == {p.stem for p in CHAPTERS}


@pytest.mark.parametrize("block", BLOCKS, ids=block_id)
def test_block_code_is_included_from_the_reference_script(block):
    assert ":class-container: lecnotes-pytorch" in block.body
    fences = [f.group(1) for f in FENCE.finditer(block.body)]
    assert fences and all(f == "{literalinclude}" for f in fences), "code typed in by hand"
    for include in block.includes:
        assert include["path"] == INCLUDE_PATH
        assert (ROOT / "chapters" / include["path"]).resolve() == SCRIPT
        assert include.get("language") == "python" and "dedent" in include
        assert region_of(include) in REGIONS


def test_region_markers_cut_where_the_regions_are():
    # literalinclude cuts after the first line *containing* the marker: each marker must be
    # on one line only, or a block would show a different part of the script.
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    for name in REGIONS:
        for marker in (f"# [{name}]", f"# [/{name}]"):
            assert sum(marker in line for line in lines) == 1, marker


def test_every_region_of_the_script_is_shown():
    shown = {region_of(i) for block in BLOCKS for i in block.includes}
    assert shown == set(REGIONS), sorted(set(REGIONS) - shown)
