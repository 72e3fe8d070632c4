"""The documented SQL views: written once, created in the built database and in `query` on raw `data/`.

Views use the data model's public table and column names. Each declares the
columns it reads and is left out (never fails the build) when one is absent.
The codebook lists them with their descriptions; DuckDB keeps the description
as the view's comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .package import Resource


@dataclass(frozen=True)
class View:
    name: str
    description: str
    needs: dict[str, tuple[str, ...]]
    sql: str


VIEWS: list[View] = [
    View(
        "meeting_participants",
        "One row per participant of a meeting, with the meeting's date, series and title, the person's name and the "
        "name of the country represented.",
        {"participants": ("meeting_id", "person_id", "country", "role", "title", "certainty"),
         "meetings": ("meeting_id", "series_id", "title", "start_date", "end_date", "city", "host_country"),
         "persons": ("person_id", "name"), "countries": ("iso3", "name"), "series": ("series_id", "name")},
        """
SELECT m.meeting_id, m.start_date, m.end_date, m.series_id, se.name AS series_name, m.title AS meeting_title,
       m.city, m.host_country, p.person_id, pe.name AS person_name, p.country, c.name AS country_name,
       p.role, p.title AS person_title, p.certainty
FROM participants p
JOIN meetings m ON m.meeting_id = p.meeting_id
LEFT JOIN persons pe ON pe.person_id = p.person_id
LEFT JOIN countries c ON c.iso3 = p.country
LEFT JOIN series se ON se.series_id = m.series_id
ORDER BY m.start_date, m.meeting_id, p.person_id""",
    ),
    View(
        "pledges_by_country_sector",
        "Pledges per pledging country, sector and unit, each commitment counted once: components of a headline package "
        "(parent_pledge_id set) and restatements (restates_pledge_id set) are left out, so a package is counted by its "
        "headline row only, under the headline's sector. total_quantity adds up the figures of the counted rows in one unit; "
        "a headline announced without a figure adds nothing even when its components have figures (see pledges).",
        {"pledges": ("pledger", "sector", "unit", "quantity", "parent_pledge_id", "restates_pledge_id"),
         "countries": ("iso3", "name")},
        """
SELECT p.pledger, c.name AS pledger_name, p.sector, p.unit,
       count(*) AS pledges,
       count(p.quantity) AS pledges_with_quantity,
       sum(p.quantity) AS total_quantity
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
WHERE p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL
GROUP BY p.pledger, c.name, p.sector, p.unit
ORDER BY p.pledger, p.sector, p.unit NULLS FIRST""",
    ),
    View(
        "pledge_status",
        "Each pledge with its current status: the latest follow-up by as_of_date (status is null where no follow-up is recorded).",
        {"pledges": ("pledge_id", "meeting_id", "pledger", "sector", "description", "quantity", "unit"),
         "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "status", "evidence")},
        """
SELECT p.pledge_id, p.meeting_id, p.pledger, p.sector, p.description, p.quantity, p.unit,
       f.status, f.as_of_date, f.evidence, f.followup_id
FROM pledges p
LEFT JOIN (
  SELECT * FROM pledge_followups
  QUALIFY row_number() OVER (PARTITION BY pledge_id ORDER BY as_of_date DESC, followup_id DESC) = 1
) f ON f.pledge_id = p.pledge_id
ORDER BY p.pledge_id""",
    ),
    View(
        "timeline",
        "Everything dated, in order: meetings (start_date), documents (date), pledges (their meeting's start_date) and "
        "follow-ups (as_of_date). date_precision is the meeting's for meetings and pledges, null where no precision is recorded.",
        {"meetings": ("meeting_id", "title", "start_date", "date_precision"),
         "documents": ("document_id", "meeting_id", "title", "kind", "action", "date"),
         "pledges": ("pledge_id", "meeting_id", "description"),
         "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "status", "description")},
        """
SELECT date, date_precision, kind, meeting_id, id, what FROM (
  SELECT start_date AS date, date_precision, 'meeting' AS kind, 1 AS k, meeting_id, meeting_id AS id, title AS what
  FROM meetings
  UNION ALL
  SELECT d.date, NULL, 'document', 2, d.meeting_id, d.document_id, d.kind || ' ' || d.action || ': ' || d.title
  FROM documents d
  UNION ALL
  SELECT m.start_date, m.date_precision, 'pledge', 3, p.meeting_id, p.pledge_id, p.description
  FROM pledges p JOIN meetings m ON m.meeting_id = p.meeting_id
  UNION ALL
  SELECT f.as_of_date, NULL, 'followup', 4, pl.meeting_id, f.followup_id, f.status || ': ' || f.description
  FROM pledge_followups f LEFT JOIN pledges pl ON pl.pledge_id = f.pledge_id
)
ORDER BY date, k, id""",
    ),
]


def available(resources: Mapping[str, Resource]) -> list[View]:
    """The views whose every table and column exists in the package."""
    out = []
    for view in VIEWS:
        ok = all(t in resources and all(resources[t].schema.get(c) is not None for c in cols) for t, cols in view.needs.items())
        if ok:
            out.append(view)
    return out


def view_statements(resources: Mapping[str, Resource]) -> list[str]:
    from .ddl import ident, literal

    out = []
    for view in available(resources):
        out.append(f"CREATE VIEW {ident(view.name)} AS{view.sql};")
        out.append(f"COMMENT ON VIEW {ident(view.name)} IS {literal(view.description)};")
    return out
