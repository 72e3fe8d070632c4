"""The documented views of the C+C5 package: SQL over its tables, shown only when the package has the columns each reads."""

from __future__ import annotations

from collections.abc import Mapping

from c5data.building.sql import View, ident, literal
from c5data.reading.descriptor import Resource

VIEWS: list[View] = [
    View(
        "meeting_participants",
        "One row per participant of a meeting, with the meeting's date, series and name, the person's name, office and the name of the country represented.",
        {
            "participants": ("meeting_id", "person_id", "country", "role", "position", "portfolio", "title_as_given", "certainty"),
            "meetings": ("meeting_id", "series_id", "meeting_name", "start_date", "end_date", "city", "host_country"),
            "persons": ("person_id", "person_name"),
            "countries": ("iso3", "country_name"),
            "series": ("series_id", "series_name"),
        },
        """
SELECT m.meeting_id, m.start_date, m.end_date, m.series_id, se.series_name, m.meeting_name,
       m.city, m.host_country, p.person_id, pe.person_name, p.country, c.country_name,
       p.role, p.position, p.portfolio, p.title_as_given, p.certainty
FROM participants p
JOIN meetings m ON m.meeting_id = p.meeting_id
LEFT JOIN persons pe ON pe.person_id = p.person_id
LEFT JOIN countries c ON c.iso3 = p.country
LEFT JOIN series se ON se.series_id = m.series_id
ORDER BY m.start_date, m.meeting_id, p.person_id""",
    ),
    View(
        "pledges_by_country_sector",
        "Pledges per pledging country, sector, kind of commitment, meeting and unit, each commitment counted once: "
        "components of a headline package (parent_pledge_id set) and restatements (restates_pledge_id set) are left out, "
        "so a package is counted by its headline row only, under the headline's sector. year is the year of the meeting. "
        "total_quantity adds up the figures of the counted rows in one unit; a headline announced without a figure adds "
        "nothing even when its components have figures (see pledges). A `target` (e.g. a trade volume) is a goal, not "
        "money given: for money use money_pledged.",
        {
            "pledges": ("pledger", "sector", "commitment_type", "meeting_id", "unit", "quantity", "parent_pledge_id", "restates_pledge_id"),
            "countries": ("iso3", "country_name"),
            "meetings": ("meeting_id", "start_date"),
        },
        """
SELECT p.pledger, c.country_name AS pledger_name, p.sector, p.commitment_type, p.meeting_id,
       year(m.start_date) AS year, p.unit,
       count(*) AS pledges,
       count(p.quantity) AS pledges_with_quantity,
       sum(p.quantity) AS total_quantity
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL
GROUP BY p.pledger, c.country_name, p.sector, p.commitment_type, p.meeting_id, year(m.start_date), p.unit
ORDER BY p.pledger, p.sector, p.commitment_type, year, p.meeting_id, p.unit NULLS FIRST""",
    ),
    View(
        "money_pledged",
        "Money pledged, counted once, by pledger, year, meeting and currency: pledges whose unit is an ISO 4217 currency "
        "code and whose commitment_type is not `target` (a target such as a trade volume is a goal, not money given), "
        "without components of a headline package (parent_pledge_id set) and without restatements (restates_pledge_id "
        "set). total_amount adds up the figures in one currency; amount_bounds lists how exact they are (exact, "
        "at-least, up-to, approximately). Amounts in different currencies are never added.",
        {
            "pledges": ("pledge_id", "pledger", "meeting_id", "commitment_type", "quantity", "unit", "amount_bound", "parent_pledge_id", "restates_pledge_id"),
            "countries": ("iso3", "country_name"),
            "meetings": ("meeting_id", "start_date"),
        },
        """
SELECT p.pledger, c.country_name AS pledger_name, year(m.start_date) AS year, p.meeting_id, p.unit AS currency,
       count(*) AS pledges,
       sum(p.quantity) AS total_amount,
       list_sort(list_distinct(list(coalesce(p.amount_bound, 'exact')))) AS amount_bounds,
       list_sort(list(p.pledge_id)) AS pledge_ids
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE regexp_full_match(p.unit, '[A-Z]{3}')
  AND p.quantity IS NOT NULL
  AND p.commitment_type IS DISTINCT FROM 'target'
  AND p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL
GROUP BY p.pledger, c.country_name, year(m.start_date), p.meeting_id, p.unit
ORDER BY p.pledger, year, p.meeting_id, currency""",
    ),
    View(
        "pledge_status",
        "Each pledge with its current status: the latest follow-up (status is null where no follow-up is recorded). "
        "Follow-ups are ordered by the last day their as_of_date can mean, so a report known only to the month or year "
        "counts as of the end of that month or year.",
        {
            "pledges": ("pledge_id", "meeting_id", "pledger", "sector", "commitment_type", "commitment", "quantity", "unit"),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "evidence", "certainty"),
        },
        """
SELECT p.pledge_id, p.meeting_id, p.pledger, p.sector, p.commitment_type, p.commitment, p.quantity, p.unit,
       f.status, f.as_of_date, f.as_of_date_precision, f.evidence, f.certainty, f.followup_id
FROM pledges p
LEFT JOIN (
  SELECT * FROM pledge_followups
  QUALIFY row_number() OVER (
    PARTITION BY pledge_id
    ORDER BY CASE as_of_date_precision WHEN 'year' THEN make_date(year(as_of_date), 12, 31)
                                       WHEN 'month' THEN last_day(as_of_date) ELSE as_of_date END DESC,
             followup_id DESC) = 1
) f ON f.pledge_id = p.pledge_id
ORDER BY p.pledge_id""",
    ),
    View(
        "timeline",
        "Everything dated, in order: meetings (start_date), documents (date), pledges (their meeting's start_date) and "
        "follow-ups (as_of_date), each with the precision of its date. date_text writes the date only as far as it is "
        'known ("2025", "September 2023", "18 April 2023"); date_sort is the last day the date can mean (31 December '
        "for a year, the last of the month for a month), so a year-only or month-only date sorts after the dated rows "
        "of its year or month. Order by date_sort.",
        {
            "meetings": ("meeting_id", "meeting_name", "start_date", "date_precision"),
            "documents": ("document_id", "meeting_id", "title", "document_type", "action", "date", "date_precision"),
            "pledges": ("pledge_id", "meeting_id", "commitment"),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "observation"),
        },
        """
SELECT date, date_precision,
       CASE date_precision WHEN 'year' THEN strftime(date, '%Y') WHEN 'month' THEN strftime(date, '%B %Y')
            ELSE strftime(date, '%-d %B %Y') END AS date_text,
       CASE date_precision WHEN 'year' THEN make_date(year(date), 12, 31) WHEN 'month' THEN last_day(date)
            ELSE date END AS date_sort,
       kind, meeting_id, id, what FROM (
  SELECT start_date AS date, date_precision, 'meeting' AS kind, 1 AS k, meeting_id, meeting_id AS id, meeting_name AS what
  FROM meetings
  UNION ALL
  SELECT d.date, d.date_precision, 'document', 2, d.meeting_id, d.document_id,
         d.document_type || ' ' || d.action || ': ' || d.title
  FROM documents d
  UNION ALL
  SELECT m.start_date, m.date_precision, 'pledge', 3, p.meeting_id, p.pledge_id, p.commitment
  FROM pledges p JOIN meetings m ON m.meeting_id = p.meeting_id
  UNION ALL
  SELECT f.as_of_date, f.as_of_date_precision, 'followup', 4, pl.meeting_id, f.followup_id, f.status || ': ' || f.observation
  FROM pledge_followups f LEFT JOIN pledges pl ON pl.pledge_id = f.pledge_id
)
ORDER BY date_sort, k, id""",
    ),
]

UNCERTAIN = ("single-source", "disputed")


def uncertain_rows_view(resources: Mapping[str, Resource]) -> View | None:
    """`uncertain_rows`: every row of every table with a certainty column whose certainty is not `confirmed`.

    Built from the schemas, so a table that gains a certainty column is listed without a change here. A row's id is
    its primary key (the key columns joined with `/` where there are several).
    """
    selects, needs = [], {}
    for name, res in resources.items():
        schema = res.schema
        cols = ("certainty", "notes", "source_ids")
        if not schema.primary_key or any(schema.get(c) is None for c in cols):
            continue
        key = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in schema.primary_key)
        selects.append(
            f"  SELECT {literal(name)} AS table_name, {key} AS id, certainty, notes, source_ids FROM {ident(name)}\n"
            f"  WHERE certainty IN ({', '.join(literal(u) for u in UNCERTAIN)})"
        )
        needs[name] = (*schema.primary_key, *cols)
    if not selects:
        return None
    sql = "\nSELECT * FROM (\n" + "\n  UNION ALL\n".join(selects) + "\n)\nORDER BY table_name, id"
    return View(
        "uncertain_rows",
        "Every row of every table with a certainty column whose certainty is single-source or disputed: the table, "
        "the row's id (its primary key; the key columns joined with / where there are several), certainty, notes "
        "and source_ids. A disputed row's notes say who says what.",
        needs,
        sql,
    )


def available(resources: Mapping[str, Resource]) -> list[View]:
    """The views whose every table and column exists in the package."""
    out = []
    dynamic = uncertain_rows_view(resources)
    for view in [*VIEWS, *([dynamic] if dynamic else [])]:
        ok = all(t in resources and all(resources[t].schema.get(c) is not None for c in cols) for t, cols in view.needs.items())
        if ok:
            out.append(view)
    return out
