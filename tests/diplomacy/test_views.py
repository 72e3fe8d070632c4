"""The documented views on the fixture package with a few added rows: money counted once, dates as far as known,
uncertain rows listed."""

from __future__ import annotations

import datetime as dt

import pytest

from c5data import validate
from c5data.diplomacy.views import available, pledge_tracker_view
from c5data.querying.connection import memory_database
from c5data.reading.descriptor import load_package

from releasekit import append_row


@pytest.fixture
def con(pkg):
    data = pkg.root / "data"
    # a year-only meeting and a month-only document: their ids carry only what is known
    append_row(data / "meetings.csv", "fmm-2022,fmm,3,regular,3rd Foreign Ministers' Meeting,2022-01-01,2022-01-01,year,,KAZ,video,held,single-source,xinhua-2021-05-13,")
    append_row(data / "documents.csv", "fmm-2022-statement,fmm-2022,Statement,false,,,joint-statement,adopted,2022-01-01,year,CHN;KAZ,single-source,xinhua-2021-05-13,")
    # money in USD: a grant (counted), its component and a restatement (not counted again), and a trade target (not money)
    rest = ",,,,,,single-source,nca-2023-05-20,"
    append_row(data / "pledges.csv", "summit-2023-05-18-usd-grant,summit-2023-05-18,CHN,KAZ;UZB,development-aid,financial,Grant in dollars,500000000,USD,exact" + rest)
    append_row(
        data / "pledges.csv",
        "summit-2023-05-18-usd-grant-part,summit-2023-05-18,CHN,KAZ,development-aid,financial,"
        "Part of the grant,100000000,USD,exact,,,,summit-2023-05-18-usd-grant,,single-source,nca-2023-05-20,",
    )
    append_row(
        data / "pledges.csv", "summit-2023-05-18-trade-target,summit-2023-05-18,CHN,KAZ;UZB,trade,target,Raise trade to USD 70 billion,70000000000,USD,exact" + rest
    )
    append_row(
        data / "pledges.csv",
        "summit-2023-05-18-usd-grant-again,summit-2023-05-18,CHN,KAZ;UZB,development-aid,financial,"
        "The grant announced again,500000000,USD,exact,,,,,summit-2023-05-18-usd-grant,single-source,nca-2023-05-20,",
    )
    findings = [(f.code, f.file, f.line, f.message) for f in validate(pkg.root).findings]
    assert findings == []
    connection = memory_database(pkg.root)
    yield connection
    connection.close()


def test_money_pledged_counts_money_once_and_leaves_targets_out(con):
    rows = con.execute("SELECT pledger, year, meeting_id, currency, pledges, total_amount, pledge_ids FROM money_pledged ORDER BY currency").fetchall()
    assert rows == [
        ("CHN", 2023, "summit-2023-05-18", "CNY", 1, 26e9, ["summit-2023-05-18-financing"]),
        ("CHN", 2023, "summit-2023-05-18", "USD", 1, 5e8, ["summit-2023-05-18-usd-grant"]),
    ]
    assert con.execute("SELECT count(*) FROM money_pledged WHERE total_amount >= 7e10").fetchone()[0] == 0


def test_pledges_by_country_sector_has_commitment_type_meeting_and_year(con):
    rows = con.execute(
        "SELECT sector, commitment_type, meeting_id, year, unit, pledges, total_quantity FROM pledges_by_country_sector "
        "WHERE pledger = 'CHN' AND unit = 'USD' ORDER BY sector"
    ).fetchall()
    assert rows == [("development-aid", "financial", "summit-2023-05-18", 2023, "USD", 1, 5e8), ("trade", "target", "summit-2023-05-18", 2023, "USD", 1, 7e10)]


def test_timeline_writes_dates_as_far_as_known_and_sorts_year_only_dates_last(con):
    rows = con.execute("SELECT id, date_precision, date_text, date_sort FROM timeline WHERE kind IN ('meeting', 'document') ORDER BY date_sort, id").fetchall()
    by_id = {r[0]: r[1:] for r in rows}
    assert by_id["fmm-2022"] == ("year", "2022", dt.date(2022, 12, 31))
    assert by_id["fmm-2022-statement"] == ("year", "2022", dt.date(2022, 12, 31))
    assert by_id["fmm-2021-05-12"] == ("day", "12 May 2021", dt.date(2021, 5, 12))
    # the view's own order is by date_sort: the year-only 2022 rows come after everything dated in 2021 and before 2023
    ordered = [r[0] for r in con.execute("SELECT id FROM timeline WHERE kind = 'meeting'").fetchall()]
    assert ordered == ["fmm-2020-07-16", "fmm-2021-05-12", "fmm-2022", "summit-2023-05-18"]


def test_timeline_month_text_and_last_day_of_month(pkg):
    for name in ("meetings.csv", "participants.csv", "pledges.csv"):
        pkg.write(name, pkg.read(name).replace("fmm-2021-05-12", "fmm-2021-05"))
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-01,2021-05-01,month")
    pkg.replace("sources.csv", "Second meeting report,Xinhua,2021-05-13,day", "Second meeting report,Xinhua,2021-04-30,day")  # an announcement: no bound
    con = memory_database(pkg.root)
    try:
        row = con.execute("SELECT date_text, date_sort FROM timeline WHERE id = 'fmm-2021-05'").fetchone()
    finally:
        con.close()
    assert row == ("May 2021", dt.date(2021, 5, 31))


def test_a_held_meeting_known_to_the_year_sorts_by_its_first_report_but_an_announced_one_does_not(pkg):
    # the 2nd FMM known only to its year, reported on 13 May 2021 (xinhua-2021-05-13): held by then, so it sorts there
    for name in ("meetings.csv", "participants.csv", "pledges.csv"):
        pkg.write(name, pkg.read(name).replace("fmm-2021-05-12", "fmm-2021"))
    pkg.replace("meetings.csv", "2021-05-12,2021-05-12,day", "2021-01-01,2021-01-01,year")
    append_row(pkg.root / "data" / "meetings.csv", "fmm-2024,fmm,3,regular,3rd Meeting,2024-01-01,,year,,KAZ,,announced,single-source,xinhua-2021-05-13,")
    con = memory_database(pkg.root)
    try:
        rows = dict(con.execute("SELECT id, date_sort FROM timeline WHERE kind = 'meeting'").fetchall())
    finally:
        con.close()
    assert rows["fmm-2021"] == dt.date(2021, 5, 13)
    assert rows["fmm-2024"] == dt.date(2024, 12, 31)


def test_uncertain_rows_lists_every_single_source_or_disputed_row(con, pkg):
    rows = con.execute("SELECT table_name, id, certainty, notes, source_ids FROM uncertain_rows").fetchall()
    assert ("meetings", "summit-2023-05-18", "disputed", "Welcome on 18 May, session on 19 May", ["nca-2023-05-20"]) in rows
    assert ("participants", "fmm-2020-07-16/mukhtar-tleuberdi", "single-source", None, ["mfa-2020-07-17"]) in rows
    assert all(r[2] in ("single-source", "disputed") for r in rows)
    expected = 0
    for table in ("meetings", "participants", "documents", "pledges", "pledge_followups"):
        n = con.execute(f"SELECT count(*) FROM {table} WHERE certainty <> 'confirmed'").fetchone()[0]
        assert sum(1 for r in rows if r[0] == table) == n, table
        expected += n
    assert len(rows) == expected
    assert {r[0] for r in rows} == {"meetings", "participants", "documents", "pledges", "pledge_followups"}
    package, _ = load_package(pkg.root)
    assert package is not None
    assert "uncertain_rows" in {v.name for v in available({r.name: r for r in package.resources})}


AS_OF = dt.date(2026, 1, 15)


@pytest.fixture
def tracker(pkg):
    """The fixture's pledges with due years and follow-ups that exercise every column of pledge_tracker."""
    data = pkg.root / "data"
    # the vaccines pledge (restated at the summit) and the financing headline (with a grant component) get due years
    pkg.replace("pledges.csv", "Consider a new batch of vaccine aid,,,,,,,", "Consider a new batch of vaccine aid,,,,,,2022,")
    pkg.replace("pledges.csv", "Financing support and grants,26000000000,CNY,exact,,,,", "Financing support and grants,26000000000,CNY,exact,,,2020,")
    rest = ",,,single-source,nca-2023-05-20,"
    append_row(
        data / "pledges.csv", "summit-2023-05-18-usd-grant,summit-2023-05-18,CHN,KAZ;UZB,development-aid,financial,Grant in dollars,500000000,USD,exact,,,2024" + rest
    )
    append_row(
        data / "pledges.csv",
        "summit-2023-05-18-trade-target,summit-2023-05-18,CHN,KAZ;UZB,trade,target,Raise trade to USD 70 billion,70000000000,USD,exact,,,2030" + rest,
    )
    append_row(
        data / "pledges.csv",
        "summit-2023-05-18-training,summit-2023-05-18,CHN,KAZ;UZB,education-training,scholarships-training,Training places,5000,training-places,exact,,,2025" + rest,
    )
    follow = [
        # the dollar grant: claimed by the pledger (month), then partly delivered on a beneficiary's word (year)
        "usd-grant-2024-06,summit-2023-05-18-usd-grant,2024-06-01,month,claimed-fulfilled,pledger-report,Ministry of Commerce of China,CHN,Said to be paid",
        "usd-grant-2025,summit-2023-05-18-usd-grant,2025-01-01,year,partially-fulfilled,beneficiary-report,Ministry of Finance of Kazakhstan,KAZ,Part received",
        # the component of the financing package: fulfilled on independent evidence (a part, not the whole)
        "grants-2024-03-01,summit-2023-05-18-grants,2024-03-01,day,fulfilled,independent,Eurasianet,,Grants paid",
        # the restatement of the vaccines pledge: fulfilled on a beneficiary's word
        "vaccines-again-2023-09-01,summit-2023-05-18-vaccines-again,2023-09-01,day,fulfilled,beneficiary-report,Ministry of Health of Uzbekistan,UZB,Doses arrived",
        # a target reached, by an independent count: still never a delivered pledge
        "trade-target-2025-02-01,summit-2023-05-18-trade-target,2025-02-01,day,fulfilled,independent,World Bank,,Trade reached the figure",
    ]
    for row in follow:
        append_row(data / "pledge_followups.csv", row + ",single-source,nca-2023-05-20,")
    findings = [(f.code, f.file, f.line, f.message) for f in validate(pkg.root).findings if f.severity == "error"]
    assert findings == []
    connection = memory_database(pkg.root, as_of=AS_OF)
    yield connection
    connection.close()


def _tracker_rows(con) -> dict[str, dict]:
    rel = con.sql("SELECT * FROM pledge_tracker")
    return {r[0]: dict(zip(rel.columns, r)) for r in rel.fetchall()}


def test_pledge_tracker_has_one_row_per_counted_pledge_with_its_kind(tracker):
    rows = _tracker_rows(tracker)
    counted = {r[0] for r in tracker.execute("SELECT pledge_id FROM pledges WHERE parent_pledge_id IS NULL AND restates_pledge_id IS NULL").fetchall()}
    assert set(rows) == counted and "summit-2023-05-18-grants" not in rows and "summit-2023-05-18-vaccines-again" not in rows
    kinds = {pid: r["kind"] for pid, r in rows.items()}
    assert kinds["summit-2023-05-18-usd-grant"] == kinds["summit-2023-05-18-financing"] == "money"
    assert kinds["summit-2023-05-18-trade-target"] == "target"  # in dollars, but a goal, not money given
    assert kinds["summit-2023-05-18-training"] == kinds["fmm-2021-05-12-vaccines"] == "other"
    assert {r["as_of_date"] for r in rows.values()} == {AS_OF}


def test_pledge_tracker_latest_status_best_grade_and_who_reports(tracker):
    grant = _tracker_rows(tracker)["summit-2023-05-18-usd-grant"]
    # the year-only report counts as of 31 December 2025, so it is the latest, and days are counted from that day
    assert (grant["status"], grant["status_date"], grant["status_date_precision"]) == ("partially-fulfilled", dt.date(2025, 1, 1), "year")
    assert (grant["latest_evidence"], grant["latest_reported_by"], grant["latest_reporter_country"]) == ("beneficiary-report", "Ministry of Finance of Kazakhstan", "KAZ")
    assert grant["best_evidence"] == "beneficiary-report" and grant["followups"] == 2
    assert grant["days_since_report"] == (AS_OF - dt.date(2025, 12, 31)).days
    # partly delivered on a beneficiary's word: confirmed by someone other than the pledger, yet overdue (due 2024, not fulfilled)
    assert grant["delivery_confirmed"] is True and grant["overdue"] is True


def test_pledge_tracker_follows_components_and_restatements(tracker):
    rows = _tracker_rows(tracker)
    financing, vaccines = rows["summit-2023-05-18-financing"], rows["fmm-2021-05-12-vaccines"]
    # a component's independent fulfilment confirms delivery of a part; the package, due 2020, is still overdue
    assert (financing["status_of"], financing["best_evidence"], financing["delivery_confirmed"], financing["overdue"]) == (
        "summit-2023-05-18-grants",
        "independent",
        True,
        True,
    )
    assert financing["followups"] == 2  # the announcement on the component and its fulfilment
    # the restatement is the same commitment: fulfilled on a beneficiary's word, so the pledge due 2022 is not overdue
    assert (vaccines["status"], vaccines["status_of"], vaccines["delivery_confirmed"], vaccines["overdue"]) == (
        "fulfilled",
        "summit-2023-05-18-vaccines-again",
        True,
        False,
    )


def test_pledge_tracker_never_counts_a_target_as_delivered_and_flags_the_unreported(tracker):
    rows = _tracker_rows(tracker)
    target, training = rows["summit-2023-05-18-trade-target"], rows["summit-2023-05-18-training"]
    assert target["status"] == "fulfilled" and target["best_evidence"] == "independent" and target["delivery_confirmed"] is False
    assert target["overdue"] is False  # due 2030
    assert (training["followups"], training["status"], training["days_since_report"], training["best_evidence"]) == (0, None, None, None)
    assert training["overdue"] is True  # due 2025, passed by 15 January 2026, and no report at all


def test_pledge_tracker_judges_passed_against_its_as_of_date(pkg, tracker):
    earlier = memory_database(pkg.root, as_of=dt.date(2025, 6, 1))
    try:
        rows = _tracker_rows(earlier)
    finally:
        earlier.close()
    assert rows["summit-2023-05-18-training"]["overdue"] is False  # due 2025: not passed during 2025
    assert rows["summit-2023-05-18-usd-grant"]["overdue"] is True  # due 2024
    today = memory_database(pkg.root)
    try:
        assert today.execute("SELECT DISTINCT as_of_date = current_date FROM pledge_tracker").fetchall() == [(True,)]
    finally:
        today.close()


def test_pledge_tracker_columns_are_each_defined_once(tracker):
    defined = [name for name, _ in pledge_tracker_view(AS_OF).columns]
    assert defined == tracker.sql("SELECT * FROM pledge_tracker").columns
    assert all(text.strip() for _, text in pledge_tracker_view(AS_OF).columns)
