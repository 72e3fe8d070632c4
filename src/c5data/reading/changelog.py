"""How CHANGELOG.md names its versions: a heading each (`## [X.Y.Z]`), with the date once released (`## [X.Y.Z] - YYYY-MM-DD`).

One reading of those headings for every part that needs one: the release planner (which versions exist), the
citation files (the date a version was released) and the site's change feed (each dated version and its text).
"""

from __future__ import annotations

import re

#: A version's heading, dated or not (`[Unreleased]` is no version: it does not start with a digit).
HEADING = re.compile(r"^## \[?v?([0-9][0-9A-Za-z.+-]*?)\]?(?:\s|$)", re.MULTILINE)
#: A released version's heading: the version, then its date.
DATED = re.compile(r"^## \[?v?([0-9][0-9A-Za-z.+-]*?)\]? - (\d{4}-\d{2}-\d{2})[^\n]*$", re.MULTILINE)


def released_on(changelog: str, version: str) -> str | None:
    """The date the changelog gives `version` (YYYY-MM-DD), else None."""
    return next((m.group(2) for m in DATED.finditer(changelog) if m.group(1) == version), None)
