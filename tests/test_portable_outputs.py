"""Portable verification: outputs compared exactly, except numbers a cell declares hardware-dependent.

The comparison itself (tools/dlbook/compare.py), the nbval plugin that applies it to the suite
(tools/dlbook/nbval_tolerance.py), the declared tolerances against what was measured across CPUs
and seeds (tests/evidence/cross-cpu.json), and the English chapters executed on an AMD CPU
(../shared/cross-cpu/amd-epyc) against the stored ones.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from dlbook.book import CHAPTERS, ROOT, notebook_paths
from dlbook.notebooks import code_cells, read, same_code

from compare_outputs import compare_notebooks  # noqa: E402
from dlbook.compare import (CHECK_LINE, Spec, Tolerance, ToleranceError, compare_text,  # noqa: E402
                            split_numbers)

pytest_plugins = ["pytester"]

MEASUREMENTS = ROOT / "tests" / "evidence" / "cross-cpu.json"
AMD = ROOT.parent / "shared" / "cross-cpu" / "amd-epyc"


def tolerance(*lines, claims=None):
    declared = {"why": "test", "lines": list(lines)}
    if claims:
        declared["claims"] = claims
    return Tolerance.from_metadata({"tolerance": declared})


# --- the comparison ------------------------------------------------------------------------------

def test_numbers_are_split_from_words():
    texts, numbers = split_numbers("original 16-16-1: best epoch 3, loss 2.47e-02 (L1, -0.5)")
    assert [n[0] for n in numbers] == ["16", "16", "1", "3", "2.47e-02", "-0.5"]
    assert texts[0] == "original " and "L1" in texts[-2]


@pytest.mark.parametrize("run, holds", [("loss 0.5049 at epoch 3\n", True), ("loss 0.4951 at epoch 3\n", True),
                                        ("loss 0.5051 at epoch 3\n", False), ("loss 0.4949 at epoch 3\n", False)])
def test_a_number_within_its_tolerance_holds_and_just_outside_fails(run, holds):
    declared = tolerance("loss {±0.005} at epoch {=}")
    assert (compare_text("loss 0.5000 at epoch 3\n", run, declared) == []) is holds


def test_relative_tolerance():
    declared = tolerance("final training loss {10%}")
    assert compare_text("final training loss 2.00e-04", "final training loss 2.19e-04", declared) == []
    assert compare_text("final training loss 2.00e-04", "final training loss 2.21e-04", declared) != []


def test_an_exact_number_in_a_tolerant_line_must_not_move():
    declared = tolerance("loss {±0.005} at epoch {=}")
    assert compare_text("loss 0.5000 at epoch 3", "loss 0.5000 at epoch 4", declared) != []


def test_numbers_written_in_the_template_are_exact():
    declared = tolerance("model 16-16-1: loss {±0.5}")
    assert compare_text("model 16-16-1: loss 0.50", "model 16-16-2: loss 0.50", declared) != []


def test_a_changed_word_fails_even_within_tolerance():
    declared = tolerance("loss {±0.005} at epoch {=}")
    assert compare_text("loss 0.5000 at epoch 3", "lost 0.5000 at epoch 3", declared) != []


def test_a_cell_without_tolerance_compares_exactly():
    assert compare_text("loss 0.5000", "loss 0.5001", None) != []
    assert compare_text("loss 0.5000", "loss 0.5000", None) == []


def test_a_line_no_template_matches_compares_exactly():
    declared = tolerance("loss {±0.005}")
    assert compare_text("loss 0.5000\naccuracy 0.9\n", "loss 0.5001\naccuracy 0.91\n", declared) != []
    assert compare_text("loss 0.5000\naccuracy 0.9\n", "loss 0.5001\naccuracy 0.9\n", declared) == []


def test_a_wider_number_may_shift_the_columns():
    declared = tolerance("   {=}   {±1}   {±1}")
    assert compare_text("   9   9.5   1.0", "   9   10.4   1.0", declared) == []


def test_check_line_value_has_the_tolerance_the_rest_is_exact():
    stored = "✓ [gap] 0.0217 > 0.01 — the gap is over 1 point"
    declared = tolerance("✓ [gap] {±0.003} > {±1} — the gap is over {±1} point")
    assert compare_text(stored, "✓ [gap] 0.0231 > 0.01 — the gap is over 1 point", declared) == []
    assert compare_text(stored, "✓ [gap] 0.0231 > 0.02 — the gap is over 1 point", declared) != []  # threshold
    assert compare_text(stored, "✓ [gap] 0.0231 > 0.01 — the gap is over 2 point", declared) != []  # claim
    assert compare_text(stored, "✓ [gap] 0.0231 >= 0.01 — the gap is over 1 point", declared) != []  # operator
    assert compare_text(stored, "✓ [gip] 0.0231 > 0.01 — the gap is over 1 point", declared) != []  # name


def test_uncompared_numbers_need_claims():
    with pytest.raises(ToleranceError):
        tolerance("accuracy {*} %")
    declared = tolerance("accuracy {*} %", claims=["high_lr_stalls"])
    assert compare_text("accuracy 30.1 %", "accuracy 35.8 %", declared) == []
    assert compare_text("accuracy 30.1 %", "accurate 35.8 %", declared) != []


def test_a_tolerance_needs_a_reason_and_known_placeholders():
    with pytest.raises(ToleranceError):
        Tolerance.from_metadata({"tolerance": {"lines": ["loss {±0.1}"]}})
    with pytest.raises(ToleranceError):
        tolerance("loss {about 0.1}")
    assert str(Spec.parse("5%")) == "±5 %" and Spec.parse("±0.01").allowed(3.0) == 0.01


def test_a_different_number_of_lines_fails():
    assert compare_text("a 1\nb 2\n", "a 1\n", tolerance("a {±1}")) != []


# --- the plugin inside nbval: a deliberately changed result fails the suite ----------------------

def _cell(source, stored_text, declared=None):
    cell = nbformat.v4.new_code_cell(source, execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_text)]
    if declared:
        cell.metadata["tolerance"] = declared
    return cell


def test_nbval_with_the_plugin_fails_exactly_the_moved_cells(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tools"))
    why = {"why": "test"}
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        _cell('print("val loss 0.5000 after 20 epochs")', "val loss 0.5030 after 20 epochs\n",
              {**why, "lines": ["val loss {±0.005} after 20 epochs"]}),          # 0: within: passes
        _cell('print("val loss 0.5000 after 20 epochs")', "val loss 0.5051 after 20 epochs\n",
              {**why, "lines": ["val loss {±0.005} after 20 epochs"]}),          # 1: just outside: fails
        _cell('print("val loss 0.5000 after 20 epochs")', "validation loss 0.5000 after 20 epochs\n",
              {**why, "lines": ["validation loss {±0.005} after 20 epochs"]}),   # 2: a changed word: fails
        _cell('print("val loss 0.5000 after 20 epochs")', "val loss 0.5001 after 20 epochs\n"),  # 3: exact: fails
        _cell('print("✓ [gap] 0.0231 > 0.01 — over 1 point")', "✓ [gap] 0.0217 > 0.02 — over 1 point\n",
              {**why, "lines": ["✓ [gap] {±0.003} > {±0.5} — over 1 point"]}),  # 4: threshold moved: fails
        _cell('print("val loss 0.5000 after 20 epochs")', "val loss 0.5000 after 20 epochs\n"),  # 5: same: passes
    ]
    nbformat.write(nb, pytester.path / "moved.ipynb")
    result = pytester.runpytest_subprocess("--nbval", "--nbval-current-env", "-p", "dlbook.nbval_tolerance",
                                           "-v", "-p", "no:cacheprovider", "moved.ipynb")
    outcomes = dict(re.findall(r"::Cell (\d+) (PASSED|FAILED)", result.stdout.str()))
    assert outcomes == {"0": "PASSED", "1": "FAILED", "2": "FAILED", "3": "FAILED", "4": "FAILED", "5": "PASSED"}, \
        result.stdout.str()[-3000:]
    assert "allowed ±0.005" in result.stdout.str()


# --- the book's declared tolerances --------------------------------------------------------------

NOTEBOOKS = notebook_paths()


def _declared(path):
    return [(i, cell) for i, cell in enumerate(code_cells(read(path))) if "tolerance" in cell.metadata]


def _output_lines(cell) -> list[str]:
    lines = []
    for output in cell.outputs:
        if "text" in output:
            lines += output["text"].split("\n")
        for value in output.get("data", {}).values():
            if isinstance(value, str):
                lines += value.split("\n")
    return lines


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[str(p.relative_to(CHAPTERS)) for p in NOTEBOOKS])
def test_every_declared_template_matches_a_stored_line(path):
    """No stale tolerance: each template stands for a line the cell prints, and names real checks."""
    checks = {m["name"] for cell in code_cells(read(path)) for line in _output_lines(cell)
              for m in [CHECK_LINE.match(line)] if m}
    for index, cell in _declared(path):
        declared = Tolerance.from_metadata(cell.metadata)
        text = "\n".join(_output_lines(cell))
        unmatched = {t for t, _, _ in declared.templates} - declared.matched_templates(text)
        assert not unmatched, f"code cell {index}: templates that match no stored line: {unmatched}"
        assert set(declared.claims) <= checks, f"code cell {index}: claims name unknown checks"


@pytest.mark.parametrize("name", sorted({p.name for p in NOTEBOOKS}))
def test_both_languages_declare_tolerance_on_the_same_cells(name):
    ko, en = CHAPTERS / "ko" / name, CHAPTERS / "en" / name
    per_cell = [[len(Tolerance.from_metadata(c.metadata).templates) for _, c in _declared(p)] for p in (ko, en)]
    assert [i for i, _ in _declared(ko)] == [i for i, _ in _declared(en)]
    assert per_cell[0] == per_cell[1]


def _measured():
    return json.loads(MEASUREMENTS.read_text())["notebooks"]


def test_declared_tolerances_cover_what_moved_and_stay_inside_the_seed_spread():
    """Each number: at least as wide as the largest move across CPUs and kernels, never wider than
    the largest move another seed makes (so a real change still fails)."""
    from calibrate_tolerance import check_seed_values
    problems = []
    for notebook, cells in _measured().items():
        seeds = check_seed_values(notebook)
        code = code_cells(read(CHAPTERS / "en" / f"{notebook}.ipynb"))
        for index, entries in cells.items():
            declared = Tolerance.from_metadata(code[int(index)].metadata)
            for entry in entries:
                specs = declared.specs_for(entry["text"]) if declared else None
                if specs is None:
                    specs = [Spec("=")] * len(entry["stored"])
                check = CHECK_LINE.match(entry["text"])
                _, numbers = split_numbers(entry["text"])
                for position, (spec, stored) in enumerate(zip(specs, entry["stored"])):
                    x = float(stored)
                    moves = [abs(float(v[position]) - x) for v in entry["configurations"].values()
                             if isinstance(v, list)]
                    seed_values = [float(v[position]) for v in entry["seeds"].values()]
                    if check and numbers[position].start() == check.start("value"):
                        seed_values += seeds.get(check["name"], [])
                    spread = max((abs(v - x) for v in seed_values), default=float("inf"))
                    allowed = spec.allowed(x)
                    where = f"{notebook} code cell {index}: {entry['text'].strip()[:70]!r} number {position}"
                    if max(moves, default=0) > allowed * (1 + 1e-9):
                        problems.append(f"{where}: moved {max(moves):.3g}, declared {spec}")
                    if spec.kind != "*" and allowed > spread * (1 + 1e-9):
                        problems.append(f"{where}: declared {spec}, wider than the seed spread {spread:.3g}")
    assert not problems, "\n".join(problems)


AMD_NOTEBOOKS = sorted(AMD.glob("*.ipynb")) if AMD.is_dir() else []


@pytest.mark.skipif(not AMD_NOTEBOOKS, reason="../shared/cross-cpu/amd-epyc not beside the repository")
@pytest.mark.parametrize("path", AMD_NOTEBOOKS, ids=[p.stem for p in AMD_NOTEBOOKS])
def test_the_chapters_executed_on_an_amd_cpu_hold(path):
    """What `make compare` says of the AMD EPYC runs: every English chapter reproduces the book."""
    if not same_code(read(path), read(CHAPTERS / "en" / path.name)):
        pytest.skip("the AMD copy was executed from an older version of this chapter's code")
    differences, _ = compare_notebooks(CHAPTERS / "en" / path.name, path)
    assert not differences, "\n".join(differences)
