"""Numbers quoted in the prose come from the notebook's own outputs (or its code).

Every decimal number, percentage or number in scientific notation in a markdown cell must equal a
number that the notebook's outputs print or its code contains. So a re-recorded notebook whose
results moved cannot keep quoting the old ones. Section numbers (5.4, 5.4.3) and versions (2.3.1)
are not results and are left out, as are inline code, math and link targets.
"""

from __future__ import annotations

import re

import pytest

from dlbook.book import SECTION_NUMBERS, notebook_paths
from dlbook.notebooks import code_cells, ids, output_text, read

NOTEBOOKS = notebook_paths()
# Only ASCII letters, digits and _ glue to a number: a Korean particle right after it (0.2835와) does
# not hide it, as \w (which matches Hangul) would.
QUOTED = re.compile(r"(?<![0-9A-Za-z_.])(\d+(?:\.\d+)+(?:e[-+]?\d+)?|\d+(?:\.\d+)?e[-+]?\d+|\d+(?:\.\d+)?(?=\s?%))"
                    r"(?![0-9A-Za-z_])", re.I)
ANY_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?", re.I)
NOT_PROSE = re.compile(r"```.*?```|`[^`]*`|\$\$.*?\$\$|\$[^$]*\$|\]\([^)]*\)|https?://\S+", re.S)


def quoted_numbers(markdown: str) -> list[str]:
    prose = NOT_PROSE.sub(" ", markdown)
    found = []
    for token in QUOTED.findall(prose):
        if token.count(".") > 1 or token in SECTION_NUMBERS:
            continue
        found.append(token)
    return found


def known_values(nb) -> set[float]:
    text = output_text(nb) + "\n" + "\n".join(cell.source for cell in code_cells(nb))
    return {float(token) for token in ANY_NUMBER.findall(text)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_numbers_in_prose_appear_in_outputs(path):
    nb = read(path)
    known = known_values(nb)
    missing = [(index, token) for index, cell in enumerate(nb.cells) if cell.cell_type == "markdown"
               for token in quoted_numbers(cell.source) if float(token) not in known]
    assert not missing, (
        "numbers in the prose that no output or code shows (cell index, number): "
        f"{missing}. Print them in the notebook, or quote what it prints.")


def test_the_rule_catches_a_stale_number():
    assert quoted_numbers("loss 0.277 at `lr=0.5`, $x^{0.5}$, section 5.4.3, 97.8 % and 1e-4") == ["0.277", "97.8", "1e-4"]


def test_a_korean_particle_does_not_hide_a_number():
    assert quoted_numbers("검증 손실은 0.2835와 0.3712입니다. 정확도 0.855(원본)에서 20%로") == ["0.2835", "0.3712", "0.855", "20"]
