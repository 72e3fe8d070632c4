"""The whole build as users run it: validate, the artifacts, the extensions' writers (the site), SHA256SUMS, then verify.

The build stage knows nothing of any site: the package's extensions (see
`c5data.extensions`) add their writers, so neither imports the other.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from c5data.building.builder import BuildResult
from c5data.building.builder import build as build_artifacts


def verified(staging: Path) -> list[str]:
    """What `c5data verify` finds wrong in a staged release: every file listed and matching, the descriptor's sizes and
    hashes, the Parquet and DuckDB copies holding the CSVs' rows."""
    from c5data.releasing.publishing import verify

    return verify(staging).problems


def build(path: str | os.PathLike[str] | None = None, out: str | os.PathLike[str] | None = None, **options: Any) -> BuildResult:
    """Validate the package at `path` and write its release, with what its extensions add, to `out`, verified before it
    replaces the previous one (see `c5data.building.builder.build`)."""
    return build_artifacts(path, out, check_staged=verified, **options)
