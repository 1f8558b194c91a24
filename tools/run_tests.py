"""The whole test suite, as `make test` and CI run it: plain pytest's suite, in two lanes.

What runs is pytest's configuration (pytest.ini, conftest.py, dlbook.pytest_plugin): the unit and
conformance tests in tests/, and nbval re-executing every notebook of both languages in a fresh
kernel and comparing it with its stored outputs. `pytest` alone runs the same suite in one process.
Here it runs as two pytest processes at once, one per core (dlbook.lanes): tests/ and the Korean
notebooks in book order, the English notebooks in reverse order. `--lanes 1` runs plain `pytest`.

Extra arguments go to pytest, e.g. `make test ARGS="-k data"` or `python tools/run_tests.py -x`.
Paths among them (`python tools/run_tests.py chapters/en/data.ipynb`) run only those, in one lane.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import ROOT, relative  # noqa: E402
from dlbook.lanes import lane_plan, python_command, run_in_lanes  # noqa: E402

NO_TESTS_COLLECTED = 5  # pytest's exit code when -k or a path selects nothing

# pytest options whose value is the next argument (so `-k data` is not the data/ folder)
TAKES_VALUE = {"-k", "-m", "-p", "-o", "-c", "-W", "--deselect", "--ignore", "--maxfail", "--rootdir",
               "--nbval-cell-timeout", "--nbval-sanitize-with", "--durations"}


def is_test_path(arg: str) -> bool:
    path = ROOT / arg.split("::")[0]
    return path.exists() and (path.suffix in (".py", ".ipynb") or path.parts[len(ROOT.parts)] in ("tests", "chapters"))


def split_arguments(argv: list[str]) -> tuple[int, list[str], list[str]]:
    """(lanes, paths given, other pytest arguments)."""
    lanes, paths, rest = 2, [], []
    args = iter(argv)
    for arg in args:
        if arg == "--lanes":
            lanes = int(next(args))
        elif arg.startswith("--lanes="):
            lanes = int(arg.split("=", 1)[1])
        elif arg in TAKES_VALUE:
            rest += [arg, next(args, "")]
        elif not arg.startswith("-") and is_test_path(arg):
            paths.append(arg)
        else:
            rest.append(arg)
    return lanes, paths, rest


def combined_exit_code(codes: list[int]) -> int:
    if all(code == NO_TESTS_COLLECTED for code in codes):
        return NO_TESTS_COLLECTED
    failed = [code for code in codes if code not in (0, NO_TESTS_COLLECTED)]
    return failed[0] if failed else 0


def main(argv: list[str]) -> int:
    lanes, paths, options = split_arguments(argv)
    start = time.perf_counter()
    if paths or lanes == 1:
        command = python_command("-m", "pytest", *paths, *options)
        print("running:", " ".join(command[1:]), flush=True)
        code = subprocess.call(command, cwd=ROOT)
    else:
        plan = {name: (["tests"] if i == 0 else []) + [relative(p) for p in notebooks]
                for i, (name, notebooks) in enumerate(lane_plan().items())}
        results = run_in_lanes({name: python_command("-m", "pytest", *targets, *options)
                                for name, targets in plan.items()})
        for name, result in results.items():
            print(f"lane {name}: exit code {result.code}, {result.seconds:.0f} s", flush=True)
        code = combined_exit_code([r.code for r in results.values()])
    print(f"test suite: {time.perf_counter() - start:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
