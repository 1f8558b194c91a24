"""Rewrite each language's table of contents and configuration: python tools/update_toc.py

The site is one Jupyter Book build per language (tools/dlbook/site.py), each reading its own files:

- _toc.LANG.yml: the landing page (index) as root, then every page of dlbook.book.PAGES that exists
  in that language (notebook or Markdown), in book order, in two captioned parts: the learner's
  chapters, then the pages about the book (kind "about").
- _config.LANG.yml: _config.yml (the one configuration a person edits) with the language's settings
  (dlbook.site.LANGUAGE_SETTINGS: title, a few labels), Sphinx `language` and repository path_to_book.

Run it after editing PAGES or _config.yml: tests/test_book_structure.py checks that the committed
files are what it writes (and fails for a page file that PAGES does not name), and `make book`
refuses to build from stale ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.book import ROOT  # noqa: E402
from dlbook.site import write_generated  # noqa: E402


def main() -> None:
    for path in write_generated():
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
