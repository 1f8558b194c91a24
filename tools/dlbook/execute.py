"""Executing a notebook the way the tests do: a fresh kernel, the book's kernel environment.

The record command, the seed study, the benchmark and the cross-CPU measurements execute notebooks
through `run_notebook` only; the test suite's kernels get the same environment from
`apply_kernel_environment` (called by the pytest plugin).
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from dlbook.book import ROOT
from dlbook.checks import inject_parameters
from dlbook.notebooks import in_exercises

DEFAULT_DATA_DIR = ROOT.parent / "shared" / "datasets"


def kernel_environment(environ=os.environ) -> dict[str, str]:
    """The variables a notebook kernel needs under test or recording."""
    env = {
        # The project's IPython profile: the offline-data start-up file and the kernel setting
        # that keeps TensorFlow's C++ start-up lines out of the stored outputs.
        "IPYTHONDIR": str(ROOT / "data" / "ipython"),
        # Python's own hash seed, so set iteration order cannot differ between runs.
        "PYTHONHASHSEED": "0",
    }
    if environ.get("DLBOOK_DATA_DIR"):
        env["DLBOOK_DATA_DIR"] = str(Path(environ["DLBOOK_DATA_DIR"]).resolve())
    elif DEFAULT_DATA_DIR.is_dir():
        env["DLBOOK_DATA_DIR"] = str(DEFAULT_DATA_DIR)
    return env


def apply_kernel_environment() -> dict[str, str]:
    """Sets the kernel environment in this process, whose kernels inherit it; returns it."""
    env = kernel_environment()
    os.environ.update(env)
    return env


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


@dataclass
class Run:
    nb: object          # the executed notebook
    seconds: float      # wall time of its cells (kernel start included, `after` cells excluded)
    peak_bytes: int     # peak resident memory of the kernel and its children
    error: Exception | None = None  # what stopped execution, with catch=True
    exercise_seconds: float = 0.0  # of `seconds`, the time spent in code cells tagged "exercises"


def run_notebook(path: Path, parameters: dict | None = None, *, allow_errors: bool = False,
                 timeout: int = 7200, nb=None, after: int = 0, kernel_name: str = "python3",
                 kernel_env: dict | None = None, kernel_log=None, catch: bool = False) -> Run:
    """Executes the notebook at `path` (or `nb`, run in `path`'s folder) in a fresh kernel.

    `parameters` replace assignments in the `parameters` cell (papermill's convention). With
    `allow_errors` execution goes on past a failing cell. The last `after` cells run after the
    clock stops (the benchmark's report cell). `kernel_name`, `kernel_env` and `kernel_log` (a file
    for the kernel's own stdout and stderr) choose another kernel (the Binder check's); with
    `catch`, an exception that stops execution (a failing cell, a dead kernel, a timeout) is
    returned in `Run.error` with the time and memory measured so far, instead of raised.
    """
    path = Path(path)
    nb = nb if nb is not None else nbformat.read(path, as_version=4)
    if parameters:
        inject_parameters(nb, parameters)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=allow_errors,
                            record_timing=False, resources={"metadata": {"path": str(path.parent)}})
    timed = len(nb.cells) - after
    start = time.perf_counter()
    seconds, peak, error, exercise_seconds = None, 0, None, 0.0
    setup = {"env": kernel_env} if kernel_env is not None else {}
    if kernel_log is not None:
        setup.update(stdout=kernel_log, stderr=kernel_log)
    try:
        with client.setup_kernel(**setup):
            with PeakMemory(client.km.provisioner.process.pid) as memory:
                try:
                    for index, cell in enumerate(nb.cells[:timed]):
                        cell_start = time.perf_counter()
                        client.execute_cell(cell, index)
                        if cell.cell_type == "code" and in_exercises(cell):
                            exercise_seconds += time.perf_counter() - cell_start
                    seconds = time.perf_counter() - start
                    for index, cell in enumerate(nb.cells[timed:], timed):
                        client.execute_cell(cell, index)
                finally:
                    peak = memory.peak
    except Exception as e:  # noqa: BLE001 (returned to the caller that asked for it)
        if not catch:
            raise
        error = e
    merge_adjacent_streams(nb)
    return Run(nb, seconds if seconds is not None else time.perf_counter() - start, peak, error, exercise_seconds)


def merge_adjacent_streams(nb) -> None:
    """Joins a cell's consecutive stream outputs of the same name (stdout, stderr) into one.

    How a cell's printed text is cut into messages depends on when the kernel flushes, which
    depends on the machine's load: the same text must be stored the same way.
    """
    for cell in nb.cells:
        merged = []
        for output in cell.get("outputs", []):
            if (merged and output.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == output.get("name")):
                merged[-1]["text"] += output["text"]
            else:
                merged.append(output)
        if cell.cell_type == "code":
            cell.outputs = merged


def problems(nb) -> list[str]:
    """Errors and stderr output of an executed notebook, one line each (none in a stored notebook)."""
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"cell {index}: error {output.get('ename')}: {output.get('evalue')}")
            elif output.get("name") == "stderr":
                found.append(f"cell {index}: stderr: {output.get('text', '')[:300]!r}")
    return found
