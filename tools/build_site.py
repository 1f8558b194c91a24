"""Builds the site: python tools/build_site.py [SITE]   (what `make book` runs; default _build/html)

One Jupyter Book build per language (SITE/ko/, SITE/en/, each with its own Sphinx `language`), the
root page SITE/index.html, and each language's PDF, SITE/LANG/downloads/book-LANG.pdf (its
single-page build printed by headless Chromium; tools/dlbook/site.py, tools/dlbook/pdf.py). Sphinx
warnings are errors; each build's caches stay in _build/lang/LANG/. Exit 1 when any build warned or
failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import ROOT  # noqa: E402
from dlbook.site import build_site, problems  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    args = parser.parse_args(argv)
    found = problems(build_site(args.site, echo=True))
    if found:
        print("\nthe site's builds reported problems:\n" + "\n".join(found), file=sys.stderr)
        return 1
    print(f"\nthe site is in {args.site}: open {args.site / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
