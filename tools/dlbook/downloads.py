"""The downloads of the site: one zip per language with all its notebooks (stored outputs included).

Written into each language's build (SITE/LANG/downloads/notebooks-LANG.zip) by the Sphinx
extension tools/sphinx/notebook_downloads.py at the end of that build, and by `make downloads` into
an already built _build/html. Each zip holds the language's notebooks and requirements.txt, under one
folder; its entries carry a fixed date, so the same notebooks always give the same bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from dlbook.book import LANGUAGES, ROOT, notebook_paths

FOLDER = "downloads"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can carry


def zip_name(language: str) -> str:
    return f"notebooks-{language}.zip"


def write_notebook_zips(site: Path, languages=None) -> list[Path]:
    """Writes SITE/LANG/downloads/notebooks-LANG.zip for every language (or those given); returns
    their paths."""
    return [write_notebook_zip(Path(site) / language, language) for language in (languages or LANGUAGES)]


def write_notebook_zip(build: Path, language: str) -> Path:
    """Writes BUILD/downloads/notebooks-LANG.zip: one language's notebooks and requirements.txt."""
    out = Path(build) / FOLDER
    out.mkdir(parents=True, exist_ok=True)
    target = out / zip_name(language)
    folder = target.stem
    files = [*notebook_paths(language), ROOT / "requirements.txt"]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            entry = zipfile.ZipInfo(f"{folder}/{path.name}", date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, path.read_bytes())
    return target
