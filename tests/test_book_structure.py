"""The table of contents lists every chapter pair, in book order, in both languages."""

from __future__ import annotations

import yaml

from notebook_utils import BOOK_ORDER, LANGUAGES, ROOT, notebook_paths


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


def test_chapter_file_names_are_the_books():
    for path in notebook_paths():
        assert path.stem in BOOK_ORDER, f"{path.name}: not one of the chapter names {BOOK_ORDER}"


def test_toc_lists_every_notebook_in_book_order():
    for language in LANGUAGES:
        listed = [f for f in toc_files(language) if f != "index"]
        present = [p.stem for p in notebook_paths(language)]
        assert sorted(listed) == sorted(present), (
            f"_toc.yml ({language}) lists {listed}, but chapters/{language}/ holds {present}")
        assert listed == sorted(listed, key=BOOK_ORDER.index), f"_toc.yml ({language}) is not in book order"


def test_both_languages_list_the_same_chapters():
    assert toc_files("ko") == toc_files("en")
