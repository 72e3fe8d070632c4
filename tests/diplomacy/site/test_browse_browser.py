"""Browse pages, the timeline, the home chart and phone-sized pages in Chromium (opened from disk).

A filtered browse view reloads from its address with the same rows; references show names and the download keeps the
ids beside them; the timeline is in date order either way and filters by track and year; the home chart's legend stays
inside its drawing at 1280 px; at 390 px no page is wider than the screen and the long pages are a few screens tall,
with every row still reachable.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENS = 8  # the most screens a page may be tall on a phone by default


@pytest.fixture
def page(browser):
    """A desktop page that fails the test on any script error or request leaving the disk."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    p = context.new_page()
    problems: list[str] = []
    p.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    p.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    p.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else problems.append(f"network: {r.url}"))
    yield p
    context.close()
    assert not problems, problems


def shown_ids(page) -> list[str]:
    return page.eval_on_selector_all("#rows tbody tr", "rows => rows.map(r => r.id)")


def test_a_filtered_browse_view_reloads_from_its_address_with_the_same_rows(page, site: Path, table_rows) -> None:
    meetings = table_rows("meetings")
    page.goto((site / "tables" / "meetings.html").as_uri())
    assert page.locator(".column-filters").is_visible() and page.locator(".facets").is_visible()  # not behind a click
    # a facet on a track (series), a host country and a year; a column filter; a sort
    host = max({m["host_country"] for m in meetings if m["host_country"]}, key=lambda c: sum(m["host_country"] == c for m in meetings))
    years = sorted({m["start_date"][:4] for m in meetings if m["host_country"] == host and m["start_date"]})
    page.locator(f'fieldset[data-facet="host_country"] input[value="{host}"]').check()
    for year in years[-2:]:
        page.locator(f'fieldset[data-facet="start_date__year"] input[value="{year}"]').check()
    page.locator("thead th button.sort", has_text="start_date").click()
    page.locator("thead th button.sort", has_text="start_date").click()  # descending
    expected = [m for m in meetings if m["host_country"] == host and m["start_date"][:4] in years[-2:]]
    assert expected
    assert page.locator(".browse-count").inner_text() == str(len(expected))
    first = shown_ids(page)
    assert len(first) == len(expected)
    dates = page.eval_on_selector_all('#rows tbody td[data-label="start_date"]', "tds => tds.map(t => t.textContent)")
    assert dates == sorted(dates, reverse=True)
    address = page.url
    assert "host_country=" + host in address and "_sort_desc=start_date" in address

    other = page.context.new_page()
    other.goto(address)
    assert shown_ids(other) == first  # the same rows in the same order
    assert other.locator(f'fieldset[data-facet="host_country"] input[value="{host}"]').is_checked()
    assert other.locator(".browse-count").inner_text() == str(len(expected))
    # a column filter travels too
    other.fill("#filter-meeting_name", expected[0]["meeting_name"])
    narrowed = shown_ids(other)
    assert 1 <= len(narrowed) <= len(first)
    again = page.context.new_page()
    again.goto(other.url)
    assert again.input_value("#filter-meeting_name") == expected[0]["meeting_name"] and shown_ids(again) == narrowed
    # and "Clear filters" gives back every row and a bare address
    again.locator(".browse-reset").click()
    assert again.locator(".browse-count").inner_text() == str(len(meetings)) and "?" not in again.url


def test_facets_cover_country_track_host_pledger_and_year(page, site: Path) -> None:
    wanted = {
        "meetings": ["series_id", "host_country", "start_date__year"],
        "participants": ["country"],
        "pledges": ["pledger"],
        "documents": ["date__year"],
    }
    for table, keys in wanted.items():
        page.goto((site / "tables" / f"{table}.html").as_uri())
        total = int(page.locator(".browse-count").inner_text())
        for key in keys:
            facet = page.locator(f'fieldset[data-facet="{key}"]')
            assert facet.count() == 1, (table, key)
            counts = [int(t.strip("()")) for t in facet.locator(".facet-count").all_text_contents()]
            assert sum(counts) == total, (table, key)  # one value per row: the counts add up to the rows


def test_references_show_names_and_the_download_keeps_the_ids(page, site: Path, table_rows, tmp_path: Path) -> None:
    persons = {p["person_id"]: p["person_name"] for p in table_rows("persons")}
    participants = table_rows("participants")
    page.goto((site / "tables" / "participants.html").as_uri())
    cell = page.locator('#rows tbody tr td[data-label="person_id"] a').first
    assert cell.inner_text() == persons[cell.get_attribute("title")]  # the name shown, the id on hover
    with page.expect_download() as info:
        page.locator(".browse-download").click()
    target = tmp_path / "participants.csv"
    info.value.save_as(target)
    with open(target, encoding="utf-8", newline="") as fh:
        got = list(csv.DictReader(fh))
    header = list(got[0])
    assert header.index("person_id_label") == header.index("person_id") + 1
    assert len(got) == len(participants)
    assert all(r["person_id_label"] == persons[r["person_id"]] for r in got)
    assert sorted((r["meeting_id"], r["person_id"]) for r in got) == sorted((r["meeting_id"], r["person_id"]) for r in participants)


def test_the_timeline_runs_in_date_order_either_way_and_filters_by_track_and_year(page, site: Path, table_rows) -> None:
    page.goto((site / "timeline.html").as_uri())

    def visible(attr: str) -> list[str]:
        return page.eval_on_selector_all("ol.timeline > li:not([hidden])", f"els => els.map(e => e.getAttribute('{attr}'))")

    oldest = visible("data-sort")
    assert oldest == sorted(oldest) and len(oldest) >= 10
    page.locator('input[name=order][value="newest"]').check()
    newest = visible("data-sort")
    assert newest == sorted(newest, reverse=True)
    kinds = set(page.eval_on_selector_all("ol.timeline > li", "els => els.map(e => e.dataset.kind)"))
    assert kinds == {"meeting", "document", "pledge", "followup"}
    # a track and a year: every entry shown belongs to both, and the address keeps them
    summits = [m for m in table_rows("meetings") if m["series_id"] == "summit" and m["start_date"]]
    year = summits[0]["start_date"][:4]
    page.select_option("select[name=track]", "summit")
    page.select_option("select[name=year]", year)
    tracks, years = visible("data-track"), visible("data-year")
    assert tracks and set(tracks) == {"summit"} and set(years) == {year}
    assert f"meetings/{summits[0]['meeting_id']}.html" in page.eval_on_selector_all("ol.timeline > li:not([hidden]) > a", "as => as.map(a => a.getAttribute('href'))")
    shown = visible("id")
    other = page.context.new_page()
    other.goto(page.url)
    assert "track=summit" in page.url and other.eval_on_selector_all("ol.timeline > li:not([hidden])", "els => els.map(e => e.id)") == shown
    # dates as far as they are known: the text of each entry's <time> matches the precision of its datetime
    for iso, text in page.eval_on_selector_all("ol.timeline time", "ts => ts.map(t => [t.getAttribute('datetime'), t.textContent])"):
        assert text.endswith(iso[:4]), (iso, text)
        assert (len(iso) == 4) == (text == iso), (iso, text)  # a year alone is written as the year
        assert (len(iso) == 7) == (len(text.split()) == 2), (iso, text)  # a month as "September 2023"


def test_a_link_to_a_later_timeline_entry_shows_it(page, site: Path, table_rows) -> None:
    meetings = sorted((m for m in table_rows("meetings") if m["start_date"]), key=lambda m: m["start_date"])
    last = meetings[-1]["meeting_id"]
    page.goto((site / "timeline.html").as_uri() + f"#m-{last}")
    assert page.locator(f"#m-{last}").is_visible()


def test_the_home_chart_legend_is_whole_at_1280px(page, site: Path) -> None:
    page.goto((site / "index.html").as_uri())
    boxes = page.eval_on_selector_all(
        ".chart-wide svg",
        "svgs => svgs.map(s => { const v = s.viewBox.baseVal; return [v.width, v.height,"
        " Array.from(s.querySelectorAll('text')).map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })]; })",
    )
    assert boxes
    for width, height, texts in boxes:
        outside = [t for t in texts if t[1] < 0 or t[2] < 0 or t[3] > width or t[4] > height]
        assert not outside, outside


def phone_pages(site: Path) -> list[str]:
    """Every page made by its own template (the overview and browse pages) and the two largest of each kind of entity page."""
    pages = [p for p in sorted(site.rglob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    chosen = [p for p in pages if p.parent in (site, site / "tables")]
    for folder in sorted({p.parent for p in pages} - {site, site / "tables"}):
        chosen += sorted((p for p in pages if p.parent == folder), key=lambda p: (-p.stat().st_size, p.name))[:2]
    return [p.relative_to(site).as_posix() for p in chosen]


def test_at_390px_no_page_is_wider_than_the_screen_or_taller_than_a_few_screens(browser, site: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    names = phone_pages(site)
    assert {"pledges.html", "timeline.html", "tables/sources.html", "codebook.html"} <= set(names)
    problems = []
    for name in names:
        page.goto((site / name).as_uri())
        width, height = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        if width > PHONE["width"]:
            problems.append(f"{name}: {width}px wide")
        if height > SCREENS * PHONE["height"]:
            problems.append(f"{name}: {height}px tall, more than {SCREENS} screens")
    page.close()
    assert not problems, "\n".join(problems)


def test_at_390px_every_row_is_still_reachable(browser, site: Path, table_rows) -> None:
    page = browser.new_page(viewport=PHONE)
    # the sources table, page by page
    page.goto((site / "tables" / "sources.html").as_uri())
    seen: list[str] = []
    while True:
        seen += page.eval_on_selector_all('#rows tbody td[data-label="source_id"]', "tds => tds.map(t => t.textContent)")
        nxt = page.locator(".browse-next")
        if not nxt.is_visible() or nxt.is_disabled():
            break
        nxt.click()
    assert sorted(seen) == sorted(r["source_id"] for r in table_rows("sources"))
    # the pledges page: each meeting's pledges folded under a summary that counts them, every pledge inside
    page.goto((site / "pledges.html").as_uri())
    pledges = table_rows("pledges")
    groups = page.locator("details.pledge-group")
    assert groups.count() >= 1 and not any(groups.evaluate_all("ds => ds.map(d => d.open)"))
    counted = sum(int(t.split("(")[-1].split()[0]) for t in groups.locator("summary").all_inner_texts())
    assert counted == len(pledges)
    groups.first.locator("summary").click()
    assert groups.first.locator("table").is_visible()
    ids = page.eval_on_selector_all("details.pledge-group tr[id^='p-']", "trs => trs.map(t => t.id.slice(2))")
    assert sorted(ids) == sorted(p["pledge_id"] for p in pledges)
    page.close()


def test_a_link_into_a_folded_list_opens_it_on_a_phone(browser, site: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "codebook.html").as_uri())
    folded = page.locator("details.fold")
    assert folded.count() > 0 and not any(folded.evaluate_all("ds => ds.map(d => d.open)"))
    target = page.eval_on_selector("details.fold [id^='field-']", "e => e.id")
    page.goto((site / "codebook.html").as_uri() + "#" + target)
    assert page.locator(f"#{target}").is_visible()
    page.close()


def test_a_link_to_a_row_opens_the_page_of_rows_that_holds_it(browser, site: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto((site / "tables" / "sources.html").as_uri())
    anchors = page.eval_on_selector_all("script.browse-data", "s => JSON.parse(s[0].textContent).rows.map(r => r[0])")
    assert len(anchors) > 6  # more rows than a phone shows at a time
    page.goto((site / "tables" / "sources.html").as_uri() + f"#{anchors[-1]}")
    page.reload()
    assert page.locator(f"#{anchors[-1]}").is_visible()
    page.close()


def test_without_javascript_the_timeline_is_a_plain_list_of_every_entry_in_date_order(browser, site: Path, table_rows) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto((site / "timeline.html").as_uri())
    assert not page.locator("form.timeline-controls").is_visible()  # the controls need JavaScript
    entries = page.locator("ol.timeline > li")
    assert entries.count() == page.locator("ol.timeline > li:visible").count()
    order = entries.evaluate_all("els => els.map(e => e.dataset.sort)")
    assert order == sorted(order)
    meetings = set(entries.evaluate_all("els => els.filter(e => e.dataset.meetingId).map(e => e.dataset.meetingId)"))
    assert meetings == {m["meeting_id"] for m in table_rows("meetings")}
    context.close()
