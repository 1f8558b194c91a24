"""The book's pytest plugin, loaded by the root conftest.py for every pytest run (plain `pytest`,
`make test`, one lane or two):

- the notebook kernels nbval starts get the book's kernel environment (offline data mirror, the
  project's IPython profile, PYTHONHASHSEED), as the record command's do;
- a cell that declares a tolerance is compared within it (dlbook.nbval_tolerance);
- the summary lists how long each notebook took under nbval (kernel start included).
"""

from __future__ import annotations

from collections import defaultdict

import dlbook.nbval_tolerance  # noqa: F401  (replaces nbval's comparison for cells with a tolerance)
from dlbook.execute import apply_kernel_environment

_seconds: dict[str, float] = defaultdict(float)
_failed: set[str] = set()


def pytest_configure(config):
    env = apply_kernel_environment()
    if "DLBOOK_DATA_DIR" not in env and config.getoption("nbval", False):
        print("No offline data mirror found (../shared/datasets, or set DLBOOK_DATA_DIR): notebooks "
              "will try to download their data.", flush=True)


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _seconds[path] += report.duration
        if report.failed:
            _failed.add(path)


def pytest_terminal_summary(terminalreporter):
    if not _seconds:
        return
    terminalreporter.section("notebook execution times (nbval)")
    for path, seconds in sorted(_seconds.items(), key=lambda item: -item[1]):
        mark = "  FAILED" if path in _failed else ""
        terminalreporter.write_line(f"{seconds:8.1f} s  {path}{mark}")
    terminalreporter.write_line(f"{sum(_seconds.values()):8.1f} s  all notebooks")
