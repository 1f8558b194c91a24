"""Installs only the requirements this Python lacks, leaving every installed package as it is.

    python tools/install_missing.py -r requirements.txt [NAME ...]

For running the book in an environment that ships its own versions, such as Colab's runtime image
(the drift workflow's second job): the point is to run the notebooks on the versions the image has,
so a requirement whose package is installed, at any version, is skipped; a missing one is installed
as pinned in the file. Bare NAMEs (the tools' own needs: nbclient, nbformat, psutil) take their pin
from requirements-dev.txt. `tensorflow-cpu` counts as present when `tensorflow` is installed (Colab
ships the GPU build, which runs on CPUs too).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_REQUIREMENTS = ROOT / "requirements-dev.txt"
SATISFIED_BY = {"tensorflow-cpu": ("tensorflow",)}


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_lines(path: Path) -> list[str]:
    """The requirement specifiers of a requirements file (comments, options and -r lines skipped)."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def name_of(requirement: str) -> str:
    return normalize(re.split(r"[<>=!~;\[\s]", requirement, maxsplit=1)[0])


def installed_as(name: str) -> str | None:
    """"NAME VERSION" of the installed package that satisfies `name`, or None."""
    for candidate in (name, *SATISFIED_BY.get(name, ())):
        try:
            return f"{candidate} {metadata.version(candidate)}"
        except metadata.PackageNotFoundError:
            continue
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-r", "--requirements", type=Path, action="append", default=[])
    parser.add_argument("names", nargs="*", help="more packages, pinned as in requirements-dev.txt")
    parser.add_argument("--dry-run", action="store_true", help="only say what would be installed")
    args = parser.parse_args(argv)
    pins = {name_of(line): line for line in requirement_lines(DEV_REQUIREMENTS)} if DEV_REQUIREMENTS.exists() else {}
    wanted = [line for path in args.requirements for line in requirement_lines(path)]
    wanted += [pins.get(normalize(name), name) for name in args.names]
    missing = []
    for requirement in wanted:
        found = installed_as(name_of(requirement))
        if found:
            print(f"kept {found} (wanted {requirement})")
        else:
            missing.append(requirement)
    if not missing:
        print("nothing to install")
        return 0
    print("installing:", " ".join(missing), flush=True)
    if args.dry_run:
        return 0
    return subprocess.call([sys.executable, "-m", "pip", "install", "--quiet", *missing])


if __name__ == "__main__":
    sys.exit(main())
