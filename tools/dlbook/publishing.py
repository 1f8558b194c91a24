"""Where the book is published from: the one repository setting, and the links built from it.

`_config.yml` → `repository` (url, branch, path_to_book) is the only place the repository is named.
Jupyter Book builds from it the Binder and Colab launch buttons of every notebook page and the
repository button of every page; `tools/check_publishing.py` refuses to publish while it is the
placeholder; the build test checks every such link against it and against the working tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from dlbook.book import ROOT

CONFIG = ROOT / "_config.yml"
# The value the repository ships with until a fork sets its own (see PUBLISHING.md).
PLACEHOLDER_MARK = "REPLACE-WITH-"
GITHUB_URL = re.compile(r"^https://github\.com/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]*)/(?P<name>[A-Za-z0-9._-]+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Repository:
    url: str
    owner: str
    name: str
    branch: str
    path_to_book: str            # "" when the book is the repository's root
    binderhub_url: str
    colab_url: str
    lab: bool                    # launch_buttons.notebook_interface is jupyterlab

    @property
    def base(self) -> str:
        return f"https://github.com/{self.owner}/{self.name}"

    def book_path(self, source: str) -> str:
        """The repository path of a book source file (chapters/en/X.ipynb)."""
        return "/".join(part for part in (self.path_to_book.strip("/"), source) if part)


def read_config(path: Path = CONFIG) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def problem(config: dict) -> str | None:
    """What must be set before publishing, in one line; None when the repository is set."""
    repository = config.get("repository") or {}
    url = str(repository.get("url") or "").strip()
    if not url or PLACEHOLDER_MARK in url:
        shown = url or "(empty)"
        return (f"repository.url in _config.yml is the placeholder {shown}: set it to your repository, "
                "e.g. https://github.com/OWNER/REPO (the Binder and Colab buttons and the repository "
                "links are built from it; see PUBLISHING.md)")
    if not GITHUB_URL.match(url):
        return (f"repository.url in _config.yml is {url}: set it to a GitHub repository address, "
                "https://github.com/OWNER/REPO (Binder and Colab launch from GitHub)")
    if not str(repository.get("branch") or "").strip():
        return "repository.branch in _config.yml is empty: set it to the branch the site is built from (e.g. main)"
    return None


def repository(config: dict | None = None) -> Repository:
    """The repository as configured (placeholder included: it is well formed)."""
    config = read_config() if config is None else config
    repo = config.get("repository") or {}
    launch = config.get("launch_buttons") or {}
    url = str(repo.get("url") or "").strip()
    match = GITHUB_URL.match(url)
    if not match:
        raise ValueError(f"repository.url in _config.yml is not https://github.com/OWNER/REPO: {url!r}")
    return Repository(
        url=url, owner=match["owner"], name=match["name"], branch=str(repo.get("branch") or "main"),
        path_to_book=str(repo.get("path_to_book") or "").strip("/"),
        binderhub_url=str(launch.get("binderhub_url") or "").rstrip("/"),
        colab_url=str(launch.get("colab_url") or "").rstrip("/"),
        lab=str(launch.get("notebook_interface") or "classic") == "jupyterlab")
