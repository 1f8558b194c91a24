"""Benchmark: how close the book's execution comes to what the hardware allows.

    make benchmark                      # every notebook of both languages
    make benchmark NB="chapters/en/5-3-improving-fit.ipynb"

Not part of the tests (a timed test would fail on a busy machine); run it on a quiet machine of
the CI kind. In one run it
1. measures the best float32 matrix-multiply throughput (GFLOPS) of TensorFlow and of NumPy and
   takes the higher;
2. executes each notebook in a fresh kernel in the test environment (as nbval does), recording
   wall time and the peak resident memory of the kernel and its children;
3. computes each notebook's lower bound: the dense-layer FLOPs of every `Model.fit` it runs
   (per epoch, 6 per kernel weight per training sample, 4 for the first layer, whose input needs
   no gradient, and 2 per kernel weight per validation sample), divided by that throughput. The
   FLOPs are counted by wrapping `keras.Model.fit` in the benchmark's kernel only, right after
   the notebook's setup cell;
4. executes the whole book once more the way `make test` does: two lanes at once, one per core
   (dlbook.lanes), each notebook in a fresh kernel by the record command (`tools/record.py --out`
   into a scratch folder), and records the wall time of the whole: the book's execution time,
   whose ratio to the summed bound is the headline;
5. writes benchmark/results.json and benchmark/REPORT.md (notebook, seconds, bound, ratio, peak
   MB, the totals, the book in two lanes, every training run).

With NB="..." only those notebooks are run alone and their rows replaced in results.json (the
book phase is skipped); `--book-only` keeps the rows and measures only the book in two lanes.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
import time
from pathlib import Path

import tempfile

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import BENCHMARK as OUT, ROOT, relative  # noqa: E402
from dlbook.execute import apply_kernel_environment, run_notebook  # noqa: E402
from dlbook.lanes import lane_plan, python_command, run_in_lanes  # noqa: E402

# Runs in the benchmark's kernel after the setup cell: records what every fit trains on.
COUNT_FITS = r'''
def _dlbook_count_fits():
    import inspect, math, time
    import keras
    fit = keras.Model.fit
    signature = inspect.signature(fit)
    runs = []

    def size(data, batch_size, steps):
        """Samples per epoch. Arrays: their length. A PyDataset: its batches' sizes. A tf.data dataset:
        batches per epoch times its batch size (so a smaller last batch counts as full): the size of its
        batch() step, or, for a pipeline of batches chosen up front (4.4's and 5.1's batches()), of its
        first batch."""
        if data is None:
            return 0
        if isinstance(data, (tuple, list)):
            data = data[0]
        if hasattr(data, "shape") and len(getattr(data, "shape", ())) > 0:
            return int(data.shape[0])
        if isinstance(data, keras.utils.PyDataset):
            batches = len(data)
            return (batches - 1) * first_dim(data[0]) + first_dim(data[batches - 1])
        batches = int(steps or 0)
        if not batches and hasattr(data, "cardinality"):
            batches = int(data.cardinality())
        return batches * (dataset_batch_size(data) or first_batch_size(data) or int(batch_size or 32))

    def dataset_batch_size(dataset):
        # read from the pipeline's batch() step; iterating the dataset here would move its shuffle
        # seed and make the benchmarked run differ from the tested one
        while dataset is not None:
            if hasattr(dataset, "_batch_size"):
                return int(dataset._batch_size)
            dataset = getattr(dataset, "_input_dataset", None)
        return None

    def first_batch_size(dataset):
        # only for a pipeline without a batch() step, whose batches were drawn before fit(): reading
        # one of them again moves no random state (called after fit() has run)
        try:
            return first_dim(next(iter(dataset.take(1))))
        except Exception:  # noqa: BLE001 (not a dataset this can read: fall back to fit()'s batch size)
            return None

    def first_dim(batch):
        while isinstance(batch, (tuple, list, dict)):
            batch = list(batch.values())[0] if isinstance(batch, dict) else batch[0]
        return int(batch.shape[0])

    def counting_fit(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        a = bound.arguments
        start = time.perf_counter()
        history = fit(self, *args, **kwargs)
        seconds = time.perf_counter() - start
        shapes = [[int(w.shape[0]), int(w.shape[1])] for w in self.weights
                  if len(w.shape) == 2 and w.path.endswith("kernel")]
        kernels = [i * o for i, o in shapes]
        params = history.params or {}
        n = size(a["x"], a["batch_size"], params.get("steps", 0))
        split = a["validation_split"] or 0.0
        n_train = int(math.ceil(n * (1.0 - split))) if split else n
        n_val = n - n_train if split else 0
        if a["validation_data"] is not None:
            n_val = size(a["validation_data"], a["validation_batch_size"] or a["batch_size"], 0)
        runs.append({"layers": shapes, "kernels": kernels, "epochs": len(history.epoch), "train": n_train,
                     "val": n_val, "seconds": round(seconds, 2)})
        return history

    keras.Model.fit = counting_fit
    return runs

_dlbook_fit_runs = _dlbook_count_fits()
'''
REPORT_FITS = "import json as _json; print(_json.dumps(_dlbook_fit_runs))"


def fit_flops(run: dict) -> float:
    kernels = run["kernels"]
    if not kernels:
        return 0.0
    train = 4 * kernels[0] + 6 * sum(kernels[1:])
    return run["epochs"] * (train * run["train"] + 2 * sum(kernels) * run["val"])


def matmul_gflops(n: int = 2048, repeats: int = 7) -> dict:
    import numpy as np
    import tensorflow as tf

    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32)
    flops = 2 * n**3
    best_np = min(_timed(lambda: a @ a) for _ in range(repeats))
    ta = tf.constant(a)
    tf.linalg.matmul(ta, ta).numpy()  # warm up
    best_tf = min(_timed(lambda: tf.linalg.matmul(ta, ta).numpy()) for _ in range(repeats))
    return {"numpy": flops / best_np / 1e9, "tensorflow": flops / best_tf / 1e9}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or platform.machine()


def versions() -> dict:
    from importlib.metadata import version

    return {"python": platform.python_version(), "keras": version("keras"),
            "tensorflow": version("tensorflow-cpu"), "numpy": version("numpy")}


def _timed(f) -> float:
    start = time.perf_counter()
    f()
    return time.perf_counter() - start


def measure_notebook(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    setup_cell = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][1]  # imports keras
    nb.cells.insert(setup_cell + 1, nbformat.v4.new_code_cell(COUNT_FITS))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_FITS))
    run = run_notebook(path, nb=nb, after=1)
    report = run.nb.cells[-1]
    runs = json.loads("".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout"))
    return {"notebook": relative(path), "seconds": round(run.seconds, 1),
            "exercise_seconds": round(run.exercise_seconds, 1),
            "peak_mb": round(run.peak_bytes / 2**20), "fits": runs,
            "flops": sum(fit_flops(r) for r in runs)}


def exercise_share(row: dict) -> str:
    """Seconds in the solutions' code cells and their share of the notebook's time (issue 22: at most 15 %)."""
    if "exercise_seconds" not in row:
        return "not measured"
    return f"{row['exercise_seconds']:.0f} ({100 * row['exercise_seconds'] / row['seconds']:.0f} %)"


def write_report(results: dict) -> None:
    gflops = results["gflops_best"]
    lines = [
        "# Execution benchmark",
        "",
        f"Written by `make benchmark` on {results['date']} ({results['machine']}). Matrix-multiply "
        f"throughput: TensorFlow {results['gflops']['tensorflow']:.0f} GFLOPS, NumPy "
        f"{results['gflops']['numpy']:.0f} GFLOPS; the bound uses {gflops:.0f}.",
        "",
        "| notebook | seconds | bound (s) | ratio | peak MB | fits | exercises (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results["notebooks"]:
        ratio = f"{r['ratio']:.1f}×" if r["ratio"] else "–"
        lines.append(f"| {r['notebook']} | {r['seconds']:.0f} | {r['bound_seconds']:.1f} | {ratio} | "
                     f"{r['peak_mb']} | {len(r['fits'])} | {exercise_share(r)} |")
    t = results["totals"]
    ratio = f"{t['ratio']:.1f}×" if t["ratio"] else "–"
    lines += [f"| **all, one after another** | **{t['seconds']:.0f}** | **{t['bound_seconds']:.1f}** | **{ratio}** | "
              f"**{t['max_peak_mb']}** (max) | | |", ""]
    book = results.get("book")
    if book:
        lines += ["## The whole book, as the tests run it", "",
                  f"Measured on {book['date']}: every notebook of both languages in a fresh kernel, two lanes at "
                  "once (one per core; `lane_plan` in tools/dlbook/lanes.py): Korean in file order, English in "
                  "reverse order, so that one language's arithmetic-bound runs overlap the other's small, "
                  "overhead-bound ones.", "",
                  "| | seconds | bound (s) | ratio |", "|---|---:|---:|---:|",
                  f"| **whole book (wall time, two lanes)** | **{book['seconds']:.0f}** | **{t['bound_seconds']:.1f}** | "
                  f"**{book['seconds'] / t['bound_seconds']:.1f}×** |"]
        for name, lane in book["lanes"].items():
            lines.append(f"| lane {name} ({len(lane['notebooks'])} notebooks) | {lane['seconds']:.0f} | | |")
        lines += ["", "Each notebook's time inside its lane (it shares the machine with the other lane, so these "
                  "are longer than alone):", "", "| notebook | lane | seconds in the lane | alone | peak MB |",
                  "|---|---|---:|---:|---:|"]
        alone = {r["notebook"]: r["seconds"] for r in results["notebooks"]}
        for name, lane in book["lanes"].items():
            for r in lane["notebooks"]:
                lines.append(f"| {r['notebook']} | {name} | {r['seconds']:.0f} | {alone.get(r['notebook'], 0):.0f} | "
                             f"{r['peak_mb']} |")
        lines.append("")
    lines += ["## Training runs of 3 s or more", "",
              "Each `Model.fit` call, timed alone (layers: input-hidden-...-output widths).", "",
              "| notebook | layers | epochs | train / val samples | seconds | bound (s) | ratio |",
              "|---|---|---:|---:|---:|---:|---:|"]
    for r in results["notebooks"]:
        for run in r["fits"]:
            if run.get("seconds", 0) < 3:
                continue
            widths = "-".join(str(w) for w in [run["layers"][0][0]] + [o for _, o in run["layers"]])
            run_bound = fit_flops(run) / (gflops * 1e9)
            run_ratio = f"{run['seconds'] / run_bound:.1f}×" if run_bound > 0.1 else "–"
            lines.append(f"| {Path(r['notebook']).stem} | {widths} | {run['epochs']} | "
                         f"{run['train']:,} / {run['val']:,} | {run['seconds']:.1f} | {run_bound:.1f} | {run_ratio} |")
    lines.append("")
    (OUT / "REPORT.md").write_text("\n".join(lines), encoding="utf-8")


def run_book() -> dict:
    """All notebooks, two lanes at once (as `make test` runs them): the whole book's wall time."""
    with tempfile.TemporaryDirectory() as scratch:
        results = run_in_lanes({name: python_command(ROOT / "tools" / "record.py", "--json", "--out",
                                                     Path(scratch) / name, *map(relative, paths))
                                for name, paths in lane_plan().items()})
    book = {"date": datetime.date.today().isoformat(),
            "seconds": round(max(r.seconds for r in results.values()), 1), "lanes": {}}
    for name, result in results.items():
        if result.code:
            raise SystemExit(f"lane {name} failed (exit code {result.code})")
        rows = [json.loads(line) for line in result.lines if line.startswith("{")]
        book["lanes"][name] = {"seconds": round(result.seconds, 1), "notebooks": rows}
    return book


def totals(results: dict) -> None:
    best = results["gflops_best"]
    rows = results["notebooks"]
    for r in rows:
        r["bound_seconds"] = r["flops"] / (best * 1e9)
        r["ratio"] = r["seconds"] / r["bound_seconds"] if r["bound_seconds"] > 1 else None
    seconds = sum(r["seconds"] for r in rows)
    bound = sum(r["bound_seconds"] for r in rows)
    results["totals"] = {"seconds": seconds, "bound_seconds": bound,
                         "ratio": seconds / bound if bound > 1 else None,
                         "max_peak_mb": max(r["peak_mb"] for r in rows)}
    book = results.get("book")
    if book:
        book["ratio"] = book["seconds"] / bound if bound > 1 else None
        results["totals"]["book_seconds"] = book["seconds"]
        results["totals"]["book_ratio"] = book["ratio"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--book-only", action="store_true",
                        help="keep the notebooks' rows in results.json; measure only the book in two lanes")
    args = parser.parse_args(argv)
    apply_kernel_environment()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    previous = OUT / "results.json"
    if args.book_only:
        results = json.loads(previous.read_text(encoding="utf-8"))
    else:
        gflops = matmul_gflops()
        best = max(gflops.values())
        print(f"matmul: TensorFlow {gflops['tensorflow']:.0f} GFLOPS, NumPy {gflops['numpy']:.0f} GFLOPS", flush=True)
        results = {"date": datetime.date.today().isoformat(),
                   "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
                   "cpu": {"model": cpu_model(), "cores": os.cpu_count(), "arch": platform.machine()},
                   "versions": versions(), "gflops": gflops, "gflops_best": best, "notebooks": []}
        paths = [p.resolve() for p in args.notebooks] or sorted(ROOT.glob("chapters/*/*.ipynb"))
        for path in paths:
            print(f"running {path.relative_to(ROOT)} ...", flush=True)
            r = measure_notebook(path)
            if args.notebooks:  # a row measured alone keeps its machine when merged with older rows
                r.update(date=results["date"], cpu=results["cpu"], versions=results["versions"])
            results["notebooks"].append(r)
            print(f"  {r['seconds']:.1f} s, flops {r['flops']:.3g}, peak {r['peak_mb']} MB", flush=True)
        if args.notebooks and previous.exists():  # replace these rows, keep the others and the book
            old = json.loads(previous.read_text(encoding="utf-8"))
            for row in old["notebooks"]:  # the rows kept say which machine measured them
                row.setdefault("date", old["date"])
                row.setdefault("cpu", old["cpu"])
                row.setdefault("versions", old["versions"])
            new = {r["notebook"]: r for r in results["notebooks"]}
            results["notebooks"] = [new.pop(r["notebook"], r) for r in old["notebooks"]] + list(new.values())
            if "book" in old:
                results["book"] = old["book"]
    if not args.notebooks:
        print("running the whole book in two lanes ...", flush=True)
        results["book"] = run_book()
        print(f"  {results['book']['seconds']:.1f} s", flush=True)
    totals(results)
    OUT.mkdir(parents=True, exist_ok=True)
    previous.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    write_report(results)
    print((OUT / "REPORT.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
