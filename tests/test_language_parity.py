"""The Korean and English notebook of each chapter run the same code.

Comments and string literals may differ (they are in the reader's language); every other token of
every code cell must be the same, compared with Python's `tokenize`. The parameters cell is the
same too, so both languages are recorded with the same seed.
"""

from __future__ import annotations

import pytest

from dlbook.book import CHAPTERS, notebook_paths
from dlbook.checks import recorded_seed
from dlbook.notebooks import code_cells, code_skeleton, read

NAMES = sorted({p.stem for p in notebook_paths()})


def test_every_chapter_exists_in_both_languages():
    ko = {p.stem for p in notebook_paths("ko")}
    en = {p.stem for p in notebook_paths("en")}
    assert ko == en, f"only in Korean: {sorted(ko - en)}; only in English: {sorted(en - ko)}"


@pytest.mark.parametrize("name", NAMES)
def test_same_code_in_both_languages(name):
    ko, en = (read(CHAPTERS / lang / f"{name}.ipynb") for lang in ("ko", "en"))
    ko_cells, en_cells = code_cells(ko), code_cells(en)
    assert len(ko_cells) == len(en_cells), (
        f"{name}: {len(ko_cells)} code cells in Korean, {len(en_cells)} in English")
    for index, (ko_cell, en_cell) in enumerate(zip(ko_cells, en_cells)):
        ko_tokens, en_tokens = code_skeleton(ko_cell.source), code_skeleton(en_cell.source)
        if ko_tokens != en_tokens:
            first = next((i for i, (a, b) in enumerate(zip(ko_tokens, en_tokens)) if a != b),
                         min(len(ko_tokens), len(en_tokens)))
            pytest.fail(f"{name}, code cell {index}: the code differs beyond comments and strings "
                        f"(ko {ko_tokens[first:first + 5]} vs en {en_tokens[first:first + 5]})")
    assert recorded_seed(ko) == recorded_seed(en), f"{name}: the two languages record different seeds"
    tags = [(c.metadata.get("tags", [])) for c in ko_cells], [(c.metadata.get("tags", [])) for c in en_cells]
    assert tags[0] == tags[1], f"{name}: cell tags differ between languages (they steer nbval and papermill)"
