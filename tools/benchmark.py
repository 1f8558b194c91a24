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
4. writes tools/benchmark/results.json and tools/benchmark/REPORT.md (notebook, seconds, bound,
   ratio, peak MB, and the totals).
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

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook_env import ROOT, apply_test_environment  # noqa: E402
from record import PeakMemory  # noqa: E402

OUT = ROOT / "tools" / "benchmark"

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
        batches per epoch times its batch size (so a smaller last batch counts as full)."""
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
        return batches * (dataset_batch_size(data) or int(batch_size or 32))

    def dataset_batch_size(dataset):
        # read from the pipeline's batch() step; iterating the dataset here would move its shuffle
        # seed and make the benchmarked run differ from the tested one
        while dataset is not None:
            if hasattr(dataset, "_batch_size"):
                return int(dataset._batch_size)
            dataset = getattr(dataset, "_input_dataset", None)
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


def run_notebook(path: Path) -> dict:
    nb = nbformat.read(path, as_version=4)
    setup_cell = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][1]  # imports keras
    nb.cells.insert(setup_cell + 1, nbformat.v4.new_code_cell(COUNT_FITS))
    nb.cells.append(nbformat.v4.new_code_cell(REPORT_FITS))
    client = NotebookClient(nb, timeout=7200, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        with PeakMemory(client.km.provisioner.process.pid) as memory:
            for index, cell in enumerate(nb.cells[:-1]):
                client.execute_cell(cell, index)
            seconds = time.perf_counter() - start
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
    report = nb.cells[-1]
    runs = json.loads("".join(o.get("text", "") for o in report.outputs if o.get("name") == "stdout"))
    return {"notebook": str(path.relative_to(ROOT)), "seconds": round(seconds, 1),
            "peak_mb": round(memory.peak / 2**20), "fits": runs,
            "flops": sum(fit_flops(r) for r in runs)}


def write_report(results: dict) -> None:
    gflops = results["gflops_best"]
    lines = [
        "# Execution benchmark",
        "",
        f"Written by `make benchmark` on {results['date']} ({results['machine']}). Matrix-multiply "
        f"throughput: TensorFlow {results['gflops']['tensorflow']:.0f} GFLOPS, NumPy "
        f"{results['gflops']['numpy']:.0f} GFLOPS; the bound uses {gflops:.0f}.",
        "",
        "| notebook | seconds | bound (s) | ratio | peak MB | fits |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results["notebooks"]:
        ratio = f"{r['ratio']:.1f}×" if r["ratio"] else "–"
        lines.append(f"| {r['notebook']} | {r['seconds']:.0f} | {r['bound_seconds']:.1f} | {ratio} | "
                     f"{r['peak_mb']} | {len(r['fits'])} |")
    t = results["totals"]
    ratio = f"{t['ratio']:.1f}×" if t["ratio"] else "–"
    lines += [f"| **all** | **{t['seconds']:.0f}** | **{t['bound_seconds']:.1f}** | **{ratio}** | "
              f"**{t['max_peak_mb']}** (max) | |", ""]
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    apply_test_environment()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = [p.resolve() for p in args.notebooks] or sorted(ROOT.glob("chapters/*/*.ipynb"))
    gflops = matmul_gflops()
    best = max(gflops.values())
    print(f"matmul: TensorFlow {gflops['tensorflow']:.0f} GFLOPS, NumPy {gflops['numpy']:.0f} GFLOPS", flush=True)
    results = {"date": datetime.date.today().isoformat(),
               "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
               "cpu": {"model": cpu_model(), "cores": os.cpu_count(), "arch": platform.machine()},
               "versions": versions(), "gflops": gflops, "gflops_best": best, "notebooks": []}
    for path in paths:
        print(f"running {path.relative_to(ROOT)} ...", flush=True)
        r = run_notebook(path)
        r["bound_seconds"] = r["flops"] / (best * 1e9)
        r["ratio"] = r["seconds"] / r["bound_seconds"] if r["bound_seconds"] > 1 else None
        results["notebooks"].append(r)
        print(f"  {r['seconds']:.1f} s, bound {r['bound_seconds']:.1f} s, peak {r['peak_mb']} MB", flush=True)
    rows = results["notebooks"]
    seconds = sum(r["seconds"] for r in rows)
    bound = sum(r["bound_seconds"] for r in rows)
    results["totals"] = {"seconds": seconds, "bound_seconds": bound,
                         "ratio": seconds / bound if bound > 1 else None,
                         "max_peak_mb": max(r["peak_mb"] for r in rows)}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    write_report(results)
    print((OUT / "REPORT.md").read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
