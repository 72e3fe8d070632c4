"""The README's set-up commands and examples, run exactly as written."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.slow  # builds a release or runs subprocesses
def test_query_example_runs_as_written(tmp_path):
    command = _block("bash", "c5data query").strip()
    venv_bin = Path(sys.executable).parent  # the README names .venv/bin; run that command with this interpreter's venv
    env = dict(os.environ, PATH=f"{venv_bin}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(command.replace(".venv/bin/", f"{venv_bin}/"), shell=True, cwd=ROOT, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    with (ROOT / "data" / "meetings.csv").open(encoding="utf-8", newline="") as fh:
        fmm = sum(1 for row in csv.DictReader(fh) if row["series_id"] == "fmm")  # counted from the data, so a new meeting keeps this true
    assert re.search(rf"^fmm\s+\|\s+{fmm}$", proc.stdout, flags=re.M), proc.stdout


@pytest.mark.slow  # builds a release or runs subprocesses
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


TRACKER_QUERIES = [body for kind, body in BLOCKS if kind == "sql" and "FROM pledge_tracker" in body]


def _records(con, sql: str) -> list[dict]:
    rel = con.sql(sql)
    return [dict(zip(rel.columns, row)) for row in rel.fetchall()]


def test_readme_gives_the_two_tracker_queries_and_they_answer_on_the_built_release(shipped_release):
    import duckdb

    assert len(TRACKER_QUERIES) == 2
    shares, overdue = TRACKER_QUERIES
    con = duckdb.connect(str(shipped_release.out / "c5data.duckdb"), read_only=True)
    try:
        tracker = _records(con, "SELECT * FROM pledge_tracker")
        per_summit = _records(con, shares)
        unreported = _records(con, overdue)
    finally:
        con.close()
    summits = {r["meeting_id"] for r in tracker if r["series_id"] == "summit"}
    counted = [r for r in per_summit if r["measure"] == "pledges counted"]
    assert {r["meeting_id"] for r in counted} == summits
    for r in counted:  # the share is the view's own rows of that summit, counted here independently
        rows = [t for t in tracker if t["meeting_id"] == r["meeting_id"]]
        assert r["pledged"] == len(rows) and r["confirmed"] == sum(1 for t in rows if t["delivery_confirmed"])
        assert r["share_confirmed"] == round(r["confirmed"] / r["pledged"], 3)
    for r in per_summit:  # money per currency only, never a target
        if r["measure"] != "pledges counted":
            currency = r["measure"].removeprefix("money, ")
            rows = [t for t in tracker if t["meeting_id"] == r["meeting_id"] and t["kind"] == "money" and t["unit"] == currency]
            assert rows and r["pledged"] == sum(t["quantity"] for t in rows)
            assert 0 <= r["confirmed"] <= r["pledged"]
    expected = {t["pledge_id"] for t in tracker if t["overdue"] and t["followups"] == 0}
    assert {r["pledge_id"] for r in unreported} == expected


def test_readme_tracker_queries_run_with_c5data_query(tmp_path):
    from click.testing import CliRunner

    from c5data.cli import main

    work = tmp_path / "pkg"
    shutil.copytree(ROOT / "data", work / "data")
    shutil.copytree(ROOT / "schemas", work / "schemas")
    shutil.copy(ROOT / "datapackage.json", work / "datapackage.json")
    for sql in TRACKER_QUERIES:
        result = CliRunner().invoke(main, ["query", "--format", "csv", sql, str(work)])
        assert result.exit_code == 0, result.output
        header = result.output.splitlines()[0].split(",")
        assert header[0] == "meeting_id" and ("share_confirmed" in header or "due_year" in header)


def test_pandera_example_runs_as_written(monkeypatch):
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_block("python", "pandera_schema"), "README", "exec"), {})
    assert "meeting_type" in out.getvalue() and "plenary" in out.getvalue()


def test_pandas_example_loads_views_and_gives_no_suffixed_columns(monkeypatch):
    """The pandas snippet loads views (names already joined), so no merge gives `notes_x`/`notes_y` columns."""
    import pandas as pd

    from c5data.building.sql import package_views
    from c5data.reading.descriptor import load_package

    snippet = _block("python", "pandas=True")
    loaded = re.findall(r'c5data\.load\("([a-z_]+)"', snippet)
    package, _ = load_package(ROOT)
    assert package is not None
    assert loaded and set(loaded) <= {v.name for v in package_views(package)}, "the snippet loads views, not tables to merge"
    assert "merge(" not in snippet
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(snippet, "README", "exec"), namespace)
    frames = [v for v in namespace.values() if isinstance(v, pd.DataFrame)]
    assert len(frames) == len(loaded)
    for frame in frames:
        assert len(frame) > 0 and not [c for c in frame.columns if re.search(r"_(x|y)$", str(c))]
