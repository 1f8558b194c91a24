"""Write each language's table of contents and configuration into _build/config/: python tools/update_toc.py

The site is one Jupyter Book build per language (tools/dlbook/site.py), each reading its own files:

- _build/config/_toc.LANG.yml: the landing page (index) as root, then every page of dlbook.book.PAGES that exists
  in that language (notebook or Markdown), in book order, in two captioned parts: the learner's
  chapters, then the pages about the book (kind "about").
- _build/config/_config.LANG.yml: _config.yml (the one configuration a person edits) with the language's settings
  (dlbook.site.LANGUAGE_SETTINGS: title, a few labels), Sphinx `language` and repository path_to_book.

`make book` (tools/build_site.py) writes them itself before every build, so nothing generated is
committed: a chapter is one line in PAGES plus its notebooks, and a fork's repository is one value
in _config.yml. Run this only to look at what the builds will read.
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
