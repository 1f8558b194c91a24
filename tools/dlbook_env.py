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
