"""Citing in a real browser (Debian's Chromium, the `browser` fixture of conftest.py): a cite-this block with the page's
absolute address on every kind of page, today's date filled in (the placeholder without JavaScript), the JSON-LD and
the feed parsed by the browser, and report links that carry the row's id and the version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from test_site_browser import DESKTOP, Watch

from c5data.diplomacy.site import about, citing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
KINDS = {"meetings": "meetings", "people": "persons", "documents": "documents", "pledges": "pledges", "sources": "sources"}


def _first_page(site: Path, folder: str) -> Path:
    """The first page of a kind of row that is not a forward from an old address."""
    return next(p for p in sorted((site / folder).glob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))


def _base(release: Path) -> tuple[str, str]:
    d = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    return d["homepage"].rstrip("/") + f"/releases/{d['version']}/site/", d["version"]


def test_every_kind_of_page_has_a_cite_this_block_with_its_absolute_address_and_todays_date(browser, site: Path, release: Path) -> None:
    base, version = _base(release)
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    for file in [site / "index.html", *(_first_page(site, folder) for folder in KINDS)]:
        rel = file.relative_to(site).as_posix()
        page.goto(file.as_uri())
        page.wait_for_load_state("load")
        block = page.locator(".cite-this")
        assert block.count() == 1, rel
        assert block.locator(".cite-url").get_attribute("href") == base + rel
        today = page.evaluate("() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]; }")
        iso = dt.date(*today).isoformat()
        plain = block.locator(".cite-plain").inner_text()
        assert base + rel in plain and f"(accessed {iso})" in plain and citing.ACCESS not in plain
        assert f"urldate = {{{iso}}}" in " ".join(block.locator(".cite-bibtex").text_content().split())
        (item,) = json.loads(block.locator(".cite-csl").text_content())
        assert item["URL"] == base + rel and item["version"] == version and item["accessed"] == {"date-parts": [today]}
    assert not watch.take()
    page.close()


def test_without_javascript_the_block_asks_for_the_access_date(browser, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert citing.ACCESS in page.locator(".cite-plain").inner_text()
    assert f"Replace {citing.ACCESS}" in page.locator(".cite-access").inner_text()
    context.close()


def test_report_links_carry_the_row_id_and_the_version(browser, site: Path, release: Path) -> None:
    _, version = _base(release)
    page = browser.new_page(viewport=DESKTOP)
    for folder, table in KINDS.items():
        file = _first_page(site, folder)
        page.goto(file.as_uri())
        link = page.locator("a.report-row")
        assert link.inner_text() == "Report a problem with this row"
        query = page.evaluate("href => Object.fromEntries(new URL(href).searchParams)", link.get_attribute("href"))
        assert query["template"] == about.FORM and query["table"] == table and query["version"] == version
        assert query["row"] == link.get_attribute("data-row") and page.locator(f"code:text-is('{query['row']}')").count() >= 1
    page.close()


def test_the_json_ld_and_the_feed_parse_in_the_browser(browser, site: Path, release: Path) -> None:
    _, version = _base(release)
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "index.html").as_uri())
    node = page.evaluate("() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert node["@type"] == "Dataset" and node["version"] == version and node["distribution"]
    feed_href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    text = (site / feed_href).read_text(encoding="utf-8")  # Chromium shows a feed opened from disk as a page: parse its text
    parsed = page.evaluate(
        """text => {
            const doc = new DOMParser().parseFromString(text, 'application/xml');
            const atom = 'http://www.w3.org/2005/Atom';
            return {
                root: doc.documentElement.localName,
                ns: doc.documentElement.namespaceURI,
                errors: doc.getElementsByTagName('parsererror').length,
                entries: Array.from(doc.getElementsByTagNameNS(atom, 'entry'))
                    .map(e => ['id', 'title', 'updated'].map(n => (e.getElementsByTagNameNS(atom, n)[0] || {}).textContent)),
            };
        }""",
        text,
    )
    assert (parsed["root"], parsed["ns"], parsed["errors"]) == ("feed", "http://www.w3.org/2005/Atom", 0)
    assert parsed["entries"] and all(all(part for part in e) for e in parsed["entries"])
    assert f"Version {version}" in [e[1] for e in parsed["entries"]]
    page.close()
