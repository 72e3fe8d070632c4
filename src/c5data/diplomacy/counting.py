"""How to count meetings: the recipes the codebook (codebook.md and the site's codebook page) gives, with their SQL.

A recipe names the columns it relies on, so it is shown only when the package
has them. The same SQL runs in c5data.duckdb and in `c5data query`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from c5data.reading.descriptor import Resource

NEEDS = {"meetings": ("series_id", "meeting_type", "ordinal"), "series": ("series_id", "level", "series_type")}

INTRO = (
    "Count meetings with the columns that say what a meeting is, never by counting rows: `meetings.meeting_type` "
    "separates the regular meetings of a series (the numbered ones) from special, preparatory and informal meetings, "
    "and `series.series_type` separates the tracks of the mechanism from related events outside it, which every count "
    "of the mechanism leaves out."
)


@dataclass(frozen=True)
class Recipe:
    name: str
    explanation: str
    sql: str


RECIPES = [
    Recipe(
        "Summits",
        "Regular summits of the heads of state: series `summit` and meeting_type `regular`. The virtual summit of "
        "January 2022 (30th anniversary of relations) is a special session, not a numbered summit, so it is not counted; "
        "the count equals the highest ordinal of the series.",
        "SELECT count(*) AS summits\nFROM meetings\nWHERE series_id = 'summit' AND meeting_type = 'regular'",
    ),
    Recipe(
        "Foreign ministers' meetings",
        "Regular meetings of the foreign ministers: series `fmm` and meeting_type `regular`.",
        "SELECT count(*) AS foreign_ministers_meetings\nFROM meetings\nWHERE series_id = 'fmm' AND meeting_type = 'regular'",
    ),
    Recipe(
        "Ministerial meetings",
        "Regular meetings of the ministerial tracks of the mechanism, foreign ministers included: series level "
        "`ministerial`, series_type `mechanism`, meeting_type `regular`. Add `AND m.series_id <> 'fmm'` for the sectoral "
        "ministers only.",
        "SELECT m.series_id, count(*) AS meetings\nFROM meetings m JOIN series s USING (series_id)\n"
        "WHERE s.level = 'ministerial' AND s.series_type = 'mechanism' AND m.meeting_type = 'regular'\n"
        "GROUP BY m.series_id ORDER BY m.series_id",
    ),
    Recipe(
        "Every meeting of the mechanism",
        "All meetings of the mechanism's tracks, of any meeting_type; related events (series_type `related`) are left "
        "out. Group by meeting_type to see regular, special, preparatory and informal meetings apart.",
        "SELECT m.meeting_type, count(*) AS meetings\nFROM meetings m JOIN series s USING (series_id)\n"
        "WHERE s.series_type = 'mechanism'\nGROUP BY m.meeting_type ORDER BY m.meeting_type",
    ),
]


def recipes(resources: Mapping[str, Resource]) -> list[Recipe]:
    """The recipes, when the package has every column they use; else none."""
    ok = all(t in resources and all(resources[t].schema.get(c) is not None for c in cols) for t, cols in NEEDS.items())
    return list(RECIPES) if ok else []


COVERAGE_FILE = "coverage.md"


def coverage_body(text: str) -> str:
    """coverage.md without its top heading (the codebook gives its own), headings moved one level down."""
    lines = text.strip("\n").splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(("#" + line) if line.startswith("#") else line for line in lines).strip("\n")


def codebook_sections(resources: Mapping[str, Resource], extra_files: Mapping[str, bytes]) -> list[str]:
    """The codebook's "How to count" and "Coverage" sections (each only when the package has what it needs)."""
    lines: list[str] = []
    counting = recipes(resources)
    if counting:
        lines += ["## How to count", "", INTRO, ""]
        for recipe in counting:
            lines += [f"### {recipe.name}", "", recipe.explanation, "", "```sql", recipe.sql, "```", ""]
    coverage = extra_files.get(COVERAGE_FILE)
    if coverage:
        lines += [
            "## Coverage",
            "",
            f"What the package covers and leaves out on purpose (also shipped as `{COVERAGE_FILE}`).",
            "",
            coverage_body(coverage.decode("utf-8")),
            "",
        ]
    return lines
