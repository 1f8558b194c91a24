"""The table of contents lists every chapter pair, in book order, in both languages."""

from __future__ import annotations

import yaml

from dlbook.book import BOOK_ORDER, LANGUAGES, ROOT


def toc_files(language: str) -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = []

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc["parts"])
    prefix = f"chapters/{language}/"
    return [f[len(prefix):] for f in files if f.startswith(prefix)]


def pages(language: str) -> list[str]:
    """Every notebook and Markdown page of a language, the landing page aside."""
    folder = ROOT / "chapters" / language
    return sorted(p.stem for p in folder.iterdir() if p.suffix in (".ipynb", ".md") and p.stem != "index")


def test_page_names_are_the_books():
    for language in LANGUAGES:
        for name in pages(language):
            assert name in BOOK_ORDER, f"chapters/{language}/{name}: not one of the page names {BOOK_ORDER}"


def test_toc_lists_every_page_in_book_order():
    for language in LANGUAGES:
        listed = [f for f in toc_files(language) if f != "index"]
        present = pages(language)
        assert sorted(listed) == sorted(present), (
            f"_toc.yml ({language}) lists {listed}, but chapters/{language}/ holds {present}")
        assert listed == sorted(listed, key=BOOK_ORDER.index), f"_toc.yml ({language}) is not in book order"


def test_both_languages_list_the_same_chapters():
    assert toc_files("ko") == toc_files("en")


def test_toc_is_what_update_toc_writes():
    """_toc.yml is generated from dlbook.book.PAGES: run python tools/update_toc.py after editing PAGES."""
    from update_toc import toc_text
    assert (ROOT / "_toc.yml").read_text(encoding="utf-8") == toc_text()
