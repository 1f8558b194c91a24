"""The environment in which notebooks are recorded and tested: one definition for both."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "datasets"


def test_environment(environ=os.environ) -> dict[str, str]:
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


def apply_test_environment() -> dict[str, str]:
    env = test_environment()
    os.environ.update(env)
    return env


def test_lanes(root: Path = ROOT) -> dict[str, list[Path]]:
    """How the tests and the benchmark run the notebooks two at a time (one lane per core).

    Lane "ko": the Korean notebooks in file order. Lane "en": the English ones in reverse order.
    The orders differ on purpose: while one lane trains 4.4's 1024-unit model (arithmetic-bound,
    it keeps both cores busy alone) the other is on small models whose time goes to per-step
    overhead and memory traffic, which leave a core idle; two lanes fill it.
    """
    return {"ko": sorted(root.glob("chapters/ko/*.ipynb")),
            "en": sorted(root.glob("chapters/en/*.ipynb"), reverse=True)}
