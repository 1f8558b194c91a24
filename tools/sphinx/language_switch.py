"""Sphinx extension: a link to the same page in the other language, and the page's html lang.

Pages are paired by path: chapters/ko/X <-> chapters/en/X. Every page of a language gets, at the
top of its body, a link to its counterpart when that exists, and `<html lang="ko|en">`. Nothing is
written by hand per page, so a new chapter pair is linked as soon as both files exist.

One Sphinx project serves both languages with `language: ko`, so the theme's interface labels
(search, contents, previous/next, download buttons) come out in Korean on every page. After the
build, the English pages get them back in English (`UI_LABELS_EN`, exact HTML fragments from the
theme's Korean catalogue; nothing inside a page's own text is touched).
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.book import OTHER_LANGUAGE  # noqa: E402

SWITCH_LABEL = {"ko": "Read this page in English →", "en": "이 페이지를 한국어로 읽기 →"}


def add_language_switch(app, pagename, templatename, context, doctree):
    parts = pagename.split("/")
    if len(parts) < 3 or parts[0] != "chapters" or parts[1] not in OTHER_LANGUAGE:
        return
    language = parts[1]
    context["language"] = language
    other = OTHER_LANGUAGE[language]
    counterpart = "/".join(["chapters", other, *parts[2:]])
    if counterpart not in app.env.found_docs or "body" not in context:
        return
    uri = app.builder.get_relative_uri(pagename, counterpart)
    label = escape(SWITCH_LABEL[language])
    link = (f'<p class="language-switch" style="text-align:right;margin:0 0 1em">'
            f'<a href="{escape(uri)}" hreflang="{other}" lang="{other}">{label}</a></p>')
    context["body"] = link + context["body"]


# (Korean as the theme renders it, English) — fragments of the page chrome only
UI_LABELS_EN = [
    ('title="검색"', 'title="Search"'),
    ('aria-label="검색"', 'aria-label="Search"'),
    ('search-button__default-text">검색<', 'search-button__default-text">Search<'),
    ('<h2> 내용 </h2>', '<h2> Contents </h2>'),
    ('<i class="fa-solid fa-list"></i> 내용', '<i class="fa-solid fa-list"></i> Contents'),
    ('prev-next-subtitle">이전<', 'prev-next-subtitle">Previous<'),
    ('prev-next-subtitle">다음<', 'prev-next-subtitle">Next<'),
    ('title="색인"', 'title="Index"'),
    ('title="소스 저장소"', 'title="Source repository"'),
    ('title="소스 파일 다운로드"', 'title="Download source file"'),
    ('aria-label="이 페이지 다운로드"', 'aria-label="Download this page"'),
    ('title="PDF로 인쇄"', 'title="Print to PDF"'),
    ('title="전체 화면으로보기"', 'title="Fullscreen mode"'),
    ("let toggleHintShow = '표시하려면 클릭';", "let toggleHintShow = 'Click to show';"),
    ("let toggleHintHide = '숨기려면 클릭';", "let toggleHintHide = 'Click to hide';"),
]


def english_interface_labels(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in (Path(app.outdir) / "chapters" / "en").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        changed = html
        for korean, english in UI_LABELS_EN:
            changed = changed.replace(korean, english)
        if changed != html:
            page.write_text(changed, encoding="utf-8")


def setup(app):
    app.connect("html-page-context", add_language_switch)
    app.connect("build-finished", english_interface_labels)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
