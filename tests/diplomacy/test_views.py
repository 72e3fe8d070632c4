"""The documented views on the fixture package with a few added rows: money counted once, dates as far as known,
uncertain rows listed."""

from __future__ import annotations

import datetime as dt

import pytest

from c5data import validate
from c5data.diplomacy.views import available
from c5data.querying.connection import memory_database
from c5data.reading.descriptor import load_package

from releasekit import append_row


@pytest.fixture
def con(pkg):
    data = pkg.root / "data"
    # a year-only meeting and a month-only document: their ids carry only what is known
    append_row(data / "meetings.csv", "fmm-2022,fmm,3,regular,3rd Foreign Ministers' Meeting,2022-01-01,2022-01-01,year,,KAZ,video,single-source,xinhua-2021-05-13,")
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
    con = memory_database(pkg.root)
    try:
        row = con.execute("SELECT date_text, date_sort FROM timeline WHERE id = 'fmm-2021-05'").fetchone()
    finally:
        con.close()
    assert row == ("May 2021", dt.date(2021, 5, 31))


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
