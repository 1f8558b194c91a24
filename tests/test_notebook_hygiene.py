"""Stored notebooks are clean, recorded in one run, and follow the book's conventions.

A failure here means a notebook was stored in a state a reader should not see: re-record it with
`make record NB=<path>` after fixing the cause named in the message.
"""

from __future__ import annotations

import ast
import base64
import re

import pytest

from dlbook.book import notebook_paths
from dlbook.notebooks import code_cells, ids, read

NOTEBOOKS = notebook_paths()
MAX_PNG_BYTES = 100 * 1024
WARNING_TEXT = re.compile(r"\b\w*Warning\b|\bWARNING\b|DeprecationWarning|FutureWarning")


@pytest.fixture(params=NOTEBOOKS, ids=ids(NOTEBOOKS))
def nb(request):
    return read(request.param)


def test_every_code_cell_executed_once_in_order(nb):
    counts = [cell.get("execution_count") for cell in code_cells(nb)]
    assert None not in counts, "some code cells were never executed: re-record the notebook"
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts} are not 1..n: the notebook was not recorded in one fresh run")


def test_no_errors_stderr_or_warnings_in_outputs(nb):
    for index, cell in enumerate(code_cells(nb)):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", f"code cell {index} stored an error"
            assert output.get("name") != "stderr", (
                f"code cell {index} stored stderr: {output.get('text', '')[:200]!r}; fix its cause")
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            match = WARNING_TEXT.search(text)
            assert not match, f"code cell {index} shows a warning ({match.group(0)}); fix its cause"


def test_printed_text_stored_as_one_stream_per_run_of_prints(nb):
    """A cell's consecutive prints are one output (dlbook.execute.merge_adjacent_streams), however the
    kernel happened to flush them: else the same text is stored differently from run to run."""
    for index, cell in enumerate(code_cells(nb)):
        outputs = cell.get("outputs", [])
        for before, after in zip(outputs, outputs[1:]):
            assert not (before.get("output_type") == after.get("output_type") == "stream"
                        and before.get("name") == after.get("name")), (
                f"code cell {index} stores its printed text in pieces: re-record with make record")


def test_parameters_cell_comes_first_and_only_sets_the_seed(nb):
    first = code_cells(nb)[0]
    assert "parameters" in first.metadata.get("tags", []), (
        "the first code cell must be tagged `parameters` (papermill injects seeds after it)")
    statements = [line for line in first.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert statements and all(re.match(r"^SEED\s*=\s*\d+\s*(#.*)?$", s) for s in statements), (
        f"the parameters cell should only assign an integer SEED, not {first.source!r}")


def test_standard_setup_cell(nb):
    source = code_cells(nb)[1].source
    log_level = source.find('os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"')
    assert log_level >= 0, "the setup cell must set TF_CPP_MIN_LOG_LEVEL to '3'"
    first_import = min(i for i in (source.find("import keras"), source.find("import tensorflow")) if i >= 0)
    assert log_level < first_import, "TF_CPP_MIN_LOG_LEVEL must be set before TensorFlow is imported"
    assert "keras.utils.set_random_seed(SEED)" in source, "the setup cell must seed with SEED"
    assert "tf.config.experimental.enable_op_determinism()" in source, "the setup cell must turn on op determinism"
    assert re.search(r"^def check\(name, value, op, threshold, claim\):", source, re.M), (
        "the setup cell must define the check helper")
    assert "hide-input" in code_cells(nb)[1].metadata.get("tags", []), (
        "tag the setup cell `hide-input`: the site folds it so that a chapter opens on its subject")


def test_every_figure_has_alt_text(nb):
    """myst-nb puts a cell's `mystnb.image.alt` on its images: words in the page's language saying
    what the figure shows (tests/test_book_build.py checks the built pages)."""
    for index, cell in enumerate(code_cells(nb)):
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", [])):
            alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt.split()) >= 5, f"code cell {index} has a figure without alt text (mystnb.image.alt)"


def test_no_other_cell_reseeds(nb):
    for index, cell in enumerate(code_cells(nb)[2:], start=2):
        assert not re.search(r"set_random_seed\(\s*\d", cell.source), (
            f"code cell {index} seeds with a literal; derive every seed from SEED")


def test_figures_are_small_and_end_with_show(nb):
    for index, cell in enumerate(code_cells(nb)):
        images = [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        for image in images:
            size = len(base64.b64decode(image))
            assert size <= MAX_PNG_BYTES, f"code cell {index}: a figure of {size // 1024} KB (keep it <= 100 KB)"
        if images:
            last_line = [line for line in cell.source.splitlines() if line.strip()][-1]
            plotters = plotting_functions(nb)
            through_plotter = "plt." not in cell.source and any(
                re.search(rf"\b{name}\(", cell.source) for name in plotters)
            assert last_line.strip() == "plt.show()" or through_plotter, (
                f"code cell {index} draws a figure; end it with plt.show() (or draw it with a function "
                f"of the notebook that ends with plt.show(): {sorted(plotters)})")


def plotting_functions(nb) -> set[str]:
    """Functions defined in the notebook whose last statement is plt.show()."""
    names = set()
    for cell in code_cells(nb):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:  # IPython syntax (%pip) in the setup cell
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and ast.unparse(node.body[-1]) == "plt.show()":
                names.add(node.name)
    return names


def test_outputs_hold_no_machine_paths(nb):
    for index, cell in enumerate(code_cells(nb)):
        for output in cell.get("outputs", []):
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            assert not re.search(r"/(work|root|home|tmp)/", text), (
                f"code cell {index} prints a path of this machine; print something a reader can reproduce")


def test_one_title_first(nb):
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        "a notebook opens with a markdown cell whose first line is its title (# ...)")
    titles = [line for cell in nb.cells if cell.cell_type == "markdown"
              for line in cell.source.splitlines() if line.startswith("# ")]
    assert len(titles) == 1, f"one title per notebook, found {titles}"


def test_kernel_is_python3(nb):
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
