"""What several test files need to know about the book's notebooks."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
LANGUAGES = ("ko", "en")
# The book's order; one file name per chapter, the same in both languages.
BOOK_ORDER = ("data", "4-4-overfitting-underfitting", "5-1-generalization", "5-2-evaluation",
              "5-3-improving-fit", "5-4-improving-generalization", "5-5-summary", "edition-crosswalk",
              "appendix-a-stable-training", "appendix-b-batch-size-l1-l2",
              # pages about the book itself, after the chapters
              "evidence", "glossary", "about-execution")


def notebook_paths(language: str | None = None) -> list[Path]:
    languages = [language] if language else LANGUAGES
    return sorted(p for lang in languages for p in (CHAPTERS / lang).glob("*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def ids(paths) -> list[str]:
    return [str(p.relative_to(CHAPTERS)) for p in paths]


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


CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z0-9_]+)["']""")


def check_names(nb) -> list[str]:
    return [name for cell in code_cells(nb) for name in CHECK_CALL.findall(cell.source)]


def recorded_seed(nb) -> int:
    """The SEED assigned in the cell tagged `parameters`."""
    for cell in code_cells(nb):
        if "parameters" in cell.metadata.get("tags", []):
            match = re.search(r"^SEED\s*=\s*(\d+)", cell.source, re.M)
            if match:
                return int(match.group(1))
    raise ValueError("no `SEED = <int>` in a cell tagged `parameters`")
