"""A package using the whole standard builds and queries: a semicolon dialect, gzip and zip resources, a
multi-part resource and every Table Schema v2 field type."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from c5data import connect, validate
from c5data.building.builder import build

FIXTURE = Path(__file__).parent.parent / "fixtures" / "whole-standard"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        # the artifacts only: the site is c5data's own pages, which need its tables
        return build(FIXTURE, tmp_path_factory.mktemp("whole") / "release")


def test_builds_one_plain_csv_per_table(release):
    assert {f for f in release.files if f.startswith("data/")} == {"data/stations.csv", "data/readings.csv", "data/regions.csv", "data/visits.csv"}
    descriptor = json.loads((release.out / "datapackage.json").read_text())
    assert all("dialect" not in r and "compression" not in r for r in descriptor["resources"])
    assert (release.out / "data" / "visits.csv").read_text() == "station,day\nalm,2023-03-01\nalm,2024-03-01\ntas,2023-04-02\n"
    assert validate(release.out).valid


def test_queries_every_type(release):
    con = connect(release.out)
    types = dict(con.sql("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'stations'").fetchall())
    assert types["opens_at"] == "TIME" and types["location"] == "STRUCT(lon DOUBLE, lat DOUBLE)" and types["lines"] == "BIGINT[]"
    assert types["renovated"] == types["interval"] == types["area"] == types["extra"] == types["codes"] == "VARCHAR"
    row = con.sql("SELECT opens_at, location.lon, location_array.lat, location_object.lon, extra, note, lines FROM stations WHERE id = 'alm'").fetchall()[0]
    assert row == (dt.time(6, 0), 76.95, 43.25, 76.95, '{"operator": "Kazhydromet"}', "two\nlines", [1, 2])
    joined = con.sql("SELECT count(*) FROM readings JOIN stations ON readings.station = stations.id").fetchall()[0]
    assert joined == (2,)
    assert con.sql("SELECT count(*) FROM visits").fetchall()[0] == (3,)
    assert con.sql("SELECT sum(area_km2) FROM regions").fetchall()[0] == (239300,)


def test_parquet_types(release):
    schema = pq.read_schema(release.out / "parquet" / "stations.parquet")
    assert str(schema.field("opens_at").type) == "time64[us]"
    assert str(schema.field("location").type) == "struct<lon: double, lat: double>"


def test_queries_the_source_in_memory():
    con = connect(FIXTURE, data=True)  # the dialect, compressed and multi-part files read straight from the package
    assert con.sql("SELECT id, location FROM stations ORDER BY id").fetchall() == [("alm", {"lon": 76.95, "lat": 43.25}), ("tas", {"lon": 69.24, "lat": 41.31})]
    assert con.sql("SELECT count(*) FROM visits").fetchall() == [(3,)]
