"""The build's artifacts, one small writer each, run in this order by `c5data.builder`.

A writer is a module with `NAME` and `write(ctx) -> list[str]` (the relative
paths it wrote). Later writers may use what earlier ones wrote: the
descriptor needs the CSVs' hashes, DuckDB loads the Parquet files, the zip
packs the descriptor, and the checksums cover everything. Adding an artifact
is adding a module and one line here.
"""

from __future__ import annotations

from . import checksums, codebook, csv_files, database, descriptor, extras, parquet_files, zip_package
from ..site import writer as site_writer
from .context import BuildContext

WRITERS = [csv_files, descriptor, parquet_files, database, codebook, extras, zip_package, site_writer, checksums]

__all__ = ["WRITERS", "BuildContext"]
