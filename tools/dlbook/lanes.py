"""Running work in lanes: one process per core, at once, each line of output labelled with its lane.

The test suite and the benchmark both run the book this way (`lane_plan`): lane "ko" takes tests/
and the Korean notebooks in file order, lane "en" the English notebooks in reverse order. The orders
differ on purpose: while one lane trains 4.4's 1024-unit model (arithmetic-bound, it keeps both
cores busy alone) the other is on small models whose time goes to per-step overhead and memory
traffic, which leave a core idle; two lanes fill it. Every kernel keeps TensorFlow's default
threads, the setting the outputs were recorded with.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from dlbook.book import CHAPTERS, ROOT


def lane_plan(chapters: Path = CHAPTERS) -> dict[str, list[Path]]:
    """The notebooks of each lane, in the order the lane runs them."""
    return {"ko": sorted(chapters.glob("ko/*.ipynb")), "en": sorted(chapters.glob("en/*.ipynb"), reverse=True)}


@dataclass
class LaneResult:
    code: int
    seconds: float
    lines: list[str] = field(default_factory=list)


def run_in_lanes(commands: dict[str, list[str]], cwd: Path = ROOT, echo=True) -> dict[str, LaneResult]:
    """Runs one command per lane at once; relays each output line as `[lane] line` (if `echo`)."""
    lock = threading.Lock()
    results: dict[str, LaneResult] = {}
    start = time.perf_counter()

    def relay(name: str, process: subprocess.Popen) -> None:
        lines = []
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if echo:
                with lock:
                    print(f"[{name}] {line}", end="", flush=True)
        process.wait()
        results[name] = LaneResult(process.returncode, time.perf_counter() - start, lines)

    threads = []
    for name, command in commands.items():
        if echo:
            print(f"[{name}] running: {' '.join(map(str, command))}", flush=True)
        process = subprocess.Popen(list(map(str, command)), cwd=cwd, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, bufsize=1)
        threads.append(threading.Thread(target=relay, args=(name, process)))
        threads[-1].start()
    for thread in threads:
        thread.join()
    return {name: results[name] for name in commands}


def python_command(*args) -> list[str]:
    return [sys.executable, *map(str, args)]
