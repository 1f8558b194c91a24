"""The site: one Jupyter Book build per language from the same sources, and a root page.

    SITE/index.html      the root page (chapters/index.html): the reader chooses a language
    SITE/ko/             jupyter-book build chapters/ko --config _build/config/_config.ko.yml
                                                   --toc _build/config/_toc.ko.yml
    SITE/en/             the same for chapters/en

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
from pathlib import Path

import yaml

from dlbook.book import ABOUT_CAPTION, ABOUT_PAGES, BOOK_ORDER, CHAPTERS, CHAPTERS_CAPTION, LANGUAGES, ROOT, page_file

ROOT_PAGE = CHAPTERS / "index.html"
GENERATED = ROOT / "_build" / "config"
BASE_CONFIG = ROOT / "_config.yml"
BUILD_OPTIONS = ("--warningiserror", "--nitpick", "--keep-going")

# The only settings in which the two builds differ (with `language` and path_to_book), merged
# into _config.yml: the title, and the labels of the folded setup cell (myst-nb's, English).
LANGUAGE_SETTINGS = {
    "ko": {"title": "딥러닝 일반화 실습",
           "sphinx": {"config": {"nb_code_prompt_show": "코드 보기", "nb_code_prompt_hide": "코드 숨기기"}}},
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


def build_command(language: str, work: Path) -> list[str]:
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    return [str(jupyter_book), "build", str(CHAPTERS / language), "--config", str(config_path(language)),
            "--toc", str(toc_path(language)), "--path-output", str(Path(work) / language), *BUILD_OPTIONS]


def build_site(site: Path, work: Path | None = None, echo: bool = False) -> dict[str, tuple[int, str]]:
    """Builds every language into SITE/LANG and writes SITE/index.html.

    Each build runs in WORK/LANG (default: SITE's parent/lang), keeping Sphinx's caches for the
    next build; its HTML is then copied into SITE/LANG. Returns {language: (exit code, output)}.
    With echo, each build's output is printed as it comes."""
    site = Path(site)
    work = Path(work) if work else site.parent / "lang"
    write_generated()
    results = {}
    for language in LANGUAGES:
        process = subprocess.Popen(build_command(language, work), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        lines = []
        for line in process.stdout:
            lines.append(line)
            if echo:
                print(line, end="", flush=True)
        results[language] = (process.wait(), "".join(lines))
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    for language in LANGUAGES:
        built = work / language / "_build" / "html"
        if built.is_dir():
            shutil.copytree(built, site / language)
    shutil.copyfile(ROOT_PAGE, site / "index.html")
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
