"""c5data.duckdb: the tables with keys, CHECKs and comments, loaded from the release's Parquet files, plus the views."""

from __future__ import annotations

from ..ddl import database_script, source_name
from ..duckfile import write_database
from .context import BuildContext
from .parquet_files import path_of

NAME = "duckdb"
FILE = "c5data.duckdb"


def write(ctx: BuildContext) -> list[str]:
    script = database_script(ctx.package, ctx.tables, source_name)
    sources = {source_name(t.resource): (ctx.out / path_of(name)).read_bytes() for name, t in ctx.tables.items()}
    ctx.notes["duckdb_reproducible"] = write_database(ctx.out, FILE, script, sources)
    return [FILE]
