"""Pages of the site rendered from a read release: the contexts the templates need, and the templates run with autoescape."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from c5data.building.codebook import column_facts, key_facts
from c5data.building.writers.duckdb_database import FILE as DATABASE_FILE
from c5data.diplomacy.counting import COVERAGE_FILE, INTRO, coverage_body, recipes
from c5data.diplomacy.site import about, charts, citing, feed, freshness, jsonld, places, readers, rows, search, sql_page, tracker
from c5data.diplomacy.site.markdown import inline, to_html
from c5data.diplomacy.site.model import GENERATOR, Release, date_range, file_size, group, human_date, is_counted, iso_date, noun, number, plural
from c5data.diplomacy.views import available
from c5data.reading.metadata import metadata
from c5data.reading.metadata import url as metadata_url

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
NAV = [
    ("index.html", "Home"),
    ("timeline.html", "Timeline"),
    ("pledges.html", "Pledges"),
    ("tracker.html", "Tracker"),
    ("tables/index.html", "Browse"),
    ("places/index.html", "Places"),
    ("uncertain.html", "Uncertain"),
    ("codebook.html", "Codebook"),
    ("sql.html", "SQL"),
    ("downloads.html", "Downloads"),
    ("about.html", "About"),
]
BOUNDS = {"exact": "", "at-least": "at least", "up-to": "up to", "approximately": "about"}


def page_name(meeting_id: str) -> str:
    """The file of a meeting's page (ids are slugs; anything else is made safe)."""
    return readers.entity_page("meetings", meeting_id)


def environment() -> Environment:
    """The Jinja environment of the site: autoescaped, strict about undefined names, with its filters."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["human_date"] = human_date
    env.filters["iso_date"] = iso_date
    env.filters["number"] = number
    env.filters["file_size"] = file_size
    env.filters["markdown_inline"] = inline
    env.filters["json_script"] = lambda value: Markup(value)
    env.globals.update(
        refs=rows.refs,
        participant_rows=rows.participant_rows,
        document_rows=rows.document_rows,
        participation_rows=rows.participation_rows,
        pledge_items=rows.pledge_items,
        numbered_sources=rows.numbered_sources,
        source_item=rows.source_item,
        plural=plural,
        noun=noun,
        country_href=places.country_href,
        place_href=places.place_href,
    )
    return env


class Site:
    """What every template can ask: labels, names, links, the release's facts."""

    def __init__(self, data: Release, out: Path):
        self.data = data
        self.countries = data.by_key("countries", "iso3")
        self.series = data.by_key("series", "series_id")
        self.persons = data.by_key("persons", "person_id")
        self.sources = data.by_key("sources", "source_id")
        self.meetings = sorted(data.rows["meetings"], key=lambda m: (m["start_date"] or dt.date.max, m["meeting_id"]))
        self.meeting_by_id = {m["meeting_id"]: m for m in self.meetings}
        self.pledges = data.rows["pledges"]
        self.pledge_by_id = {p["pledge_id"]: p for p in self.pledges}
        self.followups = sorted(data.rows["pledge_followups"], key=lambda f: (f["as_of_date"] or dt.date.min, f["followup_id"]))
        # each pledge's latest follow-up, as the `pledge_status` view picks it
        self.status = {r["pledge_id"]: r for r in data.views["pledge_status"] if r.get("followup_id") is not None}
        # each counted pledge as the `pledge_tracker` view sees it (kind, evidence grade, delivery confirmed, overdue)
        self.tracker = {r["pledge_id"]: r for r in data.views.get("pledge_tracker", [])}
        self.to_release = Path(os.path.relpath(data.root.resolve(), out.resolve())).as_posix()
        # the parquet file and csv of each table, where the release has them
        self.files = {a.path for a in data.artifacts}
        self._index: dict[str, dict[str, dict[str, Any]]] = {}
        self.documents = data.by_key("documents", "document_id")
        self.participants_by_person = group(data.rows["participants"], "person_id")
        self.aliases_by_person = group(data.rows.get("person_aliases", []), "person_id")
        self.embedded: dict[str, set[str]] = {}  # table -> ids of the rows its browse page carries (readers.embedded_keys)

    def index(self, table: str) -> dict[str, dict[str, Any]]:
        """Rows of a table with a one-column primary key, by that key (as text)."""
        if table not in self._index:
            res = self.data.package.resource(table)
            key = res.schema.primary_key[0] if res is not None and len(res.schema.primary_key) == 1 else None
            self._index[table] = {str(r[key]): r for r in self.data.rows.get(table, [])} if key else {}
        return self._index[table]

    def person_page(self, person_id: str) -> str | None:
        return readers.entity_page("persons", person_id) if person_id in self.persons else None

    def document_page(self, document_id: str) -> str | None:
        return readers.entity_page("documents", document_id) if document_id in self.documents else None

    def source_page(self, source_id: str) -> str | None:
        return readers.entity_page("sources", source_id) if source_id in self.sources else None

    def row_link(self, table: str, row: dict[str, Any]) -> str | None:
        return readers.row_link(self, table, row)

    def meeting_kind(self, m: dict[str, Any]) -> str:
        """How a meeting counts: `regular` (a regular meeting of the mechanism), `other` (a special, preparatory or
        informal session of the mechanism) or `related` (an event outside the mechanism), per the codebook's How to count."""
        series = self.series.get(m["series_id"]) or {}
        if series.get("series_type") == "related":
            return "related"
        return "regular" if (m.get("meeting_type") or "regular") == "regular" else "other"

    # labels and names ------------------------------------------------------------------------------------------------
    def label(self, table: str, field: str, value: Any) -> str:
        return self.data.label(table, field, value)

    def country(self, iso3: str | None) -> str:
        if not iso3:
            return ""
        row = self.countries.get(iso3)
        return row["country_name"] if row and row.get("country_name") else iso3

    def person(self, person_id: str) -> str:
        row = self.persons.get(person_id)
        return row["person_name"] if row and row.get("person_name") else person_id

    def place(self, meeting: dict[str, Any]) -> str:
        parts = [meeting.get("city") or "", self.country(meeting.get("host_country"))]
        return ", ".join(p for p in parts if p)

    def when(self, meeting: dict[str, Any]) -> str:
        return date_range(meeting.get("start_date"), meeting.get("end_date"), meeting.get("date_precision"))

    def amount(self, pledge: dict[str, Any]) -> str:
        q, unit = pledge.get("quantity"), pledge.get("unit")
        if q is None:
            return ""
        bound = BOUNDS.get(pledge.get("amount_bound") or "exact", pledge.get("amount_bound") or "")
        if unit and re.fullmatch(r"[A-Z]{3}", unit):
            text = f"{unit} {number(q)}"
        else:
            text = f"{number(q)} {(unit or '').replace('-', ' ')}".strip()
        return f"{bound} {text}".strip()

    @staticmethod
    def external(url: str | None) -> str | None:
        """A source or licence URL fit for a link (http or https only; a `javascript:` or other scheme is shown as text)."""
        return metadata_url(url)

    def meeting_page(self, meeting_id: str) -> str:
        return page_name(meeting_id)

    def pledge_link(self, pledge_id: str) -> str:
        """Site-relative link to a pledge's own page (the tracker for an id the release does not have)."""
        return readers.entity_page("pledges", pledge_id) if pledge_id in self.pledge_by_id else "tracker.html"

    def followup_anchor(self, followup_id: str) -> str:
        """The id of a follow-up's element on its pledge's page, so a follow-up can be cited."""
        return "f-" + readers.safe_name(followup_id)

    def is_target(self, pledge: dict[str, Any]) -> bool:
        """A target or goal (e.g. a trade volume): as the `pledge_tracker` view classes it, never a delivered pledge."""
        row = self.tracker.get(pledge["pledge_id"])
        return row["kind"] == "target" if row is not None else pledge.get("commitment_type") == "target"

    @staticmethod
    def held(m: dict[str, Any]) -> bool:
        """A meeting that took place: not one only announced, postponed or cancelled (every count of meetings held
        leaves those out; a release without a status column holds only meetings held)."""
        return (m.get("meeting_status") or "held") == "held"

    def meeting_status(self, m: dict[str, Any]) -> str:
        """A meeting's status in words (announced, postponed, cancelled…), as the schema labels it."""
        return self.label("meetings", "meeting_status", m.get("meeting_status") or "held")

    def reporter(self, reported_by: str | None, country: str | None, evidence: str | None) -> str:
        """Who gives a report and its grade: "Ministry of Transport of Kyrgyzstan (a beneficiary government)"."""
        grade = self.evidence(evidence)
        if not reported_by:
            return grade
        where = f", {self.country(country)}" if country and self.country(country) not in reported_by else ""
        return f"{reported_by}{where} ({grade})"

    def evidence(self, value: str | None) -> str:
        """An evidence grade in words: who gives the evidence."""
        return {"pledger-report": "the pledger’s own report", "beneficiary-report": "a beneficiary government", "independent": "an independent source"}.get(
            value or "", self.label("pledge_followups", "evidence", value)
        )

    def release_file(self, rel: str) -> str:
        """Site-relative link to a file of the release."""
        return rel if self.to_release == "." else f"{self.to_release}/{rel}"

    def has_file(self, rel: str) -> bool:
        return rel in self.files

    # series and meetings ---------------------------------------------------------------------------------------------
    def series_order(self) -> list[dict[str, Any]]:
        """Mechanism before related events, then by level (schema order), then by first meeting."""
        kinds = self.data.values("series", "series_type")
        levels = self.data.values("series", "level")
        first: dict[str, dt.date] = {}
        for m in self.meetings:
            if m["start_date"] is not None:
                first.setdefault(m["series_id"], m["start_date"])

        def key(s: dict[str, Any]) -> tuple[int, int, dt.date, str]:
            kind = kinds.index(s["series_type"]) if s.get("series_type") in kinds else len(kinds)
            level = levels.index(s["level"]) if s.get("level") in levels else len(levels)
            return (kind, level, first.get(s["series_id"], dt.date.max), s["series_id"])

        return sorted(self.data.rows["series"], key=key)


# ---------------------------------------------------------------------------------------------------------------------
# page contexts


KINDS = [
    ("regular", "Regular (numbered) mechanism meetings"),
    ("other", "Special, preparatory, informal sessions"),
    ("related", "Related events outside the mechanism"),
]
SINGULAR = {"regular": "regular (numbered) mechanism meeting", "other": "special, preparatory or informal session", "related": "related event outside the mechanism"}


def _meetings_chart(site: Site) -> tuple[dict[str, Any], list[dict[str, Any]], list[tuple[str, str]]]:
    per_year: dict[int, Counter[str]] = {}
    for m in site.meetings:
        if m["start_date"] is None or not site.held(m):
            continue
        per_year.setdefault(m["start_date"].year, Counter())[site.meeting_kind(m)] += 1
    years = list(range(min(per_year), max(per_year) + 1)) if per_year else []
    used = [k for k in KINDS if any(per_year.get(y, Counter())[k[0]] for y in years)]
    bars = [charts.Stack(str(y), [(k, per_year.get(y, Counter())[k]) for k, _ in used]) for y in years]
    rows: list[dict[str, Any]] = [
        {"year": y, "counts": [per_year.get(y, Counter())[k] for k, _ in used], "total": sum(per_year.get(y, Counter()).values())} for y in years
    ]
    total = sum(r["total"] for r in rows)
    desc = (
        (f"{plural(total, 'meeting')} from {years[0]} to {years[-1]}, by how they count; " if years else "No meetings. ")
        + "; ".join(f"{r['year']}: {r['total']}" for r in rows)
        + ". The table below gives the same numbers."
    )
    chart = {
        "wide": charts.stacked_bars("chart-meetings-per-year", "Meetings per year", desc, bars, used),
        "narrow": charts.stacked_bars_narrow("chart-meetings-per-year-narrow", "Meetings per year", desc, bars, used),
        "csv": "charts/meetings-per-year.csv",
        "source": "Source: table meetings (start_date, meeting_type) with series.series_type; regular = meeting_type regular in a mechanism series.",
        "data": readers.csv_text(["year", *(k for k, _ in used), "all_meetings"], [[r["year"], *r["counts"], r["total"]] for r in rows]),
    }
    return chart, rows, used


def meeting_counts(site: Site) -> list[dict[str, Any]]:
    """How many meetings of each kind (regular, other sessions, related), with their meeting_type breakdown."""
    out = []
    for key, label in KINDS:
        ms = [m for m in site.meetings if site.meeting_kind(m) == key and site.held(m)]
        types = Counter(m.get("meeting_type") or "regular" for m in ms)
        # a type is named by its code ("2 preparatory meetings"): its label is a definition, too long to pluralise
        out.append({"key": key, "label": label, "singular": SINGULAR[key], "n": len(ms), "types": sorted(types.items())})
    return out


def upcoming(site: Site) -> list[dict[str, Any]]:
    """Meetings announced, postponed or cancelled (not held), in date order: what comes next, never counted as held."""
    return [m for m in site.meetings if not site.held(m)]


def home(site: Site) -> dict[str, Any]:
    """The template context of the home page: overview chart, tables and how to cite the release."""
    d = site.data.descriptor
    chart, rows, segments = _meetings_chart(site)
    resources = [(r.name, r.schema.description, len(site.data.rows[r.name])) for r in site.data.package.resources]
    licences = [lic for lic in d.get("licenses", []) if isinstance(lic, dict)]
    counted = [p for p in site.pledges if is_counted(p)]
    held = [m for m in site.meetings if site.held(m)]
    dates = [m["start_date"] for m in held if m["start_date"] is not None]
    return {
        "delivery": tracker.summary(site.data.views["pledge_tracker"]) if "pledge_tracker" in site.data.views else None,
        "upcoming": upcoming(site),
        "chart": chart,
        "counts": meeting_counts(site),
        "chart_table": {"headers": ["Year"] + [label for _, label in segments] + ["All meetings"], "rows": [[r["year"], *r["counts"], r["total"]] for r in rows]},
        "resources": resources,
        "licences": licences,
        "keywords": d.get("keywords", []),
        "facts": {
            "meetings": len(held),
            "series": len(site.series),
            "first": min(dates) if dates else None,
            "last": max(dates) if dates else None,
            "participants": len(site.data.rows["participants"]),
            "persons": len(site.persons),
            "documents": len(site.data.rows["documents"]),
            "pledges": len(site.pledges),
            "counted": len(counted),
            "sources": len(site.sources),
        },
    }


def timeline(site: Site) -> dict[str, Any]:
    """The template context of the timeline page: one lane of meetings per series in the chart, then every meeting,
    document, pledge and follow-up in date order (the `timeline` view), which the reader can filter by track and year."""
    by_series = group(site.meetings, "series_id")
    order = site.series_order()
    kinds = site.data.values("series", "series_type")
    keys = [(k, {"mechanism": "Mechanism", "related": "Related event"}.get(k, k)) for k in kinds]
    lanes = []
    for s in order:
        dated = [
            (m["start_date"], f"{site.when(m)}: {m['meeting_name']}" + (f" ({site.place(m)})" if site.place(m) else ""))
            for m in by_series.get(s["series_id"], [])
            if m["start_date"] is not None and site.held(m)
        ]
        if dated:
            lanes.append(charts.Lane(s["series_name"], s.get("series_type") or "", dated))
    orphans = [m for m in site.meetings if m["series_id"] not in site.series]
    desc = (
        f"{plural(sum(1 for m in site.meetings if site.held(m)), 'meeting')} held in {len(lanes)} series, one row per series with a dot per meeting on a time axis. "
        "The tables below list every meeting of each series."
    )
    used = [k for k in keys if any(l.colour_key == k[0] for l in lanes)]
    chart = {
        "wide": charts.swimlanes("chart-timeline", "Meetings by series over time", desc, lanes, used),
        "narrow": charts.swimlanes_narrow("chart-timeline-narrow", "Meetings by series over time", desc, lanes, used),
        "csv": "charts/meetings-by-series.csv",
        "source": "Source: table meetings (series_id, start_date, meeting_type) with series; one dot per meeting at its start date.",
        "data": readers.csv_text(
            ["series_id", "series_type", "meeting_id", "meeting_type", "ordinal", "start_date", "date_precision"],
            [
                [
                    m["series_id"],
                    (site.series.get(m["series_id"]) or {}).get("series_type") or "",
                    m["meeting_id"],
                    m.get("meeting_type") or "",
                    m.get("ordinal") if m.get("ordinal") is not None else "",
                    m["start_date"].isoformat() if m["start_date"] else "",
                    m.get("date_precision") or "",
                ]
                for s in order
                for m in by_series.get(s["series_id"], [])
            ],
        ),
    }
    tracks = [{"series": s, "held": sum(1 for m in by_series.get(s["series_id"], []) if site.held(m)), "n": len(by_series.get(s["series_id"], []))} for s in order]
    if orphans:
        other = {"series_id": "other", "series_name": "Other meetings", "series_type": None, "level": None}
        tracks.append({"series": other, "held": sum(map(site.held, orphans)), "n": len(orphans)})
    items = timeline_items(site)
    return {
        "chart": chart,
        "tracks": tracks,
        "items": items,
        "years": sorted({i["year"] for i in items if i["year"]}),
        "kinds": [(k, label, sum(1 for i in items if i["kind"] == k)) for k, label in TIMELINE_KINDS if any(i["kind"] == k for i in items)],
        "counts": meeting_counts(site),
        "n_held": sum(1 for m in site.meetings if site.held(m)),
        "tl_page": TIMELINE_PAGE,
    }


TIMELINE_KINDS = [("meeting", "Meetings"), ("document", "Documents"), ("pledge", "Pledges"), ("followup", "Follow-ups")]
#: Entries the timeline shows before "Show more" (in the browser; without JavaScript the whole list is there).
TIMELINE_PAGE = 20


def timeline_items(site: Site) -> list[dict[str, Any]]:
    """Meetings, documents, pledges and follow-ups in date order, as the release's `timeline` view orders them (its
    `date_text` says a date only as far as it is known), each with its page, its track and its year. A release whose
    database lacks the view gives its meetings alone, by start date."""
    rows = site.data.views.get("timeline")
    if rows is None:
        rows = [
            {"kind": "meeting", "id": m["meeting_id"], "meeting_id": m["meeting_id"], "date": m["start_date"], "date_precision": m.get("date_precision")}
            for m in site.meetings
        ]
    followups = {f["followup_id"]: f for f in site.followups}
    out = []
    for r in rows:
        kind, ident = r["kind"], str(r["id"])
        m = site.meeting_by_id.get(r.get("meeting_id") or "") or {}
        detail = ""
        if kind == "meeting":
            if not m:
                continue
            href, text = site.meeting_page(ident), m.get("meeting_name") or ident
            detail = site.place(m)
        elif kind == "document":
            d = site.documents.get(ident) or {}
            href, text = site.document_page(ident) or "", d.get("title") or ident
            detail = f"{site.label('documents', 'document_type', d.get('document_type'))}, {d.get('action') or ''}".strip(", ")
        elif kind == "pledge":
            p = site.pledge_by_id.get(ident) or {}
            href, text = site.pledge_link(ident), p.get("commitment") or ident
            detail = " ".join(x for x in (site.country(p.get("pledger")), site.amount(p)) if x)
        else:
            f = followups.get(ident) or {}
            href = f"{site.pledge_link(f.get('pledge_id') or '')}#{site.followup_anchor(ident)}"
            text = (site.pledge_by_id.get(f.get("pledge_id") or "") or {}).get("commitment") or ident
            who = site.reporter(f.get("reported_by"), f.get("reporter_country"), f.get("evidence"))
            detail = f"{site.label('pledge_followups', 'status', f.get('status'))}, reported by {who}"
        date, precision = r.get("date"), r.get("date_precision")
        out.append(
            {
                "kind": kind,
                "id": ident,
                "anchor": f"{kind[0]}-{readers.safe_name(ident)}",  # m- d- p- f-: a meeting's m-<id> is what search links to
                "meeting_id": ident if kind == "meeting" else None,
                "href": href,
                "text": text,
                "detail": detail,
                "date": date,
                "iso": iso_date(date, precision),
                "when": r.get("date_text") or human_date(date, precision) or "date not known",
                "sort": (r.get("date_sort") or date or dt.date.max).isoformat(),
                "year": date.year if date else None,
                "track": m.get("series_id") or "",
                "track_name": (site.series.get(m.get("series_id") or "") or {}).get("series_name") or "",
                "next": kind == "meeting" and not site.held(m),
                "status": site.meeting_status(m) if kind == "meeting" and not site.held(m) else "",
            }
        )
    return out


def _totals_by_pledger_sector_unit(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The `pledges_by_country_sector` view summed over commitment type, meeting and year (in the view's order)."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows:
        key = (r["pledger"], r["sector"], r["unit"])
        t = out.setdefault(key, {"pledger": r["pledger"], "sector": r["sector"], "unit": r["unit"], "pledges": 0, "pledges_with_quantity": 0, "total_quantity": None})
        t["pledges"] += r["pledges"]
        t["pledges_with_quantity"] += r["pledges_with_quantity"]
        if r["total_quantity"] is not None:
            t["total_quantity"] = (t["total_quantity"] or 0) + r["total_quantity"]
    return sorted(out.values(), key=lambda t: (t["pledger"], t["sector"], t["unit"] is not None, t["unit"] or ""))


def pledges(site: Site) -> dict[str, Any]:
    """The template context of the pledges page: pledges counted once, by sector and follow-up status."""
    totals = _totals_by_pledger_sector_unit(site.data.views["pledges_by_country_sector"])
    money = site.data.views.get("money_pledged", [])
    counted = [p for p in site.pledges if is_counted(p)]
    sectors = site.data.values("pledges", "sector")
    per_sector = Counter(p["sector"] for p in counted)
    sector_rows = [(s, per_sector[s]) for s in sectors if per_sector[s]] + sorted((s, n) for s, n in per_sector.items() if s not in sectors)
    desc = (
        f"{plural(len(counted), 'pledge')} counted once, by sector: "
        + "; ".join(f"{s}: {n}" for s, n in sector_rows)
        + ". Components of a package and restatements are not counted. The table below gives the same numbers."
    )
    chart = {
        "wide": charts.horizontal_bars("chart-pledges-by-sector", "Pledges by sector (counted once)", desc, sector_rows),
        "narrow": charts.horizontal_bars_narrow("chart-pledges-by-sector-narrow", "Pledges by sector (counted once)", desc, sector_rows),
        "csv": "charts/pledges-by-sector.csv",
        "source": "Source: table pledges, counted once (no parent_pledge_id, no restates_pledge_id), by sector.",
        "data": readers.csv_text(["sector", "pledges"], [list(r) for r in sector_rows]),
    }
    statuses = site.data.values("pledge_followups", "status")
    # a target or goal (e.g. a trade volume) is not a pledge that can be delivered: the status box leaves it out
    targets = [p for p in counted if site.is_target(p)]
    status_count = Counter((site.status.get(p["pledge_id"]) or {}).get("status") for p in counted if not site.is_target(p))
    status_rows = [(site.label("pledge_followups", "status", s), status_count[s]) for s in statuses if status_count[s]]
    status_rows += [(str(s), n) for s, n in sorted((k, v) for k, v in status_count.items() if k is not None and k not in statuses)]
    if status_count[None]:
        status_rows.append(("no follow-up recorded", status_count[None]))
    rows = sorted(site.pledges, key=lambda p: ((site.meeting_by_id.get(p["meeting_id"]) or {}).get("start_date") or dt.date.max, p["meeting_id"], p["pledge_id"]))
    shown = readers.listed(rows)  # "every pledge" lists the first LISTED; the rest are in the pledges table
    by_meeting: dict[str, list[dict[str, Any]]] = {}
    for p in shown.rows:
        by_meeting.setdefault(p["meeting_id"], []).append(p)
    return {
        "chart": chart,
        "sector_rows": sector_rows,
        "totals": totals,
        "money": money,
        "status_rows": status_rows,
        "n_targets": len(targets),
        "by_meeting": [(site.meeting_by_id.get(mid), mid, ps) for mid, ps in by_meeting.items()],
        "listed": shown,
        "shown_ids": {p["pledge_id"] for p in shown.rows},
        "n_all": len(site.pledges),
        "n_counted": len(counted),
        "n_components": sum(1 for p in site.pledges if p.get("parent_pledge_id")),
        "n_restatements": sum(1 for p in site.pledges if p.get("restates_pledge_id") and not p.get("parent_pledge_id")),
    }


def rows_by_meeting(site: Site) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """participants, documents and pledges grouped by meeting_id, once for all meeting pages."""
    return {
        "participants": group(site.data.rows["participants"], "meeting_id"),
        "documents": group(site.data.rows["documents"], "meeting_id"),
        "pledges": group(site.pledges, "meeting_id"),
    }


def meeting(
    site: Site, m: dict[str, Any], siblings: list[dict[str, Any]], index: dict[str, dict[str, list[dict[str, Any]]]], followups_by_pledge: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The template context of a meeting's page, with every cited source numbered in order of first citation."""
    mid = m["meeting_id"]
    roles = site.data.values("participants", "role")
    participants = sorted(
        index["participants"].get(mid, []),
        key=lambda p: (roles.index(p["role"]) if p.get("role") in roles else len(roles), site.country(p.get("country")), site.person(p["person_id"]), p["person_id"]),
    )
    documents = sorted(index["documents"].get(mid, []), key=lambda d: (d.get("date") or dt.date.max, d["document_id"]))
    pledge_rows = sorted(index["pledges"].get(mid, []), key=lambda p: p["pledge_id"])
    followups = {p["pledge_id"]: followups_by_pledge.get(p["pledge_id"], []) for p in pledge_rows}
    chairs = [p for p in participants if p.get("role") in ("chair", "co-chair")]
    hosts = [p for p in participants if p.get("role") == "host"]
    # every source cited on the page, numbered in order of first citation
    numbers: dict[str, int] = {}

    def cite(ids: list[str] | None) -> None:
        for s in ids or []:
            numbers.setdefault(s, len(numbers) + 1)

    cite(m.get("source_ids"))
    for row in participants + documents + pledge_rows:
        cite(row.get("source_ids"))
    for p in pledge_rows:
        for f in followups[p["pledge_id"]]:
            cite(f.get("source_ids"))
    sources = [{"n": n, "id": s, "row": site.sources.get(s)} for s, n in numbers.items()]
    i = next(k for k, x in enumerate(siblings) if x["meeting_id"] == mid)
    return {
        "m": m,
        "series": site.series.get(m["series_id"]),
        "participants": participants,
        "documents": documents,
        "pledges": pledge_rows,
        "tracked": any(p["pledge_id"] in site.tracker for p in pledge_rows),
        "followups": followups,
        "chairs": chairs,
        "hosts": hosts,
        "numbers": numbers,
        "sources": sources,
        "prev": siblings[i - 1] if i > 0 else None,
        "next": siblings[i + 1] if i + 1 < len(siblings) else None,
    }


def codebook(site: Site) -> dict[str, Any]:
    """The template context of the codebook page: tables, columns, keys, views and recipes."""
    tables = []
    for r in site.data.package.resources:
        parquet = f"parquet/{r.name}.parquet"
        tables.append(
            {
                "r": r,
                "rows": len(site.data.rows[r.name]),
                "fields": [column_facts(f, r) for f in r.schema.fields],
                "key_facts": key_facts(r),
                "csv": r.path if site.has_file(r.path) else None,
                "parquet": parquet if site.has_file(parquet) else None,
            }
        )
    resources = {r.name: r for r in site.data.package.resources}
    created = site.data.created[:10]
    views = available(resources, dt.date.fromisoformat(created) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", created) else None)  # as the release's database
    coverage = coverage_html(site)
    return {
        "tables": tables,
        "views": views,
        "missing": site.data.package.resources[0].schema.missing_values,
        "recipes": recipes(resources),
        "counting_intro": INTRO,
        "coverage": coverage,
        "coverage_file": COVERAGE_FILE if site.has_file(COVERAGE_FILE) else None,
    }


def moved_meetings(site: Site) -> dict[str, str]:
    """old meeting id -> current meeting id, for every renamed meeting (from id_changes, chains followed) without a page of its own."""
    rows = site.data.rows.get("id_changes", [])
    mapping = {r["old_id"]: r["new_id"] for r in rows if r.get("table_name") == "meetings" and r.get("old_id") and r.get("new_id")}
    out = {}
    for old, new in mapping.items():
        seen = {old}
        while new in mapping and new not in site.meeting_by_id and new not in seen:
            seen.add(new)
            new = mapping[new]
        if new in site.meeting_by_id and old not in site.meeting_by_id:
            out[old] = new
    return dict(sorted(out.items()))


def _snippets(site: Site) -> dict[str, str]:
    res = {r.name: r for r in site.data.package.resources}
    db = next((a.path for a in site.data.artifacts if a.path.endswith(".duckdb")), "c5data.duckdb")
    view_names = {v.name for v in available(res)}
    lines = ["import duckdb", "", f'con = duckdb.connect("{db}", read_only=True)']
    if "pledges_by_country_sector" in view_names:
        lines.append('con.sql("SELECT * FROM pledges_by_country_sector").show()')
    lines.append('con.sql("""\n    SELECT start_date, series_id, meeting_name, city\n    FROM meetings\n    ORDER BY start_date\n""").show()')
    duck_py = "\n".join(lines)
    meetings_parquet = "parquet/meetings.parquet"
    duck_cli = (
        f'duckdb {db} -c "SELECT series_id, count(*) AS meetings FROM meetings GROUP BY series_id ORDER BY meetings DESC"\n'
        f"duckdb -c \"SELECT * FROM '{meetings_parquet}' LIMIT 5\""
    )
    m = res["meetings"]
    dates = [f.name for f in m.schema.fields if f.type in ("date", "datetime")]
    lists = [f for f in m.schema.fields if f.type == "list"]
    missing = json.dumps(m.schema.missing_values)
    pd_lines = [
        "import pandas as pd",
        "",
        f'meetings = pd.read_csv("{m.path}", keep_default_na=False, na_values={missing},',
        f"                       parse_dates={json.dumps(dates)})",
    ]
    for f in lists:
        pd_lines.append(f'meetings["{f.name}"] = meetings["{f.name}"].str.split("{f.delimiter}")')
    # money only: a target (a trade volume in USD, say) is never summed beside pledged money
    if site.has_file("views/pledge_tracker.parquet"):
        pd_lines += [
            "",
            'tracker = pd.read_parquet("views/pledge_tracker.parquet")  # each commitment counted once, with its kind',
            'money = tracker[tracker.kind == "money"]  # a target such as a trade volume is never added to money',
            'print(money.groupby(["pledger", "unit"]).quantity.agg(["count", "sum"]))',
        ]
    else:
        pd_lines += [
            "",
            'pledges = pd.read_parquet("parquet/pledges.parquet")',
            "# count each commitment once (no components of a package, no restatements); money only, never a target",
            "counted = pledges[pledges.parent_pledge_id.isna() & pledges.restates_pledge_id.isna()]",
            'money = counted[(counted.commitment_type != "target") & counted.unit.str.fullmatch("[A-Z]{3}", na=False)]',
            'print(money.groupby(["pledger", "unit"]).quantity.agg(["count", "sum"]))',
        ]
    return {"duckdb_python": duck_py, "duckdb_cli": duck_cli, "pandas": "\n".join(pd_lines), "verify": "sha256sum -c SHA256SUMS"}


def coverage_html(site: Site) -> Markup | None:
    """The coverage statement of the release (coverage.md), as HTML for the codebook and the uncertainty page."""
    path = site.data.root / COVERAGE_FILE
    return to_html(coverage_body(path.read_text(encoding="utf-8")), top=1, ident="coverage") if path.is_file() else None


def uncertainty(site: Site) -> dict[str, Any]:
    """The template context of the page listing rows whose facts are uncertain."""
    groups = readers.uncertain(site)
    coverage = coverage_html(site)
    return {
        "groups": groups,
        "n": sum(listing.total for _, listing in groups),
        "by_certainty": Counter(r["certainty"] for r in site.data.views.get("uncertain_rows", [])),
        "has_view": "uncertain_rows" in site.data.views,
        "coverage": coverage,
        "coverage_file": COVERAGE_FILE if site.has_file(COVERAGE_FILE) else None,
    }


def downloads(site: Site) -> dict[str, Any]:
    """The template context of the downloads page: release files by kind, and snippets to load them."""
    groups: dict[str, list[Any]] = {}
    for a in site.data.artifacts:
        groups.setdefault(a.kind, []).append(a)
    return {"groups": list(groups.items()), "snippets": _snippets(site)}


# ---------------------------------------------------------------------------------------------------------------------


def render_site(data: Release, out: Path, emit: Callable[[str, bytes], None]) -> None:
    """Every file of the site, each handed to `emit(relative posix path, bytes)` as soon as it is made.

    Pages are not collected first: a large release's site would otherwise be
    held in memory whole before a byte is written.
    """
    site = Site(data, out)
    env = environment()
    d = data.descriptor
    common = {
        "site": site,
        "nav": NAV,
        "generator": GENERATOR,
        "package_title": d.get("title") or d.get("name") or "Data package",
        "package_name": d.get("name") or "data",
        "version": data.version,
        "created": data.created,
        "has_sums": data.has_sums,
    }

    meta, history = metadata(d), freshness.History(data.root, data.version)
    common.update(feed=feed.FILE, released_words=freshness.released_in_words(data.created))

    def put(rel: str, template: str, title: str, ctx: dict[str, Any], *, row: tuple[str, str] | None = None, cite: str | None = None) -> None:
        """Render one page; a row's page (`row`: table and id), a country's or place's page and the home page carry how to cite
        them (`cite`: the title cited)."""
        depth = rel.count("/")
        root = "../" * depth
        html = env.get_template(template).render(
            **common,
            **ctx,
            **_citing(meta, history, data, rel, row, cite or (title if row else None)),
            page=rel,
            title=title,
            root=root,
            release=lambda path: root + site.release_file(path),
        )
        emit(rel, html.encode("utf-8"))

    home_ctx, timeline_ctx, pledges_ctx = home(site), timeline(site), pledges(site)
    home_ctx.update(freshness.home(site), jsonld=readers.script_json(jsonld.dataset(site, meta)))
    put("index.html", "index.html", "Home", home_ctx, cite=meta.title)
    put("timeline.html", "timeline.html", "Timeline of meetings", timeline_ctx)
    put("pledges.html", "pledges.html", "Pledges", pledges_ctx)
    for ctx in (home_ctx, timeline_ctx, pledges_ctx):
        emit(ctx["chart"]["csv"], ctx["chart"]["data"])
    put("uncertain.html", "uncertain.html", "What is uncertain", uncertainty(site))
    emit("search-index.js", search.search_index(site).encode("utf-8"))
    countries = [(c, places.country_summary(site, c)) for c in places.countries_with_pages(site)]
    put("places/index.html", "places.html", "Countries and places", {"countries": countries, "places": places.places(site)})
    for iso3 in places.countries_with_pages(site):
        put(places.country_page(iso3), "country.html", site.country(iso3), places.country(site, iso3), cite=site.country(iso3))
    for place in places.places(site):
        put(place.page, "place.html", place.city, places.place(site, place), cite=place.city)
    cited_by = readers.cited_by(site)
    for pid, p in sorted(site.persons.items()):
        put(readers.entity_page("persons", pid), "person.html", p.get("person_name") or pid, readers.person(site, p), row=("persons", pid))
    for did, d in sorted(site.documents.items()):
        put(readers.entity_page("documents", did), "document.html", d.get("title") or did, readers.document(site, d), row=("documents", did))
    for sid, src in sorted(site.sources.items()):
        put(
            readers.entity_page("sources", sid),
            "source.html",
            f"Source {sid}",
            readers.source(site, src, cited_by),
            row=("sources", sid),
            cite=src.get("headline") or sid,
        )
    tables = [r.name for r in data.package.resources]
    put("tables/index.html", "tables.html", "Browse the tables", {"tables": [(r, len(data.rows[r.name])) for r in data.package.resources]})
    for name in tables:
        put(f"tables/{name}.html", "browse.html", f"Table {name}", readers.browse(site, name, "../"))
    put("codebook.html", "codebook.html", "Codebook", codebook(site))
    put(sql_page.PAGE, "sql.html", "SQL in the browser", sql_page.context(site, "", data.root / DATABASE_FILE))
    put("downloads.html", "downloads.html", "Downloads", downloads(site))
    put(about.PAGE, "about.html", "About", about.about(site, meta))
    emit(feed.FILE, feed.feed(meta, data.version, data.created, data.root))
    by_series = group(site.meetings, "series_id")
    index, followups_by_pledge = rows_by_meeting(site), group(site.followups, "pledge_id")
    for m in site.meetings:
        ctx = meeting(site, m, by_series[m["series_id"]], index, followups_by_pledge)
        put(page_name(m["meeting_id"]), "meeting.html", m["meeting_name"] or m["meeting_id"], ctx, row=("meetings", m["meeting_id"]))
    parts = tracker.parts_of(site)
    put("tracker.html", "tracker.html", "Pledge tracker", tracker.tracker(site))
    for p in sorted(site.pledges, key=lambda p: p["pledge_id"]):
        ctx = tracker.pledge(site, p, followups_by_pledge.get(p["pledge_id"], []), parts)
        put(site.pledge_link(p["pledge_id"]), "pledge.html", f"Pledge: {p.get('commitment') or p['pledge_id']}", ctx, row=("pledges", p["pledge_id"]))
    for old, new in moved_meetings(site).items():
        m = site.meeting_by_id[new]
        put(page_name(old), "moved.html", f"Moved: {m['meeting_name'] or new}", {"old_id": old, "m": m, "target": page_name(new)})
    for f in sorted(STATIC.iterdir()):
        if f.is_file():
            emit(f"static/{f.name}", f.read_bytes())


def _citing(meta: Any, history: freshness.History, data: Release, rel: str, row: tuple[str, str] | None, cite: str | None) -> dict[str, Any]:
    """The cite-this forms of a page, and for a row's page its history and the link to report a problem with it."""
    if row is None and cite is None:
        return {}
    whole = row is None and rel == "index.html"  # the home page cites the release; any other page cites itself in it
    record = citing.record(meta, data.version, data.created, rel, title=None if whole else cite, row=row)
    out: dict[str, Any] = {"citation": citing.forms(record)}
    if row is not None:
        past = history.row(*row)
        out["row_history"] = past.sentence() if past else None
        out["report"] = about.report_url(meta, row[0], row[1], data.version, record.url)
        out["row_id"] = row
    return out
