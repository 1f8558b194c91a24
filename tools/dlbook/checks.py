"""The claims of the book: the check line its notebooks print, and the SEED they are run with.

Each chapter's setup cell defines `check(name, value, op, threshold, claim)`. When the claim holds
it prints one line,  `✓ [name] value op threshold — claim`  (value and threshold with `:.6g`);
when it fails it raises AssertionError("Check failed [name] value op threshold: claim"). Every tool
and test reads those lines through this module only.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

NAME = r"[A-Za-z0-9_]+"
OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}
_OP = r"<=|>=|==|<|>"
PASSED_LINE = re.compile(rf"^✓ \[(?P<name>{NAME})\] (?P<value>\S+) (?P<op>{_OP}) (?P<threshold>\S+) — (?P<claim>.*)$",
                         re.M)
FAILED_MESSAGE = re.compile(rf"^Check failed \[(?P<name>{NAME})\] (?P<value>\S+) (?P<op>{_OP}) "
                            rf"(?P<threshold>\S+): (?P<claim>.*)$", re.S)
CHECK_CALL = re.compile(rf"""\bcheck\(\s*["']({NAME})["']""")
SEED_ASSIGNMENT = re.compile(r"^SEED\s*=\s*(\d+)", re.M)


@dataclass
class Check:
    name: str
    value: float
    op: str
    threshold: float
    claim: str
    passed: bool

    def line(self) -> str:
        return f"✓ [{self.name}] {self.value:.6g} {self.op} {self.threshold:.6g} — {self.claim}"

    def as_evidence(self) -> dict:
        return {"name": self.name, "value": self.value, "op": self.op, "threshold": self.threshold,
                "passed": self.passed}


def _check(match, passed: bool) -> Check:
    return Check(match["name"], float(match["value"]), match["op"], float(match["threshold"]),
                 match["claim"].strip(), passed)


def parse_line(line: str) -> Check | None:
    match = PASSED_LINE.match(line)
    return _check(match, True) if match else None


def checks_in_text(text: str) -> list[Check]:
    return [_check(m, True) for m in PASSED_LINE.finditer(text)]


def checks_in_outputs(nb) -> list[Check]:
    """Every check an executed notebook printed (held) or raised (failed), in order."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stdout":
                text = output.get("text", "")
                found += checks_in_text("".join(text) if isinstance(text, list) else text)
            elif output.get("output_type") == "error" and output.get("ename") == "AssertionError":
                match = FAILED_MESSAGE.match(output.get("evalue", ""))
                if match:
                    found.append(_check(match, False))
    return found


def check_names(nb) -> list[str]:
    """Names of the checks the notebook's code calls, in order."""
    return [name for cell in nb.cells if cell.cell_type == "code" for name in CHECK_CALL.findall(cell.source)]


def parameters_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", []))


def recorded_seed(nb) -> int:
    """The SEED assigned in the cell tagged `parameters`."""
    match = SEED_ASSIGNMENT.search(parameters_cell(nb).source)
    if not match:
        raise ValueError("no `SEED = <int>` in the cell tagged `parameters`")
    return int(match.group(1))


def inject_parameters(nb, parameters: dict) -> None:
    """Overwrite the assignments in the cell tagged `parameters` (papermill's convention)."""
    cell = parameters_cell(nb)
    lines = []
    for line in cell.source.splitlines():
        name = line.split("=")[0].strip()
        if name in parameters:
            line = f"{name} = {parameters[name]!r}"
        lines.append(line)
    cell.source = "\n".join(lines)
