"""Sphinx extension: a Korean search language, so the Korean build's search finds inflected words.

Sphinx has no Korean search language: without one it splits Korean text at spaces and indexes each
word with its particle or ending attached (과대적합은, 과대적합을, 과대적합이다), so a search for
과대적합 misses the pages that only have an inflected form. This one indexes Hangul as character
n-grams, the way Lucene's CJK analyzer does: a run of Hangul is indexed as its overlapping bigrams
(과대, 대적, 적합, 합은) and its single syllables, and a query's Hangul word is looked up as its
bigrams, all of which a page must have (Sphinx's search requires every query term). A page whose
text contains the word, with anything attached, therefore always has every bigram of it. Words in
other scripts (Latin, digits) are split and stemmed as Sphinx's English language does (Porter),
on the index side in Python and on the query side in the JavaScript this class supplies
(js_stemmer_code, js_splitter_code) for the site's searchtools.js.
"""

from __future__ import annotations

import re

from sphinx.search.en import SearchEnglish

HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
RUNS = re.compile(f"[{HANGUL}]+|[^{HANGUL}]+")
IS_HANGUL = re.compile(f"[{HANGUL}]")


def bigrams(run: str) -> list[str]:
    """A Hangul run's overlapping bigrams; a single syllable is itself."""
    return [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]


class SearchKorean(SearchEnglish):
    lang = "ko"
    language_name = "Korean"

    js_splitter_code = r"""
function splitQuery(query) {
  // words as Sphinx's default splitter finds them, then each Hangul run as its bigrams
  const hangul = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]+/u;
  const runs = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]+|[^\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]+/gu;
  const terms = [];
  query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((w) => w).forEach((word) => {
    (word.match(runs) || []).forEach((run) => {
      if (!hangul.test(run)) terms.push(run);
      else if (run.length === 1) terms.push(run);
      else for (let i = 0; i + 2 <= run.length; i++) terms.push(run.substr(i, 2));
    });
  });
  return terms;
}
"""
    js_stemmer_code = SearchEnglish.js_stemmer_code + r"""
var PorterStemmer = Stemmer;
Stemmer = function() {
  // Hangul n-grams are looked up as they are; other words as the English stemmer stems them
  const porter = new PorterStemmer();
  this.stemWord = (w) => (/[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]/u.test(w) ? w : porter.stemWord(w));
};
"""

    def split(self, input: str) -> list[str]:
        terms = []
        for word in self._word_re.findall(input):
            for run in RUNS.findall(word):
                if IS_HANGUL.match(run):
                    terms += bigrams(run)
                    if len(run) > 1:
                        terms += list(run)  # single syllables, for one-syllable queries
                else:
                    terms.append(run)
        return terms

    def stem(self, word: str) -> str:
        return word if IS_HANGUL.search(word) else super().stem(word)


def setup(app):
    app.add_search_language(SearchKorean)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
