"""Record notebooks: execute each one in place, in a fresh kernel, the way the tests execute it.

    make record NB="chapters/ko/data.ipynb chapters/en/data.ipynb"

Uses the same environment as the tests (see tools/dlbook_env.py): the offline data mirror, the
project's kernel settings, a fixed PYTHONHASHSEED. A notebook is written back only when it ran
without an error and without any stderr output, so what is stored is always clean. Prints each
notebook's wall time and the kernel's peak resident memory.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook_env import apply_test_environment  # noqa: E402


class PeakMemory:
    """Polls the resident memory of a process and its children."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.interval = interval

    def _run(self):
        while not self._stop.is_set():
            try:
                rss = self.process.memory_info().rss
                rss += sum(c.memory_info().rss for c in self.process.children(recursive=True))
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def stderr_outputs(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: error {output.get('ename')}: {output.get('evalue')}")
            elif output.get("name") == "stderr":
                found.append(f"cell {index}: stderr: {output.get('text', '')[:300]!r}")
    return found


def execute(path: Path, parameters: dict | None = None, timeout: int = 3600):
    """Execute the notebook at `path` in a fresh kernel; return (notebook, seconds, peak bytes)."""
    nb = nbformat.read(path, as_version=4)
    if parameters:
        inject_parameters(nb, parameters)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        with PeakMemory(pid) as memory:
            for index, cell in enumerate(nb.cells):
                client.execute_cell(cell, index)
    return nb, time.perf_counter() - start, memory.peak


def inject_parameters(nb, parameters: dict) -> None:
    """Overwrite the assignments in the cell tagged `parameters` (papermill's convention)."""
    cell = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=")[0].strip()
        if name in parameters:
            line = f"{name} = {parameters[name]!r}"
        lines.append(line)
    cell.source = "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args(argv)
    apply_test_environment()
    failed = 0
    for path in args.notebooks:
        print(f"recording {path} ...", flush=True)
        try:
            nb, seconds, peak = execute(path)
        except Exception as e:  # the cell's error is in the message nbclient raises
            print(f"FAILED {path}: {e}", file=sys.stderr)
            failed += 1
            continue
        problems = stderr_outputs(nb)
        if problems:
            print(f"NOT WRITTEN {path}: outputs on stderr (fix their cause):", file=sys.stderr)
            for problem in problems:
                print("   ", problem, file=sys.stderr)
            failed += 1
            continue
        nbformat.write(nb, path)
        print(f"recorded {path}: {seconds:.1f} s, peak {peak / 2**20:.0f} MB", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
