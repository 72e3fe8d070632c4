"""The country and city pages, read as files: each gathers what the tables say of its country or city, and the pages
that name a country or host city link to it. Also: the search library the site ships is the one npm pins."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from c5data.diplomacy.site import vendor
from c5data.diplomacy.site.places import slug

from releasekit import ROOT, release_rows

STATIC = ROOT / "src" / "c5data" / "diplomacy" / "site" / "static"


def links(site: Path, page: Path) -> set[str]:
    """Every link of a page of `site`, resolved to a path relative to the site folder (anchors dropped)."""
    out = set()
    for href in re.findall(r'href="([^"#]+)', page.read_text(encoding="utf-8")):
        target = (page.parent / href).resolve()
        if target.is_relative_to(site.resolve()):
            out.add(target.relative_to(site.resolve()).as_posix())
    return out


@pytest.mark.parametrize(("city", "expected"), [("Xi'an", "xian"), ("Nur-Sultan", "nur-sultan"), ("Aşgabat", "asgabat"), ("西安", "_897f_5b89")])
def test_a_city_page_is_named_by_its_folded_name(city: str, expected: str) -> None:
    assert slug(city) == expected


def test_every_member_country_has_a_page_with_its_meetings_people_pledges_and_documents(site: Path, release: Path) -> None:
    countries = [c for c in release_rows(release, "countries") if c["is_member"] == "true"]
    assert len(countries) >= 2
    meetings, pledges = release_rows(release, "meetings"), release_rows(release, "pledges")
    persons, documents = release_rows(release, "persons"), release_rows(release, "documents")
    for c in countries:
        iso3 = c["iso3"]
        page = site / "countries" / f"{iso3}.html"
        found = links(site, page)
        assert {f"meetings/{m['meeting_id']}.html" for m in meetings if m["host_country"] == iso3} <= found, iso3
        assert {f"people/{p['person_id']}.html" for p in persons if p["country"] == iso3} <= found, iso3
        concerned = [p for p in pledges if p["pledger"] == iso3 or iso3 in p["beneficiaries"].split(";")]
        assert {f"pledges/{p['pledge_id']}.html" for p in concerned} <= found, iso3
        assert {f"documents/{d['document_id']}.html" for d in documents if iso3 in d["parties"].split(";")} <= found, iso3
        assert f"<h1>{c['country_name']}</h1>" in page.read_text(encoding="utf-8")


def test_every_host_city_has_a_page_with_its_meetings_and_other_names(site: Path, release: Path) -> None:
    meetings = release_rows(release, "meetings")
    names = release_rows(release, "place_names")
    cities = {m["city"] for m in meetings if m["city"]}
    assert {n["city"] for n in names} <= cities
    for city in cities:
        page = site / "places" / f"{slug(city)}.html"
        text = page.read_text(encoding="utf-8")
        assert {f"meetings/{m['meeting_id']}.html" for m in meetings if m["city"] == city} <= links(site, page), city
        for n in names:
            if n["city"] == city:
                assert f">{n['name'].replace(chr(39), '&#39;')}</span>" in text, (city, n["name"])
    index = links(site, site / "places" / "index.html")
    assert {f"places/{slug(c)}.html" for c in cities} <= index


def test_meetings_pledges_people_and_documents_link_their_city_and_countries(site: Path, release: Path) -> None:
    members = {c["iso3"] for c in release_rows(release, "countries") if c["is_member"] == "true"}
    for m in release_rows(release, "meetings"):
        found = links(site, site / "meetings" / f"{m['meeting_id']}.html")
        if m["city"]:
            assert f"places/{slug(m['city'])}.html" in found, m["meeting_id"]
        if m["host_country"] in members:
            assert f"countries/{m['host_country']}.html" in found, m["meeting_id"]
    for p in release_rows(release, "pledges"):
        found = links(site, site / "pledges" / f"{p['pledge_id']}.html")
        wanted = {p["pledger"], *p["beneficiaries"].split(";")} & members
        assert {f"countries/{c}.html" for c in wanted} <= found, p["pledge_id"]
    for person in release_rows(release, "persons"):
        if person["country"] in members:
            assert f"countries/{person['country']}.html" in links(site, site / "people" / f"{person['person_id']}.html")


def test_the_search_library_shipped_is_the_one_npm_pins(request: pytest.FixtureRequest) -> None:
    from c5data.serving.wasm import candidates

    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"][vendor.PACKAGE]
    assert lock["packages"][f"node_modules/{vendor.PACKAGE}"]["version"] == pinned
    installed = next((n for n in candidates(ROOT) if (n / vendor.PACKAGE / "package.json").is_file()), None)
    if installed is None:
        reason = f"{vendor.PACKAGE} is not installed (run npm ci) to compare with static/{vendor.SCRIPT}"
        if os.environ.get("CI") or request.config.getoption("--browser-required", default=False):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    assert json.loads((installed / vendor.PACKAGE / "package.json").read_text(encoding="utf-8"))["version"] == pinned
    for name, content in vendor.vendored_copy(installed).items():
        assert (STATIC / name).read_bytes() == content, f"static/{name} differs from npm's {vendor.PACKAGE} {pinned}: copy it again with vendor.vendored_copy"


def search_records(site: Path) -> list[dict]:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.C5DATA_SEARCH = ") and text.endswith(";\n")
    return json.loads(text[len("window.C5DATA_SEARCH = ") : -2])


def test_the_search_index_holds_every_recorded_name_and_each_record_leads_to_a_page(site: Path, release: Path) -> None:
    records = search_records(site)
    assert all((site / r["href"].split("#")[0]).is_file() for r in records)
    names: dict[str, set[str]] = {}
    for r in records:
        names.setdefault(r["href"], set()).update([r["name"], *r["others"]])
    for a in release_rows(release, "person_aliases"):
        assert a["alias"] in names[f"people/{a['person_id']}.html"], a
    for n in release_rows(release, "place_names"):
        assert n["name"] in names[f"places/{slug(n['city'])}.html"], n
    kinds = {r["kind"] for r in records}
    assert kinds == {"person", "country", "place", "meeting", "document", "pledge", "source"}
    pledges = {r["href"]: r for r in records if r["kind"] == "pledge"}
    for p in release_rows(release, "pledges"):  # an amount is found as written in full ("26,000,000,000") and in words
        if p["quantity"] and float(p["quantity"]).is_integer():
            assert f"{int(float(p['quantity'])):,}" in pledges[f"pledges/{p['pledge_id']}.html"]["text"], p["pledge_id"]
