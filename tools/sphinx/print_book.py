"""Sphinx extension: the pages as they print, and the single-page build the book's PDF is printed from.

Every HTML build gets static/print.css (media="print"): what a reader's browser prints of any page,
and what headless Chromium prints of the single-page build into downloads/book-LANG.pdf
(dlbook.pdf). It leaves out the page chrome (sidebars, header, launch and download buttons, the
language switch, copy buttons), wraps code cells and their outputs to the page width, keeps
figures whole, and starts every chapter on a new page.

The single-page build (Sphinx's `singlehtml` builder, dlbook.site.write_pdfs) also gets:
- MathJax from the pinned `sphinx-mathjax-offline` wheel (MathJax 3.2.2), copied into its _static/,
  instead of the CDN the site uses, so that the PDF is made offline and its formulas are typeset
  (SVG output: drawn as paths, no font to wait for); words in a formula (\\text{여유}), which
  MathJax's own fonts lack, are set in the text's font, so Hangul there comes from the site's font;
- the book's title on its first page, above the table of contents, in place of the landing page's;
- its Hangul from the site's served font only, never a local one (tools/sphinx/korean_font.py).
Only the PDF is published from it (SITE/LANG/downloads/); the single page itself is not.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

STATIC = Path(__file__).with_name("static")
MATHJAX_PACKAGE = "sphinx-mathjax-offline"  # its folder name; the package is used only for its files
MATHJAX_SCRIPT = "mathjax/tex-svg.js"       # under _static/


def single_page(app) -> bool:
    return app.builder.name == "singlehtml"


def mathjax_folder() -> Path:
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{MATHJAX_PACKAGE} is not installed; install requirements-dev.txt")
    return Path(list(spec.submodule_search_locations)[0]) / "static" / "mathjax"


def inherit_html_handlers(app):
    """Sphinx looks up node handlers by the builder's name before its format, and takes only the
    first it finds: sphinx-exercise registers its nodes for `singlehtml` by name, which would hide
    every other extension's `html` handlers (myst-nb's, sphinx-jupyterbook-latex's HiddenCellNode)
    from the single-page build. It gets the `html` ones it lacks."""
    handlers = app.registry.translation_handlers
    if single_page(app) and "singlehtml" in handlers:
        for node, pair in handlers.get("html", {}).items():
            handlers["singlehtml"].setdefault(node, pair)


def set_up(app):
    inherit_html_handlers(app)
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))
    app.add_css_file("print.css", media="print")
    if single_page(app):
        mathjax_folder()  # fails now, not after the build, when the wheel is missing
        app.config.mathjax_path = MATHJAX_SCRIPT
        config = dict(app.config.mathjax3_config or {})
        config["svg"] = {**config.get("svg", {}), "mtextInheritFont": True}
        app.config.mathjax3_config = config


def book_title(app, pagename, templatename, context, doctree):
    """The single page's printed heading (sphinx-book-theme's print-only title) is the book's."""
    if single_page(app) and pagename == app.config.root_doc:
        context["pagetitle"] = app.config.html_title  # Jupyter Book sets it from `title`


def copy_mathjax(app, exception):
    if exception is None and single_page(app):
        shutil.copytree(mathjax_folder(), Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True)


def setup(app):
    app.connect("builder-inited", set_up)
    app.connect("html-page-context", book_title)
    app.connect("build-finished", copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
