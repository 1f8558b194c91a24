"""The prose holds no control characters and no placeholders.

A control character (Unicode category Cc: BEL, backspace, form feed, ...) is invisible in most
editors and shows as nothing, or as an empty box, on the page. In this book one came from a Python
string that lost its backslash: "$\alpha$" written without escaping is BEL followed by "lpha".
Newline and tab are the only control characters prose needs; every markdown cell of every
notebook and every Markdown page under chapters/ is checked.

A placeholder left in prose ("SEEDSENTENCE" was committed once, in 5.2) reads as a shout on the page.
Prose outside code, math and link targets may hold a word in capitals of four or more characters only
if it is a known acronym (ACRONYMS below; add a new one there), and never TODO, FIXME, TBD or XXX.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from dlbook.book import CHAPTERS, notebook_paths
from dlbook.notebooks import ids, read

NOTEBOOKS = notebook_paths()
PAGES = sorted(CHAPTERS.rglob("*.md"))
ALLOWED = {"\n", "\t"}
ACRONYMS = {"MNIST", "IMDB", "CIFAR", "EPYC", "ICML", "ICLR", "ICCV", "AISTATS", "ISTA", "SELU", "GELU", "HTML", "JSON",
            "YAML", "CUDA"}
NOT_PROSE = [re.compile(pattern, re.S) for pattern in
             (r"```.*?```", r"`[^`]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"\]\([^)]*\)", r"<[^>]*>")]
CAPITALS = re.compile(r"(?<![\w-])(?:[A-Z][A-Z0-9_]{3,}|TODO|TBD|XXX)(?![\w-])")


def control_characters(text: str) -> list[tuple[int, str]]:
    """(line number, code point) of every control character other than newline and tab."""
    return [(text.count("\n", 0, position) + 1, f"U+{ord(char):04X}")
            for position, char in enumerate(text)
            if unicodedata.category(char) == "Cc" and char not in ALLOWED]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_no_control_characters_in_markdown_cells(path):
    nb = read(path)
    found = [(index, line, code) for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
             for line, code in control_characters(cell.source)]
    assert not found, (
        f"control characters in markdown cells (cell index, line, code point): {found}. "
        "A lost backslash is the usual cause ('\\a' is BEL): write the character that was meant.")


@pytest.mark.parametrize("path", PAGES, ids=ids(PAGES))
def test_no_control_characters_in_markdown_pages(path):
    found = control_characters(path.read_text(encoding="utf-8"))
    assert not found, (
        f"control characters in this page (line, code point): {found}. "
        "Remove them, or write the character that was meant.")


def placeholders(text: str) -> list[str]:
    """Words in capitals that are not known acronyms, in the prose of a markdown text."""
    for pattern in NOT_PROSE:
        text = pattern.sub(" ", text)
    return [word for word in CAPITALS.findall(text) if word not in ACRONYMS or word in {"TODO", "TBD", "XXX"}]


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=ids(NOTEBOOKS + PAGES))
def test_no_placeholders_in_prose(path):
    texts = ([cell.source for cell in read(path).cells if cell.cell_type == "markdown"] if path.suffix == ".ipynb"
             else [path.read_text(encoding="utf-8")])
    found = sorted({word for text in texts for word in placeholders(text)})
    assert not found, (
        f"words in capitals in the prose: {found}. A placeholder left behind? Write the sentence; if it is an "
        "acronym, add it to ACRONYMS in this file.")


def test_the_placeholder_rule():
    assert placeholders("The check after 5.2.1 says SEEDSENTENCE.") == ["SEEDSENTENCE"]
    assert placeholders("TODO: say what held") == ["TODO"]
    assert placeholders("MNIST and IMDB, `SEED = 42`, $\\mathrm{LOSS}$, [5.2](HOLD-OUT.ipynb)") == []


def test_the_rule_catches_a_lost_backslash():
    assert control_characters("the slope $\alpha$\n\tand a tab") == [(1, "U+0007")]
    assert control_characters("the slope $\\alpha$\n\tand a tab") == []
