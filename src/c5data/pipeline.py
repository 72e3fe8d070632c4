"""The whole build as users run it: validate, the artifacts, the extensions' writers (the site), then SHA256SUMS.

The build stage knows nothing of any site: the package's extensions (see
`c5data.extensions`) add their writers, so neither imports the other.
"""

from __future__ import annotations

import os
from typing import Any

from c5data.building.builder import BuildResult
from c5data.building.builder import build as build_artifacts


def build(path: str | os.PathLike | None = None, out: str | os.PathLike | None = None, **options: Any) -> BuildResult:
    """Validate the package at `path` and write its release, with what its extensions add, to `out` (see `c5data.building.builder.build`)."""
    return build_artifacts(path, out, **options)
