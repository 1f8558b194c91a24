"""Fixtures shared by the test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlbook.site import build_site, problems


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site as `make book` builds it, once per test session: SITE/index.html, SITE/ko/, SITE/en/."""
    out = tmp_path_factory.mktemp("book")
    found = problems(build_site(out / "html", out / "lang"))
    assert not found, "the site's builds reported problems (make book shows them in full):\n" + "\n".join(found[:30])
    return out / "html"
