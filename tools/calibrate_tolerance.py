"""Measure how far hardware moves each printed number, and declare each cell's tolerance from it.

    python tools/calibrate_tolerance.py measure --config amd-epyc=../shared/cross-cpu/amd-epyc \
        --config onednn0=RUNS/onednn0 --seed 1=RUNS/seed1 --seed 2=RUNS/seed2
    python tools/calibrate_tolerance.py declare
    (both with `--only NAME ...`: only those notebooks, the others' measurements kept)

`measure` reads English notebooks executed under other configurations (another CPU, other
TensorFlow kernels: `--config NAME=FOLDER`) and with other seeds (`--seed N=FOLDER`), compares
every output line with the stored notebook's, and writes every line whose numbers moved under some
configuration to tests/evidence/cross-cpu.json: the stored numbers, each configuration's, and each
seed's (the run-to-run spread). The folders hold executed copies under the stored file names (e.g.
made with `python tools/record.py --out FOLDER ...` under TF_ENABLE_ONEDNN_OPTS=0 or with
--seed); the measurements are what the project keeps.

`declare` writes each such cell's `tolerance` metadata into the English and the Korean notebook
(outputs untouched), number by number:
- moved by d across configurations, and a seed moves it at least as far: the largest distance of a
  seed's value from the stored one (the seeds, tests/evidence/*.json included for check values), so
  that another CPU's trajectory passes and a real change still fails (three times one CPU's move,
  the rule until session 8, was too narrow for a second AMD EPYC); where no seed measured the
  line: 3 d (integers 2 d), at least two units of the last printed digit;
- a number that moved more under another configuration than under another seed is chaotic: it is
  left uncompared ({*}) and the cell must name the checks that state what holds instead;
- a number on a moving line that did not move: two units of its last digit if it has decimals
  (a rounding flip on a machine nobody tried), exact if it is an integer.
- a line that no other CPU printed (a cell newer than that CPU's copy, or printing other text there)
  is sized as if no other CPU had been measured (`specs_for_entry` with `other_cpu` False).
The Korean notebook's lines get the specs of the English line with the same numbers.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbformat  # noqa: E402

from dlbook.book import CHAPTERS, EVIDENCE, ROOT  # noqa: E402
from dlbook.compare import CHECK_LINE, flatten_outputs, split_numbers  # noqa: E402
from dlbook.notebooks import read, same_code, sanitizer  # noqa: E402

MEASUREMENTS = EVIDENCE / "cross-cpu.json"
MARGIN, MARGIN_INT = 3, 2
NEAR = 0.05  # without another CPU: moved by the kernels at most this fraction of the seed spread
WHY = ("training trajectory: the numbers move with the CPU and its floating-point kernels; "
       "tolerances measured across CPUs and seeds in tests/evidence/cross-cpu.json")


def _lines(cell) -> dict[str, list[str]]:
    flat = flatten_outputs(cell.outputs, sanitizer())
    flat.pop("stderr", None)
    return {f"{key}#{i}": text.split("\n") for key, texts in flat.items() for i, text in enumerate(texts)}


def _numbers(line: str) -> tuple[list[str], list[str]]:
    texts, numbers = split_numbers(line)
    return [" ".join(t.split()) for t in texts], [n[0] for n in numbers]


def measure(configs: dict[str, Path], seeds: dict[str, Path], other_cpus: tuple[str, ...] = (),
            only: tuple[str, ...] = ()) -> dict:
    """Every English notebook, or only those named (their entries replace theirs in `MEASUREMENTS`,
    the others' entries stay as they were measured)."""
    result = {"configurations": {name: str(path) for name, path in configs.items()}, "other_cpus": list(other_cpus),
              "seeds": sorted(seeds, key=int), "notebooks": {}}
    result["measured_with"] = {}
    if only:
        previous = json.loads(MEASUREMENTS.read_text())
        result["configurations"] = {**previous["configurations"], **result["configurations"]}
        result["other_cpus"] = sorted(set(previous["other_cpus"]) | set(other_cpus))
        result["seeds"] = sorted(set(previous["seeds"]) | set(result["seeds"]), key=int)
        result["notebooks"] = {k: v for k, v in previous["notebooks"].items() if k not in only}
        result["measured_with"] = {k: v for k, v in previous["measured_with"].items() if k not in only}
    for stored_path in sorted((CHAPTERS / "en").glob("*.ipynb")):
        if only and stored_path.stem not in only:
            continue
        stored_nb = read(stored_path)
        current = {}  # a configuration counts only with a copy executed from the chapter's current code
        for name, folder in configs.items():
            path = folder / stored_path.name
            if not path.exists():
                print(f"{stored_path.name}: no copy executed under {name}")
            elif not same_code(read(path), stored_nb):
                print(f"{stored_path.name}: the copy under {name} ran older code: not used")
            else:
                current[name] = read(path)
        if not current:  # only seeds measured it: every number a seed moves is left uncompared
            print(f"{stored_path.name}: no configuration executed its current code; seeds only")
        cpu_measured = bool(set(current) & set(other_cpus))
        stored = [c for c in stored_nb.cells if c.cell_type == "code"]
        executed = {name: [c for c in nb.cells if c.cell_type == "code"] for name, nb in current.items()}
        seeded = {}
        for s, folder in seeds.items():
            path = folder / stored_path.name
            if path.exists() and same_code(read(path), stored_nb):
                seeded[s] = [c for c in read(path).cells if c.cell_type == "code"]
        result["measured_with"][stored_path.stem] = {"configurations": sorted(current), "seeds": sorted(seeded, key=int)}
        cells = {}
        for index, cell in enumerate(stored):
            lines = _lines(cell)
            moved = []
            for key, stored_lines in lines.items():
                for number, line in enumerate(stored_lines):
                    texts, values = _numbers(line)
                    entry = {"output": key, "line": number, "text": line, "stored": values,
                             "configurations": {}, "seeds": {}}
                    for name, cells_run in executed.items():
                        other = _lines(cells_run[index]).get(key, [])
                        other_line = other[number] if number < len(other) and len(other) == len(stored_lines) else None
                        if other_line is None or _numbers(other_line)[0] != texts:
                            entry["configurations"][name] = "structure differs"
                        else:
                            entry["configurations"][name] = _numbers(other_line)[1]
                    for seed, cells_seed in seeded.items():
                        other = _lines(cells_seed[index]).get(key, [])
                        other_line = other[number] if number < len(other) and len(other) == len(stored_lines) else None
                        if other_line is not None and _numbers(other_line)[0] == texts:
                            entry["seeds"][seed] = _numbers(other_line)[1]
                    config_moved = any(v != values for v in entry["configurations"].values())
                    seed_moved = any(v != values for v in entry["seeds"].values())
                    # without another CPU, what a seed moves may move there too, even if the kernels did not move it
                    if not (config_moved or (not cpu_measured and seed_moved)):
                        continue
                    moved.append(entry)
            if moved:
                cells[str(index)] = moved
        result["notebooks"][stored_path.stem] = cells
        result["notebooks"] = dict(sorted(result["notebooks"].items()))
        result["measured_with"] = dict(sorted(result["measured_with"].items()))
        print(f"{stored_path.name}: {sum(len(v) for v in cells.values())} moving lines in {len(cells)} cells")
    return result


def unit(text: str) -> float:
    """One unit of the last printed digit of a number as printed."""
    exponent = Decimal(text).as_tuple().exponent
    return 10.0 ** exponent


def round_up(x: float) -> float:
    """Up to two significant digits."""
    if x <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(x))
    return math.ceil(x * 10**digits - 1e-9) / 10**digits


def round_down(x: float) -> float:
    digits = 1 - math.floor(math.log10(x))
    return math.floor(x * 10**digits + 1e-9) / 10**digits


def check_seed_values(notebook: str) -> dict[str, list[float]]:
    path = EVIDENCE / f"{notebook}.json"
    if not path.exists():
        return {}
    values: dict[str, list[float]] = {}
    for run in json.loads(path.read_text())["runs"]:
        for check in run["checks"]:
            values.setdefault(check["name"], []).append(check["value"])
    return values


def specs_for_entry(entry: dict, check_seeds: dict[str, list[float]],
                    other_cpu: bool = True) -> tuple[list[str], list[dict]]:
    """The placeholder of every number of a measured line, and a record of how each was sized.

    With no copy from another CPU (`other_cpu` False: the chapter changed since one was made), the
    kernels' configurations alone underestimate what another CPU does. Measured where both existed
    (the AMD EPYC against TF_ENABLE_ONEDNN_OPTS=0, 254 numbers): a number that oneDNN-off moved by at most
    5 % of its seed spread never moved beyond that spread on the AMD CPU, while one it moved more went
    beyond the spread one time in ten. So without another CPU: a number that moves with the seed gets
    its whole seed spread if the configurations moved it by at most 5 % of it (NEAR), else `{*}`; with
    no configuration run from the chapter's current code at all, every number a seed moves is `{*}`."""
    specs, report = [], []
    check = CHECK_LINE.match(entry["text"])
    _, numbers = split_numbers(entry["text"])
    for position, stored in enumerate(entry["stored"]):
        is_value = check is not None and numbers[position].start() == check.start("value")
        if check is not None and not is_value:
            specs.append("=")
            continue
        x = float(stored)
        moves = [abs(float(v[position]) - x) for v in entry["configurations"].values() if isinstance(v, list)]
        d = max(moves, default=0.0)
        seed_values = [float(v[position]) for v in entry["seeds"].values()]
        if is_value:
            seed_values += check_seeds.get(check["name"], [])
        s = max((abs(v - x) for v in seed_values), default=math.inf)
        printed = [stored] + [v[position] for v in entry["configurations"].values() if isinstance(v, list)] + \
            [v[position] for v in entry["seeds"].values()]
        integer = all("." not in v and "e" not in v.lower() for v in printed)  # counts, epochs
        if not other_cpu and s != math.inf and (d > 0 or any(v != x for v in seed_values)):
            measured_by_kernels = bool(entry["configurations"])
            spec = "*" if d > NEAR * s or not measured_by_kernels else f"±{int(s) if integer else round_down(s):g}"
            specs.append(spec)
            report.append({"position": position, "stored": stored, "moved": d, "seed_spread": s, "spec": spec})
            continue
        if d > 0 and s != math.inf and d <= s:
            # moved by another CPU or kernel, but no more than another seed moves it: the whole seed
            # spread, as without another CPU. Three times one CPU's move was too narrow for the next
            # CPU (5.3 and 4.4 failed on a second AMD EPYC, session 8); beyond the seed spread still fails.
            t = s if integer else round_down(s)
            spec = f"±{int(t) if integer else t:g}" if t >= d else "*"
            specs.append(spec)
            report.append({"position": position, "stored": stored, "moved": d, "seed_spread": s, "spec": spec})
            continue
        if d == 0:  # a training result (another seed moves it) may still flip its last digit elsewhere
            moves_with_seed = any(v != x for v in seed_values)
            t = 2 * unit(stored) if moves_with_seed and not integer else 0.0
        else:
            t = MARGIN_INT * d if integer else max(MARGIN * d, 2 * unit(stored))
        t = round_up(t) if not integer else t
        if d > s:
            spec = "*"
        else:
            if t > s:  # never wider than what another seed gives
                t = s if integer else round_down(s)
            spec = "=" if t == 0 else f"±{int(t) if integer else t:g}"
        specs.append(spec)
        report.append({"position": position, "stored": stored, "moved": d, "seed_spread": s, "spec": spec})
    return specs, report


def korean_specs(line: str, measured_lines: list[tuple[list[str], list[str]]]) -> list[str] | None:
    """The specs of a Korean output line, from the English line of the same cell that moved.

    Both languages print the same numbers, but their words may hold other numbers ("1 point" /
    "1 %포인트", "0 열"). An English line whose numbers appear in the Korean line in the same order
    gives each its spec by position; failing that, the English line whose moving numbers all
    appear (most of them, if several) gives them their specs by value. Other numbers are exact.
    """
    _, numbers = _numbers(line)
    for values, specs in measured_lines:  # the same numbers in the same order (words may add some)
        aligned, start = [], 0
        for value, spec in zip(values, specs):
            match = next((i for i in range(start, len(numbers)) if numbers[i] == value), None)
            if match is None:
                break
            aligned += ["="] * (match - start) + [spec]
            start = match + 1
        else:
            if any(s != "=" for s in specs):
                return aligned + ["="] * (len(numbers) - start)
    best = None  # otherwise: the English line whose moving numbers all appear, matched by value
    for values, specs in measured_lines:
        movers = [(v, s) for v, s in zip(values, specs) if s != "="]
        available = list(numbers)
        if movers and all(v in available and not available.remove(v) for v, _ in movers):
            if best is None or len(movers) > len(best):
                best = movers
    if best is None:
        return None
    remaining, result = list(best), []
    for number in numbers:
        match = next((i for i, (v, _) in enumerate(remaining) if v == number), None)
        result.append(remaining.pop(match)[1] if match is not None else "=")
    return result


def template(line: str, specs: list[str]) -> str:
    texts, numbers = split_numbers(line)
    out = texts[0]
    for spec, number, text in zip(specs, numbers, texts[1:]):
        out += (number[0] if spec == "=" else "{" + spec + "}") + text
    return out


def declare(measurements: dict, only: tuple[str, ...] = ()) -> int:
    problems = 0
    other_cpus = set(measurements.get("other_cpus", []))
    for notebook, cells in measurements["notebooks"].items():
        if only and notebook not in only:
            continue
        check_seeds = check_seed_values(notebook)
        en_path, ko_path = CHAPTERS / "en" / f"{notebook}.ipynb", CHAPTERS / "ko" / f"{notebook}.ipynb"
        en, ko = nbformat.read(en_path, as_version=4), nbformat.read(ko_path, as_version=4)
        en_code = [c for c in en.cells if c.cell_type == "code"]
        ko_code = [c for c in ko.cells if c.cell_type == "code"]
        kept_claims = {}  # claims named by hand for chaotic cells survive a new declaration
        for language, code in (("en", en_code), ("ko", ko_code)):
            for i, cell in enumerate(code):
                old = cell.metadata.pop("tolerance", None)
                if old and old.get("claims"):
                    kept_claims[(language, i)] = old["claims"]
        for index, entries in cells.items():
            en_lines, claims, measured_lines = [], [], []
            for entry in entries:
                # sized with another CPU only where one printed this line (not a cell newer than its copy)
                with_cpu = any(isinstance(entry["configurations"].get(name), list) for name in other_cpus)
                specs, _ = specs_for_entry(entry, check_seeds, with_cpu)
                if all(s == "=" for s in specs):
                    continue
                en_lines.append(template(entry["text"], specs))
                measured_lines.append((entry["stored"], specs))
                if "*" in specs:
                    claims.append(entry["text"])
            if not en_lines:
                continue
            ko_cell = ko_code[int(index)]
            ko_lines = []
            for key, lines in _lines(ko_cell).items():
                for line in lines:
                    ko_specs = korean_specs(line, measured_lines)
                    if ko_specs and any(s != "=" for s in ko_specs):
                        ko_lines.append(template(line, ko_specs))
            if len(ko_lines) != len(en_lines):
                print(f"{notebook} code cell {index}: {len(en_lines)} English lines, {len(ko_lines)} Korean "
                      "lines found with the same numbers: declare the Korean cell by hand")
                problems += 1
            for language, cell, lines in (("en", en_code[int(index)], en_lines), ("ko", ko_cell, ko_lines)):
                declared = {"why": WHY, "lines": lines}
                if claims:
                    names = kept_claims.get((language, int(index))) or [
                        CHECK_LINE.match(l)["name"] for l in _all_lines(cell) if CHECK_LINE.match(l)]
                    declared["claims"] = names
                    if not names:
                        print(f"{notebook} code cell {index}: chaotic numbers ({claims[0]!r}) and no check in "
                              "the cell: name the checks that hold instead by hand")
                        problems += 1
                cell.metadata["tolerance"] = declared
        nbformat.write(en, en_path)
        nbformat.write(ko, ko_path)
        print(f"{notebook}: tolerance declared in {sum('tolerance' in c.metadata for c in en_code)} cells")
    return 1 if problems else 0


def _all_lines(cell) -> list[str]:
    return [line for lines in _lines(cell).values() for line in lines]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("measure")
    m.add_argument("--config", action="append", default=[], help="NAME=FOLDER of executed notebooks")
    m.add_argument("--seed", action="append", default=[], help="SEED=FOLDER of notebooks run with that seed")
    m.add_argument("--other-cpu", action="append", default=[],
                   help="NAME of a --config executed on another CPU (not only other kernels)")
    d = sub.add_parser("declare")
    for p in (m, d):
        p.add_argument("--only", action="append", default=[],
                       help="NAME of a notebook (its stem) to measure or declare alone; repeatable")
    args = parser.parse_args(argv)
    if args.command == "measure":
        configs = {n: Path(p) for n, p in (c.split("=", 1) for c in args.config)}
        seeds = {n: Path(p) for n, p in (c.split("=", 1) for c in args.seed)}
        MEASUREMENTS.write_text(json.dumps(measure(configs, seeds, tuple(args.other_cpu), tuple(args.only)),
                                           indent=1, ensure_ascii=False) + "\n")
        print(f"written {MEASUREMENTS.relative_to(ROOT)}")
        return 0
    return declare(json.loads(MEASUREMENTS.read_text()), tuple(args.only))


if __name__ == "__main__":
    sys.exit(main())
