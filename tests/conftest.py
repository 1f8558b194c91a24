"""Fixtures shared by the test files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dlbook.book import ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out),
         "--warningiserror", "--nitpick", "--keep-going"],
        capture_output=True, text=True)
    warnings = [line for line in (result.stdout + result.stderr).splitlines()
                if "WARNING" in line or "ERROR" in line]
    assert result.returncode == 0 and not warnings, (
        "the book build reported problems (make book shows them in full):\n" + "\n".join(warnings[:30])
        + ("" if warnings else result.stdout[-3000:] + result.stderr[-3000:]))
    return out / "_build" / "html"
