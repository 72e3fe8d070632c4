"""The benchmark keeps working: generator, DuckDB baseline and runner at a small N (no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from releasekit import ROOT

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import DEFECT_KINDS, generate
from benchmarks.run import benchmark, report

from benchmarks import duckdb_baseline

pytestmark = [pytest.mark.bench, pytest.mark.slow]

ROWS, K = 2_000, 2


def c5data_validate(root: Path) -> tuple[int, dict]:
    proc = subprocess.run([sys.executable, "-m", "c5data", "validate", str(root), "--format", "json"], capture_output=True, text=True, timeout=300)
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def valid_package(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("bench") / "valid"
    return root, generate(root, ROWS, 0)


@pytest.fixture(scope="module")
def defective_package(tmp_path_factory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("bench") / "defects"
    return root, generate(root, ROWS, K)


def test_generated_package_without_defects_validates(valid_package):
    root, manifest = valid_package
    assert manifest["defects"] == []
    assert manifest["row_counts"]["participants"] + manifest["row_counts"]["pledges"] == ROWS
    code, report_json = c5data_validate(root)
    assert code == 0, [f for f in report_json["findings"]][:5]
    assert report_json["findings"] == []
    assert duckdb_baseline.validate(root)["findings"] == []


def test_manifest_has_k_defects_of_each_kind_at_distinct_lines(defective_package):
    root, manifest = defective_package
    kinds = [d["kind"] for d in manifest["defects"]]
    assert sorted(set(kinds)) == sorted(DEFECT_KINDS) and all(kinds.count(k) == K for k in DEFECT_KINDS)
    places = [(d["file"], d["line"]) for d in manifest["defects"]]
    assert len(set(places)) == len(places)
    lines = (root / "data" / "participants.csv").read_text(encoding="utf-8").split("\n")
    for d in manifest["defects"]:
        if d["kind"] == "blank-row":
            assert set(lines[d["line"] - 1]) == {","}


def test_c5data_reports_every_injected_defect_at_its_line(defective_package):
    root, manifest = defective_package
    code, report_json = c5data_validate(root)
    assert code == 1
    reported = {(f["file"], f["line"], f["code"]) for f in report_json["findings"]}
    missed = [d for d in manifest["defects"] if (d["file"], d["line"], d["code"]) not in reported]
    assert missed == []
    assert len(report_json["findings"]) == len(manifest["defects"])  # nothing else is flagged


def test_duckdb_baseline_reports_every_injected_defect(defective_package):
    root, manifest = defective_package
    found = {(f["file"], f["line"], f["code"]) for f in duckdb_baseline.validate(root)["findings"]}
    assert found == {(d["file"], d["line"], d["code"]) for d in manifest["defects"]}


def test_runner_scores_each_tool_in_one_run(tmp_path):
    results = benchmark(rows=ROWS, defects=K, runs=1, skip=("shipped",), workdir=tmp_path, log=lambda _msg: None)
    tools = results["tools"]
    injected = results["injected"]
    assert injected == K * len(DEFECT_KINDS)
    c5 = tools["c5data"]
    assert (c5["found"], c5["missed"], c5["other_findings"]) == (injected, [], 0)
    assert c5["exit_codes"] == [1] and c5["median_seconds"] > 0 and c5["median_rss_mb"] > 0
    assert tools["duckdb"]["found"] == injected
    # frictionless cannot see list references or the cross-table rules; what it can see, it is scored on
    fl = tools["frictionless"]
    assert fl["checkable"] == sum(1 for d in results["manifest"] if d["frictionless_code"])
    assert 0 < fl["checkable"] < injected and fl["found"] == fl["checkable"]
    build = tools["build"]
    assert build["available"] and build["exit_codes"] == [0] and build["median_seconds"] > 0  # built from a defect-free copy
    assert results["ratios"]["c5data_vs_duckdb"] > 0 and results["help"]["median_seconds"] > 0
    text = report(results)
    assert "c5data validate" in text and f"{injected}/{injected}" in text
    assert not any(tmp_path.iterdir())  # the temporary package is removed


def test_scaling_runs_each_size_and_plots_time_against_rows(tmp_path):
    import xml.etree.ElementTree as ET

    from benchmarks.plot import scaling_svg
    from benchmarks.run import scaling, scaling_report

    results = scaling((1_000, 2_000), defects=1, runs=1, skip=("frictionless", "build", "shipped", "help"), workdir=tmp_path, log=lambda _msg: None)
    assert [r["rows"] for r in results["sizes"]] == [1_000, 2_000]
    assert sorted(results["series"]) == ["c5data", "duckdb"]
    assert [rows for rows, _ in results["series"]["c5data"]] == [1_000, 2_000]
    assert all(seconds > 0 for points in results["series"].values() for _, seconds in points)
    table = scaling_report(results)
    assert "| 1,000 |" in table and "| 2,000 |" in table
    svg = ET.fromstring(scaling_svg(results["series"], "test"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert len(svg.findall("s:polyline", ns)) == 2 and len(svg.findall("s:circle", ns)) == 4
    assert {t.text for t in svg.findall("s:text", ns)} >= {"c5data validate", "DuckDB floor", "1k", "2k"}
    with pytest.raises(ValueError):
        scaling_svg({}, "nothing")
