"""data/*.csv: each table as written in the source, rows sorted by primary key, in one canonical CSV dialect.

UTF-8 without BOM, comma, LF line ends, a cell quoted only when it holds a
comma, a quote or a line break. Cells keep their text exactly (no number or
date is reformatted), so the release says what the source says.
"""

from __future__ import annotations

import polars as pl

from c5data.building.writers.context import BuildContext


def to_csv(frame: pl.DataFrame) -> bytes:
    """A table as the release's CSV bytes: UTF-8, LF line ends, minimal quoting, empty cells for missing values."""
    empty_as_null = frame.select([pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c)).alias(c) for c in frame.columns])
    return empty_as_null.write_csv(quote_style="necessary", line_terminator="\n", null_value="").encode("utf-8")


def write(ctx: BuildContext) -> None:
    """One CSV per table, at the path the descriptor declares."""
    for name, table in ctx.tables.items():
        ctx.write(ctx.csv_path(name), to_csv(table.text))
