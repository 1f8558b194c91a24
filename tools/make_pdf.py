"""Writes the book's PDFs into the built site: _build/html/{ko,en}/downloads/book-{ko,en}.pdf.

    make pdf                       (or: python tools/make_pdf.py [SITE] [--language ko])

Each language's single-page build (Sphinx's `singlehtml` builder with the site's generated
configuration; stored outputs, nothing executed; Sphinx warnings are errors), printed by headless
Chromium with the network cut off (dlbook.pdf). The landing pages link to the PDFs. `make book`
already writes them after the site's builds; this command rewrites them alone, e.g. after the print
style sheet changed, in an already built site.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import LANGUAGES, ROOT  # noqa: E402
from dlbook.site import problems, write_pdfs  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--language", choices=LANGUAGES, action="append",
                        help="only this language (repeatable); default: every language")
    parser.add_argument("--work", type=Path, help="where the single-page builds run (default: SITE's parent/lang)")
    parser.add_argument("--verbose", action="store_true", help="print the single-page builds' output")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        print(f"make pdf: {args.site} is not a built site; run `make book` first", file=sys.stderr)
        return 1
    start = time.monotonic()
    results = write_pdfs(args.site, args.work, echo=args.verbose, languages=args.language)
    found = problems(results)
    if found:
        print("the PDFs' builds reported problems:\n" + "\n".join(found), file=sys.stderr)
        return 1
    if not args.verbose:
        for _, output in results.values():
            print(output.splitlines()[-1])
    print(f"{len(results)} PDF(s) in {time.monotonic() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
