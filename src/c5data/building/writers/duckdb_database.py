"""c5data.duckdb: the tables with keys, CHECKs and comments, loaded from the release's Parquet files, plus the views."""

from __future__ import annotations

from c5data.building.duckdb_file import write_database
from c5data.building.sql import database_script, source_name
from c5data.building.writers.context import BuildContext

from .parquet_files import path_of

FILE = "c5data.duckdb"


def write(ctx: BuildContext) -> None:
    """The database file, loaded from the Parquet files the previous writer made."""
    script = database_script(ctx.package, ctx.tables, source_name, ctx.release_date)
    sources = {source_name(t.resource): (ctx.out / path_of(name)).read_bytes() for name, t in ctx.tables.items()}
    ctx.notes["duckdb_reproducible"] = write_database(ctx.out, FILE, script, sources)
