"""Files handed to the build by its caller, e.g. `release`'s changes.json and CHANGELOG.md."""

from __future__ import annotations

from .context import BuildContext

NAME = "extras"


def write(ctx: BuildContext) -> list[str]:
    return [ctx.write(rel, data) for rel, data in sorted(ctx.extra_files.items())]
