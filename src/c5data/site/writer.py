"""The site as a build writer: `c5data.writers.WRITERS` can list this module to put the site in every release.

Place it after the zip and before `checksums`, so that the downloads page
sees every artifact and SHA256SUMS covers the site's files:

    WRITERS = [csv_files, descriptor, parquet_files, database, codebook, extras, zip_package, site_writer, checksums]

`c5data publish` copies the whole release folder, so the site goes with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import DEFAULT_DIRNAME, generate

if TYPE_CHECKING:  # pragma: no cover
    from ..writers.context import BuildContext

NAME = "site"


def write(ctx: "BuildContext") -> list[str]:
    """Generate the site of the staged release into its `site/` folder; return the relative paths written."""
    files = generate(ctx.out, ctx.out / DEFAULT_DIRNAME)
    return [f.relative_to(ctx.out).as_posix() for f in files]
