"""Descriptor mistakes that change meaning: misplaced constraints and dialect properties, near-miss spellings."""

from __future__ import annotations

from pathlib import Path

import pytest

from c5data import validate
from c5data.reading.profile import FIELD, RESOURCE, TABLE_SCHEMA, stray_properties

FIXTURE = Path(__file__).parent.parent / "fixtures" / "descriptor-mistakes"


def test_fixture_reports_each_mistake_with_a_did_you_mean():
    report = validate(FIXTURE)
    found = {(f.code, f.field, f.severity, f.hint) for f in report.findings}
    base = "/resources/0"
    assert found == {
        ("misplaced-property", f"{base}/delimiter", "error", 'write "dialect": {"delimiter": …}'),
        ("misplaced-property", f"{base}/schema/fields/0/required", "error", 'write "constraints": {"required": …}'),
        ("misspelt-property", f"{base}/schema/fields/1/constraints/maxLenght", "warning", "did you mean `maxLength`?"),
        ("misspelt-property", f"{base}/schema/fields/2/missingValue", "warning", "did you mean `missingValues`?"),
        ("misspelt-property", f"{base}/schema/primarykey", "warning", "did you mean `primaryKey`?"),
        ("misspelt-property", f"{base}/schema/fieldsmatch", "warning", "did you mean `fieldsMatch`?"),
    }
    assert all(f.file == "datapackage.json" for f in report.findings)
    assert report.exit_code() == 2


@pytest.mark.parametrize(
    ("shape", "descriptor", "expected"),
    [
        (TABLE_SCHEMA, {"fields": [], "foreignkey": []}, ("/foreignkey", "misspelt-property", "`foreignKeys`")),
        (FIELD, {"name": "a", "unique": True}, ("/unique", "misplaced-property", "constraints")),
        (FIELD, {"name": "a", "enum": ["x"]}, ("/enum", "misplaced-property", "constraints")),
        (FIELD, {"name": "a", "requird": True}, ("/requird", "misspelt-property", "`required` inside `constraints`")),
        (RESOURCE, {"name": "a", "quoteChar": "'"}, ("/quoteChar", "misplaced-property", "dialect")),
        (RESOURCE, {"name": "a", "dialect": {"delimeter": ";"}}, ("/dialect/delimeter", "misspelt-property", "`delimiter`")),
    ],
)
def test_stray_properties(shape, descriptor, expected):
    [(pointer, code, _message, hint)] = stray_properties(descriptor, shape)
    assert (pointer, code) == expected[:2] and expected[2] in hint


@pytest.mark.parametrize("descriptor", [{"name": "a", "x-anything": 1}, {"name": "a", "owner": "me"}, {"name": "a", "rdfType": "x", "example": 1}])
def test_custom_properties_stay_allowed(descriptor):
    assert stray_properties(descriptor, FIELD) == []
