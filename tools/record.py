"""Record notebooks: execute each one in place, in a fresh kernel, the way the tests execute it.

    make record NB="chapters/ko/data.ipynb chapters/en/data.ipynb"

Uses the kernel environment of the tests (dlbook.execute): the offline data mirror, the project's
kernel settings, a fixed PYTHONHASHSEED. A notebook is written back only when it ran without an
error and without any stderr output, so what is stored is always clean. Prints each notebook's
wall time and the kernel's peak resident memory, and with `--json` one JSON line per notebook.

With `--out FOLDER` the executed copies go to FOLDER under the same file names and the stored
notebooks are left alone; `--seed N` runs with another SEED. Both are how the cross-CPU
measurements of tools/calibrate_tolerance.py are made, e.g. under other TensorFlow kernels:
    TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python tools/record.py --out /tmp/onednn0 chapters/en/*.ipynb
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import relative  # noqa: E402
from dlbook.execute import apply_kernel_environment, problems, run_notebook  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="write executed copies here instead of in place")
    parser.add_argument("--seed", type=int, help="run with this SEED instead of the stored one")
    parser.add_argument("--json", action="store_true", help="also print one JSON line per notebook")
    args = parser.parse_args(argv)
    apply_kernel_environment()
    failed = 0
    for path in args.notebooks:
        print(f"recording {path} ...", flush=True)
        try:
            run = run_notebook(path, {"SEED": args.seed} if args.seed is not None else None)
        except Exception as e:  # the cell's error is in the message nbclient raises
            print(f"FAILED {path}: {e}", file=sys.stderr)
            failed += 1
            continue
        found = problems(run.nb)
        if found:
            print(f"NOT WRITTEN {path}: outputs on stderr (fix their cause):", file=sys.stderr)
            for problem in found:
                print("   ", problem, file=sys.stderr)
            failed += 1
            continue
        target = path if args.out is None else args.out / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(run.nb, target)
        print(f"recorded {target}: {run.seconds:.1f} s, peak {run.peak_bytes / 2**20:.0f} MB", flush=True)
        if args.json:
            print(json.dumps({"notebook": relative(path), "seconds": round(run.seconds, 1),
                              "peak_mb": round(run.peak_bytes / 2**20)}), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
