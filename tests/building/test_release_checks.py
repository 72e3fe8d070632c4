"""A build checks its own output: one plain CSV per table under a name no other table shares, declared as what it
is, and the whole staged release verified before it replaces the old one."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from c5data import validate, verify
from c5data.building.builder import BuildError, InvalidPackage
from c5data.pipeline import build

pytestmark = pytest.mark.slow

SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}


def _package(root: Path, resources: list[dict], files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    (root / "datapackage.json").write_text(json.dumps({"name": "outside", "version": "1.0.0", "resources": resources}))
    return root


def test_two_tables_released_to_one_file_are_refused_at_validation(tmp_path):
    root = _package(
        tmp_path / "pkg",
        [
            {"name": "a", "path": "data/a.tsv", "dialect": {"delimiter": "\t"}, "schema": SCHEMA},
            {"name": "b", "path": "data/a.csv", "schema": SCHEMA},
        ],
        {"data/a.tsv": b"id\tname\n1\tx\n", "data/a.csv": b"id,name\n2,y\n"},
    )
    report = validate(root)
    collisions = [f for f in report.findings if f.code == "resource-error" and "data/a.csv" in f.message]
    assert len(collisions) == 1 and collisions[0].field == "/resources/1/path"
    with pytest.raises(InvalidPackage):
        build(root, tmp_path / "release")
    assert not (tmp_path / "release").exists()


def test_a_tsv_and_an_upper_case_gz_are_released_as_the_csv_files_they_become(tmp_path):
    root = _package(
        tmp_path / "pkg",
        [
            {"name": "tabbed", "path": "data/tabbed.tsv", "format": "tsv", "mediatype": "text/tab-separated-values", "dialect": {"delimiter": "\t"}, "schema": SCHEMA},
            {"name": "packed", "path": "data/packed.csv.GZ", "schema": SCHEMA},
        ],
        {"data/tabbed.tsv": b"id\tname\n1\tx, y\n", "data/packed.csv.GZ": gzip.compress(b"id,name\n1,z\n", mtime=0)},
    )
    result = build(root, tmp_path / "release")
    descriptor = json.loads((result.out / "datapackage.json").read_text())
    by_name = {r["name"]: r for r in descriptor["resources"]}
    assert by_name["tabbed"]["path"] == "data/tabbed.csv" and by_name["packed"]["path"] == "data/packed.csv"
    assert all(r["format"] == "csv" and r["mediatype"] == "text/csv" and "dialect" not in r and "compression" not in r for r in by_name.values())
    assert (result.out / "data/tabbed.csv").read_text() == 'id,name\n1,"x, y"\n'
    assert (result.out / "data/packed.csv").read_bytes() == b"id,name\n1,z\n"
    assert validate(result.out).exit_code() == 0 and verify(result.out).ok


def test_a_release_that_fails_its_own_verification_never_replaces_the_old_one(tmp_path, monkeypatch):
    root = _package(tmp_path / "pkg", [{"name": "t", "path": "data/t.csv", "schema": SCHEMA}], {"data/t.csv": b"id,name\n1,x\n"})
    first = build(root, tmp_path / "release")
    before = {p.relative_to(first.out).as_posix(): p.read_bytes() for p in first.out.rglob("*") if p.is_file()}

    from c5data.building.writers import checksums

    real = checksums.write

    def broken(ctx):  # a writer bug: a file changed after its checksum was taken
        real(ctx)
        (ctx.out / "data" / "t.csv").write_bytes(b"id,name\n1,tampered\n")

    monkeypatch.setattr(checksums, "write", broken)
    with pytest.raises(BuildError, match="fails its own verification"):
        build(root, tmp_path / "release")
    after = {p.relative_to(first.out).as_posix(): p.read_bytes() for p in first.out.rglob("*") if p.is_file()}
    assert after == before
