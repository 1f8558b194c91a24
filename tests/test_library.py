"""Unit tests of the book's machinery (tools/dlbook): pages, check lines, parameters, lanes."""

from __future__ import annotations

import sys

import nbformat
import pytest

from dlbook import book, checks, lanes
from dlbook.execute import kernel_environment


def test_pages_are_named_once_and_sections_come_from_them():
    assert len(set(book.BOOK_ORDER)) == len(book.BOOK_ORDER)
    assert book.SECTION_NUMBERS == {"4.4", "5.1", "5.2", "5.3", "5.4", "5.5"}
    assert set(book.CHAPTER_PAGES) < set(book.BOOK_ORDER) and "evidence" not in book.CHAPTER_PAGES
    # the learner's chapters first, then the pages about the book (their own part of the TOC)
    assert book.BOOK_ORDER == book.CHAPTER_PAGES + book.ABOUT_PAGES


def test_counterpart_pairs_the_languages():
    ko = book.CHAPTERS / "ko" / "5-2-evaluation.ipynb"
    assert book.counterpart(ko) == book.CHAPTERS / "en" / "5-2-evaluation.ipynb"
    assert book.counterpart(book.counterpart(ko)) == ko
    assert book.language_of(ko) == "ko"


def test_a_check_line_round_trips():
    check = checks.Check("gap", 0.0217167, ">", 0.01, "the gap is over 1 point", True)
    parsed = checks.parse_line(check.line())
    assert parsed == checks.Check("gap", 0.0217167, ">", 0.01, "the gap is over 1 point", True)
    assert checks.parse_line("[gap] 0.02 > 0.01 — no tick") is None
    assert checks.parse_line("✓ [gap] 0.02 => 0.01 — bad operator") is None


def _executed(text, error=None):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('check("a", 1, "<", 2, "x")')
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    if error:
        cell.outputs.append(nbformat.v4.new_output("error", ename="AssertionError", evalue=error, traceback=[]))
    nb.cells = [cell]
    return nb


def test_checks_are_read_from_outputs_held_and_failed():
    nb = _executed("some text\n✓ [a] 1 < 2 — x\nmore\n", error="Check failed [b] 3 < 2: y is small")
    found = checks.checks_in_outputs(nb)
    assert [(c.name, c.value, c.passed) for c in found] == [("a", 1.0, True), ("b", 3.0, False)]
    assert found[1].claim == "y is small"
    assert checks.check_names(nb) == ["a"]


def test_seed_is_read_and_injected_in_the_parameters_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("SEED = 42  # change only this", metadata={"tags": ["parameters"]})]
    assert checks.recorded_seed(nb) == 42
    checks.inject_parameters(nb, {"SEED": 7})
    assert checks.recorded_seed(nb) == 7
    nb.cells[0].metadata["tags"] = []
    with pytest.raises(StopIteration):
        checks.recorded_seed(nb)


def test_lane_plan_splits_the_languages_in_opposite_orders():
    plan = lanes.lane_plan()
    assert set(plan) == {"ko", "en"}
    assert plan["ko"] == sorted(plan["ko"]) and plan["en"] == sorted(plan["en"], reverse=True)
    assert {p.name for p in plan["ko"]} == {p.name for p in plan["en"]}


def test_lanes_run_at_once_and_label_their_lines(capsys):
    code = "import sys, time; print('start', flush=True); time.sleep(1); print('end'); sys.exit({})"
    results = lanes.run_in_lanes({"a": [sys.executable, "-c", code.format(0)],
                                  "b": [sys.executable, "-c", code.format(3)]})
    assert results["a"].code == 0 and results["b"].code == 3
    assert results["a"].lines == ["start", "end"]
    assert max(r.seconds for r in results.values()) < 1.9  # at once: one after the other would take 2 s
    out = capsys.readouterr().out
    assert "[a] start" in out and "[b] end" in out


def test_kernel_environment_points_at_the_project_profile(monkeypatch, tmp_path):
    monkeypatch.setenv("DLBOOK_DATA_DIR", str(tmp_path))
    env = kernel_environment()
    assert env["IPYTHONDIR"].endswith("data/ipython") and env["PYTHONHASHSEED"] == "0"
    assert env["DLBOOK_DATA_DIR"] == str(tmp_path)
