"""SHA256SUMS: the sha256 of every other file of the release, in `sha256sum -c` format, sorted by path. Runs last."""

from __future__ import annotations

from c5data.building.writers.context import BuildContext
from c5data.files.hashing import SUMS, render_sums


def write(ctx: BuildContext) -> None:
    """Hash every file the other writers made."""
    ctx.write(SUMS, render_sums(ctx.out).encode("utf-8"))
