"""The site: one Jupyter Book build per language from the same sources, and a root page.

    SITE/index.html      the root page (chapters/index.html): the reader chooses a language
    SITE/ko/             jupyter-book build chapters/ko --config _build/config/_config.ko.yml
                                                   --toc _build/config/_toc.ko.yml
    SITE/en/             the same for chapters/en

    SITE/LANG/downloads/book-LANG.pdf   the language's single-page build (Sphinx's `singlehtml`
                                        builder, same configuration), printed by dlbook.pdf

Each build has its own Sphinx `language`, so the theme's labels, the search page, the search index
and `<html lang>` are native; the language switch (tools/sphinx/language_switch.py) links each page
to its counterpart in the other build. The per-language TOCs and configurations are generated at
every build (toc_text, config_text, into _build/config/, never committed) from dlbook.book.PAGES
and the one _config.yml a person edits: a fork changes its repository there and nowhere else.
"""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

from dlbook.book import ABOUT_CAPTION, ABOUT_PAGES, BOOK_ORDER, CHAPTERS, CHAPTERS_CAPTION, LANGUAGES, ROOT, page_file
from dlbook.chromium import BrowserError
from dlbook.pdf import PrintError, page_count, pdf_path, print_pdf

ROOT_PAGE = CHAPTERS / "index.html"
GENERATED = ROOT / "_build" / "config"
BASE_CONFIG = ROOT / "_config.yml"
BUILD_OPTIONS = ("--warningiserror", "--nitpick", "--keep-going")

# The only settings in which the two builds differ (with `language` and path_to_book), merged
# into _config.yml: the title, the labels of the folded setup cell (myst-nb's, English), and the
# exercises' caption (sphinx-exercise's Korean catalogue says 연습, Korean textbooks 연습문제).
LANGUAGE_SETTINGS = {
    "ko": {"title": "딥러닝 일반화 실습",
           "sphinx": {"config": {"nb_code_prompt_show": "코드 보기", "nb_code_prompt_hide": "코드 숨기기",
                                 "numfig_format": {"exercise": "연습문제 %s"}}}},
    "en": {"title": "Generalization in Deep Learning, executed"},
}


def merged(base: dict, override: dict) -> dict:
    """base with override's values, dictionaries merged key by key."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        out[key] = merged(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out

TOC_HEADER = """\
# Table of contents of the {language} build (chapters/{language}); book order from
# tools/dlbook/book.py (PAGES), the same in both languages. Generated at each build (dlbook.site).
format: jb-book
root: index
parts:
"""
CONFIG_HEADER = """\
# The {language} build's configuration: _config.yml with this language's settings.
# Generated at each build (dlbook.site) from _config.yml: edit that file, not this one.
"""


def toc_path(language: str) -> Path:
    return GENERATED / f"_toc.{language}.yml"


def config_path(language: str) -> Path:
    return GENERATED / f"_config.{language}.yml"


def toc_text(language: str) -> str:
    """The landing page as root; the learner's chapters, then the pages about the book."""
    present = [name for name in BOOK_ORDER if page_file(language, name)]
    groups = [(CHAPTERS_CAPTION[language], [n for n in present if n not in ABOUT_PAGES]),
              (ABOUT_CAPTION[language], [n for n in present if n in ABOUT_PAGES])]
    lines = [TOC_HEADER.format(language=language)]
    for caption, names in groups:
        if names:
            lines.append(f"  - caption: {caption}\n    chapters:\n")
            lines += [f"      - file: {name}\n" for name in names]
    return "".join(lines)


def config_text(language: str) -> str:
    """_config.yml with the language's settings, Sphinx `language` and repository path_to_book."""
    config = merged(yaml.safe_load(BASE_CONFIG.read_text(encoding="utf-8")), LANGUAGE_SETTINGS[language])
    repository = config.setdefault("repository", {})
    repository["path_to_book"] = "/".join(
        part for part in (str(repository.get("path_to_book") or "").strip("/"), f"chapters/{language}") if part)
    config.setdefault("sphinx", {}).setdefault("config", {})["language"] = language
    # Jupyter Book resolves local extensions' folders from the configuration file's folder
    extensions = config["sphinx"].get("local_extensions") or {}
    config["sphinx"]["local_extensions"] = {name: str(ROOT / folder) for name, folder in extensions.items()}
    return CONFIG_HEADER.format(language=language) + yaml.safe_dump(
        config, allow_unicode=True, sort_keys=False, width=100)


def write_generated() -> list[Path]:
    GENERATED.mkdir(parents=True, exist_ok=True)
    written = []
    for language in LANGUAGES:
        for path, text in ((toc_path(language), toc_text(language)), (config_path(language), config_text(language))):
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def build_command(language: str, work: Path, builder: str = "html") -> list[str]:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return [str(jupyter_book), "build", str(CHAPTERS / language), "--config", str(config_path(language)),
            "--toc", str(toc_path(language)), "--path-output", str(Path(work) / language),
            "--builder", builder, *BUILD_OPTIONS]


def run_build(command: list[str], echo: bool = False) -> tuple[int, str]:
    """Runs one build; returns its exit code and output (printed as it comes, with echo)."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    lines = []
    for line in process.stdout:
        lines.append(line)
        if echo:
            print(line, end="", flush=True)
    return process.wait(), "".join(lines)


def default_work(site: Path) -> Path:
    return Path(site).parent / "lang"


def build_site(site: Path, work: Path | None = None, echo: bool = False) -> dict[str, tuple[int, str]]:
    """Builds every language into SITE/LANG, writes SITE/index.html and each language's PDF into
    SITE/LANG/downloads/ (write_pdfs).

    Each build runs in WORK/LANG (default: SITE's parent/lang), keeping Sphinx's caches for the
    next build; its HTML is then copied into SITE/LANG. Returns {language: (exit code, output)},
    and {"LANG pdf": ...} for each PDF. With echo, each build's output is printed as it comes."""
    site = Path(site)
    work = Path(work) if work else default_work(site)
    write_generated()
    results = {language: run_build(build_command(language, work), echo) for language in LANGUAGES}
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    for language in LANGUAGES:
        built = work / language / "_build" / "html"
        if built.is_dir():
            shutil.copytree(built, site / language)
    shutil.copyfile(ROOT_PAGE, site / "index.html")
    results.update(write_pdfs(site, work, echo, generated=True))
    return results


def write_pdfs(site: Path, work: Path | None = None, echo: bool = False, languages=None,
               generated: bool = False) -> dict[str, tuple[int, str]]:
    """SITE/LANG/downloads/book-LANG.pdf for every language (or those given): the language's
    single-page build in WORK/LANG (beside its site build, sharing its caches: nothing is read
    again when the site was just built), printed by dlbook.pdf. Returns {"LANG pdf": (exit code,
    output)}: the single-page build's output, then the PDF's path and size, or why it failed."""
    work = Path(work) if work else default_work(site)
    if not generated:
        write_generated()
    results = {}
    for language in languages or LANGUAGES:
        code, output = run_build(build_command(language, work, "singlehtml"), echo)
        page = work / language / "_build" / "singlehtml" / "index.html"
        if code == 0 and page.exists():
            start = time.monotonic()
            try:
                target = print_pdf(page, pdf_path(site, language))
                line = (f"wrote {target}: {page_count(target.read_bytes())} pages, "
                        f"{target.stat().st_size / 2**20:.1f} MB, in {time.monotonic() - start:.0f} s\n")
            except (PrintError, BrowserError) as error:
                code, line = 1, f"ERROR: {error}\n"
            output += line
            if echo:
                print(line, end="", flush=True)
        results[f"{language} pdf"] = (code, output)
    return results


def problems(results: dict[str, tuple[int, str]]) -> list[str]:
    """Every warning or error line of the builds, and any build that failed."""
    found = []
    for language, (code, output) in results.items():
        lines = [f"[{language}] {line}" for line in output.splitlines() if "WARNING" in line or "ERROR" in line]
        if code != 0 and not lines:
            lines = [f"[{language}] the build exited with {code}:", *output.splitlines()[-30:]]
        found += lines
    return found
