"""End-to-end validation: every catalogue code is triggered and located; many defects in one run."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from c5data import validate
from c5data.catalogue import CATALOGUE
from c5data.cli import main

from defects import DEFECTS


def test_valid_fixture_has_no_findings(pkg):
    report = validate(pkg.root)
    assert report.findings == []
    assert report.exit_code(strict=True) == 0
    assert report.row_counts["meetings"] == 3


def test_every_catalogue_code_has_a_defect_fixture():
    assert set(DEFECTS) == set(CATALOGUE)


@pytest.mark.slow  # a whole-package validation per catalogue code; the quick run has twenty codes in one (below)
@pytest.mark.parametrize("code", sorted(DEFECTS))
def test_defect_is_reported_at_its_location(pkg, code):
    mutate, file, line, column = DEFECTS[code]
    mutate(pkg)
    report = validate(pkg.root)
    hits = [f for f in report.findings if f.code == code]
    assert hits, f"{code} not reported; got {[(f.code, f.file, f.line, f.column) for f in report.findings]}"
    assert any((f.file, f.line, f.column) == (file, line, column) for f in hits), [(f.file, f.line, f.column, f.message) for f in hits]
    expected_exit = 2 if code in {"package-error", "resource-error", "schema-error", "field-error", "misplaced-property", "source-error"} else 1
    if CATALOGUE[code].severity == "warning":
        assert report.exit_code() == 0 and report.exit_code(strict=True) == 1
    else:
        assert report.exit_code() == expected_exit


TWENTY = [
    "type-error",
    "foreign-key",
    "primary-key",
    "missing-label",
    "extra-label",
    "blank-row",
    "extra-cell",
    "encoding-error",
    "date-order",
    "chair-count",
    "document-date",
    "quantity-unit",
    "text-whitespace",
    "category-error",
    "followup-date",
    "certainty-sources",
    "participant-country",
    "constraint-error",
    "unique-error",
    "text-formula",
]


def test_twenty_defects_reported_in_one_run(pkg):
    # The defects touch different cells, so all twenty can sit in one package at once.
    pkg.replace("pledges.csv", "xinhua-2021-05-13,\n", "xinhua-2021-05-13,,surplus\n")  # extra-cell, pledges:2
    pkg.replace("documents.csv", "CHN;KAZ;UZB,single-source,nca-2023-05-20", "CHN;KAZ;UZB,single-source,nca-2023-05-21")  # dangling source id
    for code in TWENTY:
        if code in ("extra-cell",):
            continue
        if code == "missing-label":
            pkg.write("sources.csv", "\n".join(l.rsplit(",", 1)[0] for l in pkg.read("sources.csv").splitlines()) + "\n")
            continue
        if code == "extra-label":
            pkg.write("pledge_followups.csv", "\n".join(l + (",extra" if i == 0 else ",") for i, l in enumerate(pkg.read("pledge_followups.csv").splitlines())) + "\n")
            continue
        if code == "blank-row":
            pkg.replace("countries.csv", "\nUZB", "\n\nUZB")
            continue
        if code == "encoding-error":
            continue  # applied last: the text helpers read files as UTF-8
        if code == "constraint-error":
            pkg.replace("series.csv", "ministerial,mechanism", "ministers,mechanism")
            continue
        if code in ("text-whitespace", "text-formula"):
            pkg.replace("person_aliases.csv", ",Treuberdi,", ",=Treuberdi(),") if code == "text-formula" else pkg.replace(
                "participants.csv", ",President,", ", President,"
            )
            continue
        if code == "followup-date":
            pkg.replace("pledge_followups.csv", ",2023-05-20,", ",2023-05-01,")
            continue
        DEFECTS[code][0](pkg)
    pkg.path("series.csv").write_bytes(pkg.path("series.csv").read_bytes().replace(b"Summit", b"Sum\xe9mit"))
    report = validate(pkg.root)
    codes = {f.code for f in report.findings}
    assert set(TWENTY) <= codes, set(TWENTY) - codes
    dangling = [f for f in report.findings if f.code == "foreign-key" and f.file == "data/documents.csv"]
    assert dangling and dangling[0].line == 3 and dangling[0].value == "nca-2023-05-21"
    assert "did you mean `nca-2023-05-20`?" in dangling[0].hint
    assert report.exit_code() == 1
    assert len(report.errors) >= 20


def test_line_numbers_follow_quoted_newlines_and_blank_lines(pkg):
    # A quoted cell spanning two lines and a blank line both shift the physical line of later rows.
    pkg.replace("meetings.csv", '"Welcome on 18 May, session on 19 May"', '"Welcome on 18 May,\nsession on 19 May"')
    pkg.replace("meetings.csv", "fmm-2021-05-12,fmm,2,", "\nfmm-2021-05-12,fmm,2,")
    pkg.replace("meetings.csv", ",video,held,confirmed", ",online,held,confirmed")
    report = validate(pkg.root)
    located = {(f.code, f.line) for f in report.findings if f.file == "data/meetings.csv"}
    assert ("category-error", 2) in located
    assert ("blank-row", 3) in located
    assert ("text-control", 5) in located  # the summit row starts on line 5 and holds the line break


def test_missing_cells_are_not_double_reported(pkg):
    pkg.replace("series.csv", "mfa-2020-07-17,\n", "mfa-2020-07-17\n")
    report = validate(pkg.root)
    assert [f.code for f in report.findings] == ["missing-cell"]


def test_stops_at_nothing_many_errors_all_counted(pkg):
    rows = "".join(f"extra-{i},Name {i},bogus-level,mechanism,,mfa-2020-07-17,\n" for i in range(3000))
    pkg.write("series.csv", pkg.read("series.csv") + rows)
    report = validate(pkg.root)
    assert report.counts_by_code()["constraint-error"] == 3000  # every one counted, the first thousand kept


def test_a_file_with_none_of_the_schema_columns_is_reported_not_crashed(pkg):
    pkg.path("series.csv").write_bytes(b"a\r\nb\r\n\xff\xfe,x\n")
    report = validate(pkg.root)
    codes = {f.code for f in report.findings if f.file == "data/series.csv"}
    assert {"missing-label", "extra-label", "encoding-error", "extra-cell"} <= codes
    assert report.exit_code() == 1


def test_findings_are_capped_per_code_and_file_but_all_counted(pkg, monkeypatch):
    """A file where every row is wrong keeps the cap's number of findings of that code and counts the rest."""
    from c5data.validation import validator
    from c5data.validation.report import render_json, render_text

    monkeypatch.setattr(validator, "FINDINGS_PER_CODE_AND_FILE", 20)  # the default is 1000; a small cap keeps the test quick
    FINDINGS_PER_CODE_AND_FILE = validator.FINDINGS_PER_CODE_AND_FILE
    rows = 2 * FINDINGS_PER_CODE_AND_FILE + 7
    header = pkg.read("persons.csv").splitlines()[0]
    body = "".join(f"p{i},Person {i},ZZZ,,mfa-2020-07-17,\n" for i in range(rows))
    pkg.write("persons.csv", header + "\n" + pkg.read("persons.csv").split("\n", 1)[1] + body)
    report = validate(pkg.root)
    kept = [f for f in report.findings if f.code == "foreign-key" and f.file == "data/persons.csv"]
    omitted = [o for o in report.omitted if o.code == "foreign-key" and o.file == "data/persons.csv"]
    assert len(kept) == FINDINGS_PER_CODE_AND_FILE
    assert len(omitted) == 1 and omitted[0].count == rows - FINDINGS_PER_CODE_AND_FILE
    assert report.error_count >= rows and report.exit_code() == 1
    assert report.counts_by_code()["foreign-key"] >= rows
    text = render_text(report, limit=5)
    assert f"and {rows - FINDINGS_PER_CODE_AND_FILE} more like this" in text and f"at most {FINDINGS_PER_CODE_AND_FILE} times" in text
    assert f'"errors": {report.error_count}' in render_json(report)


def test_pandera_keeps_no_more_failing_rows_than_the_cap(pkg, monkeypatch):
    """Past the cap, failures are counted from each check's verdicts, never materialised as failure cases."""
    import polars as pl

    from c5data.validation import validator

    kept_by_pandera: list[int] = []
    real = validator._findings_from_errors

    def spy(errors, *args):
        kept_by_pandera.extend(e.failure_cases.height for _, e in errors if isinstance(e.failure_cases, pl.DataFrame))
        return real(errors, *args)

    monkeypatch.setattr(validator, "FINDINGS_PER_CODE_AND_FILE", 7)
    monkeypatch.setattr(validator, "_findings_from_errors", spy)
    header, rest = pkg.read("persons.csv").split("\n", 1)
    pkg.write("persons.csv", header + "\n" + rest + "".join(f"p{i},Person {i},ZZZ,,mfa-2020-07-17,\n" for i in range(500)))
    report = validate(pkg.root)
    assert kept_by_pandera and max(kept_by_pandera) <= 7
    assert sum(o.count for o in report.omitted if o.code == "foreign-key") == 500 - 7


def test_pandera_settings_in_the_environment_cannot_switch_validation_off(pkg):
    """pandera reads PANDERA_* variables at import; c5data fixes its own settings, so a shell's leftovers change nothing."""
    import os
    import subprocess
    import sys

    pkg.replace("persons.csv", ",Wang Yi,", ",Wang Yi ,")
    env = dict(os.environ, PANDERA_VALIDATION_ENABLED="False", PANDERA_VALIDATION_DEPTH="SCHEMA_ONLY")
    proc = subprocess.run([sys.executable, "-m", "c5data", "validate", str(pkg.root)], capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "text-whitespace" in proc.stdout + proc.stderr


def test_a_wide_table_is_checked_in_parts_with_every_finding_located(tmp_path, monkeypatch):
    """Past FIELDS_PER_PART fields the table runs as several pandera schemas; nothing is lost or misplaced."""
    import json

    from c5data.validation import checks

    monkeypatch.setattr(checks, "FIELDS_PER_PART", 3)
    fields = [{"name": "id", "type": "integer"}] + [{"name": f"f{i}", "type": "string", "constraints": {"pattern": "[a-z]+"}} for i in range(10)]
    descriptor = {"name": "wide", "resources": [{"name": "wide", "path": "wide.csv", "schema": {"fields": fields, "primaryKey": ["id"]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    rows = ["1," + ",".join("ok" for _ in range(10)), "2," + ",".join("BAD" if i == 7 else "ok" for i in range(10)), "2," + ",".join("ok" for _ in range(10))]
    (tmp_path / "wide.csv").write_text("id," + ",".join(f"f{i}" for i in range(10)) + "\n" + "\n".join(rows) + "\n")
    found = sorted((f.code, f.line, f.column) for f in validate(tmp_path).findings)
    assert found == [("constraint-error", 3, 9), ("primary-key", 4, 1)]


@pytest.mark.parametrize(
    ("match", "header", "findings"),
    [
        ("exact", "a,b", []),
        ("exact", "b,a", ["incorrect-label"]),
        ("equal", "b,a", []),
        ("equal", "a", ["missing-label"]),
        ("equal", "a,b,c", ["extra-label"]),
        ("subset", "c,b,a", []),
        ("subset", "a,c", ["missing-label"]),
        ("superset", "b", []),
        ("superset", "a,c", ["extra-label"]),
        ("partial", "c,a", []),
        ("partial", "c,d", ["missing-label"]),
    ],
)
def test_fields_match(one_table, frictionless_valid, match, header, findings):
    width = header.count(",") + 1
    folder = one_table([{"name": "a", "type": "string"}, {"name": "b", "type": "string"}], f"{header}\n{','.join(['x'] * width)}\n", schema={"fieldsMatch": match})
    assert [f.code for f in validate(folder).findings] == findings
    assert frictionless_valid(folder) == (findings == [])


@pytest.mark.parametrize(
    "fields,csv,extra,code",
    [
        ([{"name": "A", "type": "string"}, {"name": "a", "type": "string"}], "A,a\n1,2\n", {}, "field-error"),
        ([{"name": "l", "type": "list"}], "l\nx;y\n", {"primaryKey": ["l"]}, "schema-error"),
        ([{"name": "a", "type": "string"}], "a\n1\n", {"uniqueKeys": [[]]}, "schema-error"),
        ([{"name": "d", "type": "date", "categories": ["2020-01-01"]}], "d\n2020-01-01\n", {}, "field-error"),
        ([{"name": "a", "type": "string", "constraints": {"enum": ["a", 1]}}], "a\na\n", {}, "field-error"),
        ([{"name": "d", "type": "datetime", "constraints": {"maximum": "9999-12-31T23:59:59-05:00"}}], "d\n2020-01-01T00:00:00Z\n", {}, "field-error"),
        ([{"name": "__line__", "type": "string"}], "__line__\nx\n", {}, "field-error"),
        (
            [{"name": "a", "type": "number"}, {"name": "b", "type": "string"}],
            "a,b\n1,1\n",
            {"foreignKeys": [{"fields": ["a"], "reference": {"resource": "", "fields": ["b"]}}]},
            "schema-error",
        ),
    ],
)
def test_schema_mistakes_that_broke_validate_or_build_are_located_findings(tmp_path, fields, csv, extra, code):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "t.csv").write_text(csv, encoding="utf-8")
    resource = {"name": "t", "path": "data/t.csv", "schema": {"fields": fields, **extra}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "version": "0.1.0", "resources": [resource]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2 and f"[{code}]" in result.output and "internal error" not in result.output, result.output


def test_checks_that_cannot_be_built_or_run_are_field_errors_at_their_field(one_table, monkeypatch):
    """The net under the schema reader: a field whose checks raise while built, or fail on their own column when
    run (here a numeric bound on a text column, as `minimum` on a string field once was), is a located field-error,
    and the table's other fields are still checked."""
    from c5data.validation import checks, validator

    real = checks.field_checks

    def field_checks(fld, is_key):
        if fld.name == "built":
            raise TypeError("unhashable type: 'dict'")
        if fld.name == "run":
            return [*real(fld, is_key), checks.builtin("constraint-error", fld, "is below 3", "ge", min_value=3)]
        return real(fld, is_key)

    monkeypatch.setattr(validator, "field_checks", field_checks)
    folder = one_table([{"name": "built", "type": "string"}, {"name": "ok", "type": "integer"}, {"name": "run", "type": "string"}], "built,ok,run\nx,z,y\n")
    found = sorted((f.code, f.field, f.message.split(":")[0]) for f in validate(folder).findings)
    assert found == [
        ("field-error", "built", "the checks this field declares cannot run on its values"),
        ("field-error", "run", "the checks this field declares cannot run on its values"),
        ("type-error", "ok", "is not a whole number such as 3"),  # the other fields are still checked
    ]
