"""Every check in the notebooks has seed-study evidence, and every recorded value passed.

The evidence is written by `make seeds NB=... SEEDS="..."` into tests/evidence/<chapter>.json.
A check added or changed after the last seed study fails here until the study is run again.
"""

from __future__ import annotations

import json

import pytest

from dlbook.book import CHAPTERS, EVIDENCE, notebook_paths
from dlbook.checks import check_names, checks_in_outputs, recorded_seed
from dlbook.notebooks import read

MIN_OTHER_SEEDS = 3
NAMES = sorted({p.stem for p in notebook_paths()})


def stored_thresholds(nb) -> dict[str, tuple[str, float]]:
    return {c.name: (c.op, c.threshold) for c in checks_in_outputs(nb) if c.passed}


@pytest.mark.parametrize("name", NAMES)
def test_checks_have_evidence_from_other_seeds(name):
    ko, en = (read(CHAPTERS / lang / f"{name}.ipynb") for lang in ("ko", "en"))
    checks = check_names(en)
    assert checks == check_names(ko), f"{name}: the two languages name their checks differently"
    if not checks:
        pytest.skip(f"{name} makes no claims")
    path = EVIDENCE / f"{name}.json"
    assert path.exists(), f"no seed study for {name}: run make seeds NB=chapters/en/{name}.ipynb SEEDS='1 2 3'"
    runs = json.loads(path.read_text(encoding="utf-8"))["runs"]
    seeds = [run["seed"] for run in runs if run["seed"] != recorded_seed(en)]
    assert len(seeds) >= MIN_OTHER_SEEDS, f"{name}: evidence from seeds {seeds}; need {MIN_OTHER_SEEDS} besides the recorded one"
    thresholds = stored_thresholds(en)
    assert set(thresholds) == set(checks), f"{name}: stored outputs show checks {sorted(thresholds)}, code has {sorted(set(checks))}"
    for run in runs:
        assert not run["errors"], f"{name}, seed {run['seed']}: the run failed: {run['errors']}"
        measured = {c["name"]: c for c in run["checks"]}
        missing = set(checks) - set(measured)
        assert not missing, f"{name}, seed {run['seed']}: no evidence for {sorted(missing)}; re-run the seed study"
        for check in run["checks"]:
            assert check["name"] in thresholds, f"{name}: evidence for a check that no longer exists: {check['name']}"
            assert (check["op"], check["threshold"]) == thresholds[check["name"]], (
                f"{name}, {check['name']}: the threshold changed since the seed study; re-run it")
            assert check["passed"], (
                f"{name}, seed {run['seed']}: {check['name']} measured {check['value']} against "
                f"{check['op']} {check['threshold']}; the claim does not hold for every seed")
