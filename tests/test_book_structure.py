"""The tables of contents (generated at each build from dlbook.book.PAGES, dlbook.site) list every
chapter pair, in book order, in both languages; the per-language configurations differ from the
one _config.yml only in their language settings."""

from __future__ import annotations

import yaml

from dlbook.book import ABOUT_PAGES, BOOK_ORDER, LANGUAGES, ROOT
from dlbook.site import config_text, toc_text


def toc_parts(language: str) -> list[tuple[str, list[str]]]:
    toc = yaml.safe_load(toc_text(language))
    assert toc["root"] == "index", f"the {language} TOC: the landing page (index) should be the root"
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
            f"the {language} TOC lists {listed}, but chapters/{language}/ holds {present}")
        assert listed == sorted(listed, key=BOOK_ORDER.index), f"the {language} TOC is not in book order"


def test_chapters_come_first_then_the_pages_about_the_book():
    for language in LANGUAGES:
        (_, chapters), (_, about) = toc_parts(language)
        assert chapters and not set(chapters) & set(ABOUT_PAGES), f"the {language} TOC: first part is not the chapters"
        assert about == [name for name in ABOUT_PAGES if name in about], f"the {language} TOC: second part"


def test_both_languages_list_the_same_chapters():
    assert toc_files("ko") == toc_files("en")


def test_the_language_configs_differ_only_in_the_language_settings():
    from dlbook.site import LANGUAGE_SETTINGS, merged

    base = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for language in LANGUAGES:
        config = yaml.safe_load(config_text(language))
        assert config["sphinx"]["config"].pop("language") == language
        assert config["repository"].pop("path_to_book").endswith(f"chapters/{language}")
        expected = merged(base, LANGUAGE_SETTINGS[language])
        expected["repository"].pop("path_to_book", None)
        extensions = config["sphinx"].pop("local_extensions")
        assert extensions == {name: str(ROOT / folder)
                              for name, folder in expected["sphinx"].pop("local_extensions").items()}
        assert config == expected, f"_config.{language}.yml differs from _config.yml beyond its language settings"
