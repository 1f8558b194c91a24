"""Sphinx extension: how long a page takes to read and its notebook to run, computed at build time.

A page's markdown writes the role where the time goes, in its own words around it:

    **Time.** Reading: {chapter-time}`reading`. Running every cell: {chapter-time}`running`.

The role puts in a number that nobody types (chapters/*/: the "Before you start" block of each
chapter, written by the maintainers' objectives script and checked by tests/test_chapter_objectives.py):

- `running`: the time the page's notebook took to execute every cell, alone in a fresh kernel, in
  `make benchmark` (benchmark/results.json), on the CPU cores that run measured on. The row is
  found as the run stamp finds it (run_stamp.benchmark_row): the page's own language's notebook,
  else the other language's, which runs the same code, and then the text says so in run_stamp's
  words. A new results file re-renders every page (run_stamp's fingerprint), so the time is never
  stale. Under a minute it reads "under a minute", else the nearest whole minute.
- `reading`: an estimate from the page's own text, counted when Sphinx reads the page:
    - prose: every word outside code cells, the printed text of the outputs included (a word is a
      run of non-space characters with a letter or digit once the Hangul is taken out, so the
      Latin terms, numbers and code names of the Korean pages count as words too), at
      READING_WORDS_PER_MINUTE = 200 words a minute, and every Hangul syllable at
      READING_HANGUL_PER_MINUTE = 440 syllables a minute. The English rate is reading to learn,
      below the 238 words a minute Brysbaert (2019, J. Mem. Lang. 109, 104047) found for adults'
      silent reading of English non-fiction. The Korean rate is the same pace for the same
      content: reading rates across languages follow the amount of text a language needs for the
      same message (Brysbaert), and this book's Korean pages, which say what the English ones say,
      hold 2.2 Hangul syllables for each English word they stand for (the median over the pages
      when this rule was written; 2.1 to 2.3 across the chapters), so 440 syllables a minute is
      the pace of 200 words, and a chapter's two estimates come out alike;
    - code: every non-blank line of the code a page shows (code cells, unless folded away with
      `hide-input` or removed, and code blocks in the prose), at CODE_LINES_PER_MINUTE = 15
      lines a minute: a learner reads code more slowly than prose and compares it with the text;
    - figures: SECONDS_PER_FIGURE = 20 seconds for every image in the outputs.
  The code and figure rates are this book's assumptions, not measurements. The sum is shown to the
  nearest minute below 10 minutes, else to the nearest 5 minutes: it is an estimate, and reads as
  one ("about 35 min").

A changed rate changes the config value `chapter_time_rule`, and Sphinx then reads every page
again; a change in how the counting is done needs ENV_VERSION raised for the same effect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docutils import nodes

import run_stamp

ROLE = "chapter-time"
KINDS = ("reading", "running")
READING_WORDS_PER_MINUTE = 200
READING_HANGUL_PER_MINUTE = 440
CODE_LINES_PER_MINUTE = 15
SECONDS_PER_FIGURE = 20
ENV_VERSION = 1  # raise it when the counting (page_amounts) changes: cached pages are then read again
HIDDEN_INPUT = {"hide-input", "remove-input", "remove-cell"}
HANGUL = re.compile("[\uac00-\ud7a3]")

TEXT = {
    "en": {"reading": "about {minutes} min", "under a minute": "under a minute",
           "running": "about {minutes} min", "cores": "{cores} CPU cores",
           "not measured": "not measured yet (make benchmark)"},
    "ko": {"reading": "약 {minutes}분", "under a minute": "1분 미만",
           "running": "약 {minutes}분", "cores": "CPU 코어 {cores}개",
           "not measured": "아직 측정하지 않음(make benchmark)"},
}


class chapter_time(nodes.Inline, nodes.TextElement):
    """Where a time goes; replaced by its text when the page is written (doctree-resolved)."""


@dataclass
class Amounts:
    """What there is to read on a page."""
    words: int = 0
    hangul: int = 0
    code_lines: int = 0
    figures: int = 0

    def add_prose(self, text: str) -> None:
        self.hangul += len(HANGUL.findall(text))
        self.words += sum(1 for token in HANGUL.sub(" ", text).split() if any(c.isalnum() for c in token))

    def add_code(self, text: str) -> None:
        self.code_lines += sum(1 for line in text.splitlines() if line.strip())

    def minutes(self) -> float:
        return (self.words / READING_WORDS_PER_MINUTE + self.hangul / READING_HANGUL_PER_MINUTE
                + self.code_lines / CODE_LINES_PER_MINUTE + self.figures * SECONDS_PER_FIGURE / 60)


def page_amounts(doctree: nodes.Node) -> Amounts:
    """Counts a page's prose, visible code and figures (the rule in the module's docstring)."""
    amounts = Amounts()

    def walk(node):
        if isinstance(node, (nodes.raw, nodes.comment, nodes.system_message, nodes.substitution_definition)):
            return
        if isinstance(node, nodes.container) and node.get("nb_element") == "cell_code":
            tags = set(node.get("cell_metadata", {}).get("tags", []))
            for part in node.children:
                classes = part.get("classes", [])
                if "cell_input" in classes and not tags & HIDDEN_INPUT:
                    amounts.add_code(part.astext())
                elif "cell_output" in classes:
                    amounts.figures += len(list(part.findall(nodes.image)))
                    for block in part.findall(nodes.literal_block):
                        amounts.add_prose(block.astext())
            return
        if isinstance(node, nodes.literal_block):
            amounts.add_code(node.astext())
            return
        if isinstance(node, nodes.Text):
            amounts.add_prose(str(node))
            return
        for child in node.children:
            walk(child)

    walk(doctree)
    return amounts


def rounded_minutes(minutes: float) -> int:
    """To the nearest minute below 10 (at least 1), else to the nearest 5 minutes."""
    if minutes < 9.5:
        return max(1, round(minutes))
    return 5 * round(minutes / 5)


def reading_text(minutes: float, language: str) -> str:
    return TEXT[language]["reading"].format(minutes=rounded_minutes(minutes))


def running_text(results: dict, language: str, name: str) -> str:
    """The notebook's measured time to run every cell, on the measured machine's cores."""
    text = TEXT[language]
    row, measured_in = run_stamp.benchmark_row(results, language, name)
    if row is None:
        return text["not measured"]
    seconds = row["seconds"]
    time = text["under a minute"] if seconds < 60 else text["running"].format(minutes=round(seconds / 60))
    notes = [text["cores"].format(cores=results.get("cpu", {}).get("cores", "?"))]
    if measured_in != language:
        notes.append(run_stamp.TEXT[language]["other"])
    return f"{time} ({'; '.join(notes)})" if language == "en" else f"{time}({', '.join(notes)})"


def chapter_time_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    kind = text.strip()
    if kind not in KINDS:
        message = inliner.reporter.error(f"{{{ROLE}}} takes one of {', '.join(KINDS)}, not {kind!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    return [chapter_time(rawtext, "", kind=kind, docname=env.docname)], []


def count_reading_time(app, doctree):
    """When a page is read: its reading time goes into its reading roles (cached with the page)."""
    places = [node for node in doctree.findall(chapter_time) if node["kind"] == "reading"]
    if places:
        minutes = page_amounts(doctree).minutes()
        for node in places:
            node["minutes"] = minutes


def write_times(app, doctree, docname):
    """When a page is written: every role becomes its text. The running time is read now, from the
    results file of this build, for the page the role was written on (in the single-page build,
    every chapter's roles end up in one doctree)."""
    places = list(doctree.findall(chapter_time))
    if not places:
        return
    language = app.config.language if app.config.language in TEXT else "en"
    results = run_stamp.load_results(app)
    for node in places:
        if node["kind"] == "reading":
            text = reading_text(node["minutes"], language)
        else:
            text = running_text(results, language, node["docname"])
        node.replace_self(nodes.inline(text, text, classes=["chapter-time", f"chapter-time-{node['kind']}"]))


def fingerprint_rule(app, config):
    """The rates are part of the configuration: change one, and every page is read again."""
    config.chapter_time_rule = (f"{READING_WORDS_PER_MINUTE} words, {READING_HANGUL_PER_MINUTE} Hangul, "
                                f"{CODE_LINES_PER_MINUTE} code lines a minute, {SECONDS_PER_FIGURE} s a figure")


def skip(self, node):
    raise nodes.SkipNode


def setup(app):
    app.setup_extension("run_stamp")  # its fingerprint re-renders every page when the results change
    app.add_node(chapter_time, html=(skip, None), latex=(skip, None), text=(skip, None))
    app.add_role(ROLE, chapter_time_role)
    app.add_config_value("chapter_time_rule", "", "env")
    app.connect("config-inited", fingerprint_rule)
    app.connect("doctree-read", count_reading_time)
    app.connect("doctree-resolved", write_times)
    return {"env_version": ENV_VERSION, "parallel_read_safe": True, "parallel_write_safe": True}
