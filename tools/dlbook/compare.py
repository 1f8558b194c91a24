"""Comparing a notebook's outputs with its stored ones: exact, or within the tolerance a cell declares.

A cell whose numbers depend on the floating-point hardware (training runs: Intel and AMD CPUs, or
other TensorFlow kernels, give other trajectories) declares, in its metadata, how far each such
number may move and why:

    "tolerance": {
      "why": "training trajectory: moves with the CPU's kernels (tests/evidence/cross-cpu.json)",
      "lines": [
        "original 16-16-1: best epoch {=}, minimum validation loss {±0.0012}, final training loss {9%}",
        "✓ [original_final_over_min] {±0.034} > 1.5 — after that it rises, ..."
      ],
      "claims": ["high_lr_best_train_acc_epochs_2_to_10"]
    }

Each entry of `lines` is a stored output line with every number that may move replaced by a
placeholder: `{±A}` (absolute), `{R%}` (relative to the stored value), `{=}` (exact), or `{*}`
(not compared: only for chaotic results, and only if the cell names in `claims` the checks that
state what must hold instead). Numbers written out in the template (e.g. the `16-16-1` above) and
all words are compared exactly; runs of spaces may differ in width (a number may get wider). In a
check line (`✓ [name] value op threshold — claim`) only the value may carry a tolerance: name,
operator, threshold and claim are always compared exactly. Lines that no template matches, and
cells without `tolerance`, are compared exactly, character for character.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dlbook.checks import PASSED_LINE as CHECK_LINE

# A number as printed: 3, -0.25, 1.03e-04, .5. Not the digits inside a word (L1, l1_l2, 5.4.1's tail).
NUMBER = re.compile(r"(?<![\w.])-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SPEC = re.compile(r"^(?:=|\*|±(?P<abs>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)|(?P<rel>\d+(?:\.\d*)?)%)$")


class ToleranceError(ValueError):
    """A cell's tolerance metadata is malformed."""


@dataclass(frozen=True)
class Spec:
    kind: str  # "=", "*", "abs", "rel"
    amount: float = 0.0

    @classmethod
    def parse(cls, text: str) -> "Spec":
        match = SPEC.match(text.strip())
        if not match:
            raise ToleranceError(f"unknown placeholder {{{text}}}: use {{=}}, {{*}}, {{±0.01}} or {{5%}}")
        if match["abs"]:
            return cls("abs", float(match["abs"]))
        if match["rel"]:
            return cls("rel", float(match["rel"]) / 100)
        return cls(text.strip())

    def allowed(self, reference: float) -> float:
        """How far a number may move from `reference` (inf: not compared)."""
        return {"=": 0.0, "*": math.inf, "abs": self.amount, "rel": self.amount * abs(reference)}[self.kind]

    def __str__(self) -> str:
        return {"=": "exact", "*": "not compared", "abs": f"±{self.amount:g}",
                "rel": f"±{100 * self.amount:g} %"}[self.kind]


def split_numbers(line: str) -> tuple[list[str], list[re.Match]]:
    """The text between the numbers of a line, and the numbers (len(texts) == len(numbers) + 1)."""
    numbers = list(NUMBER.finditer(line))
    texts, start = [], 0
    for number in numbers:
        texts.append(line[start:number.start()])
        start = number.end()
    texts.append(line[start:])
    return texts, numbers


def template_regex(template: str) -> tuple[re.Pattern, list[Spec]]:
    """The regular expression a template stands for, and its placeholders' specs in order."""
    parts, specs, start = [], [], 0
    for placeholder in PLACEHOLDER.finditer(template):
        parts.append(_literal(template[start:placeholder.start()]))
        parts.append(f"({NUMBER.pattern})")
        specs.append(Spec.parse(placeholder[1]))
        start = placeholder.end()
    parts.append(_literal(template[start:]))
    return re.compile(r"\s*" + "".join(parts) + r"\s*"), specs


def _literal(text: str) -> str:
    return r"\s+".join(re.escape(piece) for piece in re.split(r"\s+", text))


@dataclass
class Tolerance:
    """A cell's declared tolerance (see the module's docstring)."""
    why: str
    templates: list[tuple[str, re.Pattern, list[Spec]]]
    claims: list[str]

    @classmethod
    def from_metadata(cls, metadata) -> "Tolerance | None":
        declared = (metadata or {}).get("tolerance")
        if declared is None:
            return None
        if not str(declared.get("why", "")).strip():
            raise ToleranceError("a tolerance needs a 'why': the reason these numbers may move")
        templates = [(t, *template_regex(t)) for t in declared.get("lines", [])]
        claims = list(declared.get("claims", []))
        if any(spec.kind == "*" for _, _, specs in templates for spec in specs) and not claims:
            raise ToleranceError("{*} leaves numbers uncompared: name in 'claims' the checks that must hold")
        return cls(str(declared["why"]), templates, claims)

    def specs_for(self, line: str) -> list[Spec] | None:
        """Spec of every number of a stored line, or None when no template matches the line."""
        _, numbers = split_numbers(line)
        for _, regex, specs in self.templates:
            match = regex.fullmatch(line)
            if not match:
                continue
            by_start = {match.start(i + 1): spec for i, spec in enumerate(specs)}
            if set(by_start) - {n.start() for n in numbers}:
                continue  # a placeholder caught part of a number: not this template
            result = [by_start.get(n.start(), Spec("=")) for n in numbers]
            check = CHECK_LINE.match(line)
            if check:  # only the value: name, operator, threshold and claim stay exact
                value_start = check.start("value")
                result = [spec if n.start() == value_start else Spec("=") for spec, n in zip(result, numbers)]
            return result
        return None

    def matched_templates(self, text: str) -> set[str]:
        return {t for t, regex, _ in self.templates for line in text.splitlines() if regex.fullmatch(line)}


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def compare_line(stored: str, run: str, specs: list[Spec] | None) -> str | None:
    """None if `run` holds against `stored`; else what moved, in one phrase."""
    if stored == run:
        return None
    if specs is None:
        return f"{stored.strip()!r} became {run.strip()!r} (compared exactly)"
    texts_a, numbers_a = split_numbers(stored)
    texts_b, numbers_b = split_numbers(run)
    if len(numbers_a) != len(numbers_b) or [_squash(t) for t in texts_a] != [_squash(t) for t in texts_b]:
        return f"{stored.strip()!r} became {run.strip()!r} (words differ)"
    moved = []
    for index, (spec, a, b) in enumerate(zip(specs, numbers_a, numbers_b)):
        if spec.kind == "=" or a[0] == b[0]:
            if a[0] != b[0]:
                moved.append(f"{texts_a[index].strip()[-40:]!r} {a[0]} → {b[0]} (compared exactly)")
            continue
        x, y = float(a[0]), float(b[0])
        allowed = spec.allowed(x)
        if abs(y - x) > allowed * (1 + 1e-9):
            moved.append(f"{texts_a[index].strip()[-40:]!r} {a[0]} → {b[0]} "
                         f"(moved {y - x:+.3g}, allowed {spec})")
    return "; ".join(moved) or None


def compare_text(stored: str, run: str, tolerance: Tolerance | None) -> list[str]:
    """What differs between a stored output text and a new one, one entry per line that moved."""
    if stored == run:
        return []
    if tolerance is None:
        return [_first_difference(stored, run)]
    lines_a, lines_b = stored.split("\n"), run.split("\n")
    if len(lines_a) != len(lines_b):
        return [f"{len(lines_a)} lines became {len(lines_b)}: " + _first_difference(stored, run)]
    problems = []
    for number, (a, b) in enumerate(zip(lines_a, lines_b), 1):
        problem = compare_line(a, b, tolerance.specs_for(a))
        if problem:
            problems.append(f"line {number}: {problem}")
    return problems


def _first_difference(stored: str, run: str) -> str:
    for number, (a, b) in enumerate(zip(stored.split("\n"), run.split("\n")), 1):
        if a != b:
            return f"line {number}: {a.strip()!r} became {b.strip()!r} (compared exactly)"
    return f"the output has {len(stored.splitlines())} lines, the run {len(run.splitlines())}"


# --- whole cells and notebooks -------------------------------------------------------------------

NOT_COMPARED = {"image/png", "image/jpeg", "image/svg+xml", "application/javascript", "text/latex"}


def flatten_outputs(outputs, sanitize=lambda text: text) -> dict[str, list[str]]:
    """A cell's outputs as nbval compares them: streams joined per name, data by MIME type."""
    flat: dict[str, list[str]] = {}
    streams: dict[str, int] = {}
    for output in outputs:
        kind = output.get("output_type")
        if kind == "stream":
            name = output.get("name", "stdout")
            text = output.get("text", "")
            text = "".join(text) if isinstance(text, list) else text
            if name in streams:
                flat[name][streams[name]] += text
            else:
                flat.setdefault(name, []).append(text)
                streams[name] = len(flat[name]) - 1
        elif kind == "error":
            flat.setdefault("error", []).append(f"{output.get('ename')}: {output.get('evalue')}")
        else:
            for mime, value in output.get("data", {}).items():
                if mime not in NOT_COMPARED:
                    flat.setdefault(mime, []).append("".join(value) if isinstance(value, list) else value)
    return {key: [sanitize(v) for v in values] for key, values in flat.items()}


def compare_flat(stored: dict[str, list], run: dict[str, list], tolerance: Tolerance | None) -> list[str]:
    """Differences between two flattened outputs (see flatten_outputs), one entry each."""
    problems = []
    for key in sorted(set(stored) | set(run)):
        a, b = stored.get(key, []), run.get(key, [])
        if len(a) != len(b):
            problems.append(f"{key}: {len(a)} outputs stored, {len(b)} in the run")
            continue
        for x, y in zip(a, b):
            if isinstance(x, str) and isinstance(y, str):
                problems += [f"{key} {p}" for p in compare_text(x, y, tolerance)]
            elif x != y:
                problems.append(f"{key}: differs")
    return problems
