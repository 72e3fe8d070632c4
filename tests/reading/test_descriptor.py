"""Descriptor loading: resource paths stay inside the package."""

from __future__ import annotations

import json
import os

import pytest

from c5data import validate
from c5data.reading.descriptor import load_package


def _set_path(pkg, name, path):
    data = json.loads(pkg.read("datapackage.json"))
    next(r for r in data["resources"] if r["name"] == name)["path"] = path
    pkg.write("datapackage.json", json.dumps(data))


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv", "data/../../x.csv", ".hidden/series.csv", "https://example.org/x.csv", ""])
def test_unsafe_paths_are_refused(pkg, path):
    _set_path(pkg, "series", path)
    report = validate(pkg.root)
    assert any(f.code == "resource-error" for f in report.findings)
    assert report.exit_code() == 2


def test_symlink_leading_outside_is_refused(pkg, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text(pkg.read("series.csv"), encoding="utf-8")
    os.symlink(outside, pkg.root / "data" / "linked.csv")
    _set_path(pkg, "series", "data/linked.csv")
    _, problems = load_package(pkg.root)
    assert [p.code for p in problems] == ["resource-error"]
    assert "outside" in problems[0].message


def test_descriptor_file_path_or_folder_both_work(pkg):
    assert validate(pkg.root).valid
    assert validate(pkg.root / "datapackage.json").valid


def test_missing_package_is_a_package_error(tmp_path):
    report = validate(tmp_path / "nowhere")
    assert [f.code for f in report.findings] == ["package-error"]
    assert report.exit_code() == 2


def test_foreign_key_to_unknown_resource_is_a_schema_error(pkg):
    pkg.replace("schemas/persons.schema.json", '"resource": "countries"', '"resource": "nations"')
    report = validate(pkg.root)
    assert any(f.code == "schema-error" and "nations" in f.message for f in report.findings)


def test_pattern_the_regex_engine_cannot_run_is_a_field_error(pkg):
    pkg.replace("schemas/countries.schema.json", '"pattern": "^[A-Z]{2}$"', '"pattern": "^(?=[A-Z])[A-Z]{2}$"')
    report = validate(pkg.root)
    assert [(f.code, f.field) for f in report.findings] == [("field-error", "iso2")]
    assert "look-around" in report.findings[0].message and report.exit_code() == 2


@pytest.mark.parametrize(
    "old,new",
    [
        ('"minimum": 1', '"minimum": "one"'),
        (
            '"constraints": {\n        "required": true\n      }\n    },\n    {\n      "name": "end_date"',
            '"constraints": {\n        "required": true, "minimum": "2020-02-30"\n      }\n    },\n    {\n      "name": "end_date"',
        ),
    ],
)
def test_constraint_values_that_do_not_fit_the_type_are_field_errors(pkg, old, new):
    pkg.replace("schemas/meetings.schema.json", old, new)
    report = validate(pkg.root)
    assert [f.code for f in report.findings] == ["field-error"] and report.exit_code() == 2


def test_a_device_or_pipe_is_refused_at_once_not_read(pkg, tmp_path):
    """`validate /dev/zero` used to die of MemoryError; a FIFO as a data file hung forever."""
    import os

    from c5data import validate

    report = validate("/dev/zero")
    assert report.exit_code() == 2 and "not a regular file" in report.findings[0].message
    fifo = pkg.root / "data" / "pipe.csv"
    os.mkfifo(fifo)
    pkg.replace("datapackage.json", '"path": "data/series.csv"', '"path": "data/pipe.csv"')
    report = validate(pkg.root)  # returns at once: nothing opens the pipe
    assert any(f.code == "source-error" and f.file == "data/pipe.csv" and "not a regular file" in f.message for f in report.findings)


def test_duplicate_json_keys_are_refused(pkg):
    from c5data import validate

    text = pkg.read("datapackage.json")
    pkg.write("datapackage.json", text.replace('"name": "c5data"', '"name": "c5data", "name": "other"', 1))
    report = validate(pkg.root)
    assert report.exit_code() == 2
    assert any("appears twice" in f.message for f in report.findings)
