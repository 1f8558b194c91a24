"""The prose holds no control characters.

A control character (Unicode category Cc: BEL, backspace, form feed, ...) is invisible in most
editors and shows as nothing, or as an empty box, on the page. In this book one came from a Python
string that lost its backslash: "$\alpha$" written without escaping is BEL followed by "lpha".
Newline and tab are the only control characters prose needs; every markdown cell of every
notebook and every Markdown page under chapters/ is checked.
"""

from __future__ import annotations

import unicodedata

import pytest

from dlbook.book import CHAPTERS, notebook_paths
from dlbook.notebooks import ids, read

NOTEBOOKS = notebook_paths()
PAGES = sorted(CHAPTERS.rglob("*.md"))
ALLOWED = {"\n", "\t"}


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


def test_the_rule_catches_a_lost_backslash():
    assert control_characters("the slope $\alpha$\n\tand a tab") == [(1, "U+0007")]
    assert control_characters("the slope $\\alpha$\n\tand a tab") == []
