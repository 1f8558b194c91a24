"""The whole test suite, as `make test` and CI run it.

1. the unit and conformance tests in tests/ (offline data, hygiene, language parity, numbers in
   prose, seed evidence, and the book build with warnings as errors plus a link check);
2. nbval: every notebook of both languages re-executed in a fresh kernel and compared with its
   stored outputs (after tests/nbval_sanitize.cfg), in the same environment the record command
   uses (tools/dlbook_env.py: offline data mirror, kernel settings).

It runs as two pytest processes at once, one per core (the "lanes" of tools/dlbook_env.py):
tests/ and the Korean notebooks in book order, and the English notebooks in reverse order, so the
big compute-bound training runs of one language overlap the small, overhead-bound ones of the
other. Every kernel keeps TensorFlow's default threads, the setting the outputs were recorded
with, so the outputs are the same bit for bit as in one lane. `--lanes 1` runs everything in one
process, in the old order.

Extra arguments go to pytest, e.g. `make test ARGS="-k data"` or `python tools/run_tests.py -x`.
Paths among them (`python tools/run_tests.py chapters/en/data.ipynb`) run only those, in one lane.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook_env import ROOT, apply_test_environment, test_lanes  # noqa: E402

PYTEST_OPTIONS = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
                  "-p", "pytest_notebook_times", "-p", "no:cacheprovider", "-rfE"]
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


def run_lanes(lanes: dict[str, list[str]], options: list[str]) -> int:
    """Runs one pytest per lane at once, printing each line with its lane's name as it comes."""
    print_lock = threading.Lock()
    processes, threads, seconds = {}, [], {}
    start = time.perf_counter()

    def relay(name: str, process: subprocess.Popen) -> None:
        for line in process.stdout:
            with print_lock:
                print(f"[{name}] {line}", end="", flush=True)
        process.wait()
        seconds[name] = time.perf_counter() - start

    for name, targets in lanes.items():
        command = [sys.executable, "-m", "pytest", *targets, *PYTEST_OPTIONS, *options]
        print(f"[{name}] running: {' '.join(command[2:])}", flush=True)
        processes[name] = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                                           stderr=subprocess.STDOUT, text=True, bufsize=1)
        threads.append(threading.Thread(target=relay, args=(name, processes[name])))
        threads[-1].start()
    for thread in threads:
        thread.join()
    codes = {name: process.returncode for name, process in processes.items()}
    for name in lanes:
        print(f"lane {name}: exit code {codes[name]}, {seconds[name]:.0f} s", flush=True)
    if all(code == NO_TESTS_COLLECTED for code in codes.values()):
        return NO_TESTS_COLLECTED
    failed = [code for code in codes.values() if code not in (0, NO_TESTS_COLLECTED)]
    return failed[0] if failed else 0


def main(argv: list[str]) -> int:
    env = apply_test_environment()
    if "DLBOOK_DATA_DIR" not in env:
        print("No offline data mirror found (../shared/datasets, or set DLBOOK_DATA_DIR): notebooks "
              "will try to download their data.", flush=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tools"), os.environ.get("PYTHONPATH")]))
    lanes, paths, options = split_arguments(argv)
    if paths:
        plan = {"tests": paths}
    elif lanes == 1:
        plan = {"tests": ["tests", "chapters"]}
    else:
        plan = {name: (["tests"] if i == 0 else []) + [str(p.relative_to(ROOT)) for p in notebooks]
                for i, (name, notebooks) in enumerate(test_lanes().items())}
    start = time.perf_counter()
    if len(plan) == 1:
        command = [sys.executable, "-m", "pytest", *next(iter(plan.values())), *PYTEST_OPTIONS, *options]
        print("running:", " ".join(command[2:]), flush=True)
        code = subprocess.call(command, cwd=ROOT)
    else:
        code = run_lanes(plan, options)
    print(f"test suite: {time.perf_counter() - start:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
