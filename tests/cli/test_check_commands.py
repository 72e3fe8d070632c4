"""`c5data validate` on packages from outside: the standard's verdict, and nothing of this package's own policies."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from c5data.cli import main

OUTSIDE = Path(__file__).parent.parent / "fixtures" / "frictionless-py"


@pytest.mark.parametrize(
    ("package", "exit_code", "lines"),
    [
        ("cities", 0, []),
        ("multipart", 1, ["data.part3.csv:2:1: error [type-error] id: is not a whole number such as 3"]),
        # The standard's profile refuses an empty `path` in `sources` (frictionless-py 5 does not check that pattern).
        ("geopoint", 2, ["error [package-error] /resources/0/sources/0/path", "error [package-error] /sources/0/path"]),
    ],
)
def test_a_package_from_outside_gets_the_standards_verdict(package, exit_code, lines):
    result = CliRunner().invoke(main, ["validate", str(OUTSIDE / package)])
    assert result.exit_code == exit_code, result.output
    found = [line for line in result.output.splitlines() if "] " in line]
    assert len(found) == len(lines) and all(any(want in line for line in found) for want in lines), result.output


def test_the_geopoint_package_is_valid_once_its_empty_source_paths_are_dropped(tmp_path):
    import json
    import shutil

    copy = tmp_path / "geopoint"
    shutil.copytree(OUTSIDE / "geopoint", copy)
    desc = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    for holder in (desc, desc["resources"][0]):
        holder["sources"] = [{"title": "Office list"}]
    (copy / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(copy)])
    assert result.exit_code == 0, result.output
    assert "valid: 0 error(s), 0 warning(s) in 1 table(s), 3 row(s)" in result.output
