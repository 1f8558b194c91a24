"""Is the book ready to publish? Refuses while _config.yml names the placeholder repository.

    make publish-check                       (or: python tools/check_publishing.py [CONFIG])

The Binder and Colab launch buttons and the repository links of every page are built from
`repository.url` and `repository.branch` in _config.yml, the one place the repository is named.
A fork sets that one value (PUBLISHING.md). Exit 0 and one line naming the repository when it is
set; exit 1 and one line saying what to set while it is the placeholder. The pages workflow runs
this before it builds, so a site with dead launch buttons is never published.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dlbook.publishing import CONFIG, problem, read_config, repository  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", type=Path, default=CONFIG, help="default: _config.yml")
    args = parser.parse_args(argv)
    config = read_config(args.config)
    found = problem(config)
    if found:
        print(f"publish-check: {found}", file=sys.stderr)
        return 1
    repo = repository(config)
    where = f", book in {repo.path_to_book}/" if repo.path_to_book else ""
    print(f"publish-check: ok, launch buttons and links point at {repo.base} (branch {repo.branch}{where})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
