"""The English–Chinese glossary (glossary.md) and the chapters' links to it.

The ``-W`` build already fails on a ``{term}`` that names no entry. These tests check the
rest without building: every entry has an English and a Chinese name, a definition that
can be a tooltip, and links to the chapters that teach it; each of those chapters links the
entry; and a chapter links an entry once, at the first use of the words it links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "glossary.md"
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

# Terms the Chinese study notes (shared/seed) use, as they write them; each must be a name
# of an entry. The notes' less common wordings (抑制因子, 学习速度, 矩阵化, 失活) are quoted
# in the definitions instead.
SEED_TERMS = [
    "反向传播", "计算图", "雅可比矩阵", "正则化", "过拟合", "向量化", "非线性", "激活函数",
    "梯度消失", "初始化", "参数初始化", "Xavier 初始化", "优化器", "随机梯度下降", "动量",
    "学习率", "学习率衰减", "循环学习率", "词向量", "窗口分类", "超参数", "损失函数", "隐藏层",
    "逻辑回归", "自适应优化器", "发散", "收敛", "偏置",
]  # fmt: skip
# Terms this book coined or uses in its own sense.
BOOK_TERMS = [
    "gradient check", "kink", "dead unit", "effective learning rate", "warm-up", "range test",
    "settle", "chaotic run", "shape convention", "local error signal",
]  # fmt: skip

TERM_ROLE = re.compile(r"\{term\}`([^`]*)`")
CHAPTER_LINK = re.compile(r"\{doc\}`chapter (\d+) <chapters/((\d\d)_\w+)>`")


@dataclass
class Entry:
    names: list[str]
    definition: str
    line: int

    @property
    def chapters(self) -> set[str]:
        """File stems of the chapters that teach the term, e.g. ``"03_regularization"``."""
        return {m.group(2) for m in CHAPTER_LINK.finditer(self.definition)}


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def parse_glossary(text: str) -> list[Entry]:
    """The entries of the ``glossary`` directive, parsed as Sphinx does: lines at the left
    margin are an entry's names, indented lines its definition, blank lines separate."""
    start = text.index("```{glossary}\n")
    end = text.index("\n```", start)
    entries, current = [], None
    for number, line in enumerate(text[start:end].splitlines()[1:], start=2):
        if not line.strip():
            current = None
        elif line.startswith(":") and not entries:
            continue  # an option such as :sorted:
        elif not line[0].isspace():
            if current is None or current.definition:
                current = Entry([], "", text[:start].count("\n") + number)
                entries.append(current)
            current.names.append(line.strip())
        else:
            current.definition += line.strip() + " "
    return entries


ENTRIES = parse_glossary(GLOSSARY.read_text(encoding="utf-8"))
BY_NAME = {name.lower(): entry for entry in ENTRIES for name in entry.names}


def entry_id(entry: Entry) -> str:
    return entry.names[0]


# --- chapter prose ---------------------------------------------------------------------------

PROSE_DIRECTIVES = ("{admonition}", "{note}", "{tip}", "{dropdown}")
NOT_PROSE = [
    r"(?m)^:{3,}.*$",  # colon fences and their options
    r"(?m)^:[a-zA-Z-]+:.*$",  # directive options
    r"(?m)^#+ .*$",  # headings: a term is linked in the text, not in a title
    r"(?s)\$\$.*?\$\$",
    r"\$[^$\n]+?\$",
    r"\{[a-z:-]+\}`[^`]*`",  # roles, {term} links included
    r"`[^`\n]*`",
    r"\]\([^)]*\)",  # link targets
]


def masked(text: str) -> str:
    """``text`` with everything that is not prose blanked out (offsets are kept)."""
    out = list(text)

    def blank(start: int, end: int) -> None:
        out[start:end] = [c if c == "\n" else " " for c in text[start:end]]

    for fence in re.finditer(r"(?ms)^(`{3,})(.*?)$(.*?)^\1[ \t]*$", text):
        if fence.group(2).strip().startswith(PROSE_DIRECTIVES):
            blank(fence.start(), fence.end(2))  # the directive line; its body is prose
            blank(fence.end(3), fence.end())
        else:
            blank(fence.start(), fence.end())  # code, literalinclude, ...
    for pattern in NOT_PROSE:
        for match in re.finditer(pattern, text):
            blank(match.start(), match.end())
    return "".join(out)


def words(phrase: str) -> re.Pattern:
    """``phrase`` as a whole word or words, any case and line breaks, with a plural ending."""
    body = r"\s+".join(map(re.escape, phrase.split()))
    return re.compile(rf"(?i)(?<![\w-]){body}(?:s|es)?(?![\w-])")


@dataclass
class Link:
    visible: str
    target: str
    offset: int


def chapter_text(path: Path) -> str:
    """The markdown cells of a chapter, in order."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def term_links(text: str) -> list[Link]:
    links = []
    for match in TERM_ROLE.finditer(text):
        content = match.group(1)
        explicit = re.fullmatch(r"(.*?)\s*<([^<>]+)>", content, flags=re.S)
        visible, target = explicit.groups() if explicit else (content, content)
        links.append(Link(" ".join(visible.split()), " ".join(target.split()), match.start()))
    return links


LINKS = {path.stem: term_links(chapter_text(path)) for path in CHAPTERS}


# --- the glossary ----------------------------------------------------------------------------


def test_glossary_has_the_terms_of_the_notes_and_of_the_book():
    assert len(ENTRIES) >= 60
    missing = [t for t in SEED_TERMS + BOOK_TERMS if t.lower() not in BY_NAME]
    assert not missing, f"not a name of any glossary entry: {missing}"


def test_every_name_belongs_to_one_entry():
    names = [name.lower() for entry in ENTRIES for name in entry.names]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_entry_has_english_and_chinese_names_and_a_plain_definition(entry):
    english = [n for n in entry.names if not chinese(n)]
    assert english and english[0] == entry.names[0], "the English name comes first"
    assert any(chinese(n) for n in entry.names), "a Chinese name"
    definition, _, taught = entry.definition.rpartition("Taught in ")
    sentences = re.split(r"(?<=[.?!])\s+(?=[A-Z])", definition.replace("et al.", "et al"))
    assert 1 <= len([s for s in sentences if s]) <= 3, sentences
    # The definition is also the tooltip of every link to it: no math, no roles.
    assert "$" not in entry.definition and "{term}" not in entry.definition
    link = CHAPTER_LINK.pattern
    assert re.fullmatch(rf"{link}((, | and ){link})*\.\s*", taught), taught


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_entry_links_the_chapters_that_teach_it(entry):
    stems = {path.stem for path in CHAPTERS}
    for match in CHAPTER_LINK.finditer(entry.definition):
        number, stem, prefix = match.groups()
        assert stem in stems, f"no chapter {stem}"
        assert int(number) == int(prefix), f"'chapter {number}' links {stem}"


def test_glossary_is_in_the_back_matter():
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    back_matter = toc[toc.index("caption: Back matter") :]
    assert "- file: glossary\n" in back_matter


# --- the chapters' links -----------------------------------------------------------------------


def test_every_term_link_names_an_entry():
    unknown = {
        stem: [link.target for link in links if link.target.lower() not in BY_NAME]
        for stem, links in LINKS.items()
    }
    assert not any(unknown.values()), unknown


@pytest.mark.parametrize("stem", sorted(LINKS))
def test_a_chapter_links_each_entry_once(stem):
    linked = [entry_id(BY_NAME[link.target.lower()]) for link in LINKS[stem]]
    assert len(linked) == len(set(linked)), sorted({e for e in linked if linked.count(e) > 1})


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_link_is_the_first_use_of_its_words(path):
    text = chapter_text(path)
    prose = masked(text)
    late = [
        f"{link.visible!r} is used before its link: ...{text[m.start() - 40 : m.end() + 20]!r}"
        for link in term_links(text)
        if (m := words(link.visible).search(prose, 0, link.offset))
    ]
    assert not late, "\n".join(late)


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_chapters_that_teach_a_term_link_it(entry):
    names = {name.lower() for name in entry.names}
    linked_from = {
        stem for stem, links in LINKS.items() for link in links if link.target.lower() in names
    }
    assert linked_from, "no chapter links this entry"
    assert entry.chapters <= linked_from, f"not linked from {sorted(entry.chapters - linked_from)}"
