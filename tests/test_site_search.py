"""The site's own search finds every page that uses a glossary term, in both languages.

For every term of chapters/LANG/glossary.md, the pages expected are those whose text contains the
term at the start of a word with anything attached (Korean particles and endings: 과대적합은,
과대적합을; English suffixes); the search is the build's own searchtools.js, language_data.js and
searchindex.js, run by Node (tools/dlbook/search_harness.js, dlbook.site_search). The Korean build gets
its recall from the Korean search language (tools/sphinx/korean_search.py).
"""

from __future__ import annotations

import pytest

from dlbook.site_search import index_size, recall


@pytest.mark.parametrize("language", ["ko", "en"])
def test_search_finds_every_page_that_uses_a_glossary_term(site, language):
    report = recall(site / language, language)
    assert len(report) >= 40 and all(r["expected"] for r in report.values()), (
        f"some {language} glossary terms are on no page; is the page text read correctly?")
    missed = [f"{term}: {len(r['found'])}/{len(r['expected'])}, missed {', '.join(r['missed'])}"
              for term, r in report.items() if r["missed"]]
    assert not missed, f"the {language} search misses pages:\n" + "\n".join(missed)


def test_search_indexes_stay_small(site):
    """Each language's index is loaded by every search; n-grams must not blow it up."""
    for language in ("ko", "en"):
        assert index_size(site / language) < 400_000, f"{language}/searchindex.js: {index_size(site / language):,} bytes"
