"""pytest plugin on top of nbval: a cell that declares a tolerance is compared within it.

nbval compares every output exactly (after its sanitizers). This plugin keeps that for every cell
without `tolerance` metadata, and for a cell with one re-judges a failed comparison line by line
with dlbook.compare: words exact, numbers within what the cell declares. Loaded by the pytest
configuration (`-p dlbook.nbval_tolerance`).
"""

from __future__ import annotations

from nbval.plugin import IPyNbCell, transform_streams_for_comparison

from dlbook.compare import NOT_COMPARED, Tolerance, compare_flat

_exact_compare = IPyNbCell.compare_outputs


def _flatten(cell: IPyNbCell, outputs, skip) -> dict[str, list]:
    flat: dict[str, list] = {}
    for output in transform_streams_for_comparison(outputs):
        for key, value in output.items():
            if key in skip:
                continue
            if key == "data":
                for mime, data in value.items():
                    if mime not in skip and mime not in NOT_COMPARED:
                        flat.setdefault(mime, []).append(cell.sanitize(data))
            else:
                flat.setdefault(key, []).append(cell.sanitize(value))
    flat.pop("output_type", None)
    return flat


def compare_outputs(self: IPyNbCell, test, ref, skip_compare=None):
    if _exact_compare(self, test, ref, skip_compare):
        return True
    tolerance = Tolerance.from_metadata(self.cell.get("metadata"))
    if tolerance is None:
        return False
    skip = skip_compare or self.parent.skip_compare
    problems = compare_flat(_flatten(self, ref, skip), _flatten(self, test, skip), tolerance)
    if not problems:
        self.comparison_traceback = []
        return True
    self.comparison_traceback = ["Outputs moved beyond the cell's declared tolerance "
                                 f"({tolerance.why}):", *problems]
    return False


IPyNbCell.compare_outputs = compare_outputs
