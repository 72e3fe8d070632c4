"""A page per member country and per host city: the meetings, people, pledges and documents that concern it.

A country's page gathers what the tables say of it through their country columns (a meeting's host, a participant's
country, a person's country, a pledge's pledger and beneficiaries, a document's parties); a city's page gathers the
meetings held there (meetings.city) and everything recorded at them, with the city's other names (table place_names).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c5data.contributing.scaffold import slug as id_slug
from c5data.diplomacy.site.model import plural
from c5data.diplomacy.site.readers import Listing, listed, safe_name

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site


def slug(text: str) -> str:
    """A file name for a city: "Xi'an" -> "xian", "Nur-Sultan" -> "nur-sultan" (a name with no Latin letter stays as safe_name makes it)."""
    return id_slug(re.sub(r"['’ʼ‘`]", "", text)) or safe_name(text)  # Xi'an -> xian, not xi-an


def place_page(city: str) -> str:
    """The site path of a host city's page."""
    return f"places/{slug(city)}.html"


def country_page(iso3: str) -> str:
    """The site path of a country's page."""
    return f"countries/{safe_name(iso3)}.html"


def countries_with_pages(site: Site) -> list[str]:
    """The members of the mechanism (countries.is_member), China first as the table orders them; every country when the
    table has no is_member column."""
    rows = site.data.rows["countries"]
    return [c["iso3"] for c in rows if c.get("is_member", True)]


def country_href(site: Site, iso3: str | None) -> str | None:
    """The site-relative page of a country, when it has one."""
    if not iso3 or iso3 not in site.countries or not site.countries[iso3].get("is_member", True):
        return None
    return country_page(iso3)


def _by_date(site: Site, meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(meetings, key=lambda m: (m.get("start_date") or dt.date.max, m["meeting_id"]))


@dataclass
class Place:
    """A host city: its meetings and the other names the release records for it."""

    city: str
    country: str | None
    meetings: list[dict[str, Any]]
    names: list[dict[str, Any]] = field(default_factory=list)

    @property
    def other_names(self) -> list[str]:
        return [n["name"] for n in self.names]

    @property
    def page(self) -> str:
        return place_page(self.city)


def places(site: Site) -> list[Place]:
    """Every city a meeting names, by name, each with its meetings in date order and its other names."""
    by_city: dict[str, list[dict[str, Any]]] = {}
    for m in site.meetings:
        if m.get("city"):
            by_city.setdefault(m["city"], []).append(m)
    names: dict[str, list[dict[str, Any]]] = {}
    for n in site.data.rows.get("place_names", []):
        names.setdefault(n["city"], []).append(n)
    out = []
    for city, ms in sorted(by_city.items()):
        hosts = Counter(m.get("host_country") for m in ms if m.get("host_country"))
        out.append(Place(city, hosts.most_common(1)[0][0] if hosts else None, _by_date(site, ms), sorted(names.get(city, []), key=lambda n: n["name"])))
    return out


def place_href(site: Site, city: str | None) -> str | None:
    """The site-relative page of a host city (every city a meeting names has one)."""
    return place_page(city) if city and any(m.get("city") == city for m in site.meetings) else None


def place_summary(site: Site, place: Place) -> str:
    """One line for search results: how many meetings, the first few."""
    shown = "; ".join(f"{m['meeting_name']} ({site.when(m)})" for m in place.meetings[:3])
    more = f"; and {len(place.meetings) - 3} more" if len(place.meetings) > 3 else ""
    return f"{plural(len(place.meetings), 'meeting')}: {shown}{more}"


def country_summary(site: Site, iso3: str) -> str:
    """One line for search results and the places index: meetings hosted, people, pledges made."""
    hosted = sum(1 for m in site.meetings if m.get("host_country") == iso3)
    people = sum(1 for p in site.persons.values() if p.get("country") == iso3)
    pledged = sum(1 for p in site.pledges if p.get("pledger") == iso3)
    return f"{plural(hosted, 'meeting')} hosted, {plural(people, 'person', 'people')}, {plural(pledged, 'pledge')} made"


def _people(site: Site, participants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The people among `participants`, each once with their number of meetings, by name."""
    meetings: dict[str, set[str]] = {}
    for r in participants:
        meetings.setdefault(r["person_id"], set()).add(r["meeting_id"])
    return sorted(({"person_id": pid, "name": site.person(pid), "meetings": len(ms)} for pid, ms in meetings.items()), key=lambda x: (x["name"], x["person_id"]))


def _pledge_order(site: Site, p: dict[str, Any]) -> tuple[Any, ...]:
    return ((site.meeting_by_id.get(p["meeting_id"]) or {}).get("start_date") or dt.date.max, p["pledge_id"])


def country(site: Site, iso3: str) -> dict[str, Any]:
    """The template context of a country's page."""
    attended_ids = {r["meeting_id"] for r in site.data.rows["participants"] if r.get("country") == iso3}
    hosted = [m for m in site.meetings if m.get("host_country") == iso3]
    attended = [m for m in site.meetings if m["meeting_id"] in attended_ids and m.get("host_country") != iso3]
    delegates = [r for r in site.data.rows["participants"] if r.get("country") == iso3]
    people = _people(site, delegates)
    listed_ids = {x["person_id"] for x in people}
    unlisted = [pid for pid, p in sorted(site.persons.items()) if p.get("country") == iso3 and pid not in listed_ids]
    people += [{"person_id": pid, "name": site.person(pid), "meetings": 0} for pid in unlisted]
    by = sorted((p for p in site.pledges if p.get("pledger") == iso3), key=lambda p: _pledge_order(site, p))
    to = sorted((p for p in site.pledges if iso3 in (p.get("beneficiaries") or []) and p.get("pledger") != iso3), key=lambda p: _pledge_order(site, p))
    documents = sorted((d for d in site.data.rows["documents"] if iso3 in (d.get("parties") or [])), key=lambda d: (d.get("date") or dt.date.max, d["document_id"]))
    return {
        "c": site.countries[iso3],
        "hosted": listed(_by_date(site, hosted)),
        "attended": listed(_by_date(site, attended)),
        "people": listed(people),
        "pledged_by": listed(by),
        "pledged_to": listed(to),
        "documents": listed(documents),
        "cities": [p for p in places(site) if p.country == iso3],
        "sources": [(s, site.sources.get(s)) for s in site.countries[iso3].get("source_ids") or []],
    }


def place(site: Site, p: Place) -> dict[str, Any]:
    """The template context of a host city's page."""
    ids = {m["meeting_id"] for m in p.meetings}
    participants = [r for r in site.data.rows["participants"] if r["meeting_id"] in ids]
    documents = sorted((d for d in site.data.rows["documents"] if d["meeting_id"] in ids), key=lambda d: (d.get("date") or dt.date.max, d["document_id"]))
    pledge_rows = sorted((x for x in site.pledges if x["meeting_id"] in ids), key=lambda x: _pledge_order(site, x))
    cited: dict[str, None] = {}
    for n in p.names:
        cited.update(dict.fromkeys(n.get("source_ids") or []))
    return {
        "place": p,
        "meetings": Listing(p.meetings, len(p.meetings)),
        "people": listed(_people(site, participants)),
        "documents": listed(documents),
        "pledges": listed(pledge_rows),
        "sources": [(s, site.sources.get(s)) for s in cited],
    }
