"""The README's set-up commands and examples, run exactly as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from releasekit import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README, flags=re.S)


def _block(lang: str, containing: str) -> str:
    return next(body for kind, body in BLOCKS if kind == lang and containing in body)


def test_readme_opens_with_the_two_setup_commands():
    kind, first = BLOCKS[0]
    lines = first.strip().splitlines()
    assert kind == "bash" and len(lines) == 2
    assert lines[0].endswith("c5data build") and "pip install -e ." in lines[0]
    assert lines[1].endswith(".venv/bin/pytest --cov") and ".[test]" in lines[1]


def test_ci_runs_the_readme_test_command():
    test_command = BLOCKS[0][1].strip().splitlines()[1]
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_query_example_runs_as_written(tmp_path):
    command = _block("bash", "c5data query").strip()
    venv_bin = Path(sys.executable).parent  # the README names .venv/bin; run that command with this interpreter's venv
    env = dict(os.environ, PATH=f"{venv_bin}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(command.replace(".venv/bin/", f"{venv_bin}/"), shell=True, cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^fmm\s+\|\s+6$", proc.stdout, flags=re.M), proc.stdout


def test_python_duckdb_example_runs_as_written(tmp_path, monkeypatch):
    from c5data import build

    work = tmp_path / "pkg"
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(ROOT / "schemas", work / "schemas")
    shutil.copy(ROOT / "datapackage.json", work / "datapackage.json")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    build(work)
    monkeypatch.chdir(work)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("python", "duckdb.connect"), "README", "exec"), {})
    text = out.getvalue()
    assert "Xi Jinping" in text and "Kassym-Jomart Tokayev" in text
    assert "'USD'" in text
    # money only: the USD 0.5 bn grant of the 2022 summit is there, the USD 70 bn trade target (a `target`) is not
    assert "summit-2022-01-25" in text and "500000000.0" in text
    assert "70000000000" not in text


def test_pandera_example_runs_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("python", "pandera_schema"), "README", "exec"), {})
    assert "meeting_type" in out.getvalue() and "plenary" in out.getvalue()
