"""Seed study: run a notebook with other seeds and record what every check measured.

    make seeds NB=chapters/en/5-3-improving-fit.ipynb SEEDS="1 2 3 4 5"

Each run executes the notebook in a fresh kernel (the tests' kernel environment, dlbook.execute)
with `SEED` replaced in its `parameters` cell, the way papermill injects parameters. Execution goes
on past a failed check, so one failure does not hide the checks after it. Every check line
(dlbook.checks) is collected into tests/evidence/<notebook name>.json, which the test suite reads
(every check in a notebook must have evidence, and every recorded value must have passed). Runs for
seeds already in the file are replaced; other seeds are kept. The notebook itself is never written;
`--keep FOLDER` saves each executed copy as FOLDER/seed<N>/<notebook> (for tools/calibrate_tolerance.py).

When only a threshold changed (the measured values stand), `--rethreshold` takes the thresholds
from the recorded notebook's check lines and re-judges every stored value against them, without
executing anything:  python tools/seed_study.py chapters/en/X.ipynb --rethreshold
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import EVIDENCE, ROOT  # noqa: E402
from dlbook.checks import OPS, checks_in_outputs  # noqa: E402
from dlbook.execute import apply_kernel_environment, run_notebook  # noqa: E402


def run_seed(path: Path, seed: int, keep: Path | None = None) -> dict:
    run = run_notebook(path, {"SEED": seed}, allow_errors=True)
    if keep:
        (keep / f"seed{seed}").mkdir(parents=True, exist_ok=True)
        nbformat.write(run.nb, keep / f"seed{seed}" / path.name)
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for c in run.nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error" and o.get("ename") != "AssertionError"]
    return {"seed": seed, "seconds": round(run.seconds, 1), "peak_mb": round(run.peak_bytes / 2**20),
            "checks": [c.as_evidence() for c in checks_in_outputs(run.nb)], "errors": errors}


def evidence_path(path: Path) -> Path:
    return EVIDENCE / f"{path.stem}.json"


def rethreshold(path: Path) -> int:
    """Stored values judged again against the thresholds the recorded notebook prints."""
    recorded = {c.name: c for c in checks_in_outputs(nbformat.read(path, as_version=4)) if c.passed}
    out = evidence_path(path)
    evidence = json.loads(out.read_text())
    failures = 0
    for run in evidence["runs"]:
        for check in run["checks"]:
            new = recorded.get(check["name"])
            if new is None:
                raise SystemExit(f"{check['name']}: not printed by the recorded {path}; re-record it first")
            check["op"], check["threshold"] = new.op, new.threshold
            check["passed"] = OPS[check["op"]](check["value"], check["threshold"])
            failures += not check["passed"]
            print(f"  seed {run['seed']}: {'ok  ' if check['passed'] else 'FAIL'} {check['name']}: "
                  f"{check['value']:.6g} {check['op']} {check['threshold']:.6g}")
    out.write_text(json.dumps(evidence, indent=1, ensure_ascii=False) + "\n")
    print(f"evidence re-judged in {out.relative_to(ROOT)}")
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+")
    parser.add_argument("--keep", type=Path, help="save each executed copy under this folder")
    parser.add_argument("--rethreshold", action="store_true",
                        help="re-judge stored values against the recorded notebook's thresholds")
    args = parser.parse_args(argv)
    if args.rethreshold:
        return rethreshold(args.notebook)
    if not args.seeds:
        parser.error("give --seeds or --rethreshold")
    apply_kernel_environment()
    out = evidence_path(args.notebook)
    evidence = json.loads(out.read_text()) if out.exists() else {"notebook": args.notebook.stem, "runs": []}
    evidence["executed"] = str(args.notebook)
    failures = 0
    for seed in args.seeds:
        print(f"{args.notebook} with SEED={seed} ...", flush=True)
        run = run_seed(args.notebook, seed, args.keep)
        evidence["runs"] = [r for r in evidence["runs"] if r["seed"] != seed] + [run]
        evidence["runs"].sort(key=lambda r: r["seed"])
        EVIDENCE.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(evidence, indent=1, ensure_ascii=False) + "\n")
        for check in run["checks"]:
            mark = "ok  " if check["passed"] else "FAIL"
            print(f"  {mark} {check['name']}: {check['value']:.6g} {check['op']} {check['threshold']:.6g}")
            failures += not check["passed"]
        for error in run["errors"]:
            print(f"  ERROR {error}")
            failures += 1
        print(f"  {run['seconds']} s, peak {run['peak_mb']} MB", flush=True)
    print(f"evidence written to {out.relative_to(ROOT)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
