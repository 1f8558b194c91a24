"""How well the built site's own search finds the glossary's terms: recall per term.

For every glossary term of a language (chapters/LANG/glossary.md), the pages that should be found
are those whose text contains the term at the start of a word, in any inflected form (a Korean
particle or ending, an English suffix attached: 과대적합은, overfitting's); the pages found are
what the site's search code returns for the term, run by Node over the build's own searchtools.js,
language_data.js and searchindex.js (tools/dlbook/search_harness.js). A page's text is its article as
built, without the page chrome (language switch, run stamp, heading anchors).

    python tools/dlbook/site_search.py SITE LANG [SITE LANG ...]   prints found/expected per term
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.book import CHAPTERS, ROOT  # noqa: E402

HARNESS = Path(__file__).with_name("search_harness.js")
SKIPPED_CLASSES = {"language-switch", "run-stamp", "headerlink"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def glossary_terms(language: str) -> list[str]:
    """The terms of chapters/LANG/glossary.md's glossary directive, in file order."""
    terms, inside = [], False
    for line in (CHAPTERS / language / "glossary.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```{glossary}"):
            inside = True
        elif inside and line.startswith("```"):
            inside = False
        elif inside and line and not line[0].isspace() and not line.startswith(":"):
            terms.append(line.strip())
    return terms


class ArticleText(HTMLParser):
    """The text of a page's <article class="bd-article">, less scripts, styles and page chrome."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0          # > 0 inside the article
        self.skipping = 0       # > 0 inside an element whose text is not the page's
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        if self.depth == 0:
            if tag == "article" and "bd-article" in classes:
                self.depth = 1
            return
        self.depth += 1
        if self.skipping or tag in ("script", "style") or classes & SKIPPED_CLASSES:
            self.skipping += 1

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in VOID:
            return
        self.depth -= 1
        if self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.parts.append(data)


def page_text(html_file: Path) -> str:
    parser = ArticleText()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return " ".join(parser.parts).replace("\u2019", "'")  # Sphinx's smart quotes: Occam’s


def term_pattern(term: str) -> re.Pattern:
    """The term at the start of a word, with anything attached after it; spaces match any spacing."""
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"(?<![\w])" + r"\s+".join(words), re.IGNORECASE)


def index_docnames(site: Path) -> list[str]:
    text = (Path(site) / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(text[len("Search.setIndex("):-1])["docnames"]


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if not found:
        raise RuntimeError("Node.js is needed to run the site's search code (apt-get install nodejs)")
    return found


def run_search(site: Path, queries: list[str]) -> dict[str, list[str]]:
    """The docnames the site's search lists for each query, in the order it lists them."""
    result = subprocess.run([node(), str(HARNESS), str(site)], input=json.dumps(queries),
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def recall(site: Path, language: str, prefix: str = "") -> dict[str, dict]:
    """For each glossary term: the pages expected, the expected pages the search found, the misses.

    `prefix` keeps only docnames starting with it (a site holding both languages)."""
    site = Path(site)
    docnames = [d for d in index_docnames(site) if d.startswith(prefix)]
    texts = {d: page_text(site / f"{d}.html") for d in docnames}
    terms = glossary_terms(language)
    found = run_search(site, terms)
    report = {}
    for term in terms:
        pattern = term_pattern(term)
        expected = sorted(d for d, text in texts.items() if pattern.search(text))
        hits = set(found[term])
        report[term] = {"expected": expected, "found": sorted(set(expected) & hits),
                        "missed": sorted(set(expected) - hits)}
    return report


def index_size(site: Path) -> int:
    return (Path(site) / "searchindex.js").stat().st_size


def main(argv: list[str]) -> None:
    for site, language in zip(argv[::2], argv[1::2]):
        site = Path(site)
        prefix = f"chapters/{language}/" if (site / "chapters" / language).is_dir() else ""
        report = recall(site, language, prefix)
        total = sum(len(r["expected"]) for r in report.values())
        hit = sum(len(r["found"]) for r in report.values())
        print(f"{site} ({language}): searchindex.js {index_size(site):,} bytes; {hit}/{total} term-pages found")
        for term, r in report.items():
            mark = "" if not r["missed"] else "  missed: " + ", ".join(m.rsplit("/", 1)[-1] for m in r["missed"])
            print(f"  {term}: {len(r['found'])}/{len(r['expected'])}{mark}")


if __name__ == "__main__":
    main(sys.argv[1:])
