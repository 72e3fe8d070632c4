"""The whole build as users run it: validate, the artifacts, the site, then SHA256SUMS over everything.

The build stage knows nothing of the site (the site reads what the build
wrote); this module puts the two together, so neither imports the other in a
circle.
"""

from __future__ import annotations

import os
from typing import Any

from c5data.building.builder import BuildResult
from c5data.building.builder import build as build_artifacts


def build(path: str | os.PathLike | None = None, out: str | os.PathLike | None = None, **options: Any) -> BuildResult:
    """Validate the package at `path` and write its release, site included, to `out` (see `c5data.building.builder.build`)."""
    from c5data.site import writer as site_writer

    return build_artifacts(path, out, writers=[site_writer], **options)
