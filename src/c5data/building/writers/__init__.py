"""The build's artifacts, one small writer each: a module with `write(ctx)`, run in the order of `ARTIFACTS`.

Later writers may use what earlier ones wrote: the descriptor needs the CSVs'
hashes, DuckDB loads the Parquet files, the zip packs the descriptor. Other
writers (the site) run after these, and `checksums` runs last of all so
SHA256SUMS covers everything. Adding an artifact is adding a module and one
line here.
"""

from __future__ import annotations

from typing import Protocol

from c5data.building.writers import checksums, codebook, csv_files, descriptor, duckdb_database, extras, parquet_files, view_files, zip_package
from c5data.building.writers.context import BuildContext


class Writer(Protocol):
    """A module (or object) that writes some files of the release into `ctx.out`."""

    def write(self, ctx: BuildContext) -> None: ...


ARTIFACTS: list[Writer] = [csv_files, descriptor, parquet_files, duckdb_database, view_files, codebook, extras, zip_package]
LAST: Writer = checksums

__all__ = ["ARTIFACTS", "LAST", "BuildContext", "Writer"]
