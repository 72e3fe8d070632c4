"""Table Dialect v2 for CSV: delimiter, quotes, escapes, header rows, comments, null sequence; exact lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from c5data import validate
from c5data.reading import csv_scan
from c5data.reading.csv_scan import read_resource
from c5data.reading.descriptor import load_package
from c5data.reading.dialect import Dialect, parse_dialect

FIXTURE = Path(__file__).parent.parent / "fixtures" / "dialect"


def _raw(name):
    package, problems = load_package(FIXTURE)
    assert package is not None and problems == []
    return read_resource(package.resource(name))


def test_fixture_findings_keep_the_physical_line():
    report = validate(FIXTURE)
    found = sorted((f.code, f.file, f.line, f.column) for f in report.findings)
    assert found == [
        ("constraint-error", "data/semicolon.csv", 7, 3),  # after a comment line and a record over two lines
        ("type-error", "data/two_header_rows.csv", 6, 2),
    ]  # the line break inside a quoted cell is valid text by the standard (only this package's text policy refuses it)


def test_semicolon_quote_comment_and_null_sequence():
    raw = _raw("semicolon")
    assert raw.header == ["id", "note", "score"] and raw.header_line == 2
    assert raw.lines.tolist() == [3, 5, 7]
    assert raw.frame.rows() == [("1", "plain", "1.5"), ("2", "spans\ntwo lines; with a delimiter", ""), ("3", "it's quoted", "12")]


def test_header_rows_are_joined_and_comment_rows_skipped():
    raw = _raw("two_header_rows")
    assert raw.header == ["city name", "city population"] and raw.header_line == 2
    assert raw.lines.tolist() == [5, 6]


def test_no_header_and_escape_char():
    raw = _raw("no_header")
    assert raw.header == ["code", "label"]
    assert raw.frame.rows() == [("KZ", "Kazakhstan"), ("UZ", 'Uzbek "Republic"')]
    assert raw.lines.tolist() == [1, 2]


def test_default_dialect_stays_on_the_fast_path(pkg, monkeypatch):
    monkeypatch.setattr(csv_scan, "_dialect_parse", lambda *a: pytest.fail("the default dialect must not use the csv module"))
    data = json.loads(pkg.read("datapackage.json"))
    data["resources"][0]["dialect"] = {"delimiter": ",", "header": True, "headerRows": [1], "quoteChar": '"', "doubleQuote": True}
    pkg.write("datapackage.json", json.dumps(data))
    assert validate(pkg.root).valid


@pytest.mark.parametrize(
    ("dialect", "problem"),
    [
        ({"delimiter": ";;"}, "delimiter"),
        ({"quoteChar": "ab"}, "quoteChar"),
        ({"doubleQuote": False}, "doubleQuote"),
        ({"headerRows": [0]}, "headerRows"),
        ({"headerRows": [1], "commentRows": [1]}, "commentRows"),
        ({"lineTerminator": ";"}, "lineTerminator"),
        ({"commentChar": ","}, "commentChar"),  # a record starting with an empty cell would be a comment
        ({"commentChar": '"x'}, "commentChar"),  # so would one starting with a quoted cell
        ({"delimiter": ";", "commentChar": ";;"}, "commentChar"),
        ({"doubleQuote": False, "escapeChar": "\\", "commentChar": "\\"}, "commentChar"),
    ],
)
def test_unusable_dialect_values_are_refused(dialect, problem):
    _, problems = parse_dialect(dialect)
    assert [p for p, _ in problems] == [problem]


def test_defaults():
    assert parse_dialect({})[0].is_default and not parse_dialect({"delimiter": ";"})[0].is_default
    assert parse_dialect({"header": False})[0] == Dialect(header=False, header_rows=())


def test_dialect_file_outside_the_package_is_refused(tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(FIXTURE, copy)
    data = json.loads((copy / "datapackage.json").read_text())
    data["resources"][1]["dialect"] = "../dialect.json"
    (copy / "datapackage.json").write_text(json.dumps(data))
    report = validate(copy)
    assert [(f.code, f.file) for f in report.findings if f.code == "resource-error"] == [("resource-error", "datapackage.json")]
    assert "two_header_rows" not in report.row_counts


def test_misspelt_property_in_a_dialect_file(tmp_path):
    copy = tmp_path / "pkg"
    shutil.copytree(FIXTURE, copy)
    (copy / "dialects" / "two-header-rows.json").write_text('{"headerRows": [2, 3], "commentRows": [4], "headerjoin": " "}')
    report = validate(copy)
    [hit] = [f for f in report.findings if f.code == "misspelt-property"]
    assert (hit.file, hit.field, hit.hint) == ("dialects/two-header-rows.json", "/headerjoin", "did you mean `headerJoin`?")


def test_multi_character_comment_char(one_table, frictionless_valid):
    folder = one_table([{"name": "a", "type": "integer"}], "a\n// note\n1\n/ 2\n", resource={"dialect": {"commentChar": "//"}})
    assert one_table.located(folder) == [("type-error", 4, "a")]  # a single slash does not start a comment
    fine = one_table([{"name": "a", "type": "integer"}], "a\n// note\n1\n", resource={"dialect": {"commentChar": "//"}})
    assert one_table.located(fine) == [] and frictionless_valid(fine)


def test_a_comment_marker_that_starts_a_record_is_refused_where_it_is_declared(one_table):
    """Before, `commentChar: ","` dropped every record whose first cell is empty, and the package validated."""
    folder = one_table([{"name": "a", "type": "string"}, {"name": "b", "type": "integer"}], "a,b\n,1\nx,2\n", resource={"dialect": {"commentChar": ","}})
    report = validate(folder)
    assert [(f.code, f.field) for f in report.findings] == [("resource-error", "/resources/0/dialect/commentChar")]
    assert "delimiter" in report.findings[0].message and report.exit_code() != 0


def test_a_null_sequence_needs_a_missing_value_to_stand_for(one_table):
    """With `missingValues: []` no cell can be null, so a `nullSequence` cell has nothing to become (it used to become "",
    a value the file does not hold); the contradiction is refused at the dialect, located."""
    fields = [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]
    folder = one_table(fields, "id;n\n1;NULL\n2;3\n", schema={"missingValues": []}, resource={"dialect": {"delimiter": ";", "nullSequence": "NULL"}})
    report = validate(folder)
    assert [(f.code, f.field, f.value) for f in report.findings] == [("resource-error", "/resources/0/dialect/nullSequence", "NULL")]
    assert "n" in report.findings[0].message and "missingValues" in report.findings[0].hint
    fine = one_table(fields, "id;n\n1;NULL\n2;3\n", schema={"missingValues": ["-"]}, resource={"dialect": {"delimiter": ";", "nullSequence": "NULL"}})
    assert validate(fine).valid
