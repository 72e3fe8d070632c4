"""The release site in a real browser: Debian's Chromium, headless, driven by Playwright, every page opened from disk.

Skipped with one line when Chromium is missing (C5DATA_CHROMIUM, else /usr/bin/chromium; `apt-get install chromium`), failed instead when
the CI variable is set or under `--browser-required` (see conftest.py); fails when playwright is missing
(`pip install -e ".[test]"`); never `playwright install`. Screenshots of the
home, timeline and a meeting page (and of each at 390 px) go to
test-artifacts/ at the repository root.
"""

from __future__ import annotations

import csv
import itertools
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from releasekit import ROOT

ARTIFACTS = ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def csv_rows(release: Path, table: str) -> list[dict[str, str]]:
    with open(release / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def busiest_meeting(release: Path) -> str:
    """The meeting with the most participants (ties: the first id), for the meeting-page checks."""
    counts = Counter(r["meeting_id"] for r in csv_rows(release, "participants"))
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


class Watch:
    """Console errors, page errors, failed requests and any request that leaves the disk, per page."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} ({r.failure})"))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else self.problems.append(f"network request: {r.url}"))

    def take(self) -> list[str]:
        out, self.problems = self.problems, []
        return out


def content_pages(site: Path) -> list[Path]:
    """Every page but the small ones at old addresses that forward to a renamed meeting (tested on their own)."""
    return [p for p in sorted(site.rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def sample_pages(site: Path, per_kind: int = 3) -> list[Path]:
    """Every page made by its own template (overview pages, every browse page) and, of the hundreds of pages per
    meeting, person, document and source, the largest few of each kind: they carry the most rows, links and width.
    Every link and anchor of every page is also checked without a browser (test_site_pages)."""
    pages = content_pages(site)
    folders = {p.parent for p in pages} - {site, site / "tables"}
    chosen = [p for p in pages if p.parent in (site, site / "tables")]
    for folder in sorted(folders):
        kind = [p for p in pages if p.parent == folder]
        chosen += sorted(kind, key=lambda p: (-p.stat().st_size, p.name))[:per_kind]
    return sorted(chosen)


def test_an_old_meeting_address_forwards_to_the_renamed_meeting(browser, site: Path, release: Path) -> None:
    moved = [r for r in csv_rows(release, "id_changes") if r["table_name"] == "meetings"]
    assert moved, "the data should have a renamed meeting"
    page = browser.new_page(viewport=DESKTOP)
    for r in moved:
        page.goto((site / "meetings" / f"{r['old_id']}.html").as_uri())
        page.wait_for_url(f"**/meetings/{r['new_id']}.html")
        assert page.locator("h1").inner_text().strip()
    page.close()


def test_every_kind_of_page_loads_without_errors_and_its_links_resolve(browser, site: Path) -> None:
    pages = sample_pages(site)
    assert len(pages) >= 25 and {p.parent.name for p in pages} >= {"meetings", "people", "documents", "sources", "tables"}
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    ids: dict[Path, set[str]] = {}
    links: dict[Path, list[tuple[str, str]]] = {}
    problems = []
    for file in pages:
        response = page.goto(file.as_uri(), wait_until="load")
        assert response is None or response.ok, file
        page.wait_for_load_state("load")
        problems += [f"{file.relative_to(site)}: {p}" for p in watch.take()]
        ids[file] = set(page.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
        links[file] = page.eval_on_selector_all(
            "a[href], link[href], img[src], script[src], iframe[src], source[src]",
            "els => els.map(e => [e.getAttribute('href') ?? e.getAttribute('src'), e.href ?? e.src])",
        )
        assert page.title(), f"{file}: no <title>"
    page.close()
    assert not problems, "\n".join(problems)
    checked = 0
    for file, refs in links.items():
        for raw, absolute in refs:
            parts = urlsplit(absolute)
            if parts.scheme in ("http", "https", "data"):
                continue
            assert parts.scheme == "file", f"{file.relative_to(site)}: unexpected link {raw}"
            assert not raw.startswith(("/", "file:")), f"{file.relative_to(site)}: link is not relative: {raw}"
            target = Path(unquote(parts.path))
            assert target.is_file(), f"{file.relative_to(site)}: broken link {raw}"
            if parts.fragment and target in ids:  # anchors into pages not visited here are checked statically
                assert unquote(parts.fragment) in ids[target], f"{file.relative_to(site)}: broken anchor {raw}"
            checked += 1
    assert checked > 500


def test_timeline_shows_every_meeting(browser, site: Path, release: Path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "timeline.html").as_uri())
    meetings = csv_rows(release, "meetings")
    assert len(meetings) >= 20
    while page.locator(".tl-more").is_visible():  # the list shows a page of entries at a time
        page.locator(".tl-more").click()
    for m in meetings:
        link = page.locator(f'a[href="meetings/{m["meeting_id"]}.html"]')
        assert link.count() == 1, m["meeting_id"]
        assert link.is_visible(), m["meeting_id"]
        assert link.inner_text().strip() == m["meeting_name"]
    shown = page.eval_on_selector_all("[data-meeting-id]", "els => els.map(e => e.dataset.meetingId)")
    assert sorted(shown) == sorted(m["meeting_id"] for m in meetings)
    assert page.get_by_role("img", name="Meetings by series over time").is_visible()
    page.close()


def test_meeting_page_lists_its_participants(browser, site: Path, release: Path) -> None:
    mid = busiest_meeting(release)
    names = {p["person_id"]: p["person_name"] for p in csv_rows(release, "persons")}
    participants = [p for p in csv_rows(release, "participants") if p["meeting_id"] == mid]
    assert len(participants) >= 3
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "meetings" / f"{mid}.html").as_uri())
    table = page.locator("#participants")
    assert table.is_visible()
    shown = [t.strip() for t in table.locator("tbody th.person").all_inner_texts()]
    assert sorted(shown) == sorted(names[p["person_id"]] for p in participants)
    rows = table.locator("tbody tr")
    for p in participants:
        row = rows.filter(has=page.locator(f'th a:text-is("{names[p["person_id"]]}")'))
        assert row.count() == 1
        if p["title_as_given"]:
            assert p["title_as_given"] in row.inner_text()
    # every source listed at the foot of the page is a working-looking web link
    sources = page.locator("ol.sources li a[rel=noopener]")
    assert sources.count() >= 1
    assert all(h.startswith(("http://", "https://")) for h in sources.evaluate_all("els => els.map(e => e.href)"))
    page.close()


def test_screenshots(browser, site: Path, release: Path, artifacts: Path) -> None:
    mid = busiest_meeting(release)
    shots = {"home": site / "index.html", "timeline": site / "timeline.html", "meeting": site / "meetings" / f"{mid}.html"}
    written = []
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-390px")):
        page = browser.new_page(viewport=viewport)
        for name, file in shots.items():
            page.goto(file.as_uri())
            heading = page.locator("h1").first
            assert heading.is_visible() and heading.inner_text().strip(), (name, viewport)
            if name == "meeting":
                assert page.locator("#participants tbody tr").count() == len([r for r in csv_rows(release, "participants") if r["meeting_id"] == mid])
            target = artifacts / f"site-{name}{suffix}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append((target, viewport["width"]))
        page.close()
    for target, width in written:
        png = target.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000, target
        assert int.from_bytes(png[16:20], "big") == width, target  # full-page shot no wider than the viewport


def test_phone_width_has_no_horizontal_scroll(browser, site: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    wide = []
    for file in sample_pages(site):
        page.goto(file.as_uri())
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide.append(f"{file.relative_to(site)}: {scroll}px wide at {inner}px")
    page.close()
    assert not wide, "\n".join(wide)


def test_keyboard_navigation(browser, site: Path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    page.goto((site / "timeline.html").as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.getAttribute('href')]")
    assert focused == ["skip-link", "#main"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the skip link is not visible when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # the next stops are the links of the page, each with a visible focus outline
    page.keyboard.press("Tab")
    seen = []
    for _ in range(6):
        tag, outline, width = page.evaluate(
            "(() => { const e = document.activeElement; const s = getComputedStyle(e); return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        seen.append(tag)
        assert outline != "none" and width >= 2, f"no visible focus style on {tag}"
        page.keyboard.press("Tab")
    assert "A" in seen
    page.close()


def test_charts_have_text_alternatives(browser, site: Path) -> None:
    page = browser.new_page(viewport=DESKTOP)
    for name, label in (("index.html", "Meetings per year"), ("pledges.html", "Pledges by sector (counted once)")):
        page.goto((site / name).as_uri())
        chart = page.get_by_role("img", name=label)
        assert chart.is_visible(), name
        assert chart.evaluate("e => e.querySelector('desc').textContent.length") > 20
        details = page.locator("figure + details")
        assert details.count() == 1
        details.locator("summary").click()
        assert details.locator("table").is_visible()
    page.close()


def test_search_finds_a_person_by_each_alias_script(browser, site: Path, release: Path) -> None:
    aliases = [r["alias"] for r in csv_rows(release, "person_aliases") if r["person_id"] == "wang-yi"]
    scripts = {
        "cyrillic": [a for a in aliases if any("\u0400" <= ch <= "\u04ff" for ch in a)],
        "han": [a for a in aliases if any("\u4e00" <= ch <= "\u9fff" for ch in a)],
    }
    assert all(scripts.values()), scripts
    page = browser.new_page(viewport=DESKTOP)
    watch = Watch(page)
    page.goto((site / "meetings" / f"{busiest_meeting(release)}.html").as_uri())
    for query in ["Wang Yi", scripts["cyrillic"][0], scripts["han"][0]]:
        page.fill("#site-search-q", query)
        hits = page.locator(".search-results li[data-kind=person] a")
        assert "Wang Yi" in hits.all_inner_texts(), query
    hits.filter(has_text="Wang Yi").first.click()
    page.wait_for_url("**/people/wang-yi.html")
    assert page.locator("h1").inner_text().strip() == "Wang Yi"
    assert not watch.take()
    page.close()


def test_search_says_it_needs_javascript_when_it_is_off(browser, site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site / "tables" / "participants.html").as_uri())
    assert "Search needs JavaScript" in page.locator(".site-search").inner_text()
    assert page.locator("#rows tbody tr").count() > 0  # the rows are there without JavaScript
    context.close()


def test_a_facet_narrows_the_rows_and_the_download_holds_exactly_them(browser, site: Path, release: Path, tmp_path: Path) -> None:
    rows = csv_rows(release, "participants")
    chairs = [r for r in rows if r["role"] == "chair"]
    assert 0 < len(chairs) < len(rows)
    page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
    watch = Watch(page)
    page.goto((site / "tables" / "participants.html").as_uri())
    assert page.locator(".browse-count").inner_text() == str(len(rows))
    facet = page.locator('fieldset[data-column="role"]')
    assert facet.locator('.facet-count[data-value="chair"]').inner_text() == f"({len(chairs)})"
    facet.locator('input[value="chair"]').check()
    assert page.locator("#rows tbody tr").count() == min(len(chairs), 50)  # a page of rows at a time
    assert page.locator(".browse-count").inner_text() == str(len(chairs))
    with page.expect_download() as info:
        page.locator(".browse-download").click()
    target = tmp_path / "filtered.csv"
    info.value.save_as(target)
    with open(target, encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    key = lambda r: (r["meeting_id"], r["person_id"])
    assert sorted(({k: r[k] for k in chairs[0]} for r in got), key=key) == sorted(chairs, key=key)  # every column as written
    page.screenshot(path=str(ARTIFACTS / "site-browse-facet.png"), full_page=False)
    assert not watch.take()
    page.close()


def readers_pages(site: Path) -> dict[str, Path]:
    return {
        "home": site / "index.html",
        "pledges": site / "pledges.html",
        "person": site / "people" / "wang-yi.html",
        "uncertain": site / "uncertain.html",
        "browse": site / "tables" / "participants.html",
    }


def test_narrow_screenshots_have_no_sideways_scroll(browser, site: Path, artifacts: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    for name, file in readers_pages(site).items():
        page.goto(file.as_uri())
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, (name, scroll, inner)
        page.screenshot(path=str(artifacts / f"site-{name}-390px.png"), full_page=True)
        assert page.locator(".chart-narrow svg").count() == (1 if name in ("home", "pledges") else 0)
        if name in ("home", "pledges"):
            assert page.locator(".chart-narrow svg").is_visible() and not page.locator(".chart-wide svg").is_visible()
    page.close()


def test_accessibility_checklist(browser, site: Path) -> None:
    """One h1 per page, no skipped heading level, every input labelled, every image and chart with a text alternative."""
    files = [
        *readers_pages(site).values(),
        site / "timeline.html",
        site / "codebook.html",
        site / "documents" / sorted(p.name for p in (site / "documents").glob("*.html"))[0],
    ]
    files.append(site / "sources" / sorted(p.name for p in (site / "sources").glob("*.html"))[0])
    page = browser.new_page(viewport=DESKTOP)
    problems = []
    for file in files:
        page.goto(file.as_uri())
        name = file.relative_to(site).as_posix()
        levels = page.eval_on_selector_all("h1, h2, h3, h4, h5, h6", "els => els.map(e => +e.tagName[1])")
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{name}: h1 count {levels.count(1)}")
        for a, b in itertools.pairwise(levels):
            if b > a + 1:
                problems.append(f"{name}: heading h{a} followed by h{b}")
        unlabelled = page.eval_on_selector_all(
            "input, select, textarea",
            "els => els.filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.outerHTML)",
        )
        problems += [f"{name}: input without a label {u}" for u in unlabelled]
        bare = page.eval_on_selector_all(
            "img, svg",
            "els => els.filter(e => e.closest('svg') === e && !(e.getAttribute('alt') || e.getAttribute('aria-label')"
            " || (e.getAttribute('aria-labelledby') && e.querySelector('title')))).map(e => e.outerHTML.slice(0, 80))",
        )
        problems += [f"{name}: image without a text alternative {u}" for u in bare]
    page.close()
    assert not problems, "\n".join(problems)


def test_tracker_answers_how_much_was_delivered_within_the_first_800px_at_390px(browser, site: Path, artifacts: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "tracker.html").as_uri())
    answer = page.locator("#delivered .answer-line")
    assert answer.is_visible()
    box = answer.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 800, box
    assert re.match(r"\d+ of \d+ pledges have delivery confirmed by someone other than the pledger", answer.inner_text())
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing forces a sideways scroll
    page.screenshot(path=str(artifacts / "tracker-390px.png"))
    page.close()


def test_tracker_links_every_pledge_page_and_every_meeting_page_links_its_pledges(browser, site: Path, release: Path) -> None:
    pledges = csv_rows(release, "pledges")
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "tracker.html").as_uri())
    hrefs = page.eval_on_selector_all("a[href^='pledges/']", "els => els.map(e => e.getAttribute('href'))")
    assert {h.split("#")[0] for h in hrefs} == {f"pledges/{p['pledge_id']}.html" for p in pledges}
    by_meeting: dict[str, set[str]] = {}
    for p in pledges:
        by_meeting.setdefault(p["meeting_id"], set()).add(f"../pledges/{p['pledge_id']}.html")
    for mid, expected in sorted(by_meeting.items()):
        page.goto((site / "meetings" / f"{mid}.html").as_uri())
        links = page.eval_on_selector_all("#h-pledges ~ * ul.pledges a[href^='../pledges/']", "els => els.map(e => e.getAttribute('href'))")
        assert expected <= {h.split("#")[0] for h in links}, mid  # (also the pledges of other meetings its own restate)
        tracker = page.locator("a[href^='../tracker.html']").first
        assert tracker.is_visible(), mid
    # a pledge page opens with its follow-ups each under an anchor of its own
    with_followups = sorted({f["pledge_id"] for f in csv_rows(release, "pledge_followups")})
    assert with_followups
    page.goto((site / "pledges" / f"{with_followups[0]}.html").as_uri())
    for f in csv_rows(release, "pledge_followups"):
        if f["pledge_id"] == with_followups[0]:
            assert page.locator(f"#f-{f['followup_id']}").is_visible()
    page.close()
