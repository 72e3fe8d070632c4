"""The SQL page as generated (no browser): the README's queries, the build's own view SQL, files that exist."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest

from c5data.building.sql import package_views, view_sql
from c5data.diplomacy.site.sql_page import ENGINE_URL, EXAMPLES
from c5data.reading.descriptor import load_package
from c5data.serving.wasm import ENGINE_DIRNAME

from releasekit import ROOT

pytestmark = pytest.mark.slow


def meta(site: Path) -> dict:
    page = (site / "sql.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="sql-meta">(.*?)</script>', page, flags=re.S)
    assert found, "the page carries no sql-meta"
    return json.loads(found.group(1))


def squash(sql: str) -> str:
    return " ".join(sql.split())


def readme_queries() -> list[str]:
    """The SQL of the README's "Query it with DuckDB" section: the `c5data query` argument and each `con.sql(...)`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Query it with DuckDB", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r'c5data query "([^"]+)"', section)
    found += re.findall(r'con\.sql\((?:"""(.*?)"""|"([^"]+)")\)', section, flags=re.S)
    return [squash(q if isinstance(q, str) else (q[0] or q[1])) for q in found]


def test_the_page_examples_are_the_readme_queries() -> None:
    queries = readme_queries()
    assert len(queries) >= 3
    assert [squash(e.sql) for e in EXAMPLES] == queries


def test_the_page_creates_the_views_with_the_statements_the_build_ran(release: Path, site: Path) -> None:
    package, _ = load_package(release)
    created = json.loads((release / "datapackage.json").read_text())["created"]
    views = package_views(package, dt.date.fromisoformat(created[:10]))  # as the build ran them: "passed" judged on the release's date
    embedded = {v["name"]: v for v in meta(site)["views"]}
    assert list(embedded) == [v.name for v in views]
    for view in views:
        assert embedded[view.name]["sql"] == "\n".join(view_sql(view))
        assert set(embedded[view.name]["tables"]) == set(view.needs)
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        in_file = {name for (name,) in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    finally:
        con.close()
    assert set(embedded) == in_file


def test_every_table_is_read_from_its_parquet_file_beside_the_site(release: Path, site: Path) -> None:
    m = meta(site)
    package, _ = load_package(release)
    assert [t["name"] for t in m["tables"]] == [r.name for r in package.resources]
    for table in m["tables"]:
        assert (site / table["parquet"]).resolve() == (release / "parquet" / f"{table['name']}.parquet").resolve()
    assert m["engine"] == ENGINE_URL == f"../../../{ENGINE_DIRNAME}/"
    assert m["version"] == json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["version"]


def test_every_page_links_to_the_sql_page_and_it_lists_each_example(site: Path) -> None:
    assert 'href="sql.html"' in (site / "index.html").read_text(encoding="utf-8")
    page = (site / "sql.html").read_text(encoding="utf-8")
    for example in EXAMPLES:
        assert f'data-sql="{example.sql.replace(chr(39), "&#39;")}"' in page
    assert "c5data serve" in page
