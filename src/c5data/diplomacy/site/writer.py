"""The site as a build writer: run after the artifacts and before SHA256SUMS (see `c5data.pipeline`).

It reuses the tables the build has already read, so no CSV is read twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from c5data.diplomacy.site.generator import DEFAULT_DIRNAME, generate
from c5data.diplomacy.site.model import NEEDED

if TYPE_CHECKING:
    from c5data.building.writers.context import BuildContext


def write(ctx: BuildContext) -> None:
    """Generate the site of the staged release into its `site/` folder; a package without the tables the site
    presents (another project's Data Package) gets every other artifact and a note instead of a site."""
    missing = [name for name in NEEDED if name not in ctx.tables]
    if missing:
        ctx.notes["site"] = f"no site: it presents the c5data tables, and this package lacks {', '.join(missing)}"
        return
    generate(ctx.out, ctx.out / DEFAULT_DIRNAME, package=ctx.package, tables=ctx.tables)
