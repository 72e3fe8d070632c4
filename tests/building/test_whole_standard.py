"""A package using the whole standard builds and queries: a semicolon dialect, gzip and zip resources, a
multi-part resource and every Table Schema v2 field type."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from c5data import connect, validate
from c5data.pipeline import build  # what users run: artifacts, site when the tables allow, SHA256SUMS

FIXTURE = Path(__file__).parent.parent / "fixtures" / "whole-standard"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1700000000")
        # the site is left out (it presents c5data's own tables); every other artifact is built
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


def test_another_projects_package_builds_everything_but_the_site(release):
    """The site and the views belong to c5data's own layer; any other valid package gets every standard artifact and none of them."""
    assert "site" not in release.notes
    assert not any(f.startswith("site/") for f in release.files)
    con = duckdb.connect(str(release.out / "c5data.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal").fetchall() == [(0,)]
    assert "SHA256SUMS" in release.files and "c5data.duckdb" in release.files
