"""Sphinx extension: every HTML build ends with its language's notebook zip in it (dlbook.downloads).

Each landing page links to downloads/notebooks-LANG.zip beside it (SITE/LANG/downloads/); writing
the zip in the build itself means no built site lacks it (`make downloads` rewrites them on their own).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.downloads import write_notebook_zip  # noqa: E402


def write_zip(app, exception):
    # the site's build only: the single-page build the PDF is printed from publishes nothing else
    if exception is None and app.builder.name == "html":
        write_notebook_zip(Path(app.outdir), app.config.language)


def setup(app):
    app.connect("build-finished", write_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
