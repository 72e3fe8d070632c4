"""`c5data new`: ids by the package's rules, references checked with near matches, one line added in the file's style."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from c5data.cli import main
from c5data.contributing.scaffold import ScaffoldError, id_date, new_row, slug
from c5data.diplomacy.scaffold import KINDS
from c5data.reading.descriptor import load_package

MEETING = [
    "--series-id", "fmm", "--start-date", "2022-06-08", "--date-precision", "day", "--ordinal", "3", "--meeting-type", "regular",
    "--meeting-name", "3rd Foreign Ministers' Meeting", "--city", "Nur-Sultan", "--host-country", "KAZ", "--meeting-format", "in-person",
    "--certainty", "single-source", "--source-ids", "mfa-2020-07-17",
]  # fmt: skip


def test_ids_follow_the_package_rules():
    assert slug("Ministry of Foreign Affairs") == "ministry-of-foreign-affairs" and slug("Mukhtar Tleuberdi ") == "mukhtar-tleuberdi"
    assert slug("Šavkat Mirziyoyev") == "savkat-mirziyoyev"
    assert (id_date("2025-01-01", "year"), id_date("2023-09-01", "month"), id_date("2026-05-19", "day")) == ("2025", "2023-09", "2026-05-19")


def test_new_meeting_goes_where_its_id_sorts_and_only_that_line_changes(pkg):
    before = pkg.read("meetings.csv").splitlines(keepends=True)
    result = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *MEETING])
    assert result.exit_code == 0, result.output
    assert "added data/meetings.csv:4: fmm-2022-06-08" in result.output
    after = pkg.read("meetings.csv").splitlines(keepends=True)
    assert after[:3] + after[4:] == before
    assert (
        after[3] == "fmm-2022-06-08,fmm,3,regular,3rd Foreign Ministers' Meeting,2022-06-08,2022-06-08,day,Nur-Sultan,KAZ,in-person,held,single-source,mfa-2020-07-17,\n"
    )
    assert CliRunner().invoke(main, ["validate", str(pkg.root), "--strict"]).exit_code == 0


def test_an_id_carries_only_the_known_part_of_the_date(pkg):
    args = [a if a != "2022-06-08" else "2022-06-01" for a in MEETING]
    args[args.index("day")] = "month"
    row = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *args, "--format", "json"])
    assert row.exit_code == 0, row.output
    assert json.loads(row.output)["id"] == "fmm-2022-06"


def test_unknown_references_are_refused_with_near_matches_and_nothing_written(pkg):
    before = pkg.read("meetings.csv")
    args = [{"fmm": "fnm", "KAZ": "KAX", "mfa-2020-07-17": "mfa-2020-7-17"}.get(a, a) for a in MEETING]
    result = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *args])
    assert result.exit_code == 1
    assert "series_id: 'fnm' is not found in data/series.csv (series_id); did you mean `fmm`?" in result.output
    assert "host_country: 'KAX' is not found in data/countries.csv (iso3); did you mean `KAZ`?" in result.output
    assert "did you mean `mfa-2020-07-17`?" in result.output
    assert pkg.read("meetings.csv") == before


def test_a_value_outside_its_list_is_refused_with_a_suggestion(pkg):
    args = [{"regular": "reguler"}.get(a, a) for a in MEETING]
    result = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *args])
    assert result.exit_code == 1 and "meeting_type: 'reguler' is not one of" in result.output and "did you mean `regular`?" in result.output


def test_a_taken_id_and_missing_values_are_refused(pkg):
    args = [{"2022-06-08": "2021-05-12"}.get(a, a) for a in MEETING]
    taken = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *args])
    assert taken.exit_code == 1 and "already has meeting_id 'fmm-2021-05-12'" in taken.output
    missing = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), "--series-id", "fmm"])
    assert missing.exit_code == 2 and "--start-date" in missing.output and "--source-ids" in missing.output


def test_missing_values_are_asked_for_with_input(pkg):
    answers = "\n".join(["2022-06-08", "day", "regular", "3rd Foreign Ministers' Meeting", "KAZ", "in-person", "single-source", "mfa-2020-07-17"]) + "\n"
    result = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), "--series-id", "fmm", "--input"], input=answers)
    assert result.exit_code == 0, result.output
    assert "fmm-2022-06-08,fmm,,regular,3rd Foreign Ministers' Meeting,2022-06-08,2022-06-08,day,,KAZ,in-person,held" in pkg.read("meetings.csv")


def test_dry_run_prints_and_writes_nothing(pkg):
    before = pkg.read("meetings.csv")
    result = CliRunner().invoke(main, ["new", "meeting", str(pkg.root), *MEETING, "--dry-run"])
    assert result.exit_code == 0 and "would add data/meetings.csv:4: fmm-2022-06-08" in result.output
    assert pkg.read("meetings.csv") == before


def test_a_second_page_of_the_same_publisher_and_day_gets_a_suffix(pkg):
    def add() -> str:
        values = {"url": "https://example.org/x", "headline": "A report", "publisher": "Xinhua", "published_date": "2021-05-13", "published_date_precision": "day"}
        return new_row("source", {**values, "language": "en", "source_type": "state-media"}, pkg.root).id or ""

    assert add() == "xinhua-2021-05-13-2"
    assert add() == "xinhua-2021-05-13-3"


def test_crlf_file_without_final_newline_keeps_its_style(pkg):
    text = pkg.read("persons.csv").rstrip("\n").replace("\n", "\r\n")
    pkg.path("persons.csv").write_bytes(text.encode())
    new_row("person", {"person_name": "Zhang Ming", "country": "CHN", "source_ids": "mfa-2020-07-17"}, pkg.root)
    data = pkg.path("persons.csv").read_bytes()
    assert b"\nzhang-ming,Zhang Ming,CHN,,mfa-2020-07-17,\r\n" not in data and data.endswith(b"\r\nzhang-ming,Zhang Ming,CHN,,mfa-2020-07-17,")
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_participant_document_pledge_and_followup(pkg):
    new_row(
        "participant",
        {
            "meeting_id": "fmm-2021-05-12",
            "person_id": "mukhtar-tleuberdi",
            "country": "KAZ",
            "role": "attendee",
            "position": "minister",
            "portfolio": "foreign-affairs",
            "title_as_given": "Minister of Foreign Affairs",
            "certainty": "single-source",
            "source_ids": "xinhua-2021-05-13",
        },
        pkg.root,
    )
    with pytest.raises(ScaffoldError, match="already has a row with meeting_id 'fmm-2021-05-12', person_id 'mukhtar-tleuberdi'"):
        new_row(
            "participant",
            {
                "meeting_id": "fmm-2021-05-12",
                "person_id": "mukhtar-tleuberdi",
                "country": "KAZ",
                "role": "attendee",
                "position": "minister",
                "title_as_given": "Minister",
                "certainty": "single-source",
                "source_ids": "xinhua-2021-05-13",
            },
            pkg.root,
        )
    doc = new_row(
        "document",
        {
            "meeting_id": "fmm-2021-05-12",
            "slug": "joint-statement",
            "title": "Joint statement",
            "document_type": "joint-statement",
            "action": "issued",
            "date": "2021-05-12",
            "date_precision": "day",
            "parties": "CHN;KAZ",
            "certainty": "single-source",
            "source_ids": "xinhua-2021-05-13",
        },
        pkg.root,
    )
    assert doc.id == "fmm-2021-05-12-joint-statement"
    with pytest.raises(ScaffoldError, match=r"parties: .KZA. is not found in data/countries\.csv"):
        new_row(
            "document",
            {
                "meeting_id": "fmm-2021-05-12",
                "slug": "other",
                "title": "Other",
                "document_type": "other",
                "action": "issued",
                "date": "2021-05-12",
                "date_precision": "day",
                "parties": "CHN;KZA",
                "certainty": "single-source",
                "source_ids": "xinhua-2021-05-13",
            },
            pkg.root,
        )

    pledge = new_row(
        "pledge",
        {
            "meeting_id": "fmm-2021-05-12",
            "slug": "masks",
            "pledger": "CHN",
            "beneficiaries": "KAZ",
            "sector": "health",
            "commitment_type": "in-kind",
            "commitment": "Send masks",
            "certainty": "single-source",
            "source_ids": "xinhua-2021-05-13",
        },
        pkg.root,
    )
    followup = new_row(
        "followup",
        {
            "pledge_id": pledge.id or "",
            "as_of_date": "2021-06-01",
            "as_of_date_precision": "month",
            "status": "announced",
            "evidence": "pledger-report",
            "reported_by": "Ministry of Foreign Affairs of China",
            "reporter_country": "CHN",
            "observation": "Masks said to be on their way",
            "certainty": "single-source",
            "source_ids": "xinhua-2021-05-13",
        },
        pkg.root,
    )
    assert (pledge.id, followup.id) == ("fmm-2021-05-12-masks", "fmm-2021-05-12-masks-2021-06")
    assert CliRunner().invoke(main, ["validate", str(pkg.root), "--strict"]).exit_code == 0


def test_every_kind_offers_every_column_of_its_table_in_the_shipped_schemas():
    from releasekit import ROOT

    package, _ = load_package(ROOT)
    assert package is not None
    for kind in KINDS.values():
        resource = package.resource(kind.table)
        assert resource is not None, kind.table
        assert set(kind.columns) | {kind.id_column} - {None} == set(resource.schema.field_names), kind.name
