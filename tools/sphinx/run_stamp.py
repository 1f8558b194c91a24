"""Sphinx extension: a run stamp on every notebook page, read from the benchmark's results file.

`make benchmark` executes every notebook the way the tests do and writes what it measured to
benchmark/results.json. This extension puts one small line at the top of each notebook page:
how long the notebook took, its peak memory, its lower bound from the arithmetic of its training
runs, the Keras / TensorFlow / Python versions and the machine. Nothing is typed by hand: a page
whose notebook was not benchmarked gets no stamp, and a new benchmark changes every stamp. When only
the other language's notebook was measured (both run the same code), the stamp says so.
"""

from __future__ import annotations

import hashlib
import json
import sys
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from dlbook.book import BENCHMARK, page_file  # noqa: E402
from dlbook.book import OTHER_LANGUAGE as OTHER  # noqa: E402

RESULTS = BENCHMARK / "results.json"
TEXT = {
    "en": {
        "stamp": "Run stamp: executed in {seconds} s, peak memory {peak} MB{bound} · Keras {keras}, "
                 "TensorFlow {tensorflow}, Python {python} · {cores} CPU cores ({cpu}) · "
                 "<code>make benchmark</code>, {date}{other}",
        "bound": " (lower bound {bound} s, {ratio}×)",
        "other": "measured on the Korean notebook, which runs the same code",
    },
    "ko": {
        "stamp": "실행 기록: {seconds}초, 최대 메모리 {peak} MB{bound} · Keras {keras}, "
                 "TensorFlow {tensorflow}, Python {python} · CPU 코어 {cores}개 ({cpu}) · "
                 "<code>make benchmark</code>, {date}{other}",
        "bound": " (하한 {bound}초의 {ratio}배)",
        "other": "같은 코드를 실행하는 영어 노트북에서 측정",
    },
}


def load_results(app) -> dict:
    if not RESULTS.exists():
        return {}
    return json.loads(RESULTS.read_text(encoding="utf-8"))


def benchmark_row(results: dict, language: str, name: str) -> tuple[dict | None, str]:
    """The benchmark row of a page's notebook and the language it was measured in: the page's own
    language's row, else the other language's (both notebooks run the same code), else (None, language).
    Every page that shows a measurement finds it here (the stamp, tools/sphinx/chapter_time.py)."""
    rows = {r["notebook"]: r for r in results.get("notebooks", [])}
    for measured_in in (language, OTHER[language]):
        row = rows.get(f"chapters/{measured_in}/{name}.ipynb")
        if row is not None:
            return row, measured_in
    return None, language


def stamp_html(results: dict, language: str, name: str) -> str | None:
    row, measured_in = benchmark_row(results, language, name)
    if row is None:
        return None
    text = TEXT[language]
    bound = ""
    if row.get("ratio"):
        bound = text["bound"].format(bound=f"{row['bound_seconds']:.0f}", ratio=f"{row['ratio']:.1f}")
    # a row re-measured alone (make benchmark NB=...) carries its own machine, date and versions
    versions = row.get("versions") or results.get("versions", {})
    machine = row.get("cpu") or results.get("cpu", {})
    line = text["stamp"].format(
        seconds=f"{row['seconds']:.0f}", peak=f"{row['peak_mb']:,}", bound=bound,
        keras=escape(versions.get("keras", "?")), tensorflow=escape(versions.get("tensorflow", "?")),
        python=escape(versions.get("python", "?")), cores=machine.get("cores", "?"),
        cpu=escape(machine.get("model", "?")), date=escape(row.get("date") or results.get("date", "?")),
        other=" · " + text["other"] if measured_in != language else "")
    return f'<p class="run-stamp">{line}</p>'  # styled by static/accessibility.css


def add_run_stamp(app, pagename, templatename, context, doctree):
    language = app.config.language
    if language not in TEXT or "body" not in context:
        return
    source = page_file(language, pagename)
    if source is None or source.suffix != ".ipynb":
        return
    html = stamp_html(load_results(app), language, pagename)
    if html:
        context["body"] = html + context["body"]


def fingerprint_results(app, config):
    """A new results file changes this config value, and Sphinx then rewrites every page."""
    config.run_stamp_results = hashlib.sha256(RESULTS.read_bytes()).hexdigest() if RESULTS.exists() else ""


def setup(app):
    # runs before the language switch (priority 500), which then puts its link above the stamp
    app.connect("html-page-context", add_run_stamp, priority=400)
    app.add_config_value("run_stamp_results", "", "html")
    app.connect("config-inited", fingerprint_results)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
