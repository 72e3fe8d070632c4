"""Coverage of the coded data: every meeting that coverage.md promises is in data/meetings.csv, and every row is sourced.

The list below is written out by hand (the summits and foreign ministers' meetings, the deputy foreign ministers'
meeting, the sectoral and other tracks of the mechanism, and the related events); the test reads nothing outside
the repository.
"""

from __future__ import annotations

import csv

import pytest

from releasekit import ROOT

DATA = ROOT / "data"

# (series_id, start_date) of every meeting the package covers.
EXPECTED_MEETINGS = [
    # Foreign ministers' meetings, summits, Secretariat launch
    ("fmm", "2020-07-16"),
    ("fmm", "2021-05-12"),
    ("summit", "2022-01-25"),  # virtual summit, no ordinal
    ("fmm", "2022-06-08"),
    ("fmm", "2023-04-27"),
    ("summit", "2023-05-18"),
    ("secretariat", "2024-03-30"),
    ("fmm", "2024-12-01"),
    ("fmm", "2025-04-26"),
    ("summit", "2025-06-17"),
    # Deputy foreign ministers' preparatory meeting, Beijing 2025 (exact date unknown: year precision)
    ("deputy-fm", "2025-01-01"),
    # Economy & trade
    ("economy-trade-ministers", "2023-04-18"),
    ("economy-trade-ministers", "2025-05-30"),
    # Agriculture (early September 2023: month precision)
    ("agriculture-ministers", "2023-09-01"),
    # Transport
    ("transport-ministers", "2023-09-25"),
    ("transport-ministers", "2025-05-16"),
    # Customs: preparatory expert videoconference, 1st, informal, 2nd
    ("customs-heads", "2023-04-06"),
    ("customs-heads", "2023-04-21"),
    ("customs-heads", "2023-10-17"),
    ("customs-heads", "2025-05-22"),
    # Emergency management, public security, education, party dialogue
    ("emergency-ministers", "2024-05-30"),
    ("security-ministers", "2024-09-10"),
    ("education-ministers", "2025-05-12"),
    ("party-dialogue", "2023-06-12"),
    ("party-dialogue", "2025-11-03"),
    # Industrial & investment forum
    ("industry-investment-forum", "2023-02-16"),
    ("industry-investment-forum", "2025-06-16"),
    # Related events (series_type `related`). The late-2021 economic and trade forum is not coded:
    # no source found gives its date (see coverage.md).
    ("cca-cooperation-forum", "2022-07-13"),
    ("cca-cooperation-forum", "2023-09-09"),
    ("cca-cooperation-forum", "2024-10-26"),
    ("cca-cooperation-forum", "2025-11-05"),
    ("cca-think-tank-forum", "2025-06-03"),
    ("npc-parliaments-seminar", "2021-09-27"),
]

# (series_id, year, host_country) of every meeting announced for a date still to come. Matched by year and host, not
# by id, so the row keeps passing when the meeting is held and its id gains the day.
EXPECTED_ANNOUNCED = [
    ("summit", "2027", "CHN"),  # 3rd summit, announced at Astana
    ("transport-ministers", "2027", "KGZ"),  # 3rd transport ministers' meeting, Kyrgyzstan's offer at Astana
]

RELATED_SERIES = {"cca-cooperation-forum", "cca-think-tank-forum", "npc-parliaments-seminar"}


def read(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_expected_list_has_no_duplicates():
    assert len(EXPECTED_MEETINGS) == len(set(EXPECTED_MEETINGS))


@pytest.mark.parametrize("series_id,start_date", EXPECTED_MEETINGS)
def test_meeting_is_coded(series_id: str, start_date: str):
    found = [m for m in read("meetings.csv") if m["series_id"] == series_id and m["start_date"] == start_date]
    assert len(found) == 1, f"no meeting of series {series_id} starting {start_date} in data/meetings.csv"


@pytest.mark.parametrize("series_id,year,host", EXPECTED_ANNOUNCED)
def test_announced_meeting_is_coded(series_id: str, year: str, host: str):
    found = [m for m in read("meetings.csv") if m["series_id"] == series_id and m["start_date"][:4] == year and m["host_country"] == host]
    assert len(found) == 1, f"no meeting of series {series_id} in {year} hosted by {host} in data/meetings.csv"


def test_related_events_sit_in_related_series():
    kinds = {s["series_id"]: s["series_type"] for s in read("series.csv")}
    for series_id in RELATED_SERIES:
        assert kinds.get(series_id) == "related", series_id
    for series_id, _ in EXPECTED_MEETINGS:
        if series_id not in RELATED_SERIES:
            assert kinds.get(series_id) == "mechanism", series_id


def test_every_row_names_a_source():
    tables = sorted(p.name for p in DATA.glob("*.csv"))
    assert "meetings.csv" in tables and "sources.csv" in tables
    for name in tables:
        if name == "sources.csv":  # the sources themselves
            continue
        rows = read(name)
        assert rows, f"{name} is empty"
        assert "source_ids" in rows[0], f"{name} has no source_ids column"
        for line, row in enumerate(rows, start=2):
            ids = [i for i in (row["source_ids"] or "").split(";") if i.strip()]
            assert ids, f"{name} line {line} has no source_ids"
