"""The documented views of the C+C5 package: SQL over its tables, shown only when the package has the columns each reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from c5data.building.sql import View, ident, literal
from c5data.reading.descriptor import Resource

#: A pledge counted once: not a component of a headline package, not a restatement (every view counts so).
COUNTED = "p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL"
#: Money: an ISO 4217 currency unit, and not a `target` (a goal such as a trade volume is not money given).
MONEY = "regexp_full_match(p.unit, '[A-Z]{3}') AND p.commitment_type IS DISTINCT FROM 'target'"


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
        f"""
SELECT p.pledger, c.country_name AS pledger_name, p.sector, p.commitment_type, p.meeting_id,
       year(m.start_date) AS year, p.unit,
       count(*) AS pledges,
       count(p.quantity) AS pledges_with_quantity,
       sum(p.quantity) AS total_quantity
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE {COUNTED}
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
        f"""
SELECT p.pledger, c.country_name AS pledger_name, year(m.start_date) AS year, p.meeting_id, p.unit AS currency,
       count(*) AS pledges,
       sum(p.quantity) AS total_amount,
       list_sort(list_distinct(list(coalesce(p.amount_bound, 'exact')))) AS amount_bounds,
       list_sort(list(p.pledge_id)) AS pledge_ids
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE {MONEY}
  AND p.quantity IS NOT NULL
  AND {COUNTED}
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
        "of its year or month, except that a held meeting known only to the month or year sorts no later than the first "
        "report of it (the earliest published_date of its sources on or after its start_date), since it was held by then. "
        "Order by date_sort.",
        {
            "meetings": ("meeting_id", "meeting_name", "start_date", "date_precision", "meeting_status", "source_ids"),
            "sources": ("source_id", "published_date"),
            "documents": ("document_id", "meeting_id", "title", "document_type", "action", "date", "date_precision"),
            "pledges": ("pledge_id", "meeting_id", "commitment"),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "observation"),
        },
        """
SELECT date, date_precision,
       CASE date_precision WHEN 'year' THEN strftime(date, '%Y') WHEN 'month' THEN strftime(date, '%B %Y')
            ELSE strftime(date, '%-d %B %Y') END AS date_text,
       least(CASE date_precision WHEN 'year' THEN make_date(year(date), 12, 31) WHEN 'month' THEN last_day(date)
                  ELSE date END, coalesce(reported, DATE '9999-12-31')) AS date_sort,
       kind, meeting_id, id, what FROM (
  SELECT m.start_date AS date, m.date_precision, 'meeting' AS kind, 1 AS k, m.meeting_id, m.meeting_id AS id, m.meeting_name AS what,
         CASE WHEN m.meeting_status = 'held' THEN (SELECT min(s.published_date) FROM sources s
                                           WHERE list_contains(m.source_ids, s.source_id) AND s.published_date >= m.start_date)
         END AS reported
  FROM meetings m
  UNION ALL
  SELECT d.date, d.date_precision, 'document', 2, d.meeting_id, d.document_id,
         d.document_type || ' ' || d.action || ': ' || d.title, NULL
  FROM documents d
  UNION ALL
  SELECT m.start_date, m.date_precision, 'pledge', 3, p.meeting_id, p.pledge_id, p.commitment, NULL
  FROM pledges p JOIN meetings m ON m.meeting_id = p.meeting_id
  UNION ALL
  SELECT f.as_of_date, f.as_of_date_precision, 'followup', 4, pl.meeting_id, f.followup_id, f.status || ': ' || f.observation, NULL
  FROM pledge_followups f LEFT JOIN pledges pl ON pl.pledge_id = f.pledge_id
)
ORDER BY date_sort, k, id""",
    ),
]

#: Evidence grades, weakest first (the order of pledge_followups.evidence): the tracker keeps the best one.
GRADES = ("pledger-report", "beneficiary-report", "independent")
DELIVERED = ("fulfilled", "partially-fulfilled")

TRACKER_COLUMNS: tuple[tuple[str, str], ...] = (
    ("pledge_id", "The pledge (counted once: neither a component of a headline package nor a restatement)."),
    ("pledger", "ISO3 code of the pledging country."),
    ("pledger_name", "Name of the pledging country."),
    ("beneficiaries", "ISO3 codes of the countries the pledge is for."),
    ("meeting_id", "The meeting where it was announced."),
    ("meeting_date", "The meeting's start date (as far as known: see meeting_date_precision)."),
    ("meeting_date_precision", "day, month or year."),
    ("series_id", "The meeting's series (`summit`, `fmm`, a ministers' track…)."),
    ("sector", "Sector of the pledge."),
    ("commitment_type", "What is promised, as coded in pledges."),
    (
        "kind",
        "`money` (a currency unit and not a target), `target` (a goal such as a trade volume: never delivered money) or `other` (every "
        "other commitment). Never add quantities across kinds or units.",
    ),
    ("commitment", "The commitment as worded in pledges."),
    ("quantity", "The figure announced, in unit (empty when none was given)."),
    ("unit", "ISO 4217 currency code for money, else what is counted (training-places, vaccine-doses…)."),
    ("amount_bound", "How exact the figure is (exact, at-least, up-to, approximately)."),
    ("due_year", "The year by which it is due, when the announcement gives one."),
    ("status", "Status of the latest follow-up (empty when none is recorded)."),
    ("status_date", "as_of_date of the latest follow-up."),
    ("status_date_precision", "day, month or year: how far status_date is known."),
    ("status_of", "The pledge the latest follow-up is recorded on: this pledge, or one of its components or restatements."),
    ("latest_followup_id", "The latest follow-up (its anchor on the pledge's page is `#f-` and this id)."),
    ("latest_evidence", "Evidence of the latest follow-up: pledger-report, beneficiary-report or independent."),
    ("latest_reported_by", "Who gives the latest report (a ministry, an official's office, an outlet, an organisation)."),
    ("latest_reporter_country", "Country of the body that gives the latest report (empty for an international organisation)."),
    ("best_evidence", "The best evidence over all its follow-ups: independent, then beneficiary-report, then pledger-report."),
    (
        "delivery_confirmed",
        "True when a follow-up reports it fulfilled or partially fulfilled on evidence other than the pledger's own report (a "
        "beneficiary's or an independent one); a component's delivery confirms delivery of part of the package. Never true for a "
        "target: reaching a goal is not delivering a pledge.",
    ),
    (
        "overdue",
        "True when due_year has passed (it is before the year of as_of_date) and no follow-up of the pledge or of a restatement reports it "
        "fulfilled on evidence other than the pledger's own report. A pledge with no due_year is never overdue.",
    ),
    (
        "days_since_report",
        "Days from the latest follow-up to as_of_date (a follow-up known to the month or year counts from the last day it can mean; never "
        "below 0); empty when there is none.",
    ),
    ("followups", "Number of follow-ups recorded on the pledge, its components and its restatements."),
    (
        "as_of_date",
        'The date "passed" and days_since_report are judged against: the release date in c5data.duckdb and in the release\'s views/ files, '
        "the day the query runs in `c5data query` on data/.",
    ),
)


def _sql_grade(column: str) -> str:
    return "CASE " + column + " " + " ".join(f"WHEN {literal(g)} THEN {i}" for i, g in enumerate(GRADES, 1)) + " END"


def pledge_tracker_view(as_of: dt.date | None = None) -> View:
    """`pledge_tracker`: one row per pledge counted once, with its latest status, evidence grade and whether it is overdue.

    "Passed" needs a date: a build gives the release date, so the release's files say the same on any day;
    without one (`c5data query` on data/) the view judges as of the day it runs.
    """
    today = f"DATE {literal(as_of.isoformat())}" if as_of else "current_date"
    delivered = ", ".join(literal(s) for s in DELIVERED)
    best = "CASE s.grade " + " ".join(f"WHEN {i} THEN {literal(g)}" for i, g in enumerate(GRADES, 1)) + " END"
    sql = f"""
WITH RECURSIVE params AS (SELECT CAST({today} AS DATE) AS as_of_date),
family AS (  -- each pledge under the counted pledge it belongs to, and how: itself, a component or a restatement
  SELECT p.pledge_id, p.pledge_id AS counted_id, 'pledge' AS via FROM pledges p WHERE {COUNTED}
  UNION
  SELECT c.pledge_id, f.counted_id,
         CASE WHEN c.parent_pledge_id IS NOT NULL OR f.via = 'component' THEN 'component' ELSE 'restatement' END
  FROM pledges c JOIN family f ON f.pledge_id = coalesce(c.parent_pledge_id, c.restates_pledge_id)
),
reports AS (
  SELECT fa.counted_id, fa.via, fu.*, {_sql_grade("fu.evidence")} AS grade,
         CASE fu.as_of_date_precision WHEN 'year' THEN make_date(year(fu.as_of_date), 12, 31)
              WHEN 'month' THEN last_day(fu.as_of_date) ELSE fu.as_of_date END AS report_date
  FROM pledge_followups fu JOIN family fa ON fa.pledge_id = fu.pledge_id
),
latest AS (
  SELECT * FROM reports QUALIFY row_number() OVER (PARTITION BY counted_id ORDER BY report_date DESC, followup_id DESC) = 1
),
summary AS (
  SELECT counted_id, count(*) AS followups, max(grade) AS grade,
         bool_or(status IN ({delivered}) AND evidence <> 'pledger-report') AS delivery_confirmed,
         bool_or(status = 'fulfilled' AND evidence <> 'pledger-report' AND via <> 'component') AS fulfilled_confirmed
  FROM reports GROUP BY counted_id
)
SELECT p.pledge_id, p.pledger, c.country_name AS pledger_name, p.beneficiaries, p.meeting_id,
       m.start_date AS meeting_date, m.date_precision AS meeting_date_precision, m.series_id,
       p.sector, p.commitment_type,
       CASE WHEN p.commitment_type = 'target' THEN 'target' WHEN {MONEY} THEN 'money' ELSE 'other' END AS kind,
       p.commitment, p.quantity, p.unit, p.amount_bound, p.due_year,
       l.status, l.as_of_date AS status_date, l.as_of_date_precision AS status_date_precision, l.pledge_id AS status_of,
       l.followup_id AS latest_followup_id, l.evidence AS latest_evidence,
       l.reported_by AS latest_reported_by, l.reporter_country AS latest_reporter_country,
       {best} AS best_evidence,
       coalesce(s.delivery_confirmed, false) AND p.commitment_type IS DISTINCT FROM 'target' AS delivery_confirmed,
       (p.due_year IS NOT NULL AND p.due_year < year(params.as_of_date) AND NOT coalesce(s.fulfilled_confirmed, false)) AS overdue,
       CASE WHEN l.report_date IS NOT NULL THEN CAST(greatest(params.as_of_date - l.report_date, 0) AS BIGINT) END AS days_since_report,
       coalesce(s.followups, 0) AS followups,
       params.as_of_date
FROM pledges p
CROSS JOIN params
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
LEFT JOIN latest l ON l.counted_id = p.pledge_id
LEFT JOIN summary s ON s.counted_id = p.pledge_id
WHERE {COUNTED}
ORDER BY m.start_date, p.meeting_id, p.pledge_id"""
    return View(
        "pledge_tracker",
        "One row per pledge counted once (components of a headline package and restatements are left out, as in every "
        "view), with what was promised, its kind (money, target, other), when it is due, its latest status and the "
        "evidence for it, the best evidence grade over its follow-ups, whether delivery is confirmed by someone other "
        "than the pledger, whether it is overdue, and how long ago it was last reported on. The follow-ups of a pledge "
        "are those recorded on it, on its components and on its restatements. Evidence grades, best first: independent "
        "(a third party), beneficiary-report (a government the pledge is for), pledger-report (the pledger's own word, "
        "which alone never confirms delivery). A due year has passed when it is before the year of as_of_date.",
        {
            "pledges": (
                "pledge_id",
                "meeting_id",
                "pledger",
                "beneficiaries",
                "sector",
                "commitment_type",
                "commitment",
                "quantity",
                "unit",
                "amount_bound",
                "due_year",
                "parent_pledge_id",
                "restates_pledge_id",
            ),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "evidence", "reported_by", "reporter_country"),
            "meetings": ("meeting_id", "start_date", "date_precision", "series_id"),
            "countries": ("iso3", "country_name"),
        },
        sql,
        TRACKER_COLUMNS,
        shipped=True,
    )


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


def available(resources: Mapping[str, Resource], as_of: dt.date | None = None) -> list[View]:
    """The views whose every table and column exists in the package (`as_of`: see `pledge_tracker_view`)."""
    out = []
    dynamic = uncertain_rows_view(resources)
    for view in [*VIEWS, pledge_tracker_view(as_of), *([dynamic] if dynamic else [])]:
        ok = all(t in resources and all(resources[t].schema.get(c) is not None for c in cols) for t, cols in view.needs.items())
        if ok:
            out.append(view)
    return out
