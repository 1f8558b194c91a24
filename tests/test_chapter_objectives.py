"""Every chapter opens with a "Before you start" block: learning objectives, prerequisites, time.

The block is one markdown cell tagged `objectives`, after the title and the introduction (before
the first code cell), an admonition holding, under its labels:
- 3 to 5 numbered learning objectives, each something the reader can do afterwards (exercises
  test them one by one), as many in Korean as in English;
- the prerequisites, a list, linking the same pages of this book in both languages;
- the time, whose numbers nobody types: the roles {chapter-time}`reading` and
  {chapter-time}`running` of tools/sphinx/chapter_time.py put in, at build time, the reading time
  counted from the page and the running time of `make benchmark` (benchmark/results.json).
The maintainers' objectives script writes the block. The last tests check the role's rules
without a build.
"""

from __future__ import annotations

import copy
import json
import re
import sys

import pytest

from dlbook.book import BENCHMARK, CHAPTER_PAGES, CHAPTERS, LANGUAGES, ROOT, page_file
from dlbook.notebooks import read

sys.path.insert(0, str(ROOT / "tools" / "sphinx"))
import chapter_time  # noqa: E402
import run_stamp  # noqa: E402

TAG = "objectives"
NOT_LESSONS = {"data"}  # what the chapters load: a page to consult, with nothing to learn to do
LESSONS = [name for name in CHAPTER_PAGES
           if name not in NOT_LESSONS and (page_file("en", name) or page_file("ko", name)).suffix == ".ipynb"]
LABELS = {
    "en": {"objectives": "**Learning objectives.**", "prerequisites": "**Prerequisites.**", "time": "**Time.**"},
    "ko": {"objectives": "**학습 목표**", "prerequisites": "**선수 지식**", "time": "**소요 시간**"},
}
TIME_ROLES = ("{chapter-time}`reading`", "{chapter-time}`running`")
LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")


def block_cells(nb) -> list[tuple[int, object]]:
    return [(i, cell) for i, cell in enumerate(nb.cells) if TAG in cell.get("metadata", {}).get("tags", [])]


def block_parts(source: str, language: str) -> dict:
    """The block's objectives, prerequisites and time line, read under its labels."""
    labels = LABELS[language]
    lines = source.splitlines()
    starts = {part: next((i for i, line in enumerate(lines) if line.startswith(label)), None)
              for part, label in labels.items()}
    parts = {"starts": starts}
    if None in starts.values() or not starts["objectives"] < starts["prerequisites"] < starts["time"]:
        return parts
    parts["objectives"] = [line for line in lines[starts["objectives"]:starts["prerequisites"]]
                           if re.match(r"\d+\. ", line)]
    parts["prerequisites"] = [line for line in lines[starts["prerequisites"]:starts["time"]] if line.startswith("- ")]
    parts["time"] = lines[starts["time"]]
    return parts


def block_problems(nb, language: str) -> list[str]:
    """What is missing or wrong in a notebook's block (nothing when it is complete)."""
    cells = block_cells(nb)
    if len(cells) != 1:
        return [f"{len(cells)} cells tagged {TAG!r}, not one: run the objectives script on this notebook"]
    index, cell = cells[0]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    problems = []
    if cell.cell_type != "markdown":
        problems.append(f"the cell tagged {TAG!r} is a {cell.cell_type} cell")
    if not 0 < index < first_code:
        problems.append(f"the block is cell {index}: it belongs after the title and introduction, "
                        f"before the first code cell (cell {first_code})")
    source = cell.source.strip()
    if not (source.startswith(":::{admonition}") and source.endswith(":::")):
        problems.append("the block is not one admonition (:::{admonition} ... :::)")
    parts = block_parts(source, language)
    missing = [LABELS[language][part] for part, start in parts["starts"].items() if start is None]
    if missing or "objectives" not in parts:
        return problems + [f"labels missing or out of order: {missing or list(LABELS[language].values())}"]
    numbers = [int(line.split(".")[0]) for line in parts["objectives"]]
    if not 3 <= len(numbers) <= 5:
        problems.append(f"{len(numbers)} learning objectives: a chapter has 3 to 5")
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(f"the objectives are numbered {numbers}")
    if not parts["prerequisites"]:
        problems.append("no prerequisites listed (a `- ` list under the label)")
    for target in LINK.findall("\n".join(parts["prerequisites"])):
        if not (CHAPTERS / language / target).exists():
            problems.append(f"a prerequisite links {target}, which is not a page of the {language} build")
    absent = [role for role in TIME_ROLES if role not in parts["time"]]
    if absent:
        problems.append(f"the time line lacks {absent}: the times come from the build, never typed")
    return problems


@pytest.mark.parametrize("name", LESSONS)
def test_every_chapter_opens_with_objectives_prerequisites_and_time(name):
    found = {}
    for language in LANGUAGES:
        problems = block_problems(read(CHAPTERS / language / f"{name}.ipynb"), language)
        if problems:
            found[language] = problems
    assert not found, (f"{name}: the 'Before you start' block: {found}. Write it with the objectives script "
                       "(python objectives.py chapters/ko/NAME.ipynb chapters/en/NAME.ipynb)")


@pytest.mark.parametrize("name", LESSONS)
def test_both_languages_have_the_same_objectives_and_prerequisites(name):
    parts = {}
    for language in LANGUAGES:
        cells = block_cells(read(CHAPTERS / language / f"{name}.ipynb"))
        if len(cells) != 1:
            pytest.fail(f"{name} ({language}): no block tagged {TAG!r} (the test above says more)")
        parts[language] = block_parts(cells[0][1].source, language)
    counts = {language: len(p.get("objectives", [])) for language, p in parts.items()}
    assert counts["ko"] == counts["en"], f"{name}: {counts} learning objectives: the same in both languages"
    links = {language: sorted(set(LINK.findall("\n".join(p.get("prerequisites", []))))) for language, p in parts.items()}
    assert links["ko"] == links["en"], f"{name}: the prerequisites link different pages: {links}"


def test_the_rule_catches_an_incomplete_block():
    name = LESSONS[0]
    language = "en"
    nb = read(CHAPTERS / language / f"{name}.ipynb")
    without = copy.deepcopy(nb)
    without.cells = [cell for cell in without.cells if TAG not in cell.get("metadata", {}).get("tags", [])]
    assert block_problems(without, language), "a notebook without the block passed"
    block = ("\n".join([":::{admonition} Before you start", "**Learning objectives.** After this chapter you can:", "",
                        "1. Do one thing.", "2. Do another.", "", "**Prerequisites.**", "",
                        "- [4.4](4-4-overfitting-underfitting.ipynb)", "", "**Time.** Reading: about 20 min.", ":::"]))
    cell = copy.deepcopy(without.cells[0])
    cell.source, cell.metadata = block, {"tags": [TAG]}
    short = copy.deepcopy(without)
    short.cells.insert(1, cell)
    problems = " ".join(block_problems(short, language))
    assert "2 learning objectives" in problems and "chapter-time" in problems, problems


# --- the time: tools/sphinx/chapter_time.py ------------------------------------------------------

def results_with(rows: dict[str, float], cores: int = 2) -> dict:
    return {"cpu": {"cores": cores}, "notebooks": [{"notebook": n, "seconds": s, "peak_mb": 1} for n, s in rows.items()]}


def test_running_time_is_the_benchmarks_and_says_where_it_was_measured():
    results = results_with({"chapters/ko/x.ipynb": 522.4, "chapters/en/short.ipynb": 21.8})
    assert chapter_time.running_text(results, "ko", "x") == "약 9분(CPU 코어 2개)"
    english = chapter_time.running_text(results, "en", "x")
    assert english.startswith("about 9 min (2 CPU cores; ") and run_stamp.TEXT["en"]["other"] in english
    assert chapter_time.running_text(results, "en", "short") == "under a minute (2 CPU cores)"
    assert run_stamp.TEXT["ko"]["other"] in chapter_time.running_text(results, "ko", "short")
    assert chapter_time.running_text(results, "en", "absent") == chapter_time.TEXT["en"]["not measured"]


def test_every_chapter_has_a_running_time_to_show():
    results = json.loads((BENCHMARK / "results.json").read_text(encoding="utf-8"))
    unmeasured = [f"{language}/{name}" for name in LESSONS for language in LANGUAGES
                  if run_stamp.benchmark_row(results, language, name)[0] is None]
    assert not unmeasured, f"no benchmark row in either language (run make benchmark NB=...): {unmeasured}"


def test_the_reading_rule_counts_prose_code_and_figures():
    from docutils import nodes
    from docutils.utils import new_document

    doc = new_document("page")
    doc += nodes.paragraph(text="Eight words of prose, and one more: 0.25 과대적합은")  # 8 words, 5 syllables
    visible = nodes.container(nb_element="cell_code", cell_metadata={})
    visible += nodes.container("", nodes.literal_block(text="a = 1\n\nb = 2\n"), classes=["cell_input"])
    visible += nodes.container("", nodes.image(uri="x.png"), nodes.literal_block(text="done 3"), classes=["cell_output"])
    folded = nodes.container(nb_element="cell_code", cell_metadata={"tags": ["hide-input"]})
    folded += nodes.container("", nodes.literal_block(text="import os\n"), classes=["cell_input"])
    doc += [visible, folded]
    amounts = chapter_time.page_amounts(doc)
    assert (amounts.words, amounts.hangul, amounts.code_lines, amounts.figures) == (8 + 2, 5, 2, 1)
    expected = (10 / chapter_time.READING_WORDS_PER_MINUTE + 5 / chapter_time.READING_HANGUL_PER_MINUTE
                + 2 / chapter_time.CODE_LINES_PER_MINUTE + chapter_time.SECONDS_PER_FIGURE / 60)
    assert amounts.minutes() == pytest.approx(expected)
    assert [chapter_time.rounded_minutes(m) for m in (0.2, 4.4, 9.6, 33, 47.6)] == [1, 4, 10, 35, 50]


def notebook_amounts(path) -> chapter_time.Amounts:
    """The reading rule applied to a notebook's source (the build applies it to the rendered page)."""
    amounts = chapter_time.Amounts()
    for cell in read(path).cells:
        if cell.cell_type == "markdown":
            amounts.add_prose(cell.source)
            continue
        if not set(cell.metadata.get("tags", [])) & chapter_time.HIDDEN_INPUT:
            amounts.add_code(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data:
                amounts.figures += 1
            else:
                amounts.add_prose(output.get("text", "") or data.get("text/plain", ""))
    return amounts


@pytest.mark.parametrize("name", LESSONS)
def test_the_reading_rates_give_both_languages_the_same_time(name):
    """The Korean rate (Hangul syllables a minute) is the English one (words a minute) for the same
    content, so a chapter, which says the same in both languages, takes about as long to read in
    either (within 3 % of each other on the built pages when the rates were set; a rate far off would
    break that)."""
    minutes = {language: notebook_amounts(CHAPTERS / language / f"{name}.ipynb").minutes() for language in LANGUAGES}
    assert abs(minutes["ko"] - minutes["en"]) <= 0.15 * minutes["en"], (
        f"{name}: reading {minutes['ko']:.1f} min in Korean, {minutes['en']:.1f} in English: check the rates in "
        "tools/sphinx/chapter_time.py, or whether one language's page says more than the other's")
