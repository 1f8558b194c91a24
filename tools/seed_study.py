"""Seed study: run a notebook with other seeds and record what every check measured.

    make seeds NB=chapters/en/5-3-improving-fit.ipynb SEEDS="1 2 3 4 5"

Each run executes the notebook in a fresh kernel (the test environment, see dlbook_env.py) with
`SEED` replaced in its `parameters` cell, the way papermill injects parameters. Execution goes on
past a failed check, so one failure does not hide the checks after it. Every check prints (or, if
it fails, raises) one line of the form `[name] value op threshold`; those lines are collected into
tests/evidence/<notebook name>.json, which the test suite reads (every check in a notebook must
have evidence, and every recorded value must have passed). Runs for seeds already in the file are
replaced; other seeds are kept. The notebook itself is never written.

When only a threshold changed (the measured values stand), `--rethreshold` takes the thresholds
from the recorded notebook's check lines and re-judges every stored value against them, without
executing anything:  python tools/seed_study.py chapters/en/X.ipynb --rethreshold
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook_env import ROOT, apply_test_environment  # noqa: E402
from record import PeakMemory, inject_parameters  # noqa: E402

EVIDENCE_DIR = ROOT / "tests" / "evidence"
OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}
# `✓ [name] value op threshold — claim` when a check holds; `... failed [name] value op threshold: claim` when not.
CHECK_LINE = re.compile(r"\[(?P<name>[A-Za-z0-9_]+)\] (?P<value>[^\s:]+) (?P<op><=|>=|==|<|>) (?P<threshold>[^\s:]+)")


def checks_in_outputs(nb) -> list[dict]:
    """Every check line printed or raised by the executed notebook, in order."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts, passed = output.get("text", "").splitlines(), True
                texts = [t for t in texts if t.startswith("✓ ")]
            elif output.get("output_type") == "error" and output.get("ename") == "AssertionError":
                texts, passed = [output.get("evalue", "")], False
            else:
                continue
            for text in texts:
                match = CHECK_LINE.search(text)
                if match:
                    found.append({"name": match["name"], "value": float(match["value"]),
                                  "op": match["op"], "threshold": float(match["threshold"]),
                                  "passed": passed})
    return found


def checks_in_source(nb) -> list[str]:
    """Names of the checks the notebook's code calls, in order."""
    names = []
    for cell in nb.cells:
        if cell.cell_type == "code":
            names += re.findall(r"""\bcheck\(\s*["']([A-Za-z0-9_]+)["']""", cell.source)
    return names


def run_seed(path: Path, seed: int, timeout: int = 3600) -> dict:
    nb = nbformat.read(path, as_version=4)
    inject_parameters(nb, {"SEED": seed})
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", allow_errors=True,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        with PeakMemory(client.km.provisioner.process.pid) as memory:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error" and o.get("ename") != "AssertionError"]
    return {"seed": seed, "seconds": round(time.perf_counter() - start, 1),
            "peak_mb": round(memory.peak / 2**20), "checks": checks_in_outputs(nb), "errors": errors}


def evidence_path(path: Path) -> Path:
    return EVIDENCE_DIR / f"{path.stem}.json"


def rethreshold(path: Path) -> int:
    """Stored values judged again against the thresholds the recorded notebook prints."""
    recorded = {c["name"]: c for c in checks_in_outputs(nbformat.read(path, as_version=4)) if c["passed"]}
    out = evidence_path(path)
    evidence = json.loads(out.read_text())
    failures = 0
    for run in evidence["runs"]:
        for check in run["checks"]:
            new = recorded.get(check["name"])
            if new is None:
                raise SystemExit(f"{check['name']}: not printed by the recorded {path}; re-record it first")
            check["op"], check["threshold"] = new["op"], new["threshold"]
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
    parser.add_argument("--rethreshold", action="store_true",
                        help="re-judge stored values against the recorded notebook's thresholds")
    args = parser.parse_args(argv)
    if args.rethreshold:
        return rethreshold(args.notebook)
    if not args.seeds:
        parser.error("give --seeds or --rethreshold")
    apply_test_environment()
    out = evidence_path(args.notebook)
    evidence = json.loads(out.read_text()) if out.exists() else {"notebook": args.notebook.stem, "runs": []}
    evidence["executed"] = str(args.notebook)
    failures = 0
    for seed in args.seeds:
        print(f"{args.notebook} with SEED={seed} ...", flush=True)
        run = run_seed(args.notebook, seed)
        evidence["runs"] = [r for r in evidence["runs"] if r["seed"] != seed] + [run]
        evidence["runs"].sort(key=lambda r: r["seed"])
        EVIDENCE_DIR.mkdir(parents=True, exist_ok=True)
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
