"""The site builds with zero Sphinx warnings, and no internal link or image in it is broken."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dlbook.book import ROOT


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.targets.append(attrs[key])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8", errors="replace"))
    return links


def test_no_broken_internal_links_or_images(site):
    pages = sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_"))
    parsed = {page: parse(page) for page in pages}
    broken = []
    for page, links in parsed.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:", "data:")):
                continue
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
            elif parts.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else parse(path).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {target} (no such anchor)")
    assert not broken, "broken internal links or images:\n" + "\n".join(broken[:40])


def test_every_notebook_page_was_built(site):
    for notebook in ROOT.glob("chapters/*/*.ipynb"):
        page = site / notebook.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), f"{notebook.relative_to(ROOT)} has no page in the site; is it in _toc.yml?"


def test_every_page_links_to_its_other_language(site):
    """The language switch (tools/sphinx/language_switch.py) is on every page that has a counterpart."""
    for page in sorted(site.glob("chapters/ko/*.html")) + sorted(site.glob("chapters/en/*.html")):
        language = page.parent.name
        other = "en" if language == "ko" else "ko"
        counterpart = site / "chapters" / other / page.name
        assert counterpart.exists(), f"{page.relative_to(site)} has no {other} counterpart"
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in html, f"{page.relative_to(site)} does not declare lang={language}"
        assert f'href="../{other}/{page.name}" hreflang="{other}"' in html, (
            f"{page.relative_to(site)} has no language switch to {counterpart.relative_to(site)}")


def test_every_notebook_page_carries_its_run_stamp(site):
    """tools/sphinx/run_stamp.py stamps each notebook page with what `make benchmark` measured.

    Every notebook must have been benchmarked in at least one language (both run the same code),
    and the stamp must show that run's numbers, read from benchmark/results.json.
    """
    results = json.loads((ROOT / "tools" / "benchmark" / "results.json").read_text(encoding="utf-8"))
    rows = {r["notebook"]: r for r in results["notebooks"]}
    missing = []
    for notebook in sorted(ROOT.glob("chapters/*/*.ipynb")):
        language, name = notebook.parent.name, notebook.stem
        other = "en" if language == "ko" else "ko"
        row = rows.get(f"chapters/{language}/{name}.ipynb") or rows.get(f"chapters/{other}/{name}.ipynb")
        if row is None:
            missing.append(f"{language}/{name} (not in the benchmark: run make benchmark)")
            continue
        html = (site / "chapters" / language / f"{name}.html").read_text(encoding="utf-8")
        stamp = re.search(r'<p class="run-stamp"[^>]*>(.*?)</p>', html, re.S)
        if not stamp or f"{row['peak_mb']:,} MB" not in stamp.group(1) or results["versions"]["keras"] not in stamp.group(1):
            missing.append(f"{language}/{name} (no stamp, or not this run's numbers)")
    assert not missing, "notebook pages without a correct run stamp:\n" + "\n".join(missing)


def test_english_pages_have_english_interface_labels(site):
    """The theme speaks the project's language (ko); tools/sphinx/language_switch.py turns the page
    chrome of English pages back into English. No Korean interface label may be left on them."""
    korean_labels = ['title="검색"', 'aria-label="검색"', 'default-text">검색<', "<h2> 내용 </h2>", "</i> 내용",
                     'subtitle">이전<', 'subtitle">다음<', 'title="PDF로 인쇄"', 'title="소스 파일 다운로드"']
    left = [f"{page.name}: {label}" for page in sorted(site.glob("chapters/en/*.html"))
            for label in korean_labels if label in page.read_text(encoding="utf-8")]
    assert not left, "Korean interface labels on English pages:\n" + "\n".join(left[:20])
    korean_page = (site / "chapters" / "ko" / "5-1-generalization.html").read_text(encoding="utf-8")
    assert 'title="검색"' in korean_page, "the Korean pages should keep the theme's Korean labels"
