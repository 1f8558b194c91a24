"""Binder, checked: runs notebooks the way a reader's Binder session would, and reports what they see.

    make binder-check [NB="chapters/en/data.ipynb ..."]      (default: every chapters/en/*.ipynb)
    .venv/bin/python tools/binder_check.py [--venv DIR] [--online] [NOTEBOOK ...]

Not part of `make test` (it installs a whole environment). What it does, like mybinder.org:

1. a fresh virtual environment from requirements.txt only, with the Python runtime.txt names (the
   machine's `python3.X` if it has that version; otherwise it says so and uses `python3`). With
   `--venv DIR` the environment is kept in DIR and reused while requirements.txt is unchanged;
2. a fresh home folder, and the repository's `postBuild` run in it as Binder runs it at the end of
   its build (it writes the IPython kernel setting that keeps TensorFlow's C++ start-up lines out
   of the reader's cells, and builds matplotlib's font cache);
3. each notebook alone, copied into an empty temporary folder with no project file beside it, in a
   fresh kernel of that environment, under a 2 GB memory cap like mybinder.org's (a child cgroup
   with the cap, the kernel process put in it before Python starts: cgroup v2, or v1's memory
   controller; without a writable cgroup it runs uncapped and says so). Binder's cap also covers the
   Jupyter server (about 100 MB), which here runs outside it;
4. a table: notebook, seconds, peak memory (the cgroup's peak, which counts the page cache too, and
   the kernel's resident peak), and whatever appeared on stderr or as an error.

Offline machines: the notebooks download their data from Keras's servers, as a reader's do. When
DLBOOK_DATA_DIR is set or ../shared/datasets exists (and unless `--online`), the check installs the
project's offline-data start-up file (data/ipython/profile_default/startup/00-offline-data.py, with
data/offline.py and data/manifest.json) into the fresh home's IPython profile, so the same calls read
the verified mirror instead, and says so. Nothing else of the project reaches the kernel.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError, DeadKernelError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import ROOT, notebook_paths  # noqa: E402
from dlbook.execute import DEFAULT_DATA_DIR, problems, run_notebook  # noqa: E402

MEMORY_CAP = 2 * 2**30          # mybinder.org's memory limit per user
KERNEL_NAME = "binder-check"
CELL_TIMEOUT = 3600


def relative(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def say(*parts):
    print(*parts, flush=True)


# -- 1. the Python and the environment -------------------------------------------------------

def wanted_python() -> str:
    """"3.11" from runtime.txt's "python-3.11"."""
    text = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    if not text.startswith("python-"):
        raise SystemExit(f"runtime.txt says {text!r}; Binder expects python-X.Y")
    return text.removeprefix("python-")


def python_version(executable: str) -> str:
    return subprocess.run([executable, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                          capture_output=True, text=True, check=True).stdout.strip()


def find_python(version: str) -> str:
    for name in (f"python{version}", "python3"):
        found = shutil.which(name)
        if found and python_version(found) == version:
            say(f"Python: {found} (Python {version}, as runtime.txt asks)")
            return found
    fallback = shutil.which("python3") or sys.executable
    say(f"Python: runtime.txt asks for Python {version}, but this machine has none; using "
        f"{fallback} (Python {python_version(fallback)}), so the check differs from Binder there")
    return fallback


def fresh_environment(python: str, folder: Path) -> Path:
    """A venv in `folder` with requirements.txt installed; reused if built from the same inputs."""
    requirements = (ROOT / "requirements.txt").read_bytes()
    stamp = hashlib.sha256(requirements + python_version(python).encode()).hexdigest()
    marker = folder / ".binder-check-ready"
    if marker.exists() and marker.read_text() == stamp:
        say(f"Environment: reusing {folder} (built from this requirements.txt)")
        return folder / "bin" / "python"
    if folder.exists():
        shutil.rmtree(folder)
    say(f"Environment: creating {folder} and installing requirements.txt only (a few minutes) ...")
    start = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(folder)], check=True)
    venv_python = folder / "bin" / "python"
    subprocess.run([str(venv_python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-r", str(ROOT / "requirements.txt")], check=True)
    marker.write_text(stamp)
    say(f"Environment: ready in {time.perf_counter() - start:.0f} s")
    return venv_python


# -- 2. the home folder, postBuild and the offline data --------------------------------------

def base_environment(venv_python: Path, home: Path) -> dict[str, str]:
    """A reader's environment: nothing of this process (no project paths, no PYTHONPATH)."""
    return {"HOME": str(home), "PATH": f"{venv_python.parent}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8", "TMPDIR": str(home / "tmp")}


def run_post_build(env: dict[str, str]) -> None:
    post_build = ROOT / "postBuild"
    if not post_build.exists():
        say("postBuild: none in the repository")
        return
    say("postBuild: running it in the fresh home, as Binder does at the end of its build")
    subprocess.run(["bash", str(post_build)], cwd=ROOT, env=env, check=True)


def install_offline_data(home: Path, online: bool) -> str | None:
    """Installs the project's offline-data start-up file into the fresh profile; the mirror folder."""
    if online:
        say("Data: --online, the notebooks download from Keras's servers as a reader's do")
        return None
    folder = os.environ.get("DLBOOK_DATA_DIR") or (str(DEFAULT_DATA_DIR) if DEFAULT_DATA_DIR.is_dir() else None)
    if not folder:
        say("Data: no offline mirror (DLBOOK_DATA_DIR, ../shared/datasets): the notebooks download "
            "from Keras's servers as a reader's do")
        return None
    ipython = home / ".ipython"
    startup = ipython / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data" / "ipython" / "profile_default" / "startup" / "00-offline-data.py", startup)
    # The start-up file loads offline.py from the folder that holds IPYTHONDIR; offline.py reads
    # manifest.json beside itself.
    shutil.copy(ROOT / "data" / "offline.py", home)
    shutil.copy(ROOT / "data" / "manifest.json", home)
    folder = str(Path(folder).resolve())
    say(f"Data: this machine is offline, so the project's offline-data start-up file is installed "
        f"into the fresh IPython profile ({startup}); keras.datasets reads the verified mirror {folder} "
        "instead of downloading (a reader's Binder downloads)")
    return folder


# -- 3. the memory cap -----------------------------------------------------------------------

class MemoryCap:
    """A child cgroup with a memory limit, for one kernel. `procs` is None when none could be made."""

    def __init__(self, name: str, limit: int):
        self.path, self.version, self.reason = None, None, ""
        try:
            self._create_v2(name, limit)
        except OSError as error:
            self.reason = f"cgroup v2: {error}"
        if self.path is None:
            try:
                self._create_v1(name, limit)
            except OSError as error:
                self.reason += f"; cgroup v1: {error}"

    def _create_v2(self, name: str, limit: int):
        root = Path("/sys/fs/cgroup")
        if "memory" not in (root / "cgroup.controllers").read_text().split():
            raise OSError("no memory controller in /sys/fs/cgroup/cgroup.controllers")
        if "memory" not in (root / "cgroup.subtree_control").read_text().split():
            (root / "cgroup.subtree_control").write_text("+memory")
        path = root / name
        path.mkdir()
        try:
            (path / "memory.max").write_text(str(limit))
            if (path / "memory.swap.max").exists():
                (path / "memory.swap.max").write_text("0")
        except OSError:
            path.rmdir()
            raise
        self.path, self.version = path, 2

    def _create_v1(self, name: str, limit: int):
        root = Path("/sys/fs/cgroup/memory")
        if not (root / "memory.limit_in_bytes").exists():
            raise OSError("no memory controller mounted at /sys/fs/cgroup/memory")
        own = next((line.split(":", 2)[2] for line in Path("/proc/self/cgroup").read_text().splitlines()
                    if line.split(":")[1] == "memory"), "/")
        parent = root / own.lstrip("/")
        path = parent / name
        path.mkdir()
        try:
            (path / "memory.limit_in_bytes").write_text(str(limit))
            if (path / "memory.memsw.limit_in_bytes").exists():
                try:
                    (path / "memory.memsw.limit_in_bytes").write_text(str(limit))
                except OSError:
                    pass
        except OSError:
            path.rmdir()
            raise
        self.path, self.version = path, 1

    @property
    def procs(self) -> Path | None:
        return self.path / "cgroup.procs" if self.path else None

    def describe(self) -> str:
        if not self.path:
            return (f"no memory cap: cgroups are not writable here ({self.reason.strip('; ')}); "
                    "run as root on a machine with cgroup v2 or v1's memory controller")
        return f"{MEMORY_CAP / 2**30:.0f} GB memory cap, cgroup v{self.version} {self.path}"

    def peak(self) -> int | None:
        if not self.path:
            return None
        name = "memory.peak" if self.version == 2 else "memory.max_usage_in_bytes"
        try:
            return int((self.path / name).read_text())
        except (OSError, ValueError):
            return None

    def oom_kills(self) -> int:
        if not self.path:
            return 0
        name = "memory.events" if self.version == 2 else "memory.oom_control"
        try:
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except OSError:
            pass
        return 0

    def close(self):
        if not self.path:
            return
        for _ in range(50):  # the kernel's processes take a moment to leave
            try:
                self.path.rmdir()
                return
            except OSError:
                time.sleep(0.1)


# -- 4. one notebook -------------------------------------------------------------------------

def write_kernelspec(jupyter: Path, venv_python: Path, procs: Path | None) -> None:
    argv = [str(venv_python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    if procs:  # join the cgroup first, then become the kernel: everything it allocates is capped
        argv = ["/bin/sh", "-c", f'echo $$ > "{procs}" && exec "$0" "$@"', *argv]
    folder = jupyter / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(
        {"argv": argv, "display_name": "Python 3 (binder-check)", "language": "python"}))


def check_notebook(source: Path, venv_python: Path, env: dict[str, str], jupyter: Path,
                   scratch: Path) -> dict:
    work = scratch / f"work-{source.stem}"
    work.mkdir()
    copy = work / source.name
    shutil.copy(source, copy)           # alone: no project file beside it
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:               # outputs cleared: nothing stored is mistaken for this run's
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    cap = MemoryCap(f"dlbook-binder-check-{os.getpid()}-{source.stem}", MEMORY_CAP)
    write_kernelspec(jupyter, venv_python, cap.procs)
    with open(scratch / f"kernel-{source.stem}.log", "w") as log:
        run = run_notebook(copy, nb=nb, timeout=CELL_TIMEOUT, kernel_name=KERNEL_NAME, kernel_env=env,
                           kernel_log=log, catch=True)
    failure = None                      # what stopped the run, when the notebook's outputs do not say it
    if isinstance(run.error, DeadKernelError):
        failure = "the kernel died" + (" (killed at the 2 GB memory cap)" if cap.oom_kills() else "")
    elif run.error is not None and not isinstance(run.error, CellExecutionError):
        failure = f"{type(run.error).__name__}: {str(run.error)[:200]}"  # a timeout, or no kernel
    seconds, rss_peak = run.seconds, run.peak_bytes
    found = problems(nb)                # stderr outputs and error outputs, one line each
    if failure:
        found.append(failure)
    if cap.oom_kills() and not any("memory cap" in line for line in found):
        found.append(f"{cap.oom_kills()} process(es) killed at the memory cap")
    result = {"notebook": relative(source), "seconds": seconds, "cgroup_peak": cap.peak(),
              "rss_peak": rss_peak, "problems": found, "cap": cap.describe()}
    cap.close()
    return result


def table(results: list[dict]) -> str:
    def mb(value):
        return f"{value / 2**20:,.0f} MB" if value else "n/a"
    header = ["notebook", "seconds", "peak (cgroup)", "peak (kernel RSS)", "stderr / errors"]
    rows = [[r["notebook"], f"{r['seconds']:.1f}", mb(r["cgroup_peak"]), mb(r["rss_peak"]),
             "; ".join(r["problems"]).replace("|", "\\|") or "none"] for r in results]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--venv", type=Path, help="keep the fresh environment here and reuse it")
    parser.add_argument("--online", action="store_true", help="never install the offline-data start-up file")
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or notebook_paths("en")

    scratch = Path(tempfile.mkdtemp(prefix="binder-check-"))
    try:
        python = find_python(wanted_python())
        venv_python = fresh_environment(python, args.venv.resolve() if args.venv else scratch / "venv")
        home = scratch / "home"
        (home / "tmp").mkdir(parents=True)
        env = base_environment(venv_python, home)
        run_post_build(env)
        data = install_offline_data(home, args.online)
        if data:
            env.update({"IPYTHONDIR": str(home / ".ipython"), "DLBOOK_DATA_DIR": data})
        jupyter = scratch / "jupyter"
        os.environ["JUPYTER_PATH"] = str(jupyter)   # where this process finds the kernel spec
        results = []
        for source in notebooks:
            say(f"running {relative(source)} alone in a fresh kernel ...")
            results.append(check_notebook(source, venv_python, env, jupyter, scratch))
            say(f"  {results[-1]['seconds']:.1f} s, {results[-1]['cap']}")
        say("")
        say(table(results))
        failed = [r for r in results if r["problems"]]
        say(f"\n{len(results) - len(failed)} of {len(results)} notebook(s) ran with no stderr and no error "
            "in a Binder-like session")
        return 1 if failed else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
