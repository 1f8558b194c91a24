"""The site builds with zero Sphinx warnings, and no internal link or image in it is broken."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from notebook_utils import ROOT


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
