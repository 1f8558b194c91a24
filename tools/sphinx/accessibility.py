"""Sphinx extension: what the accessibility check found in the themes' page chrome, fixed at the source.

tests/test_site_in_browser.py runs axe-core over every page of both builds, in light and dark mode,
and fails on any critical or serious violation. What it found in the themes is fixed here, never by
rewriting built HTML: templates/ overrides two pydata-sphinx-theme components (searched before the
theme's own), static/accessibility.css sets colours from the theme's own variables, and the toggle
of a folded cell (myst-nb's hide-input) is written without the fixed English aria-label that hid
its visible, translated label ("코드 보기" / "Show code cell source") from assistive technology.
sphinx-exercise gives the body of every exercise and every solution the same id
(`exercise-content`, `solution-content`), so a page with two exercises repeats ids; the bodies
lose that id in the doctree (nothing links to it; the exercises keep their labels).
"""

from __future__ import annotations

from html import escape
from pathlib import Path

HERE = Path(__file__).parent


def add_templates_and_css(app, config):
    config.templates_path.insert(0, str(HERE / "templates"))
    if str(HERE / "static") not in config.html_static_path:
        config.html_static_path.append(str(HERE / "static"))
    app.add_css_file("accessibility.css")


def visit_hidden_cell(self, node):
    """myst-nb's visit_HideCellInput, the summary named by its visible text."""
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def drop_repeated_exercise_ids(app, doctree, docname):
    from docutils import nodes

    for section in doctree.findall(nodes.section):
        if section.get("ids") in (["exercise-content"], ["solution-content"]):
            section["ids"] = []


def setup(app):
    from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    app.connect("config-inited", add_templates_and_css)
    app.connect("doctree-resolved", drop_repeated_exercise_ids)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
