"""A resource without a schema is refused with one located error, never inferred, and nothing cascades from it."""

from __future__ import annotations

from pathlib import Path

from c5data import validate

FIXTURE = Path(__file__).parent.parent / "fixtures" / "no-schema"


def test_one_located_error_and_no_cascade():
    report = validate(FIXTURE)
    [finding] = report.findings  # not a foreign-key finding per row of `people`, nor a missing-resource one
    assert (finding.code, finding.file, finding.field) == ("schema-error", "datapackage.json", "/resources/0/schema")
    assert "never infers" in finding.message and "frictionless describe data/cities.csv" in finding.hint
    assert report.row_counts == {"people": 2}  # the other resources are still read and checked
    assert report.exit_code() == 2
