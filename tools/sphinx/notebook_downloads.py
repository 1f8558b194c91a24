"""Sphinx extension: every HTML build ends with the notebook zips in the site (dlbook.downloads).

The landing pages link to downloads/notebooks-ko.zip and downloads/notebooks-en.zip; writing them
in the build itself means no built site lacks them (`make downloads` rewrites them on their own).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.downloads import write_notebook_zips  # noqa: E402


def write_zips(app, exception):
    if exception is None and app.builder.format == "html":
        write_notebook_zips(Path(app.outdir))


def setup(app):
    app.connect("build-finished", write_zips)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
