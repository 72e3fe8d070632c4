"""Files handed to the build by its caller, e.g. `release`'s changes.json and CHANGELOG.md."""

from __future__ import annotations

from c5data.building.writers.context import BuildContext


def write(ctx: BuildContext) -> None:
    """Copy each extra file as given."""
    for rel, data in sorted(ctx.extra_files.items()):
        ctx.write(rel, data)
