"""The site's search index: one record per person, country, host city, meeting, document, pledge and source, with every
other name the release records for it, for MiniSearch (`static/minisearch.js`) to index in the reader's browser.

A page opened from disk cannot fetch JSON, so the index is a script (`search-index.js`) that sets
`window.C5DATA_SEARCH`. Matching (diacritics and apostrophes folded, prefixes, one or two typos, ranking) is MiniSearch's,
configured in `static/search.js`; this module only says what each record is called and which words lead to it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from c5data.diplomacy.site import places
from c5data.diplomacy.site.readers import entity_page, script_json

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

#: Words of a source's address that say nothing about it.
_URL_NOISE = {"www", "com", "cn", "net", "org", "html", "htm", "shtml", "php", "index", "news", "en", "eng", "rus", "article", "page"}


def _record(kind: str, name: str, others: list[str], text: list[str], detail: str, href: str) -> dict[str, Any]:
    seen: dict[str, None] = {}
    for other in others:
        if other and other != name:
            seen[other] = None
    return {"kind": kind, "name": name, "others": list(seen), "text": " ".join(t for t in text if t), "detail": detail, "href": href}


def _amount_words(site: Site, pledge: dict[str, Any]) -> list[str]:
    """An amount as readers type it: "CNY 26 billion", "26,000,000,000", "26000000000"."""
    q = pledge.get("quantity")
    if q is None:
        return []
    whole = int(q) if float(q).is_integer() else q
    return [site.amount(pledge), f"{whole:,}", str(whole), (pledge.get("unit") or "").replace("-", " ")]


def _url_words(url: str | None) -> str:
    """The words of a source's address (its host and the slug of its path), which often carry the headline."""
    if not url:
        return ""
    parts = urlsplit(url)
    words = re.split(r"[^0-9A-Za-z]+", f"{parts.hostname or ''} {parts.path}")
    return " ".join(w for w in words if len(w) > 1 and w.lower() not in _URL_NOISE and not w.isdigit())


def records(site: Site) -> list[dict[str, Any]]:
    """Every record of the index, in a fixed order (people, countries, places, meetings, documents, pledges, sources)."""
    out: list[dict[str, Any]] = []
    titles: dict[str, set[str]] = defaultdict(set)
    for r in site.data.rows["participants"]:
        if r.get("title_as_given"):
            titles[r["person_id"]].add(r["title_as_given"])
    for pid, p in sorted(site.persons.items()):
        aliases = [a["alias"] for a in site.aliases_by_person.get(pid, [])]
        country = site.country(p.get("country"))
        out.append(_record("person", p.get("person_name") or pid, [*sorted(set(aliases)), pid], [country, *sorted(titles[pid])], country, entity_page("persons", pid)))
    for iso3 in places.countries_with_pages(site):
        c = site.countries[iso3]
        out.append(_record("country", c["country_name"] or iso3, [iso3, c.get("iso2") or ""], [], places.country_summary(site, iso3), places.country_page(iso3)))
    cities = places.places(site)
    for place in cities:
        out.append(_record("place", place.city, place.other_names, [site.country(place.country)], places.place_summary(site, place), place.page))
    by_city = {p.city: p for p in cities}
    for m in site.meetings:
        where = by_city.get(m.get("city") or "")
        series = (site.series.get(m["series_id"]) or {}).get("series_name") or ""
        year = str(m["start_date"].year) if m.get("start_date") else ""
        out.append(
            _record(
                "meeting",
                m["meeting_name"] or m["meeting_id"],
                [m["meeting_id"]],
                [site.place(m), *(where.other_names if where else []), series, year],
                " · ".join(x for x in (site.when(m), site.place(m)) if x),
                site.meeting_page(m["meeting_id"]),
            )
        )
    for d in sorted(site.data.rows["documents"], key=lambda d: d["document_id"]):
        m = site.meeting_by_id.get(d["meeting_id"]) or {}
        kind = site.label("documents", "document_type", d.get("document_type")) if d.get("document_type") else ""
        out.append(
            _record(
                "document",
                d.get("title") or d["document_id"],
                [d.get("title_original") or "", d["document_id"]],
                [kind, m.get("meeting_name") or ""],
                m.get("meeting_name") or d["meeting_id"],
                entity_page("documents", d["document_id"]),
            )
        )
    for p in sorted(site.pledges, key=lambda p: p["pledge_id"]):
        m = site.meeting_by_id.get(p["meeting_id"]) or {}
        sector = site.label("pledges", "sector", p.get("sector")) if p.get("sector") else ""
        pledger = site.country(p.get("pledger"))
        out.append(
            _record(
                "pledge",
                p.get("commitment") or p["pledge_id"],
                [p["pledge_id"]],
                [*_amount_words(site, p), sector, pledger, p.get("timeframe_text") or ""],
                " · ".join(x for x in (pledger, m.get("meeting_name") or p["meeting_id"]) if x),
                site.pledge_link(p["pledge_id"]),
            )
        )
    for sid, s in sorted(site.sources.items()):
        out.append(
            _record(
                "source",
                s.get("headline") or s.get("publisher") or sid,
                [sid, s.get("publisher") or ""],
                [_url_words(s.get("url"))],
                " · ".join(x for x in (s.get("publisher") or "", str(s.get("published_date") or "")) if x),
                entity_page("sources", sid),
            )
        )
    return out


def search_index(site: Site) -> str:
    """The index as a small script: `window.C5DATA_SEARCH = [...]` (a file:// page cannot fetch JSON)."""
    return "window.C5DATA_SEARCH = " + script_json(records(site)) + ";\n"
