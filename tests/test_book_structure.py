"""The tables of contents list every chapter pair, in book order, in both languages; they and the
per-language configurations are what tools/update_toc.py generates (dlbook.site)."""

from __future__ import annotations

import yaml

from dlbook.book import ABOUT_PAGES, BOOK_ORDER, LANGUAGES, ROOT
from dlbook.site import config_path, config_text, toc_path, toc_text


def toc_parts(language: str) -> list[tuple[str, list[str]]]:
    toc = yaml.safe_load(toc_path(language).read_text(encoding="utf-8"))
    assert toc["root"] == "index", f"{toc_path(language).name}: the landing page (index) should be the root"
    return [(part["caption"], [entry["file"] for entry in part["chapters"]]) for part in toc["parts"]]


def toc_files(language: str) -> list[str]:
    return [name for _, names in toc_parts(language) for name in names]


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
        listed = toc_files(language)
        present = pages(language)
        assert sorted(listed) == sorted(present), (
            f"_toc.{language}.yml lists {listed}, but chapters/{language}/ holds {present}")
        assert listed == sorted(listed, key=BOOK_ORDER.index), f"_toc.{language}.yml is not in book order"


def test_chapters_come_first_then_the_pages_about_the_book():
    for language in LANGUAGES:
        (_, chapters), (_, about) = toc_parts(language)
        assert chapters and not set(chapters) & set(ABOUT_PAGES), f"_toc.{language}.yml: first part is not the chapters"
        assert about == [name for name in ABOUT_PAGES if name in about], f"_toc.{language}.yml: second part"


def test_both_languages_list_the_same_chapters():
    assert toc_files("ko") == toc_files("en")


def test_tocs_and_configs_are_what_update_toc_writes():
    """_toc.LANG.yml and _config.LANG.yml are generated from dlbook.book.PAGES and _config.yml:
    run python tools/update_toc.py after editing either."""
    for language in LANGUAGES:
        assert toc_path(language).read_text(encoding="utf-8") == toc_text(language), (
            f"{toc_path(language).name} is stale: run python tools/update_toc.py")
        assert config_path(language).read_text(encoding="utf-8") == config_text(language), (
            f"{config_path(language).name} is stale: run python tools/update_toc.py")


def test_the_language_configs_differ_only_in_the_language_settings():
    from dlbook.site import LANGUAGE_SETTINGS, merged

    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        config = yaml.safe_load(config_path(language).read_text(encoding="utf-8"))
        assert config["sphinx"]["config"].pop("language") == language
        assert config["repository"].pop("path_to_book").endswith(f"chapters/{language}")
        expected = merged(base, LANGUAGE_SETTINGS[language])
        expected["repository"].pop("path_to_book", None)
        assert config == expected, f"_config.{language}.yml differs from _config.yml beyond its language settings"
