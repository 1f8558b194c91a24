"""Did a run reproduce the book? Compares an executed notebook with the stored one, as the tests do.

    make compare REF=chapters/en/5-3-improving-fit.ipynb RUN=my-run.ipynb

Every code cell's outputs are compared the way the test suite compares them (tools/dlbook/compare.py):
words and numbers that do not depend on the hardware exactly, numbers that do within the tolerance
the stored notebook declares for that cell. Text on stderr (warnings a reader's kernel may show) is
not compared. Exit code 0 when the outputs hold; otherwise one line per differing cell saying what
moved and by how much, and exit code 1.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.compare import Tolerance, compare_flat, flatten_outputs  # noqa: E402
from dlbook.notebooks import read, sanitizer  # noqa: E402


def compare_notebooks(reference: Path, run: Path) -> tuple[list[str], list[str]]:
    """(differences, notes), one line each."""
    stored, executed = read(reference), read(run)
    cells_a = [c for c in stored.cells if c.cell_type == "code"]
    cells_b = [c for c in executed.cells if c.cell_type == "code"]
    if len(cells_a) != len(cells_b):
        return [f"{reference} has {len(cells_a)} code cells, {run} has {len(cells_b)}"], []
    sanitize = sanitizer()
    differences, notes = [], []
    for index, (a, b) in enumerate(zip(cells_a, cells_b)):
        if a.source.strip() != b.source.strip():
            notes.append(f"code cell {index}: its code differs from the stored notebook's")
        flat_a, flat_b = flatten_outputs(a.outputs, sanitize), flatten_outputs(b.outputs, sanitize)
        if flat_b.pop("stderr", None):
            notes.append(f"code cell {index}: printed on stderr (not compared)")
        flat_a.pop("stderr", None)
        problems = compare_flat(flat_a, flat_b, Tolerance.from_metadata(a.metadata))
        if problems:
            first = a.source.strip().splitlines()[0][:60] if a.source.strip() else ""
            differences.append(f"code cell {index} ({first}): " + " | ".join(problems))
    return differences, notes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="the stored notebook (the book's)")
    parser.add_argument("run", type=Path, help="your executed copy")
    args = parser.parse_args(argv)
    differences, notes = compare_notebooks(args.reference, args.run)
    for line in notes:
        print("note:", line)
    for line in differences:
        print(line)
    if differences:
        print(f"{len(differences)} cell(s) differ beyond their tolerance: {args.run} does not reproduce "
              f"{args.reference}")
        return 1
    print(f"the outputs hold: {args.run} reproduces {args.reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
