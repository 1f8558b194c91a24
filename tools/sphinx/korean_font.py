"""Sphinx extension: Korean text renders even where the reader's system has no Korean font.

The CSS puts a font named "Book Korean" at the end of the theme's font stacks, limited to Hangul
code points. Its sources are the usual local Korean fonts first (so most readers download
nothing), then NanumGothic, copied at build time from the pinned `koreanize-matplotlib` wheel, the
same font the figures use, cut down at build time to its Hangul glyphs and written as WOFF
(about 400 KB instead of 4.7 MB; its Visual TrueType source tables, which browsers reject, are
dropped). No font file is kept in the repository.

The single-page build the book's PDF is printed from (tools/sphinx/print_book.py) takes its Hangul
from that served font only, never from a local one (a later face of the same name and range wins):
the PDF embeds the same font on every machine, whatever Korean fonts it has.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

STATIC = Path(__file__).with_name("static")
HANGUL = [(0x1100, 0x11FF), (0x3000, 0x303F), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7A3), (0xD7B0, 0xD7FF), (0xFF01, 0xFF60)]


def nanum_gothic() -> Path:
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed; install requirements-dev.txt")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts" / "NanumGothic.ttf"


FONT_FILE = "fonts/NanumGothic-Hangul.woff"  # under _static/
SERVED_ONLY_CSS = "korean-font-served-only.css"


def single_page(app) -> bool:
    return app.builder.name == "singlehtml"


def add_static(app):
    if str(STATIC) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC))
    app.add_css_file("korean-font.css")
    if single_page(app):
        app.add_css_file(SERVED_ONLY_CSS)


def served_only_css() -> str:
    """static/korean-font.css's face again, with the served font as its only source."""
    ranges = ", ".join(f"U+{first:04X}-{last:04X}" for first, last in HANGUL)
    return ("/* The single-page build (the book's PDF): Hangul from the served font only (korean_font.py). */\n"
            f'@font-face {{\n  font-family: "Book Korean";\n  src: url("{FONT_FILE}") format("woff");\n'
            f"  unicode-range: {ranges};\n}}\n")


def write_hangul_font(target: Path) -> None:
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.hinting = False
    options.drop_tables += ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5"]
    font = subset.load_font(str(nanum_gothic()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for first, last in HANGUL for u in range(first, last + 1)])
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(target), options)


def copy_font(app, exception):
    if exception is None and app.builder.format == "html":
        write_hangul_font(Path(app.outdir) / "_static" / FONT_FILE)
        if single_page(app):
            (Path(app.outdir) / "_static" / SERVED_ONLY_CSS).write_text(served_only_css(), encoding="utf-8")


def setup(app):
    app.connect("builder-inited", add_static)
    app.connect("build-finished", copy_font)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
