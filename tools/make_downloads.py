"""Writes the notebook zips into the built site: _build/html/{ko,en}/downloads/notebooks-{ko,en}.zip.

    make downloads                 (or: python tools/make_downloads.py [SITE])

Each zip holds one language's notebooks, with their stored outputs, and requirements.txt. The
landing pages link to them. `make book` already writes them at the end of the build (the Sphinx
extension tools/sphinx/notebook_downloads.py); this command rewrites them alone, e.g. after a
notebook changed, without rebuilding the site.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import ROOT  # noqa: E402
from dlbook.downloads import write_notebook_zips  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"make downloads: {args.site} is not a built site; run `make book` first", file=sys.stderr)
        return 1
    for path in write_notebook_zips(args.site):
        print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
