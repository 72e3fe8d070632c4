"""The site as a build writer: run after the artifacts and before SHA256SUMS (see `c5data.pipeline`).

It reuses the tables the build has already read, so no CSV is read twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c5data.site.generator import DEFAULT_DIRNAME, generate

if TYPE_CHECKING:
    from c5data.building.writers.context import BuildContext


def write(ctx: BuildContext) -> None:
    """Generate the site of the staged release into its `site/` folder."""
    generate(ctx.out, ctx.out / DEFAULT_DIRNAME, package=ctx.package, tables=ctx.tables)
