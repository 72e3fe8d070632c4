"""parquet/<table>.parquet: typed columns (dates as dates, `list` fields as native lists), described.

The Arrow schema comes from the Table Schema (`c5data.building.arrow`); zstd
compression, statistics on.
"""

from __future__ import annotations

import pyarrow.parquet as pq

from c5data.building.arrow import to_arrow
from c5data.building.writers.context import BuildContext


def path_of(name: str) -> str:
    """Where a table's Parquet file goes inside the release."""
    return f"parquet/{name}.parquet"


def write(ctx: BuildContext) -> None:
    """One zstd Parquet file per table."""
    for name, table in ctx.tables.items():
        rel = path_of(name)
        target = ctx.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_arrow(table), target, compression="zstd", write_statistics=True)
