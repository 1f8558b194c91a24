"""The site (one build per language, SITE/ko/ and SITE/en/, and a root page; dlbook.site) builds with
zero Sphinx warnings, each build speaks its own language, no internal link or image in it is broken,
its launch buttons and repository links point at files of this repository, and it offers the
notebook zips and the book's PDFs."""

from __future__ import annotations

import html as html_text
import json
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from dlbook.book import BOOK_ORDER, ROOT, page_file
from dlbook.pdf import embedded_fonts, image_count, outline, page_count, page_height, pdf_path
from dlbook.publishing import PLACEHOLDER_MARK, repository


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets, self.ids, self.anchors, self.images = [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append((attrs.get("src") or "", attrs.get("alt")))
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


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the site, the theme's and Sphinx's own files (_static/, ...) aside."""
    return sorted(p for p in site.rglob("*.html") if not any(part.startswith("_") for part in p.relative_to(site).parts))


def built_page(site: Path, source: Path) -> Path:
    """chapters/LANG/X.ipynb -> SITE/LANG/X.html"""
    return site / source.parent.name / source.with_suffix(".html").name


def test_no_broken_internal_links_or_images(site):
    pages = site_pages(site)
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
        page = built_page(site, notebook)
        assert page.exists(), (f"{notebook.relative_to(ROOT)} has no page in the site; is it in "
                               f"dlbook.book.PAGES?")


def test_root_page_leads_to_both_languages(site):
    root = parse(site / "index.html")
    assert "ko/index.html" in root.targets and "en/index.html" in root.targets


def test_every_page_links_to_its_other_language(site):
    """The language switch (tools/sphinx/language_switch.py) is on every page that has a counterpart,
    and leads to it in the other language's build."""
    sources = [p for p in ROOT.glob("chapters/*/*") if p.suffix in (".ipynb", ".md")]
    for page in sorted({built_page(site, source) for source in sources}):
        language = page.parent.name
        other = "en" if language == "ko" else "ko"
        counterpart = site / other / page.name
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
        html = built_page(site, notebook).read_text(encoding="utf-8")
        stamp = re.search(r'<p class="run-stamp"[^>]*>(.*?)</p>', html, re.S)
        if not stamp or f"{row['peak_mb']:,} MB" not in stamp.group(1) or results["versions"]["keras"] not in stamp.group(1):
            missing.append(f"{language}/{name} (no stamp, or not this run's numbers)")
    assert not missing, "notebook pages without a correct run stamp:\n" + "\n".join(missing)


class Chrome(HTMLParser):
    """The text of a page outside its article and outside any element marked lang="ko"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.parts = [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):
            return
        attrs = dict(attrs)
        inside = bool(self.stack and self.stack[-1])
        self.stack.append(inside or tag in ("script", "style") or attrs.get("lang") == "ko"
                          or "bd-article" in (attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if self.stack and tag not in ("meta", "link", "img", "br", "hr", "input", "source", "wbr"):
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def test_each_build_speaks_its_language(site):
    """Each build has its own Sphinx `language` (_config.yml with the language's settings, dlbook.site): `<html lang>`, the theme's labels,
    the search page and the search index are the language's own, with nothing rewritten after the
    build. No Korean is left in the page chrome of the English build (the Korean language switch
    aside, marked lang="ko"); the Korean build has the theme's Korean labels and search page."""
    hangul = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
    left = []
    for page in site_pages(site / "en"):
        html = page.read_text(encoding="utf-8")
        assert '<html lang="en"' in html, f"en/{page.name} does not declare lang=en"
        chrome = Chrome()
        chrome.feed(html)
        korean = sorted({w for w in " ".join(chrome.parts).split() if hangul.search(w)})
        if korean:
            left.append(f"en/{page.relative_to(site / 'en')}: {' '.join(korean[:8])}")
    assert not left, "Korean in the English build's page chrome:\n" + "\n".join(left[:20])
    for page in site_pages(site / "ko"):
        assert '<html lang="ko"' in page.read_text(encoding="utf-8"), f"ko/{page.name} does not declare lang=ko"
    korean_page = (site / "ko" / "5-1-generalization.html").read_text(encoding="utf-8")
    assert 'title="검색"' in korean_page and "지은이: dlbook maintainers" in korean_page, (
        "the Korean pages should have the theme's Korean labels (and the corrected author line)")
    for language in ("ko", "en"):
        options = (site / language / "_static" / "documentation_options.js").read_text(encoding="utf-8")
        assert f"LANGUAGE: '{language}'" in options, f"the {language} build's search page is not in {language}"


def test_every_image_has_words_for_alt_text(site):
    """No image of the site has an empty alt text or a file name for one; every figure of a page
    says what it shows in the page's language (cell metadata mystnb.image.alt, read by myst-nb)."""
    hangul = re.compile(r"[\uac00-\ud7a3]")
    file_name = re.compile(r"(^|/)[\w.-]+\.(png|jpe?g|gif|svg|webp)$|^[0-9a-f]{16,}", re.I)
    problems = []
    for page in site_pages(site):
        language = page.relative_to(site).parts[0]
        for src, alt in parse(page).images:
            where = f"{page.relative_to(site)}: {src}"
            if not alt or not alt.strip() or file_name.search(alt.strip()):
                problems.append(f"{where} has alt {alt!r}")
            elif "_images/" in src and (len(alt.split()) < 5 or bool(hangul.search(alt)) != (language == "ko")):
                problems.append(f"{where}: alt {alt[:60]!r} does not describe the figure in {language}")
    assert not problems, "images without words:\n" + "\n".join(problems[:30])


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
    for page in site_pages(site):
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
        page = str(built_page(site, notebook).relative_to(site))
        own = repo.book_path(str(notebook.relative_to(ROOT)))
        for service in ("binder", "colab"):
            found = launched.get(page, {}).get(service)
            if found != own:
                problems.append(f"{page}: its {service} button launches {found or 'nothing'}, not {own}")
    assert not problems, "launch buttons or repository links that would not work:\n" + "\n".join(problems[:40])


def test_each_landing_page_links_its_languages_notebook_zip(site):
    """`make book` (tools/sphinx/notebook_downloads.py) puts one zip into each language's build,
    with every notebook of that language and requirements.txt; its landing page links to it."""
    for language in ("ko", "en"):
        archive = site / language / "downloads" / f"notebooks-{language}.zip"
        assert archive.exists(), f"{archive.relative_to(site)} is missing from the site"
        with zipfile.ZipFile(archive) as z:
            names = sorted(Path(name).name for name in z.namelist())
        expected = sorted([p.name for p in ROOT.glob(f"chapters/{language}/*.ipynb")] + ["requirements.txt"])
        assert names == expected, f"{archive.name} holds {names}, expected {expected}"
        landing = parse(site / language / "index.html")
        assert f"downloads/notebooks-{language}.zip" in landing.targets, (
            f"{language}/index.html does not link to downloads/notebooks-{language}.zip")


def test_each_landing_page_links_its_languages_pdf(site):
    """`make book` (dlbook.site.write_pdfs, dlbook.pdf) prints each language's single-page build
    into SITE/LANG/downloads/book-LANG.pdf; its landing page links to it. The PDF holds every
    chapter, each starting at the top of a new page (its bookmark, which Chromium makes from its
    heading, sits there), every figure of the language's build, and, for Korean, the site's own
    Hangul font (NanumGothic, served with the site: a machine without Korean fonts prints it too)."""
    for language in ("ko", "en"):
        pdf = pdf_path(site, language)
        landing = parse(site / language / "index.html")
        assert str(pdf.relative_to(site / language)) in landing.targets, (
            f"{language}/index.html does not link to {pdf.relative_to(site / language)}")
        assert pdf.exists(), f"{pdf.relative_to(site)} is missing from the site"
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-"), f"{pdf.name} is not a PDF"
        chapters = [name for name in BOOK_ORDER if page_file(language, name)]
        assert page_count(data) > 3 * len(chapters), f"{pdf.name} has only {page_count(data)} pages"
        figures = len(list((site / language / "_images").glob("*.png")))
        assert image_count(data) >= figures, f"{pdf.name} holds {image_count(data)} images, the site {figures} figures"
        if language == "ko":
            assert "NanumGothic" in embedded_fonts(data), (
                f"{pdf.name} embeds no Hangul font (fonts: {sorted(embedded_fonts(data))}): its Korean would be boxes")
        top = 0.85 * page_height(data)
        starts = {"".join(title.split()): y for title, y in reversed(outline(data))}  # first bookmark of a title
        for name in chapters:
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", (site / language / f"{name}.html").read_text(encoding="utf-8"), re.S)
            title = "".join(html_text.unescape(re.sub(r"<[^>]+>", "", heading.group(1))).split())
            y = starts.get(title)
            assert y is not None, f"{pdf.name} has no bookmark for the chapter {name} ({title}): is it in the PDF?"
            assert y > top, f"{pdf.name}: the chapter {name} does not start at the top of a page"
