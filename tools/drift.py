"""Drift check: do the English chapters still reproduce with this Python's packages?

    python tools/drift.py [--out drift] [--label TEXT] [NOTEBOOK ...]   (default: chapters/en/*.ipynb)

The weekly drift workflow runs it twice: with keras and tensorflow-cpu upgraded to their newest
releases, and inside Colab's runtime image. Anyone can run it the same way, e.g. after
`.venv/bin/python -m pip install --upgrade keras tensorflow-cpu`: `.venv/bin/python tools/drift.py`.

For each notebook, two commands a person can run too:
1. `tools/record.py --out OUT NOTEBOOK` executes it in a fresh kernel with the tests' kernel
   environment (record refuses to write a notebook with an error or stderr output, and exits 1);
2. the comparison of `make compare REF=NOTEBOOK RUN=OUT/NAME` (tools/compare_outputs.py): words
   exact, hardware-dependent numbers within each cell's declared tolerance.
Writes OUT/REPORT.md (versions, then each notebook's verdict and its failing lines), prints it, and
exits 1 when any notebook did not run cleanly or its outputs did not hold.
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))
from compare_outputs import compare_notebooks  # noqa: E402
from dlbook.book import ROOT, notebook_paths  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")  # colours of IPython tracebacks
MAX_LINES = 60                         # of one notebook's failure, in the report
PACKAGES = ("keras", "tensorflow", "tensorflow-cpu", "numpy", "scikit-learn", "matplotlib")


def relative(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found + [f"Python {platform.python_version()}", platform.machine()])


def record(notebook: Path, out: Path) -> tuple[bool, list[str]]:
    """Runs tools/record.py on one notebook, echoing its output; (written, its error lines)."""
    command = [sys.executable, str(TOOLS / "record.py"), "--out", str(out), str(notebook)]
    print("$", " ".join(command[1:]), flush=True)
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1)
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    process.wait()
    written = process.returncode == 0 and (out / notebook.name).exists()
    if written:
        return True, []
    # record.py's verdict: "FAILED path: <the failing cell and its traceback>" or "NOT WRITTEN path:"
    # and one line per cell with an error or stderr output.
    start = next((i for i, line in enumerate(lines) if line.startswith(("FAILED", "NOT WRITTEN"))), None)
    problems = [ANSI.sub("", line) for line in (lines[start:] if start is not None else lines[-15:])]
    return False, problems[:MAX_LINES] or [f"record.py exited with {process.returncode}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=Path("drift"), help="executed copies and REPORT.md")
    parser.add_argument("--label", default="", help="what environment this is, for the report's title")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or notebook_paths("en")
    out = args.out if args.out.is_absolute() else Path.cwd() / args.out
    out.mkdir(parents=True, exist_ok=True)

    rows, details = [], []
    for notebook in notebooks:
        name = relative(notebook)
        written, problems = record(notebook, out)
        if not written:
            rows.append((name, "did not run cleanly (error or stderr)"))
            details.append((name, problems))
            continue
        differences, notes = compare_notebooks(notebook, out / notebook.name)
        if differences:
            rows.append((name, f"{len(differences)} cell(s) moved beyond their tolerance"))
            details.append((name, differences))
        else:
            rows.append((name, "holds" + (f" ({len(notes)} note(s))" if notes else "")))

    failed = len(details)
    title = (f"Drift: {failed} of {len(notebooks)} notebook(s) no longer reproduce" if failed
             else f"Drift: all {len(notebooks)} notebook(s) reproduce")
    lines = [f"# {title}" + (f" ({args.label})" if args.label else ""), "",
             f"Environment: {versions()}", "",
             "| notebook | verdict |", "|---|---|"]
    lines += [f"| `{name}` | {verdict} |" for name, verdict in rows]
    for name, problems in details:
        lines += ["", f"## `{name}`", "", "```text", *problems, "```"]
    lines += ["", "Reproduce: `python tools/drift.py NOTEBOOK` with the same packages; one notebook's "
              "comparison alone: `make compare REF=NOTEBOOK RUN=" + f"{args.out}/NAME.ipynb`."]
    report = "\n".join(lines) + "\n"
    (out / "REPORT.md").write_text(report, encoding="utf-8")
    print("\n" + report, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
