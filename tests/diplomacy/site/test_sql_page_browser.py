"""The SQL page in Debian's Chromium, served by `c5data serve`'s library on 127.0.0.1, against Python DuckDB.

Every README example (the page's example buttons) and one query on each view run in the browser, and their rows are
compared with the same SQL run by Python DuckDB on the release's `c5data.duckdb`: the same columns, the same rows, and
the same order of the columns the query orders by (rows tied on those may come in either order). Every request of
every page is recorded: none may leave the origin. The engine comes from `npm ci`; without it these tests skip with
one line saying so, or fail when the CI variable is set or under `--browser-required` (as a missing browser does).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest

from c5data.serving.server import running

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LONG = "SELECT count(*) FROM range(100000000000) a(i) WHERE i % 7 = 3"


@pytest.fixture(scope="module")
def server(release: Path, engine):
    with running(release, engine=engine) as s:
        yield s


class Recorder:
    """Every request, console error and page error of a page; `outside` lists the requests that left the origin."""

    def __init__(self, page, origin: str) -> None:
        self.origin, self.urls, self.errors = origin, [], []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    @property
    def outside(self) -> list[str]:
        return [u for u in self.urls if not u.startswith((self.origin + "/", "data:", "blob:"))]


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True)
    p = context.new_page()
    p.recorder = Recorder(p, server.base)
    try:
        yield p
        assert p.recorder.outside == [], "requests that left the origin"
    finally:
        context.close()


def open_page(page, server, hash_: str = "") -> None:
    page.goto(server.url + "sql.html" + hash_)
    page.wait_for_function("window.C5DATA_SQL && window.C5DATA_SQL.ready")
    page.evaluate("window.C5DATA_SQL.ready")
    assert page.locator("#sql-error").is_hidden(), page.locator("#sql-error").text_content()


def finished(page) -> dict:
    page.wait_for_function("document.getElementById('sql-app').getAttribute('aria-busy') === null && window.C5DATA_SQL.last() !== null", timeout=60_000)
    return page.evaluate("window.C5DATA_SQL.last()")


def click_and_wait(page, locator) -> dict:
    page.evaluate("window.C5DATA_SQL.state.last = null")
    locator.click()
    return finished(page)


# ---- Python's side: the same SQL on c5data.duckdb, values written as the page writes them -------------------------


def as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join("NULL" if v is None else as_text(v) for v in value) + "]"  # type: ignore[misc]
    if isinstance(value, dict):
        return "{" + ", ".join(f"'{k}': {'NULL' if v is None else as_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def python_rows(release: Path, sql: str) -> tuple[list[str], list[list[str | None]]]:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        relation = con.sql(sql)
        return relation.columns, [[as_text(v) for v in row] for row in relation.fetchall()]
    finally:
        con.close()


def order_keys(sql: str, columns: list[str]) -> list[str]:
    """The output columns the last ORDER BY sorts by, up to the first key that is not an output column."""
    clauses = re.findall(r"ORDER BY\s+(.+?)(?:\)|$|\bLIMIT\b)", sql, flags=re.S | re.I)
    if not clauses:
        return []
    keys = []
    for item in clauses[-1].split(","):
        name = re.sub(r"\s+(ASC|DESC|NULLS\s+(FIRST|LAST))\b.*", "", item.strip(), flags=re.I).split(".")[-1].strip('"')
        if name not in columns:
            break
        keys.append(name)
    return keys


def assert_same_rows(page_result: dict, release: Path, sql: str, ordered_by: str) -> None:
    assert "error" not in page_result, page_result.get("error")
    columns, rows = python_rows(release, sql)
    assert [c["name"] for c in page_result["columns"]] == columns
    mine = page_result["rows"]
    key = lambda r: [(v is None, v or "") for v in r]
    assert sorted(mine, key=key) == sorted(rows, key=key)
    keys = order_keys(ordered_by, columns)
    at = [columns.index(k) for k in keys]
    assert [[r[i] for i in at] for r in mine] == [[r[i] for i in at] for r in rows], f"order by {keys}"


# ---- the tests ----------------------------------------------------------------------------------------------------


def test_each_readme_example_gives_the_rows_python_duckdb_gives(page, server, release: Path) -> None:
    open_page(page, server)
    buttons = page.locator(".sql-examples button.sql-example")
    assert buttons.count() >= 1
    for i in range(buttons.count()):
        sql = buttons.nth(i).get_attribute("data-sql")
        result = click_and_wait(page, buttons.nth(i))
        assert result["sql"] == sql.strip()
        assert_same_rows(result, release, sql, sql)
        shown = page.locator("#sql-result tbody tr")
        assert shown.count() == min(len(result["rows"]), 1000)
        if result["rows"]:
            cells = shown.first.locator("td").all_text_contents()
            assert cells == ["NULL" if v is None else v for v in result["rows"][0]]


def test_one_query_on_each_view_gives_the_rows_python_duckdb_gives(page, server, release: Path) -> None:
    from c5data.building.sql import package_views
    from c5data.reading.descriptor import load_package

    package, _ = load_package(release)
    views = package_views(package)
    assert views, "the release documents no view"
    open_page(page, server)
    for view in views:
        button = page.locator(f"#view-{view.name} button.sql-example")
        page.locator(f"#view-{view.name} summary").click()
        result = click_and_wait(page, button)
        assert_same_rows(result, release, f'SELECT * FROM "{view.name}"', view.sql)


def test_only_the_parquet_files_a_query_needs_are_fetched_whole(page, server) -> None:
    open_page(page, server)
    assert not [u for u in page.recorder.urls if u.endswith(".parquet")]
    result = page.evaluate("window.C5DATA_SQL.run('SELECT count(*) AS n FROM meetings')")
    assert "error" not in result
    fetched = [u.rsplit("/", 1)[-1] for u in page.recorder.urls if u.endswith(".parquet")]
    assert fetched == ["meetings.parquet"]
    page.evaluate("window.C5DATA_SQL.run('SELECT count(*) FROM meetings m JOIN series s USING (series_id)')")
    fetched = [u.rsplit("/", 1)[-1] for u in page.recorder.urls if u.endswith(".parquet")]
    assert fetched == ["meetings.parquet", "series.parquet"]  # meetings not fetched again


def test_a_shared_link_reopens_the_same_query_on_the_same_version(page, server, release: Path, browser) -> None:
    open_page(page, server)
    sql = "SELECT meeting_id, start_date FROM meetings WHERE series_id = 'summit' ORDER BY start_date"
    page.fill("#sql-editor", sql)
    first = click_and_wait(page, page.locator("#sql-run"))
    link = page.url
    params = parse_qs(urlsplit(link).fragment)
    assert params["sql"] == [sql] and params["v"] == [page.evaluate("window.C5DATA_SQL.meta.version")]
    cite = page.locator("#sql-cite").text_content()
    assert f"version {params['v'][0]}" in cite and link in cite and dt.date.today().isoformat() in cite

    other = browser.new_context().new_page()
    recorder = Recorder(other, server.base)
    try:
        other.goto(link)
        again = finished(other)
        assert other.locator("#sql-editor").input_value() == sql
        assert again["rows"] == first["rows"] and again["columns"] == first["columns"]
        assert_same_rows(again, release, sql, sql)
        assert recorder.outside == [] and recorder.errors == []
    finally:
        other.context.close()


def test_errors_are_duckdbs_own_and_nothing_is_read_or_installed_from_outside(page, server) -> None:
    open_page(page, server)
    page.fill("#sql-editor", "SELEC 1")
    result = click_and_wait(page, page.locator("#sql-run"))
    assert result["error"].startswith('Parser Error: syntax error at or near "SELEC"')
    assert page.locator("#sql-error").is_visible() and "SELEC" in page.locator("#sql-error").text_content()
    for sql in (
        "SELECT * FROM read_csv('https://example.org/x.csv')",
        "SELECT * FROM 'https://example.org/x.parquet'",
        "INSTALL httpfs; LOAD httpfs",
        "SET enable_external_access = true",
        "SET autoload_known_extensions = true",
    ):
        result = page.evaluate("(sql) => window.C5DATA_SQL.run(sql)", sql)
        assert "error" in result, sql
    loaded = page.evaluate("window.C5DATA_SQL.run('SELECT extension_name FROM duckdb_extensions() WHERE loaded ORDER BY 1')")
    assert [r[0] for r in loaded["rows"]] == ["core_functions"]


def test_a_long_query_can_be_cancelled_and_the_next_one_runs(page, server) -> None:
    open_page(page, server)
    page.fill("#sql-editor", LONG)
    page.click("#sql-run")
    page.wait_for_function("document.getElementById('sql-app').getAttribute('aria-busy') === 'true'")
    page.wait_for_timeout(300)
    page.click("#sql-cancel")
    result = finished(page)
    assert result["error"].startswith("Cancelled")
    after = page.evaluate("window.C5DATA_SQL.run('SELECT count(*) AS n FROM series')")
    assert "error" not in after and int(after["rows"][0][0]) > 0


def test_the_rows_download_as_csv(page, server, release: Path) -> None:
    import csv
    import io

    open_page(page, server)
    sql = "SELECT series_id, series_name FROM series ORDER BY series_id"
    page.fill("#sql-editor", sql)
    click_and_wait(page, page.locator("#sql-run"))
    with page.expect_download() as info:
        page.click("#sql-download")
    text = Path(info.value.path()).read_text(encoding="utf-8")
    columns, rows = python_rows(release, sql)
    assert list(csv.reader(io.StringIO(text))) == [columns, *[["" if v is None else v for v in r] for r in rows]]


def test_from_disk_the_page_says_in_one_line_how_to_get_it(browser, site: Path) -> None:
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page, "file://")
    try:
        page.goto((site / "sql.html").as_uri())
        page.wait_for_load_state("load")
        note = page.locator("#sql-file-note")
        assert note.is_visible()
        text = note.inner_text()
        assert "c5data serve" in text and "\n" not in text.strip()
        assert page.locator("#sql-app").is_hidden()
        assert page.locator("#relations details").count() > 0  # the tables and views are still listed
        assert recorder.errors == []
        assert [u for u in recorder.urls if not u.startswith(("file:", "data:"))] == []
    finally:
        context.close()


def test_the_benchmark_measures_a_cold_and_a_warm_load(release: Path, engine, browser) -> None:
    """benchmarks/sql_page.py keeps working (no timing asserted): sizes as served, versions, one run each way."""
    import sys

    from releasekit import ROOT

    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from benchmarks.sql_page import measure, report

    result = measure(release, runs=1, browser=browser)
    wasm = next(f for name, f in result["files"].items() if name.endswith("/duckdb-eh.wasm"))
    assert wasm["bytes"] == (engine.dist / "duckdb-eh.wasm").stat().st_size and 0 < wasm["gzip_bytes"] < wasm["bytes"]
    parquet = sorted(name.rsplit("/", 1)[-1] for name in result["files"] if name.endswith(".parquet"))
    assert parquet == ["meetings.parquet"]  # the example names one table
    assert result["duckdb"].startswith("v") and result["duckdb_wasm"] == engine.duckdb_wasm_version
    assert len(result["cold_s"]) == len(result["warm_s"]) == 1 and result["transfer_bytes"] >= wasm["bytes"]
    assert "DuckDB-WASM" in report(result)
