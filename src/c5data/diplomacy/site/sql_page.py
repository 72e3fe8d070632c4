"""The SQL page: DuckDB in the reader's browser over the release's own Parquet files (see static/sql.js).

What the page needs from Python is written into it here, from the definitions the build uses: each table's Parquet
file, columns and descriptions (the codebook's facts), and each view's CREATE VIEW statement exactly as the build
ran it in `c5data.duckdb` (`c5data.building.sql.view_sql`), so the views cannot drift from the database's. The
example queries are the README's.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c5data.building.codebook import column_facts
from c5data.building.sql import package_views, view_sql
from c5data.serving.wasm import ENGINE_DIRNAME

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

#: The page is `releases/<version>/site/sql.html`; the engine sits beside `releases/`, shared by every version.
ENGINE_URL = f"../../../{ENGINE_DIRNAME}/"
PAGE = "sql.html"


@dataclass(frozen=True)
class Example:
    title: str
    sql: str
    needs: tuple[str, ...]  # the tables and views it reads: shown only when the release has them all


#: The README's queries ("Query it with DuckDB"), one click away on the page; a test keeps the two the same.
EXAMPLES = (
    Example("Meetings per series", "SELECT series_id, count(*) AS meetings FROM meetings GROUP BY series_id ORDER BY meetings DESC", ("meetings",)),
    Example(
        "Who attended the summits",
        "SELECT m.start_date, m.city, p.person_name, pa.role, pa.title_as_given\n"
        "FROM participants pa\n"
        "JOIN meetings m USING (meeting_id)\n"
        "JOIN persons p USING (person_id)\n"
        "WHERE m.series_id = 'summit'\n"
        "ORDER BY m.start_date, pa.role",
        ("participants", "meetings", "persons"),
    ),
    Example(
        "Money pledged in US dollars",
        "SELECT pledger, year, meeting_id, currency, total_amount FROM money_pledged WHERE currency = 'USD'",
        ("money_pledged",),
    ),
    Example(
        "Each pledge's latest status",
        "SELECT pledge_id, pledger, commitment, status, as_of_date FROM pledge_status ORDER BY pledge_id",
        ("pledge_status",),
    ),
)


def view_columns(database: Path, names: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(column, DuckDB type) of each view of the built database, read from its catalogue."""
    import duckdb

    if not names or not database.is_file():
        return {}
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE table_name IN (SELECT unnest(?)) ORDER BY table_name, column_index", [names]
        ).fetchall()
    finally:
        con.close()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, kind))
    return out


def context(site: Site, root: str, database: Path) -> dict[str, Any]:
    """The template context of the SQL page, with the JSON the script reads (`meta`)."""
    package = site.data.package
    created = site.data.created[:10]
    # the views as the release's database has them: "passed" judged on the release's date, as c5data.duckdb does
    views = package_views(package, dt.date.fromisoformat(created) if created else None)
    names = {r.name for r in package.resources} | {v.name for v in views}
    tables: list[dict[str, Any]] = [
        {
            "r": r,
            "parquet": root + site.release_file(f"parquet/{r.name}.parquet"),
            "columns": [column_facts(f, r) for f in r.schema.fields],
        }
        for r in package.resources
        if site.has_file(f"parquet/{r.name}.parquet")
    ]
    columns = view_columns(database, [v.name for v in views])
    meta = {
        "title": site.data.descriptor.get("title") or site.data.descriptor.get("name") or "Data package",
        "version": site.data.version,
        "engine": ENGINE_URL,
        "tables": [{"name": t["r"].name, "parquet": t["parquet"]} for t in tables],
        "views": [{"name": v.name, "tables": sorted(v.needs), "sql": "\n".join(view_sql(v))} for v in views],
    }
    return {
        "tables": tables,
        "views": [{"v": v, "columns": columns.get(v.name, [])} for v in views],
        "examples": [e for e in EXAMPLES if set(e.needs) <= names],
        "homepage": site.data.descriptor.get("homepage") if isinstance(site.data.descriptor.get("homepage"), str) else None,
        "meta": json.dumps(meta, ensure_ascii=False, sort_keys=True).replace("</", "<\\/"),
    }
