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


def _schema_edit(pkg, edit):
    data = json.loads(pkg.read("schemas/series.schema.json"))
    edit(data)
    pkg.write("schemas/series.schema.json", json.dumps(data))


def _package_edit(pkg, edit):
    data = json.loads(pkg.read("datapackage.json"))
    edit(data)
    pkg.write("datapackage.json", json.dumps(data))


WRONG_TYPES = {
    "field type as a list": lambda p: _schema_edit(p, lambda d: d["fields"][0].update(type=["string"])),
    "uniqueKeys as a number": lambda p: _schema_edit(p, lambda d: d.update(uniqueKeys=5)),
    "huge maxLength": lambda p: _schema_edit(p, lambda d: d["fields"][1].setdefault("constraints", {}).update(maxLength=10**400)),
    "missingValues as a string": lambda p: _schema_edit(p, lambda d: d.update(missingValues="NA")),
    "trueValues as a string": lambda p: _schema_edit(p, lambda d: d["fields"][0].update(type="boolean", trueValues="true")),
    "required as a string": lambda p: _schema_edit(p, lambda d: d["fields"][1].setdefault("constraints", {}).update(required="false")),
    "unique as a string": lambda p: _schema_edit(p, lambda d: d["fields"][1].setdefault("constraints", {}).update(unique="no")),
    "description as a list": lambda p: _schema_edit(p, lambda d: d["fields"][1].update(description=["a", "b"])),
    "hash as a number": lambda p: _package_edit(p, lambda d: d["resources"][0].update(hash=12)),
    "licenses as a string": lambda p: _package_edit(p, lambda d: d.update(licenses="MIT")),
    "descriptor null": lambda p: p.write("datapackage.json", "null"),
    "Infinity": lambda p: p.write("schemas/series.schema.json", p.read("schemas/series.schema.json").replace('"fields"', '"x": Infinity, "fields"', 1)),
}


@pytest.mark.slow  # validates, then runs `build`, once per mistake
@pytest.mark.parametrize("mistake", sorted(WRONG_TYPES))
def test_properties_of_the_wrong_type_are_located_errors_never_crashes(pkg, mistake):
    from click.testing import CliRunner

    from c5data.cli import main

    WRONG_TYPES[mistake](pkg)
    report = validate(pkg.root)
    assert report.exit_code() == 2, (mistake, [f.message for f in report.findings])
    result = CliRunner().invoke(main, ["build", str(pkg.root)])  # build validates first: the same verdict, nothing written
    assert result.exit_code == 2 and "internal error" not in result.output and "Traceback" not in result.output, (mistake, result.output)
    assert not (pkg.root / "release").exists()


def test_a_schema_file_holding_null_is_reported_not_dropped(pkg):
    pkg.write("schemas/series.schema.json", "null")
    report = validate(pkg.root)
    assert report.exit_code() == 2
    assert any(f.code == "schema-error" and f.file == "schemas/series.schema.json" for f in report.findings)


def test_an_unknown_encoding_is_a_located_resource_error(one_table):
    findings = validate(one_table([{"name": "a"}], "a\nx\n", resource={"encoding": "bad"})).findings
    assert [(f.code, f.field, f.value) for f in findings] == [("resource-error", "/resources/0/encoding", "bad")]
