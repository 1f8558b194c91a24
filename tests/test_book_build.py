"""The site builds with zero Sphinx warnings, no internal link or image in it is broken, its launch
buttons and repository links point at files of this repository, and it offers the notebook zips."""

from __future__ import annotations

import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from dlbook.book import ROOT
from dlbook.publishing import PLACEHOLDER_MARK, repository


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets, self.ids, self.anchors = [], set(), []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.anchors.append((attrs["href"], attrs.get("class") or ""))
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical",)):
                self.targets.append(attrs[key])


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8", errors="replace"))
    return links


def test_no_broken_internal_links_or_images(site):
    pages = sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_"))
    parsed = {page: parse(page) for page in pages}
    broken = []
    for page, links in parsed.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith(("mailto:", "javascript:", "data:")):
                continue
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} -> {target}")
            elif parts.fragment and path.suffix == ".html":
                ids = parsed[path].ids if path in parsed else parse(path).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {target} (no such anchor)")
    assert not broken, "broken internal links or images:\n" + "\n".join(broken[:40])


def test_every_notebook_page_was_built(site):
    for notebook in ROOT.glob("chapters/*/*.ipynb"):
        page = site / notebook.relative_to(ROOT).with_suffix(".html")
        assert page.exists(), f"{notebook.relative_to(ROOT)} has no page in the site; is it in _toc.yml?"


def test_every_page_links_to_its_other_language(site):
    """The language switch (tools/sphinx/language_switch.py) is on every page that has a counterpart."""
    for page in sorted(site.glob("chapters/ko/*.html")) + sorted(site.glob("chapters/en/*.html")):
        language = page.parent.name
        other = "en" if language == "ko" else "ko"
        counterpart = site / "chapters" / other / page.name
        assert counterpart.exists(), f"{page.relative_to(site)} has no {other} counterpart"
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in html, f"{page.relative_to(site)} does not declare lang={language}"
        assert f'href="../{other}/{page.name}" hreflang="{other}"' in html, (
            f"{page.relative_to(site)} has no language switch to {counterpart.relative_to(site)}")


def test_every_notebook_page_carries_its_run_stamp(site):
    """tools/sphinx/run_stamp.py stamps each notebook page with what `make benchmark` measured.

    Every notebook must have been benchmarked in at least one language (both run the same code),
    and the stamp must show that run's numbers, read from benchmark/results.json.
    """
    results = json.loads((ROOT / "benchmark" / "results.json").read_text(encoding="utf-8"))
    rows = {r["notebook"]: r for r in results["notebooks"]}
    missing = []
    for notebook in sorted(ROOT.glob("chapters/*/*.ipynb")):
        language, name = notebook.parent.name, notebook.stem
        other = "en" if language == "ko" else "ko"
        row = rows.get(f"chapters/{language}/{name}.ipynb") or rows.get(f"chapters/{other}/{name}.ipynb")
        if row is None:
            missing.append(f"{language}/{name} (not in the benchmark: run make benchmark)")
            continue
        html = (site / "chapters" / language / f"{name}.html").read_text(encoding="utf-8")
        stamp = re.search(r'<p class="run-stamp"[^>]*>(.*?)</p>', html, re.S)
        if not stamp or f"{row['peak_mb']:,} MB" not in stamp.group(1) or results["versions"]["keras"] not in stamp.group(1):
            missing.append(f"{language}/{name} (no stamp, or not this run's numbers)")
    assert not missing, "notebook pages without a correct run stamp:\n" + "\n".join(missing)


def test_english_pages_have_english_interface_labels(site):
    """The theme speaks the project's language (ko); tools/sphinx/language_switch.py turns the page
    chrome of English pages back into English. No Korean interface label may be left on them."""
    korean_labels = ['title="검색"', 'aria-label="검색"', 'default-text">검색<', "<h2> 내용 </h2>", "</i> 내용",
                     'subtitle">이전<', 'subtitle">다음<', 'title="PDF로 인쇄"', 'title="소스 파일 다운로드"']
    left = [f"{page.name}: {label}" for page in sorted(site.glob("chapters/en/*.html"))
            for label in korean_labels if label in page.read_text(encoding="utf-8")]
    assert not left, "Korean interface labels on English pages:\n" + "\n".join(left[:20])
    korean_page = (site / "chapters" / "ko" / "5-1-generalization.html").read_text(encoding="utf-8")
    assert 'title="검색"' in korean_page, "the Korean pages should keep the theme's Korean labels"


def test_launch_buttons_and_repository_links_point_at_this_repository(site):
    """Every Binder, Colab and repository link of every page is built from `repository` in
    _config.yml (the one place the repository is named, dlbook.publishing) and names a file that
    exists in this working tree; every notebook page launches its own notebook on both services.

    The placeholder repository is well formed too, so this holds before a fork sets its own."""
    repo = repository()
    binder_prefix = f"{repo.binderhub_url}/v2/gh/{repo.owner}/{repo.name}/{repo.branch}"
    colab_prefix = f"{repo.colab_url}/github/{repo.owner}/{repo.name}/blob/{repo.branch}/"
    urlpath_prefix = "lab/tree/" if repo.lab else "tree/"

    def file_named(path: str, link: str, page: str, folder_ok: bool = False) -> str | None:
        """The repository path a link names, after checking it exists here; None (and a problem) if not."""
        target = ROOT / path
        if not path or ".." in path.split("/") or not (target.is_file() or folder_ok and target.is_dir()):
            problems.append(f"{page}: {link} names {path!r}, which is not a file of this repository")
            return None
        return path

    problems, launched = [], {}
    pages = sorted(p for p in site.rglob("*.html") if not p.relative_to(site).parts[0].startswith("_"))
    for page in pages:
        name = str(page.relative_to(site))
        for href, classes in parse(page).anchors:
            parts = urlsplit(href)
            if repo.binderhub_url and href.startswith(repo.binderhub_url + "/"):
                urlpath = parse_qs(parts.query).get("urlpath", [""])[0]
                if (f"{parts.scheme}://{parts.netloc}{parts.path}" != binder_prefix
                        or not urlpath.startswith(urlpath_prefix)):
                    problems.append(f"{name}: Binder link {href} is not {binder_prefix}?urlpath={urlpath_prefix}PATH")
                elif file_named(urlpath[len(urlpath_prefix):], href, name):
                    launched.setdefault(name, {})["binder"] = urlpath[len(urlpath_prefix):]
            elif repo.colab_url and href.startswith(repo.colab_url + "/"):
                if not href.startswith(colab_prefix) or parts.query or parts.fragment:
                    problems.append(f"{name}: Colab link {href} is not {colab_prefix}PATH")
                elif file_named(href[len(colab_prefix):], href, name):
                    launched.setdefault(name, {})["colab"] = href[len(colab_prefix):]
            elif parts.netloc == "github.com":
                segments = [s for s in parts.path.split("/") if s]
                ours = [s.lower() for s in segments[:2]] == [repo.owner.lower(), repo.name.lower()]
                if not ours:
                    if PLACEHOLDER_MARK in href or "btn" in classes.split():
                        problems.append(f"{name}: repository link {href} does not point at {repo.base}")
                    continue
                if segments[:2] != [repo.owner, repo.name] or parts.query or parts.fragment:
                    problems.append(f"{name}: repository link {href} is not spelled as {repo.base}")
                elif len(segments) > 2:
                    kind, *rest = segments[2:]
                    if kind not in ("blob", "tree", "edit", "raw") or not rest or rest[0] != repo.branch:
                        problems.append(f"{name}: repository link {href} is not {repo.base}/blob/{repo.branch}/PATH")
                    elif kind != "tree" or rest[1:]:
                        file_named("/".join(rest[1:]), href, name, folder_ok=kind == "tree")
    for notebook in sorted(ROOT.glob("chapters/*/*.ipynb")):
        page = str(notebook.relative_to(ROOT).with_suffix(".html"))
        own = repo.book_path(str(notebook.relative_to(ROOT)))
        for service in ("binder", "colab"):
            found = launched.get(page, {}).get(service)
            if found != own:
                problems.append(f"{page}: its {service} button launches {found or 'nothing'}, not {own}")
    assert not problems, "launch buttons or repository links that would not work:\n" + "\n".join(problems[:40])


def test_each_landing_page_links_its_languages_notebook_zip(site):
    """`make book` (tools/sphinx/notebook_downloads.py) puts one zip per language into the site,
    with every notebook of that language and requirements.txt; its landing page links to it."""
    for language in ("ko", "en"):
        archive = site / "downloads" / f"notebooks-{language}.zip"
        assert archive.exists(), f"{archive.relative_to(site)} is missing from the site"
        with zipfile.ZipFile(archive) as z:
            names = sorted(Path(name).name for name in z.namelist())
        expected = sorted([p.name for p in ROOT.glob(f"chapters/{language}/*.ipynb")] + ["requirements.txt"])
        assert names == expected, f"{archive.name} holds {names}, expected {expected}"
        landing = parse(site / "chapters" / language / "index.html")
        assert f"../../downloads/notebooks-{language}.zip" in landing.targets, (
            f"chapters/{language}/index.html does not link to downloads/notebooks-{language}.zip")
