"""The site's search in a real browser (Chromium, headless, every page opened from disk, no network): names as readers
spell them, places by their other names, pledges by their words, and the closest names when nothing matches.

`data/spellings.csv` is a list of spellings readers type, each with the page it should find; at least 95 % of them must
be found within the first five results.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from releasekit import release_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SPELLINGS = Path(__file__).parent / "data" / "spellings.csv"
TOP = 5


@pytest.fixture(scope="module")
def page(browser, site: Path):
    """One page of the site, opened from disk, its search ready; any script error or request off the disk fails the test."""
    p = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    p.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    p.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    p.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else problems.append(f"network request: {r.url}"))
    p.goto((site / "index.html").as_uri())
    p.wait_for_selector("form.site-search.search-on")
    yield p
    p.close()
    assert not problems, problems


def results(page, site: Path, query: str) -> list[tuple[str, Path]]:
    """The kind and target file of each result shown for `query`, in order."""
    page.fill("#site-search-q", query)
    shown = page.eval_on_selector_all(".search-results li", "els => els.map(e => [e.dataset.kind, e.querySelector('a').href])")
    return [(kind, Path(unquote(urlsplit(href).path)).resolve()) for kind, href in shown]


def rank(page, site: Path, query: str, expected: str) -> int | None:
    """The position (1-based) of the page `expected` (relative to the site) among the results, None when absent."""
    targets = [target for _, target in results(page, site, query)]
    want = (site / expected).resolve()
    return targets.index(want) + 1 if want in targets else None


def test_the_spellings_readers_type_find_their_page_within_the_first_five(page, site: Path) -> None:
    with open(SPELLINGS, encoding="utf-8", newline="") as fh:
        spellings = list(csv.DictReader(fh))
    assert len(spellings) >= 40
    missing = [r["expected"] for r in spellings if not (site / r["expected"]).is_file()]
    assert not missing, f"{SPELLINGS.name} names pages the site does not have: {missing}"
    ranks = {r["query"]: rank(page, site, r["query"], r["expected"]) for r in spellings}
    misses = {q: r for q, r in ranks.items() if r is None or r > TOP}
    assert len(spellings) - len(misses) >= 0.95 * len(spellings), f"not within the first {TOP}: {misses}"


def test_a_person_is_found_by_a_romanisation_a_cyrillic_and_a_chinese_spelling_and_a_typo(page, site: Path, release: Path) -> None:
    aliases = [r["alias"] for r in release_rows(release, "person_aliases") if r["person_id"] == "kassym-jomart-tokayev"]
    cyrillic = next(a for a in aliases if any("\u0400" <= ch <= "\u04ff" for ch in a))
    chinese = next(a for a in aliases if any("\u4e00" <= ch <= "\u9fff" for ch in a))
    surname = next(r["person_name"] for r in release_rows(release, "persons") if r["person_id"] == "kassym-jomart-tokayev").split()[-1]
    typo = surname[:2] + ("a" if surname[2] != "a" else "e") + surname[3:]  # one letter changed
    assert typo != surname
    for query in ["Tokaev", cyrillic, "Тоқаев", chinese, typo]:
        assert (r := rank(page, site, query, "people/kassym-jomart-tokayev.html")) is not None and r <= TOP, query
    page.locator(".search-results li[data-kind=person] a").first.click()
    page.wait_for_url("**/people/kassym-jomart-tokayev.html")
    page.go_back()
    page.wait_for_selector("form.site-search.search-on")


def test_a_place_is_found_by_another_name_and_leads_to_the_meetings_held_there(page, site: Path, release: Path) -> None:
    renamed = [r for r in release_rows(release, "place_names") if r["name_kind"] in ("former-name", "later-name")]
    assert renamed, "the data should record a city's former or later name"
    meetings = release_rows(release, "meetings")
    for r in renamed:
        held = sorted(m["meeting_id"] for m in meetings if m["city"] == r["city"])
        assert held
        found = results(page, site, r["name"])
        places = [target for kind, target in found[:TOP] if kind == "place"]
        city_page = next(p for p in places if p.stem == places_slug(r["city"]))
        page.goto(city_page.as_uri())
        listed = sorted(Path(unquote(urlsplit(h).path)).stem for h in page.eval_on_selector_all("#meetings a[href*='meetings/']", "els => els.map(e => e.href)"))
        assert listed == held, r
        first = page.locator("#meetings a[href*='meetings/']").first
        target = Path(unquote(urlsplit(first.evaluate("e => e.href")).path)).name
        first.click()
        page.wait_for_url(f"**/meetings/{target}")
        assert page.locator("h1").inner_text().strip()
        page.goto((site / "index.html").as_uri())
        page.wait_for_selector("form.site-search.search-on")


def places_slug(city: str) -> str:
    from c5data.diplomacy.site.places import slug

    return slug(city)


def test_a_pledge_is_found_by_its_words_and_by_its_amount(page, site: Path, release: Path) -> None:
    pledges = {r["pledge_id"]: r for r in release_rows(release, "pledges")}
    luban = pledges["fmm-2021-05-12-luban-workshops"]
    assert "Luban" in luban["commitment"]
    assert (r := rank(page, site, "Luban", "pledges/fmm-2021-05-12-luban-workshops.html")) is not None and r <= TOP
    financing = pledges["summit-2023-05-18-financing"]
    assert float(financing["quantity"]) == 26e9
    assert (r := rank(page, site, "26 billion", "pledges/summit-2023-05-18-financing.html")) is not None and r <= TOP


def test_a_query_nothing_matches_shows_the_closest_names(page, site: Path) -> None:
    found = results(page, site, "Tokaeb")  # two letters from Tokayev: no match, but the closest name
    assert page.locator(".search-results .result-none").is_visible()
    assert "Nothing found" in page.locator(".search-results .result-none").inner_text()
    assert (site / "people/kassym-jomart-tokayev.html").resolve() in [t for _, t in found]
    assert page.locator(".search-results ul.suggestions li").count() >= 1
    assert results(page, site, "qqqzzxxw") == []
    assert "Nothing found" in page.locator(".search-results").inner_text()


def test_a_search_in_the_address_is_run_when_the_page_opens(browser, site: Path) -> None:
    p = browser.new_page()
    p.goto((site / "index.html").as_uri() + "?q=%E8%A5%BF%E5%AE%89")  # 西安
    p.wait_for_selector(".search-results li")
    assert p.input_value("#site-search-q") == "西安"
    first = p.locator(".search-results li").first
    assert first.get_attribute("data-kind") == "place" and first.locator("a").inner_text() == "Xi'an"
    p.close()
