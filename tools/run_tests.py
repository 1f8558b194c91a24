"""The whole test suite, as `make test` and CI run it.

1. the unit and conformance tests in tests/ (offline data, hygiene, language parity, numbers in
   prose, seed evidence, and the book build with warnings as errors plus a link check);
2. nbval: every notebook of both languages re-executed in a fresh kernel and compared with its
   stored outputs (after tests/nbval_sanitize.cfg), in the same environment the record command
   uses (tools/dlbook_env.py: offline data mirror, kernel settings).
Extra arguments go to pytest, e.g. `make test ARGS="-k data"` or `python tools/run_tests.py -x`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook_env import ROOT, apply_test_environment  # noqa: E402


def main(argv: list[str]) -> int:
    env = apply_test_environment()
    if "DLBOOK_DATA_DIR" not in env:
        print("No offline data mirror found (../shared/datasets, or set DLBOOK_DATA_DIR): notebooks "
              "will try to download their data.", flush=True)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tools"), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "pytest", "tests", "chapters",
               "--nbval", "--nbval-current-env", "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
               "-p", "pytest_notebook_times", "-p", "no:cacheprovider", "-rfE", *argv]
    print("running:", " ".join(command[2:]), flush=True)
    start = time.perf_counter()
    code = subprocess.call(command, cwd=ROOT)
    print(f"test suite: {time.perf_counter() - start:.0f} s", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
