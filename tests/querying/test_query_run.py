"""c5data query, connect() and load(): the built database, or data/ in memory, with the same views."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import polars as pl
import pytest
from click.testing import CliRunner

import c5data
from c5data.cli import main
from c5data.diplomacy.views import VIEWS, available
from c5data.querying.connection import DataDoesNotLoad, find_database
from c5data.querying.run import QueryError, query
from c5data.reading.descriptor import load_package

from releasekit import EPOCH, edit, make_package

AS_OF_DEPENDENT = ("overdue", "days_since_report", "as_of_date")  # pledge_tracker's columns that depend on the day


@pytest.fixture(scope="module")
def built_pkg(tmp_path_factory):
    pkg = make_package(tmp_path_factory.mktemp("query") / "pkg")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        c5data.build(pkg)
    return pkg


@pytest.fixture
def raw_pkg(tmp_path):
    return make_package(tmp_path / "raw")


def test_the_built_database_and_raw_data_give_the_same_answers(built_pkg):
    assert find_database(built_pkg) == built_pkg / "release" / "c5data.duckdb"
    package, _ = load_package(built_pkg)
    assert package is not None
    views = available({r.name: r for r in package.resources})
    assert {v.name for v in VIEWS} < {v.name for v in views}  # uncertain_rows is built from the schemas
    for view in views:
        # what depends on the day "passed" is judged against differs on purpose: the release date in the built file,
        # the day the query runs on data/ (pledge_tracker's as_of_date)
        columns = ", ".join(c for c, _ in view.columns if c not in AS_OF_DEPENDENT) or "*"
        built = query(f"SELECT {columns} FROM {view.name}", built_pkg)
        raw = query(f"SELECT {columns} FROM {view.name}", built_pkg, data=True)
        assert built.source.endswith("c5data.duckdb") and "in memory" in raw.source
        assert built.columns == raw.columns and built.rows == raw.rows and built.rows, view.name
    release_date = query("SELECT DISTINCT as_of_date FROM pledge_tracker", built_pkg).rows
    today = query("SELECT DISTINCT as_of_date = current_date FROM pledge_tracker", built_pkg, data=True).rows
    assert release_date == [(dt.date(2023, 11, 14),)] and today == [(True,)]  # the fixture's SOURCE_DATE_EPOCH
    for table in ("meetings", "pledges", "participants"):
        assert query(f"SELECT * FROM {table}", built_pkg).rows == query(f"SELECT * FROM {table}", built_pkg, data=True).rows


def test_raw_data_has_typed_columns_keys_and_views(raw_pkg):
    assert find_database(raw_pkg) is None
    result = query("SELECT typeof(start_date), typeof(source_ids) FROM meetings LIMIT 1", raw_pkg)
    assert result.rows == [("DATE", "VARCHAR[]")]
    constraints = query("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY'", raw_pkg)
    assert constraints.rows[0][0] >= 10
    assert query("SELECT count(*) FROM pledges_by_country_sector", raw_pkg).rows == [(2,)]


def test_cli_formats(raw_pkg):
    runner = CliRunner()
    sql = "SELECT meeting_id, start_date, source_ids FROM meetings ORDER BY meeting_id LIMIT 2"
    as_json = runner.invoke(main, ["query", sql, str(raw_pkg), "--format", "json"])
    assert as_json.exit_code == 0
    rows = json.loads(as_json.output)
    assert rows[0] == {"meeting_id": "fmm-2020-07-16", "start_date": "2020-07-16", "source_ids": ["mfa-2020-07-17", "tellerreport-nd"]}
    as_csv = runner.invoke(main, ["query", sql, str(raw_pkg), "--format", "csv"])
    assert as_csv.output.splitlines()[:2] == ["meeting_id,start_date,source_ids", "fmm-2020-07-16,2020-07-16,mfa-2020-07-17;tellerreport-nd"]
    as_table = runner.invoke(main, ["query", sql, str(raw_pkg)])
    lines = as_table.output.splitlines()
    assert lines[0].split(" | ")[0].strip() == "meeting_id" and lines[-1] == "(2 rows)"


def test_bad_sql_is_exit_1_with_duckdbs_message(raw_pkg):
    result = CliRunner().invoke(main, ["query", "SELEC * FROM meetings", str(raw_pkg)])
    assert result.exit_code == 1
    assert "syntax error" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["query", "SELECT * FROM no_such_table", str(raw_pkg)])
    assert result.exit_code == 1 and "no_such_table" in result.output
    with pytest.raises(QueryError):
        query("SELECT nonsense(", raw_pkg)


def test_missing_package_is_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["query", "SELECT 1", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_raw_data_breaking_a_key_is_exit_1(raw_pkg):
    edit(raw_pkg / "data" / "countries.csv", "UZB,UZ,Uzbekistan", "KAZ,UZ,Uzbekistan")  # duplicate primary key
    with pytest.raises(DataDoesNotLoad):
        query("SELECT 1", raw_pkg)
    result = CliRunner().invoke(main, ["query", "SELECT 1", str(raw_pkg)])
    assert result.exit_code == 1 and "c5data validate" in result.output


def test_connect_and_load(built_pkg, raw_pkg):
    con = c5data.connect(built_pkg)
    try:
        assert con.execute("SELECT count(*) FROM meetings").fetchone() == (3,)
        with pytest.raises(duckdb.Error):
            con.execute("DELETE FROM meetings")  # the built database is opened read-only
    finally:
        con.close()
    meetings = c5data.load("meetings", built_pkg, pandas=True)
    assert isinstance(meetings, pd.DataFrame) and len(meetings) == 3
    assert pd.api.types.is_datetime64_any_dtype(meetings["start_date"])
    pledges = c5data.load("pledges", raw_pkg)
    assert isinstance(pledges, pl.DataFrame) and pledges.schema["beneficiaries"] == pl.List(pl.String)
    assert len(c5data.load("timeline", raw_pkg)) == 3 + 2 + 4 + 1


def test_api_names_stay_functions_after_their_modules_are_imported():
    import c5data.building.builder
    import c5data.querying.connection
    import c5data.querying.run
    import c5data.releasing.diff
    import c5data.releasing.publishing
    import c5data.releasing.versioning

    for name in ("build", "diff", "query", "connect", "load", "publish", "verify", "release", "plan_release"):
        assert callable(getattr(c5data, name)) and not isinstance(getattr(c5data, name), type(c5data)), name


@pytest.mark.parametrize(
    "sql",
    [
        "COPY (SELECT * FROM meetings) TO 'stolen.csv'",
        "ATTACH 'other.duckdb' AS other (READ_WRITE)",
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_text('/proc/self/environ')",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
    ],
)
@pytest.mark.parametrize("mode", ["built", "data"])
def test_query_cannot_reach_outside_the_release(built_pkg, sql, mode, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(QueryError):
        query(sql, built_pkg, data=(mode == "data"))
    assert list(tmp_path.iterdir()) == []
    assert query("SELECT count(*) FROM meetings", built_pkg, data=(mode == "data")).rows[0][0] > 0


def test_empty_sql_is_a_clear_error(built_pkg):
    result = CliRunner().invoke(main, ["query", "  ", str(built_pkg)])
    assert result.exit_code == 1 and "SQL is empty" in result.output and "internal error" not in result.output


def test_load_with_pandas_says_how_to_install_it_when_it_is_missing(built_pkg, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(ImportError, match=r'pip install "c5data\[pandas\]"'):
        c5data.load("meetings", built_pkg, pandas=True)
    assert isinstance(c5data.load("meetings", built_pkg), pl.DataFrame)  # polars needs no extra


def test_connect_outside_a_package_says_how_to_point_it_at_a_release(tmp_path, monkeypatch):
    from c5data.querying.connection import DatabaseUnavailable

    monkeypatch.chdir(tmp_path)
    for where in (None, tmp_path / "empty"):
        with pytest.raises(DatabaseUnavailable) as info:
            c5data.connect(where)
        message = str(info.value)
        assert 'c5data.connect("path/to/release")' in message and "URL" in message and "c5data build" in message
    result = CliRunner().invoke(main, ["query", "SELECT 1"])
    assert result.exit_code == 2 and "Point c5data at a release" in result.output


def test_a_runaway_query_is_stopped_at_its_timeout(raw_pkg):
    sql = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r"
    result = CliRunner().invoke(main, ["query", sql, "--path", str(raw_pkg), "--timeout", "1"])
    assert result.exit_code == 1 and "longer than 1 s" in result.output and "Traceback" not in result.output


def test_a_result_is_capped_and_says_so(raw_pkg, monkeypatch):
    from c5data.querying.run import query, render

    result = query("SELECT * FROM range(1000)", raw_pkg, max_rows=10)
    assert len(result.rows) == 10 and result.truncated
    assert "more matched" in render(result)
    monkeypatch.setenv("C5DATA_QUERY_MAX_ROWS", "3")
    assert len(query("SELECT * FROM range(1000)", raw_pkg).rows) == 3


def test_infinity_is_written_as_valid_json(raw_pkg):
    result = CliRunner().invoke(main, ["query", "SELECT 'inf'::DOUBLE AS x, 'nan'::DOUBLE AS y", str(raw_pkg), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output, parse_constant=lambda c: pytest.fail(f"{c} is not JSON")) == [{"x": "inf", "y": "nan"}]
