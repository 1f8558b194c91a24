"""Every chapter ends with exercises, each with a solution, the same in both languages.

What a chapter's notebook holds (MyST in markdown cells; sphinx-exercise renders it):
- an "## Exercises" / "## 연습문제" section with 4 to 6 exercises, each `:::{exercise} TITLE` with a
  `:label: ex-...` of its own, followed at once by its solution: `:::{solution} LABEL` (prose) or,
  for a solution that runs, `:::{solution-start} LABEL` ... code cells ... `:::{solution-end}`;
  every solution folded (`:class: dropdown`);
- at least one conceptual exercise (a solution in prose) and at least two hands-on ones (a
  solution with code), every hands-on solution ending with a `check(...)` of its answer, so that
  nbval and the seed study (tests/evidence/) hold it; one exercise uses another seed or split;
- "try this" lines (**Try this.** / **직접 해 보기.**) beside two or more experiments of the text, and
  at least one cross-reference from the text to an exercise ({numref}`ex-...`).
The two languages have the same exercises in the same order: the same labels, the same code
(tests/test_language_parity.py compares the code cell by cell) and the same checks.
"""

from __future__ import annotations

import copy
import re

import pytest

from dlbook.book import CHAPTERS, LANGUAGES
from dlbook.notebooks import in_exercises, read
from test_chapter_objectives import LESSONS

HEADING = {"en": "## Exercises", "ko": "## 연습문제"}
TRY_THIS = {"en": "**Try this.**", "ko": "**직접 해 보기.**"}
EXERCISE = re.compile(r"^:::\{exercise\}\s*(?P<title>.*)\n:label: (?P<label>\S+)", re.M)
SOLUTION = re.compile(r"^:::\{solution(?P<gated>-start)?\} (?P<label>\S+)\n(?P<options>(?::\w[\w-]*:.*\n)*)", re.M)
SOLUTION_END = re.compile(r"^:::\{solution-end\}", re.M)
NUMREF = re.compile(r"\{numref\}`(?:[^`<]*<)?(?P<label>ex-[^`>]+)>?`")
CHECK = re.compile(r"^check\(\"(?P<name>\w+)\"", re.M)
# another seed (SEED + 1, a loop over seeds) or new random splits of the data (a permutation, a hold-out split)
SEED_OR_SPLIT = re.compile(r"SEED \+|default_rng\(SEED|set_random_seed\(seed|holdout_score\(|rng\.permutation\(")

def exercises(nb, language: str) -> tuple[list[dict], list[str]]:
    """The chapter's exercises in order, each with its solution, and what is wrong with them."""
    cells = nb.cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith(HEADING[language])]
    if len(starts) != 1:
        return [], [f"{len(starts)} cells start with {HEADING[language]!r}, not one"]
    found, problems, open_solution = [], [], None
    for cell in cells[starts[0]:]:
        if cell.cell_type == "code":
            if open_solution is None:
                problems.append("a code cell in the exercises outside any solution")
            else:
                open_solution["code"].append(cell.source)
            continue
        events = sorted([(m.start(), "exercise", m) for m in EXERCISE.finditer(cell.source)]
                        + [(m.start(), "solution", m) for m in SOLUTION.finditer(cell.source)]
                        + [(m.start(), "end", m) for m in SOLUTION_END.finditer(cell.source)], key=lambda e: e[0])
        for _, kind, match in events:
            if kind == "exercise":
                if open_solution is not None:
                    problems.append(f"exercise {match['label']} starts inside the solution of {open_solution['label']}")
                found.append({"label": match["label"], "title": match["title"].strip(), "solution": None,
                              "code": [], "gated": False})
            elif kind == "solution":
                if not found or found[-1]["solution"] is not None or found[-1]["label"] != match["label"]:
                    problems.append(f"a solution of {match['label']} that does not follow its exercise at once")
                    continue
                found[-1]["solution"] = "dropdown" if ":class: dropdown" in match["options"] else "open"
                if match["gated"]:
                    found[-1]["gated"] = True
                    open_solution = found[-1]
            elif open_solution is None:
                problems.append("a solution-end without a solution-start")
            else:
                open_solution = None
    if open_solution is not None:
        problems.append(f"the solution of {open_solution['label']} has no solution-end")
    for exercise in found:
        if exercise["solution"] is None:
            problems.append(f"exercise {exercise['label']} has no solution")
        elif exercise["solution"] != "dropdown":
            problems.append(f"the solution of {exercise['label']} is not folded (:class: dropdown)")
        if exercise["gated"] and not exercise["code"]:
            problems.append(f"the solution of {exercise['label']} is gated but holds no code: use :::{{solution}}")
        if exercise["code"] and not CHECK.search(exercise["code"][-1]):
            problems.append(f"the solution of {exercise['label']} runs code but its last code cell checks nothing")
    return found, problems


def chapter_problems(nb, language: str) -> list[str]:
    found, problems = exercises(nb, language)
    if not 4 <= len(found) <= 6:
        problems.append(f"{len(found)} exercises: a chapter has 4 to 6")
    conceptual = [e for e in found if not e["code"]]
    hands_on = [e for e in found if e["code"]]
    if not conceptual:
        problems.append("no conceptual exercise (a solution in prose)")
    if len(hands_on) < 2:
        problems.append(f"{len(hands_on)} hands-on exercises (a solution with code): at least 2")
    if not any(SEED_OR_SPLIT.search("\n".join(e["code"])) for e in hands_on):
        problems.append("no exercise runs with another seed or split")
    labels = [e["label"] for e in found]
    if len(set(labels)) != len(labels):
        problems.append(f"repeated labels: {labels}")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown" and not c.source.startswith(HEADING[language]))
    before = "\n".join(c.source for c in nb.cells[:next((i for i, c in enumerate(nb.cells)
                                                          if c.source.startswith(HEADING[language])), 0)]
                       if c.cell_type == "markdown")
    if len(re.findall(re.escape(TRY_THIS[language]), text)) < 2:
        problems.append(f"fewer than 2 {TRY_THIS[language]} lines")
    if not {m["label"] for m in NUMREF.finditer(before)} & set(labels):
        problems.append("the text before the exercises refers to none of them ({numref}`ex-...`)")
    return problems


@pytest.fixture(params=LESSONS)
def chapter(request):
    return request.param


def test_every_chapter_ends_with_exercises_and_their_solutions(chapter):
    found = {}
    for language in LANGUAGES:
        problems = chapter_problems(read(CHAPTERS / language / f"{chapter}.ipynb"), language)
        if problems:
            found[language] = problems
    assert not found, f"{chapter}: {found}"


def test_both_languages_have_the_same_exercises(chapter):
    parsed = {}
    for language in LANGUAGES:
        nb = read(CHAPTERS / language / f"{chapter}.ipynb")
        found, _ = exercises(nb, language)
        parsed[language] = {"labels": [e["label"] for e in found],
                            "checks": [CHECK.findall("\n".join(e["code"])) for e in found],
                            "code cells": [len(e["code"]) for e in found],
                            "try this": sum(c.source.count(TRY_THIS[language]) for c in nb.cells if c.cell_type == "markdown")}
    assert parsed["ko"]["labels"], f"{chapter}: no exercises"
    for key in parsed["en"]:
        assert parsed["ko"][key] == parsed["en"][key], f"{chapter}: {key} differ: {parsed['ko'][key]} / {parsed['en'][key]}"


def test_the_rules_catch_a_broken_set_of_exercises():
    nb = read(CHAPTERS / "en" / f"{LESSONS[0]}.ipynb")
    assert not chapter_problems(nb, "en")
    # the first solution unfolded, the last code cell of every solution without its check
    broken = copy.deepcopy(nb)
    for cell in broken.cells:
        if cell.cell_type == "markdown" and ":class: dropdown" in cell.source:
            cell.source = cell.source.replace(":class: dropdown\n", "", 1)
            break
    for cell in broken.cells:
        if cell.cell_type == "code" and in_exercises(cell):
            cell.source = CHECK.sub("print(", cell.source)
    problems = " ".join(chapter_problems(broken, "en"))
    assert "not folded" in problems and "checks nothing" in problems, problems
    # without its exercises
    gone = copy.deepcopy(nb)
    gone.cells = [c for c in gone.cells if not in_exercises(c)]
    assert "0 cells start with" in " ".join(chapter_problems(gone, "en"))
