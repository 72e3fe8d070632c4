"""One root cause, one finding first: a wrong separator, a bad date, an unquoted comma; near matches for unknown references."""

from __future__ import annotations

import csv
import io

import pytest

from c5data.validation.validator import validate


def _codes(report) -> list[tuple[str, int | None, str]]:
    return [(f.file or "", f.line, f.code) for f in report.findings]


def test_a_semicolon_separated_file_is_named_once_and_blames_nothing_else(pkg):
    rows = list(csv.reader(io.StringIO(pkg.read("meetings.csv"), newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    pkg.path("meetings.csv").write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    report = validate(pkg.root)
    errors = [f for f in report.findings if f.severity == "error"]
    assert [(f.file, f.code) for f in errors] == [("data/meetings.csv", "wrong-delimiter")]
    assert "semicolon-separated" in errors[0].message and "comma inside a value" not in str(errors[0].hint)
    assert {f.code for f in report.findings if f.severity == "warning"} == {"file-style"}  # the BOM and the CRLF, told apart from the separator
    assert report.row_counts["meetings"] == len(rows) - 1  # its rows were read and checked with the separator it has


def test_a_bad_date_gives_its_own_error_and_no_ordering_error_elsewhere(pkg):
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "12/05/2021,2021-05-12,day")
    report = validate(pkg.root)
    assert [(f.code, f.field) for f in report.findings] == [("type-error", "start_date")]


def test_an_unquoted_comma_is_one_finding_naming_the_line_and_the_probable_column(pkg):
    pkg.replace("meetings.csv", "2nd Foreign Ministers' Meeting", "2nd Foreign Ministers' Meeting, Xi'an")
    report = validate(pkg.root)
    on_line = [f for f in report.findings if f.file == "data/meetings.csv" and f.line == 3]
    assert [f.code for f in on_line] == ["extra-cell"]
    assert "unquoted comma" in on_line[0].message and "column 5, meeting_name" in on_line[0].message


def test_unknown_country_person_series_and_source_get_near_matches(pkg):
    pkg.replace("meetings.csv", "fmm-2021-05-12,fmm,2", "fmm-2021-05-12,fnm,2")
    pkg.replace("meetings.csv", "in-person,held,single-source,xinhua-2021-05-13", "in-person,held,single-source,xinhua-2021-05-31")
    pkg.replace("persons.csv", "wang-yi,Wang Yi,CHN", "wang-yi,Wang Yi,CNH")
    text = pkg.read("participants.csv")
    pkg.write("participants.csv", text.replace("wang-yi", "wang-yl", 1))
    hints = " ".join(str(f.hint) for f in validate(pkg.root).findings if f.code == "foreign-key")
    for near in ("`fmm`", "`xinhua-2021-05-13`", "`CHN`", "`wang-yi`"):
        assert f"did you mean {near}?" in hints, near


def test_a_malformed_meeting_id_is_an_error(pkg):
    pkg.replace("meetings.csv", "fmm-2020-07-16,fmm,1", "fmm-2020-07,fmm,1")
    report = validate(pkg.root)
    found = [f for f in report.findings if f.code == "meeting-id-form"]
    assert found and found[0].severity == "error" and report.exit_code() == 1


@pytest.mark.parametrize(
    ("fields", "header"),
    [
        ([{"name": "A", "type": "integer"}, {"name": "a", "type": "integer"}], "A,a"),  # names differing only by case
        ([{"name": "id", "type": "integer"}, {"name": "x", "type": "foo"}], "id,x"),  # an unknown type
        ([{"name": "id", "type": "integer"}, {"name": "x", "type": "number", "constraints": {"required": "yes"}}], "id,x"),  # breaks the profile
    ],
)
def test_a_field_refused_at_the_descriptor_is_not_reported_again_as_an_extra_column(one_table, fields, header):
    """The refused field's column used to be `extra-label` too: one cause, two errors."""
    report = validate(one_table(fields, f"{header}\n1,2\n"))
    assert [f.code for f in report.findings] == ["field-error"]
    assert report.findings[0].file == "datapackage.json"
