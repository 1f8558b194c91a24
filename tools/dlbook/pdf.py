"""The book as one PDF per language: SITE/LANG/downloads/book-LANG.pdf, linked from the landing pages.

Each language's single-page build (dlbook.site.write_pdfs: Sphinx's `singlehtml` builder with
the same configuration as the site, stored outputs, nothing executed) is printed by headless
Chromium (dlbook.chromium) with the site's print style sheet (tools/sphinx/static/print.css): no
page chrome, code wrapped to the page, every chapter on a new page, A4, page numbers at the foot.
Chromium runs with the network cut off: the Hangul comes from the site's own web font (NanumGothic
from the pinned koreanize-matplotlib, tools/sphinx/korean_font.py; never a system font), the
formulas from MathJax copied into the single page (tools/sphinx/print_book.py), the figures from
its _images/. Every folded cell (the setup cell) is printed open, since a PDF cannot unfold it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from dlbook.chromium import Browser, chromium_path
from dlbook.downloads import FOLDER

# The foot of every page: its number and the page count (Chromium fills the two spans). Header and
# footer templates cannot load web fonts, so they hold no words, only digits.
FOOTER = ('<div style="font-size: 8pt; width: 100%; text-align: center; color: #555;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
# Resolves once the page is ready to print: MathJax has typeset every formula, fonts have loaded,
# every image has arrived, and every folded cell is open. A link to a file beside the single page
# (the landing page's downloads) would print as this machine's file: address: it stays as text.
READY = """(async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('a[href]').forEach(a => {
    if (new URL(a.href).protocol === 'file:' && !a.getAttribute('href').startsWith('#')) { a.removeAttribute('href'); }
  });
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await Promise.all([...document.images].map(img => img.complete ? null : new Promise(done => {
    img.addEventListener('load', done); img.addEventListener('error', done); })));
  await document.fonts.ready;
  return {
    broken: [...document.images].filter(img => !img.naturalWidth).map(img => img.getAttribute('src')),
    untypeset: document.querySelectorAll('.math:not(:has(mjx-container))').length,
  };
})()"""


def pdf_name(language: str) -> str:
    return f"book-{language}.pdf"


def pdf_path(site: Path, language: str) -> Path:
    """SITE/LANG/downloads/book-LANG.pdf: beside the notebook zip (dlbook.downloads)."""
    return Path(site) / language / FOLDER / pdf_name(language)


class PrintError(RuntimeError):
    pass


def print_pdf(page: Path, target: Path) -> Path:
    """Prints the single-page build's PAGE (index.html) into TARGET. Raises PrintError when Chromium is
    missing, or when a figure or formula of the page did not make it into the print."""
    if not chromium_path():
        raise PrintError("the book's PDF is printed by headless Chromium, which is missing: "
                         "apt-get install chromium (as root), or `make chromium`")
    with tempfile.TemporaryDirectory(prefix="dlbook-pdf-") as profile:
        browser = Browser(Path(profile))
        try:
            browser.offline()
            browser.open(Path(page).resolve().as_uri())
            state = browser.evaluate(READY)
            if state["broken"] or state["untypeset"]:
                raise PrintError(f"{page}: {len(state['broken'])} image(s) did not load "
                                 f"({', '.join(state['broken'][:5])}), {state['untypeset']} formula(s) "
                                 "were not typeset")
            browser.print_to_pdf(
                target, preferCSSPageSize=True, printBackground=True, displayHeaderFooter=True,
                headerTemplate="<div></div>", footerTemplate=FOOTER, generateDocumentOutline=True,
                generateTaggedPDF=True)  # the outline (bookmarks) needs the tagged PDF
        finally:
            browser.close()
    target = Path(target)
    target.write_bytes(undouble_titles(target.read_bytes()))
    return target


# What can be read from the PDF without a PDF library (Chromium writes its page, font and outline
# objects uncompressed): the tests and the summary line of `make pdf` use them.
def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def embedded_fonts(data: bytes) -> set[str]:
    """The names of the fonts embedded in the PDF, without their subset prefix (AAAAAA+)."""
    return {name.decode("latin-1").split("+", 1)[-1] for name in re.findall(rb"/FontName\s*/([^\s/<>\[\]()]+)", data)}


def image_count(data: bytes) -> int:
    """Image objects: each figure once (however often it is shown), and each one's alpha mask."""
    return len(re.findall(rb"/Subtype\s*/Image(?![a-zA-Z])", data))


def page_height(data: bytes) -> float:
    box = re.search(rb"/MediaBox\s*\[\s*[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s*\]", data)
    return float(box.group(1)) if box else 0.0


def pdf_string(token: bytes) -> str:
    """A PDF string object: (literal) or <hex>, the latter UTF-16 when it starts with FEFF."""
    if token.startswith(b"<"):
        raw = bytes.fromhex(token[1:-1].decode("ascii"))
        return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
    body = re.sub(rb"\\([()\\])", rb"\1", token[1:-1])
    return body.decode("latin-1")


def outline(data: bytes) -> list[tuple[str, float]]:
    """The PDF's bookmarks (Chromium makes one per heading): (title, height of its heading on its
    page, in points from the page's foot)."""
    entries = re.finditer(rb"/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)\s*/Dest\s*\[\s*\d+\s+\d+\s+R\s*/XYZ"
                          rb"\s+[-\d.]+\s+([-\d.]+)", data)
    return [(" ".join(pdf_string(m.group(1)).split()), float(m.group(2))) for m in entries]


TITLE = re.compile(rb"(/Title\s*)(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>)")


def undouble_titles(data: bytes) -> bytes:
    """Chromium (156) writes the bookmark of a heading that a page break moved to the next page with
    its title twice ("CheckCheck"). Each such title once, padded with spaces to its old length, so
    that every object keeps its offset and the cross-reference table stays right."""
    def once(match: re.Match) -> bytes:
        token = match.group(2)
        if token.startswith(b"<"):
            head, body, unit = (4, token[5:-1], 4) if token[1:5].upper() == b"FEFF" else (0, token[1:-1], 2)
            opening, closing = token[:1 + head], b">"
        else:
            body, unit, opening, closing = token[1:-1], 1, b"(", b")"
        half = len(body) // 2
        if not half or half % unit or body[:half] != body[half:]:
            return match.group(0)
        single = opening + body[:half] + closing
        return match.group(1) + single + b" " * (len(token) - len(single))
    return TITLE.sub(once, data)
