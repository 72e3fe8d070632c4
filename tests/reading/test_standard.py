"""Descriptors against the standard's own profiles: every violation located by file and JSON pointer."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys

import pytest

from c5data import validate
from c5data.reading.standard import PROFILES, profile_problems


def test_the_vendored_profiles_are_the_published_files():
    listed = re.findall(r"^([0-9a-f]{64})  (\S+\.json)$", (PROFILES / "README.md").read_text(encoding="utf-8"), re.M)
    assert {name for _, name in listed} == {p.name for p in PROFILES.glob("*.json")}
    for digest, name in listed:
        assert hashlib.sha256((PROFILES / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize(
    ("descriptor", "kind", "pointer", "words"),
    [
        ({"fields": [{"name": "d", "type": "date", "constraints": {"required": "false"}}]}, "schema", "/fields/0/constraints/required", "boolean"),
        ({"fields": [{"name": "n", "type": "integer", "format": "thousands"}]}, "schema", "/fields/0/format", "'default'"),
        ({"fields": [{"name": "n", "type": "calendar"}]}, "schema", "/fields/0/type", "unknown type 'calendar'"),
        ({"fields": [{"name": "n"}], "fieldsMatch": "some"}, "schema", "/fieldsMatch", "'partial'"),
        ({"header": "yes"}, "dialect", "/header", "boolean"),
        ({"resources": [{"name": "t", "path": "t.csv"}], "licenses": [{"title": "no name, no path"}]}, "package", "/licenses/0", "name"),
        ({"resources": [{"name": "t", "path": "t.csv"}], "keywords": []}, "package", "/keywords", "non-empty"),
    ],
)
def test_a_violation_is_located_at_its_pointer(descriptor, kind, pointer, words):
    problems = profile_problems(descriptor, kind)
    assert [p for p, _ in problems] == [pointer]
    assert words in problems[0][1]


@pytest.mark.parametrize(
    "schema",
    [
        {"fields": [{"name": "a", "type": "list", "itemType": "time", "delimiter": ";"}]},  # Table Schema v2 `list`
        {"fields": [{"name": "a"}], "fieldsMatch": "equal"},  # a string, though this edition declares an array
        {"fields": [{"name": "a", "type": "integer"}], "missingValues": [{"value": "-", "label": "not known"}]},
    ],
)
def test_what_the_standards_text_allows_passes(schema):
    assert profile_problems(schema, "schema") == []


def test_a_verdict_given_before_is_the_same_and_never_leaks_to_another_descriptor():
    good = {"fields": [{"name": "a", "type": "integer"}]}
    bad = {"fields": [{"name": "a", "type": "integer", "constraints": {"required": "no"}}]}
    assert profile_problems(good, "schema") == profile_problems(good, "schema") == []
    first = profile_problems(bad, "schema")
    first.append(("/x", "changed by the caller"))  # a caller's list is its own: the remembered verdict is unchanged
    assert [p for p, _ in profile_problems(bad, "schema")] == ["/fields/0/constraints/required"]
    assert [p for p, _ in profile_problems(bad, "schema", "/resources/0/schema")] == ["/resources/0/schema/fields/0/constraints/required"]
    assert profile_problems({1: "not JSON's kind of key"}, "dialect") == profile_problems({1: "not JSON's kind of key"}, "dialect")


def test_a_wrong_field_is_refused_alone_and_located_in_its_schema_file(pkg):
    schema = json.loads(pkg.read("schemas/series.schema.json"))
    schema["fields"][1]["constraints"] = {"maxLength": "10"}
    pkg.write("schemas/series.schema.json", json.dumps(schema))
    findings = validate(pkg.root).findings
    wrong = [f for f in findings if f.code == "field-error"]
    assert [(f.file, f.field) for f in wrong] == [("schemas/series.schema.json", schema["fields"][1]["name"])]
    assert wrong[0].message.startswith("/fields/1/constraints/maxLength: must be of type integer")


def test_an_inline_schema_is_located_in_the_descriptor(one_table):
    folder = one_table([{"name": "a", "type": "string"}], "a\nx\n", schema={"primaryKey": 5})
    findings = validate(folder).findings
    assert [(f.code, f.file, f.field) for f in findings] == [("schema-error", "datapackage.json", "/resources/0/schema/primaryKey")]


def test_the_misplaced_and_misspelt_hints_stay(one_table):
    folder = one_table([{"name": "a", "type": "string", "required": True}], "a\nx\n", schema={"primarykey": ["a"]})
    found = {(f.code, f.field) for f in validate(folder).findings}
    assert ("misplaced-property", "/resources/0/schema/fields/0/required") in found
    assert ("misspelt-property", "/resources/0/schema/primarykey") in found


def test_a_package_profile_violation_is_a_located_package_error(one_table):
    folder = one_table([{"name": "a"}], "a\nx\n")
    desc = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    desc["contributors"] = [{}]
    (folder / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    findings = validate(folder).findings
    assert [(f.code, f.file, f.field) for f in findings] == [("package-error", "datapackage.json", "/contributors/0")]


def test_help_does_not_import_jsonschema():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "c5data", "--help"], capture_output=True, text=True, check=True)
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}
    assert "click" in imported  # the measure works
    assert "jsonschema" not in imported
