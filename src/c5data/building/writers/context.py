"""What every build writer receives: the package, its typed tables, and where and as what to write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data.files.paths import inside
from c5data.reading.descriptor import Package
from c5data.reading.tables import Table


class OutsideRelease(Exception):
    """A derived file name would leave the release folder (validation refuses such names first)."""


@dataclass
class BuildContext:
    package: Package
    tables: dict[str, Table]  # descriptor order; rows sorted by primary key
    out: Path  # the staging folder, renamed into place when every writer has finished
    version: str
    created: str  # ISO 8601 UTC, from SOURCE_DATE_EPOCH or the last commit
    epoch: int  # the same instant in seconds, for file and zip timestamps
    extra_files: dict[str, bytes] = field(default_factory=dict)  # e.g. changes.json and CHANGELOG.md from `release`
    descriptor: dict[str, Any] = field(default_factory=dict)  # the release's datapackage.json, once written
    notes: dict[str, Any] = field(default_factory=dict)  # facts writers report (e.g. whether DuckDB bytes are reproducible)

    @property
    def release_date(self) -> dt.date:
        """The day of the release (UTC), which the views judge "passed" against, so a release says the same on any day."""
        return dt.datetime.fromtimestamp(self.epoch, dt.UTC).date()

    def write(self, rel: str, data: bytes) -> None:
        """Write one file of the release (relative posix path) into the staging folder."""
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    def path(self, rel: str) -> Path:
        """Where a file of the release goes; a name that would leave the release folder is refused."""
        target = self.out / rel
        if Path(rel).is_absolute() or not inside(target, self.out) or target.resolve() == self.out.resolve():
            raise OutsideRelease(f"{rel}: would be written outside the release folder; refused")
        return target

    def csv_path(self, name: str) -> str:
        """Where a resource's CSV sits in the release: the path it is declared with (one plain CSV for a compressed or multi-part one)."""
        return self.tables[name].resource.release_path
