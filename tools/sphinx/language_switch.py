"""Sphinx extension: a link to the same page in the other language, and the page's html lang.

Pages are paired by path: chapters/ko/X <-> chapters/en/X. Every page of a language gets, at the
top of its body, a link to its counterpart when that exists, and `<html lang="ko|en">`. Nothing is
written by hand per page, so a new chapter pair is linked as soon as both files exist.
"""

from __future__ import annotations

from html import escape

LANGUAGES = {
    "ko": {"other": "en", "label": "Read this page in English →"},
    "en": {"other": "ko", "label": "이 페이지를 한국어로 읽기 →"},
}


def add_language_switch(app, pagename, templatename, context, doctree):
    parts = pagename.split("/")
    if len(parts) < 3 or parts[0] != "chapters" or parts[1] not in LANGUAGES:
        return
    language = parts[1]
    context["language"] = language
    other = LANGUAGES[language]["other"]
    counterpart = "/".join(["chapters", other, *parts[2:]])
    if counterpart not in app.env.found_docs or "body" not in context:
        return
    uri = app.builder.get_relative_uri(pagename, counterpart)
    label = escape(LANGUAGES[language]["label"])
    link = (f'<p class="language-switch" style="text-align:right;margin:0 0 1em">'
            f'<a href="{escape(uri)}" hreflang="{other}" lang="{other}">{label}</a></p>')
    context["body"] = link + context["body"]


def setup(app):
    app.connect("html-page-context", add_language_switch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
