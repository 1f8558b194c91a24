"""Sphinx extension: a link to the same page in the other language's build.

The site is one build per language (tools/dlbook/site.py): SITE/ko/ from chapters/ko and SITE/en/
from chapters/en, each with its own `language`, so the theme's labels, the search page and index
and `<html lang>` are the build's own. Pages are paired by name: ko/X.html <-> en/X.html. Every
page whose counterpart's source file exists gets, at the top of its body, a link to it. Nothing
is written by hand per page, so a new chapter pair is linked as soon as both files exist.

The page chrome's translations: `locale/LANG/LC_MESSAGES/DOMAIN.po` here correct or complete the
catalogues of the themes and Sphinx for the build's language (sphinx-book-theme's Korean "By" is
"으로", a particle with nothing before it; pydata-sphinx-theme has no Korean catalogue). This
extension compiles them at start-up and puts them ahead of the themes' own catalogues, which stay
the fallback for every other message.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.book import OTHER_LANGUAGE, page_file  # noqa: E402

SWITCH_LABEL = {"ko": "Read this page in English →", "en": "이 페이지를 한국어로 읽기 →"}
LOCALE = Path(__file__).with_name("locale")


def counterpart_uri(app, pagename: str) -> str | None:
    """The relative address of the page's counterpart in the other build, if it has one."""
    other = OTHER_LANGUAGE.get(app.config.language)
    if other is None or page_file(other, pagename) is None:
        return None
    depth = pagename.count("/") + 1  # up to the build's folder, then to the site's
    return "../" * depth + f"{other}/" + app.builder.get_target_uri(pagename)


def add_language_switch(app, pagename, templatename, context, doctree):
    uri = counterpart_uri(app, pagename)
    if uri is None or "body" not in context:
        return
    other = OTHER_LANGUAGE[app.config.language]
    label = escape(SWITCH_LABEL[app.config.language])
    link = (f'<p class="language-switch">'  # styled by static/accessibility.css
            f'<a href="{escape(uri)}" hreflang="{other}" lang="{other}">{label}</a></p>')
    context["body"] = link + context["body"]


def compile_catalogues(app, config):
    """Compiles locale/LANG/LC_MESSAGES/*.po for this build's language and puts them first."""
    from gettext import GNUTranslations

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from sphinx.locale import get_translation, translators

    sources = sorted((LOCALE / str(config.language) / "LC_MESSAGES").glob("*.po"))
    for source in sources:
        target = Path(app.doctreedir) / "locale" / str(config.language) / "LC_MESSAGES" / f"{source.stem}.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as po, target.open("wb") as mo:
            write_mo(mo, read_po(po, locale=str(config.language)))
        with target.open("rb") as mo:
            ours = GNUTranslations(mo)
        theirs = translators.get(("general", source.stem))
        if isinstance(theirs, GNUTranslations):
            # already loaded (Sphinx's own, which its templates hold on to): ours take precedence
            theirs._catalog.update({k: v for k, v in ours._catalog.items() if k})
        else:
            translators["general", source.stem] = ours  # a theme registering later becomes the fallback
    # the search field's placeholder is a theme option (Jupyter Book sets it in English)
    options = config.html_theme_options
    if sources and isinstance(options.get("search_bar_text"), str):
        options["search_bar_text"] = str(get_translation("sphinx")(options["search_bar_text"]))


def setup(app):
    app.connect("html-page-context", add_language_switch)
    app.connect("config-inited", compile_catalogues)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
