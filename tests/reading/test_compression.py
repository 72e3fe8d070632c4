"""Compressed (gzip, zip) and multi-part resources: read as one table, findings at each part's own file and line."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from c5data import validate
from c5data.reading.csv_scan import read_resource
from c5data.reading.descriptor import load_package

FIXTURE = Path(__file__).parent.parent / "fixtures" / "compression"


@pytest.fixture
def copy(tmp_path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(FIXTURE, target)
    return target


def test_fixture_findings_name_each_part_and_line():
    report = validate(FIXTURE)
    assert sorted((f.code, f.file, f.line, f.column) for f in report.findings) == [
        ("primary-key", "data/events-2.csv", 2, 1),
        ("type-error", "data/cities.csv.gz", 3, 2),
        ("type-error", "data/events-3.csv.gz", 2, 1),
    ]
    assert report.row_counts == {"cities": 2, "regions": 2, "by_property": 2, "events": 6}


def test_parts_after_the_first_have_no_header():
    package, _ = load_package(FIXTURE)
    raw = read_resource(package.resource("events"))
    assert raw.header == ["id", "city"]
    assert raw.frame.get_column("_0").to_list() == ["1", "2", "3", "3", "4", "five"]
    assert raw.lines.tolist() == [2, 3, 1, 2, 1, 2]
    assert [raw.file_at(i) for i in range(raw.n_rows)] == ["data/events-1.csv"] * 2 + ["data/events-2.csv"] * 2 + ["data/events-3.csv.gz"] * 2


def test_a_zip_bomb_is_refused_at_its_file(copy, monkeypatch):
    monkeypatch.setenv("C5DATA_MAX_DECOMPRESSED_RESOURCE", "10000")
    with gzip.open(copy / "data" / "cities.csv.gz", "wb") as f:
        f.write(b"city,population\n" + b"0" * 1_000_000)
    assert (copy / "data" / "cities.csv.gz").stat().st_size < 5_000
    report = validate(copy)
    [hit] = [f for f in report.findings if f.file == "data/cities.csv.gz"]
    assert hit.code == "source-error" and "limit" in hit.message
    assert report.exit_code() == 2


def test_a_zip_must_hold_one_file(copy):
    with zipfile.ZipFile(copy / "data" / "regions.csv.zip", "a") as archive:
        archive.writestr("other.csv", "x\n")
    [hit] = [f for f in validate(copy).findings if f.file == "data/regions.csv.zip"]
    assert hit.code == "source-error" and "holds 2" in hit.message


def test_a_corrupt_gzip_is_a_source_error(copy):
    (copy / "data" / "by-property.dat").write_bytes(b"not gzip at all")
    [hit] = [f for f in validate(copy).findings if f.file == "data/by-property.dat"]
    assert hit.code == "source-error" and "gz" in hit.message


def test_every_part_is_confined_to_the_package(copy):
    data = json.loads((copy / "datapackage.json").read_text())
    data["resources"][3]["path"] = ["data/events-1.csv", "../events-2.csv"]
    (copy / "datapackage.json").write_text(json.dumps(data))
    report = validate(copy)
    assert [(f.code, f.value) for f in report.findings if f.code == "resource-error"] == [("resource-error", "../events-2.csv")]


def test_unknown_compression_is_refused(copy):
    data = json.loads((copy / "datapackage.json").read_text())
    data["resources"][2]["compression"] = "bz2"
    (copy / "datapackage.json").write_text(json.dumps(data))
    assert [f.code for f in validate(copy).findings if f.code == "resource-error"] == ["resource-error"]


def test_release_path_is_one_plain_csv():
    package, _ = load_package(FIXTURE)
    assert [r.release_path for r in package.resources] == [
        "data/cities.csv",
        "data/regions.csv",
        "data/by-property.csv",
        "data/events.csv",
    ]  # written as plain CSV, so named .csv


_UNDER_A_MEMORY_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
import c5data
report = c5data.validate(sys.argv[1])
print(report.exit_code(), [f.message for f in report.findings])
"""


@pytest.mark.slow
@pytest.mark.parametrize("parts", [1, 4])
def test_a_gzip_bomb_is_refused_within_a_memory_limit(tmp_path, parts):
    """About 1 MB per part that decompresses to about 1 GB each: refused while reading, in a process limited to 1.5 GB."""
    import subprocess
    import sys

    package = tmp_path / "bomb"
    (package / "data").mkdir(parents=True)
    paths = [f"data/t{k}.csv.gz" for k in range(parts)]
    resource = {"name": "t", "path": paths if parts > 1 else paths[0], "schema": {"fields": [{"name": "a", "type": "string"}]}}
    (package / "datapackage.json").write_text(json.dumps({"name": "bomb", "resources": [resource]}))
    member = gzip.compress(b"x\n" * (32 << 20), compresslevel=9)  # 64 MiB of rows in about 64 kB; gzip readers join members
    for k, path in enumerate(paths):
        (package / path).write_bytes((gzip.compress(b"a\n") if k == 0 else b"") + member * 16)
    assert sum(f.stat().st_size for f in (package / "data").iterdir()) < 2_000_000 * parts
    done = subprocess.run([sys.executable, "-c", _UNDER_A_MEMORY_LIMIT, str(package)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 ") and "zip bomb" in done.stdout


def test_the_decompression_limits_add_up_across_parts_and_resources(copy, monkeypatch):
    monkeypatch.setenv("C5DATA_MAX_DECOMPRESSED_PACKAGE", "40")  # the fixture's compressed files hold more than that together
    report = validate(copy)
    assert any(f.code == "source-error" and "limit per package" in f.message for f in report.findings)
    monkeypatch.setenv("C5DATA_MAX_DECOMPRESSED_PACKAGE", "-1")
    with pytest.raises(ValueError, match="C5DATA_MAX_DECOMPRESSED_PACKAGE must be a positive number"):
        validate(copy)


def test_declared_bytes_and_hash_of_a_multi_part_resource_cover_every_part(copy):
    data = json.loads((copy / "datapackage.json").read_text())
    data["resources"][3]["bytes"] = 1
    data["resources"][3]["hash"] = "shake_128:00"
    (copy / "datapackage.json").write_text(json.dumps(data))
    codes = sorted((f.code, f.message.split(",")[0]) for f in validate(copy).findings if f.file == data["resources"][3]["path"][0])
    assert [c for c, _ in codes] == ["byte-count", "resource-error"]
