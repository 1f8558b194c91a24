"""The GitHub Actions workflows are valid and thin, and publishing refuses the placeholder repository.

- actionlint (pinned in requirements-dev.txt, a binary inside its wheel: works offline) finds nothing
  in .github/workflows/*.yml: syntax, expressions, action inputs, permissions, deprecated actions;
- every `run:` step is a command a person runs too: a Makefile target that exists, or a tools/
  command that exists, apart from the few set-up commands listed (and justified) in ALLOWED_SETUP;
- the pages workflow checks the repository setting before it builds, and publishes the branch
  _config.yml names;
- tools/check_publishing.py refuses the placeholder and accepts a real repository;
- postBuild gives a Binder kernel the same capture_fd_output setting as the tests' kernels.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dlbook.book import ROOT
from dlbook.publishing import read_config

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TOOL_COMMAND = re.compile(r"^(?:\.venv/bin/python|python3?) tools/(?P<tool>[\w-]+\.py)(?:\s|$)")
# Commands that are neither a Makefile target nor a tools/ command, each for a reason:
ALLOWED_SETUP = {
    # drift.yml, newest-keras: the upgrade that job exists to test (a reader's `pip install` today).
    ".venv/bin/python -m pip install --upgrade keras tensorflow-cpu",
}


def actionlint() -> str:
    found = Path(sys.executable).with_name("actionlint")
    if found.exists():
        return str(found)
    on_path = shutil.which("actionlint")
    if on_path:
        return on_path
    pytest.fail("actionlint is missing: install requirements-dev.txt "
                "(`.venv/bin/pip install -r requirements-dev.txt`, or any make target does it)")


def steps():
    """(workflow file, job, step) for every step of every workflow."""
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                yield path.name, job_name, step


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {name for line in text.splitlines() if (m := re.match(r"^([\w.-]+(?:\s+[\w.-]+)*)\s*:(?!=)", line))
            for name in m.group(1).split()}


def test_the_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"tests.yml", "pages.yml", "drift.yml"}, (
        f"expected tests.yml, pages.yml and drift.yml in .github/workflows, found {[p.name for p in WORKFLOWS]}")
    assert (ROOT / ".github" / "dependabot.yml").exists(), ".github/dependabot.yml is missing"


def test_actionlint_finds_nothing():
    result = subprocess.run([actionlint(), "-no-color", "-oneline", *map(str, WORKFLOWS)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, (
        f"actionlint found problems in the workflows (exit {result.returncode}):\n"
        + (result.stdout + result.stderr)[-4000:])


def test_every_run_step_is_a_make_target_or_a_tool():
    targets, problems, runs = makefile_targets(), [], 0
    for workflow, job, step in steps():
        if "run" not in step:
            continue
        runs += 1
        where = f"{workflow} {job} {step.get('name') or step['run']!r}"
        commands = [line.strip() for line in str(step["run"]).splitlines()
                    if line.strip() and not line.strip().startswith("#")]
        if len(commands) != 1:
            problems.append(f"{where}: one command per step, found {len(commands)}")
            continue
        command = commands[0]
        words = shlex.split(command)
        if words[0] == "make":  # make TARGET ... [VARIABLE=value ...]
            named = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
            missing = [t for t in named if t not in targets]
            if not named or missing:
                problems.append(f"{where}: no Makefile target {' '.join(missing) or '(none named)'}")
        elif tool := TOOL_COMMAND.match(command):
            if not (ROOT / "tools" / tool["tool"]).is_file():
                problems.append(f"{where}: tools/{tool['tool']} does not exist")
        elif command not in ALLOWED_SETUP:
            problems.append(f"{where}: {command!r} is neither `make TARGET` nor a tools/ command "
                            "(put the logic in the Makefile or tools/, so a person can run it too)")
    assert runs, "no run steps found: are the workflows empty?"
    assert not problems, "workflow steps that are not the project's own commands:\n" + "\n".join(problems)


def test_pages_checks_the_repository_first_and_publishes_the_configured_branch():
    pages = yaml.safe_load((ROOT / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    runs = [step["run"].strip() for step in pages["jobs"]["build"]["steps"] if "run" in step]
    assert "make publish-check" in runs and "make book" in runs, runs
    assert runs.index("make publish-check") < runs.index("make book"), "publish-check must run before the build"
    # PyYAML reads the key `on` as True.
    branches = (pages.get("on") or pages.get(True))["push"]["branches"]
    branch = read_config()["repository"]["branch"]
    assert branches == [branch], f"pages.yml publishes {branches}, _config.yml's repository.branch is {branch}"


def publish_check(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "check_publishing.py"), str(config)],
                          capture_output=True, text=True)


def config_with_url(tmp_path: Path, url: str) -> Path:
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    changed, count = re.subn(r"(?m)^(\s+url:\s*).*$", lambda m: m.group(1) + url, text)
    assert count == 1, "expected one `url:` line in _config.yml's repository section"
    path = tmp_path / "_config.yml"
    path.write_text(changed, encoding="utf-8")
    return path


def test_publish_check_refuses_the_placeholder(tmp_path):
    result = publish_check(config_with_url(tmp_path, "https://github.com/REPLACE-WITH-OWNER/REPLACE-WITH-REPO"))
    message = (result.stdout + result.stderr).strip()
    assert result.returncode == 1, message
    assert len(message.splitlines()) == 1, f"one line expected, got:\n{message}"
    assert "repository.url" in message and "https://github.com/OWNER/REPO" in message, message


def test_publish_check_refuses_a_url_that_is_not_a_github_repository(tmp_path):
    result = publish_check(config_with_url(tmp_path, "https://gitlab.com/someone/book"))
    assert result.returncode == 1 and "repository.url" in result.stderr, result.stdout + result.stderr


def test_publish_check_accepts_a_repository(tmp_path):
    result = publish_check(config_with_url(tmp_path, "https://github.com/dlbook-example/generalization-book"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "https://github.com/dlbook-example/generalization-book" in result.stdout
    assert "branch main" in result.stdout, result.stdout


def test_post_build_writes_the_tests_kernel_setting(tmp_path):
    """Binder runs postBuild once; a reader's kernel then keeps TensorFlow's C++ lines out of cells."""
    post_build = ROOT / "postBuild"
    assert post_build.exists() and post_build.stat().st_mode & 0o111, "postBuild must exist and be executable"
    env = {"HOME": str(tmp_path), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
           "MPLCONFIGDIR": str(tmp_path / "mpl")}
    for _ in range(2):  # running it twice (a rebuilt image) must not add the line twice
        result = subprocess.run(["bash", str(post_build)], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    written = (tmp_path / ".ipython" / "profile_default" / "ipython_kernel_config.py").read_text()
    setting = "c.IPKernelApp.capture_fd_output = False"
    assert written.count(setting) == 1, written
    tests_profile = ROOT / "data" / "ipython" / "profile_default" / "ipython_kernel_config.py"
    assert setting in tests_profile.read_text(), "the tests' kernels no longer have the setting postBuild writes"
