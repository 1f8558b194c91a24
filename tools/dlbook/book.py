"""The book's pages and languages. Adding a chapter: one line in PAGES, plus its two notebooks."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = ROOT / "chapters"
EVIDENCE = ROOT / "tests" / "evidence"
BENCHMARK = ROOT / "benchmark"
LANGUAGES = ("ko", "en")
OTHER_LANGUAGE = {"ko": "en", "en": "ko"}

# The book's order: (file name, the same in both languages; its section in the book, if any; kind:
# "chapter" for the learner's material, "about" for pages about the book and its editions). The
# learner's chapters come first; the "about" pages follow as their own group (ABOUT_CAPTION), in
# this order, after every chapter (tests/test_library.py).
PAGES = (
    ("data", None, "chapter"),
    ("4-4-overfitting-underfitting", "4.4", "chapter"),
    ("5-1-generalization", "5.1", "chapter"),
    ("5-2-evaluation", "5.2", "chapter"),
    ("5-3-improving-fit", "5.3", "chapter"),
    ("5-4-improving-generalization", "5.4", "chapter"),
    ("5-5-summary", "5.5", "chapter"),
    ("appendix-a-stable-training", None, "chapter"),
    ("appendix-b-batch-size-l1-l2", None, "chapter"),
    ("edition-crosswalk", None, "about"),
    ("evidence", None, "about"),
    ("glossary", None, "about"),
    ("about-execution", None, "about"),
)
# The table of contents' captions of the two groups, per language (tools/update_toc.py).
CHAPTERS_CAPTION = {"ko": "장", "en": "Chapters"}
ABOUT_CAPTION = {"ko": "이 책에 대하여", "en": "About this book"}
BOOK_ORDER = tuple(name for name, _, _ in PAGES)
CHAPTER_PAGES = tuple(name for name, _, kind in PAGES if kind == "chapter")
ABOUT_PAGES = tuple(name for name, _, kind in PAGES if kind == "about")
SECTION_NUMBERS = frozenset(section for _, section, _ in PAGES if section)


def page_file(language: str, name: str) -> Path | None:
    """The notebook or Markdown file of a page in a language, if it exists."""
    for suffix in (".ipynb", ".md"):
        path = CHAPTERS / language / f"{name}{suffix}"
        if path.exists():
            return path
    return None


def notebook_paths(language: str | None = None) -> list[Path]:
    """Every notebook of one language, or of both (sorted by path)."""
    languages = [language] if language else LANGUAGES
    return sorted(p for lang in languages for p in (CHAPTERS / lang).glob("*.ipynb"))


def language_of(path: Path) -> str:
    return Path(path).resolve().relative_to(CHAPTERS).parts[0]


def counterpart(path: Path) -> Path:
    """The same page in the other language: chapters/ko/X <-> chapters/en/X."""
    path = Path(path).resolve()
    return CHAPTERS / OTHER_LANGUAGE[language_of(path)] / path.name


def relative(path: Path) -> str:
    return str(Path(path).resolve().relative_to(ROOT))
