"""views/<name>.csv and views/<name>.parquet: the rows of the views marked `shipped`, read from the release's DuckDB file.

For readers who never open DuckDB: the same rows as the view, as of the release date
(the date a view judges "passed" against is the release's).
A list column (e.g. beneficiaries) is written in CSV with the `;` the tables use.
"""

from __future__ import annotations

import polars as pl
import pyarrow.parquet as pq

from c5data.building.sql import ident, package_views
from c5data.building.writers.context import BuildContext
from c5data.building.writers.csv_files import to_csv

from .duckdb_database import FILE as DATABASE_FILE

DELIMITER = ";"


def csv_path(name: str) -> str:
    """Where a shipped view's CSV goes inside the release."""
    return f"views/{name}.csv"


def parquet_path(name: str) -> str:
    """Where a shipped view's Parquet file goes inside the release."""
    return f"views/{name}.parquet"


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every column as text: lists joined with `;`, booleans as true/false, dates as ISO dates, numbers as polars writes them."""
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if isinstance(dtype, pl.List):
            out.append(col.cast(pl.List(pl.String)).list.join(DELIMITER).alias(name))
        elif dtype == pl.Boolean:
            out.append(pl.when(col).then(pl.lit("true")).when(col.not_()).then(pl.lit("false")).alias(name))
        else:
            out.append(col.cast(pl.String).alias(name))
    return frame.select(out)


def write(ctx: BuildContext) -> None:
    """One CSV and one Parquet file per shipped view, from the database the previous writer made."""
    import duckdb

    views = [v for v in package_views(ctx.package, ctx.release_date) if v.shipped]
    if not views:
        return
    con = duckdb.connect(str(ctx.out / DATABASE_FILE), read_only=True)
    try:
        for view in views:
            relation = con.sql(f"SELECT * FROM {ident(view.name)}")
            table = relation.to_arrow_table()
            ctx.write(csv_path(view.name), to_csv(as_text(pl.from_arrow(table))))  # type: ignore[arg-type]
            target = ctx.path(parquet_path(view.name))
            pq.write_table(table, target, compression="zstd", write_statistics=True)
    finally:
        con.close()
