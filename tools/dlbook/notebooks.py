"""Reading the book's notebooks: cells, output text, code without comments and strings, sanitizers."""

from __future__ import annotations

import configparser
import io
import re
import tokenize
from pathlib import Path

import nbformat

from dlbook.book import CHAPTERS, ROOT

SANITIZE_FILE = ROOT / "tests" / "nbval_sanitize.cfg"


def read(path: Path):
    return nbformat.read(path, as_version=4)


def in_exercises(cell) -> bool:
    """A cell of a chapter's exercises section (tagged "exercises"): excluded or timed apart by the tools."""
    return "exercises" in cell.metadata.get("tags", [])


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def same_code(a, b) -> bool:
    """Whether two notebooks run the same code, cell for cell, apart from the `parameters` cell (a
    seed's run): an executed copy of an older version of a chapter says nothing about the current one."""
    def sources(nb):
        return [c.source for c in code_cells(nb) if "parameters" not in c.metadata.get("tags", [])]
    return sources(a) == sources(b)


def ids(paths) -> list[str]:
    """Test ids: ko/X.ipynb."""
    return [str(Path(p).relative_to(CHAPTERS)) for p in paths]


def output_text(nb) -> str:
    """All text the notebook's outputs show (streams, plain-text results, errors)."""
    parts = []
    for cell in code_cells(nb):
        for output in cell.get("outputs", []):
            if "text" in output:
                parts.append(output["text"])
            data = output.get("data", {})
            for key in ("text/plain", "text/markdown", "text/html"):
                if key in data:
                    parts.append(data[key])
    return "\n".join(parts)


def code_skeleton(source: str) -> list[tuple[int, str]]:
    """The tokens of a code cell without comments, with every string literal made alike.

    IPython's line magics (`%pip install ...`) are turned into a call first, as IPython does, so
    the cell tokenizes as Python.
    """
    lines = []
    for line in source.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            indent = line[: len(line) - len(stripped)]
            line = f"{indent}__magic__({stripped!r})"
        lines.append(line)
    tokens = []
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
    depth = 0  # inside an f-string on Python 3.12+, where it is split into parts
    for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
        name = tokenize.tok_name[token.type]
        if name == "FSTRING_START":
            if depth == 0:
                tokens.append((tokenize.STRING, "<str>"))
            depth += 1
            continue
        if name == "FSTRING_END":
            depth -= 1
            continue
        if depth or token.type in skip:
            continue
        if token.type == tokenize.STRING:
            tokens.append((tokenize.STRING, "<str>"))
        else:
            tokens.append((token.type, token.string))
    return tokens


def sanitizer(path: Path = SANITIZE_FILE):
    """The replacements of nbval's sanitize file, as one function on a string."""
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    rules = [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]

    def sanitize(text):
        if not isinstance(text, str):
            return text
        for regex, replace in rules:
            text = regex.sub(replace, text)
        return text
    return sanitize
