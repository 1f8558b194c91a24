"""pytest plugin: print how long each notebook took under nbval (kernel start included)."""

from __future__ import annotations

from collections import defaultdict

_seconds: dict[str, float] = defaultdict(float)
_failed: set[str] = set()


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
