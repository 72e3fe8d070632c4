"""The pledge tracker page and the pages per pledge (no browser): what they show comes from the `pledge_tracker` view,
every pledge and follow-up can be linked to, no target counts as delivered, and announced meetings are not counted as held.

The repository's release is built once per session (`shipped_release`); the fixture package is mutated for the cases
the repository's data may not hold on a given day. The browser checks at 390 px are in test_site_browser.py.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import duckdb
import pytest

from c5data.pipeline import build

from releasekit import EPOCH, append_row

pytestmark = pytest.mark.slow


def rows(release: Path, table: str) -> list[dict[str, str]]:
    with open(release / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tracker_rows(release: Path) -> list[dict]:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        rel = con.sql("SELECT * FROM pledge_tracker")
        return [dict(zip(rel.columns, r)) for r in rel.fetchall()]
    finally:
        con.close()


def text(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_pledge_has_a_page_and_every_follow_up_an_anchor_on_it(site: Path, release: Path) -> None:
    followups = rows(release, "pledge_followups")
    for p in rows(release, "pledges"):
        page = text(site, f"pledges/{p['pledge_id']}.html")
        assert f"<code>{p['pledge_id']}</code>" in page
        assert f'href="../meetings/{p["meeting_id"]}.html' in page  # back to its meeting
        for f in followups:
            if f["pledge_id"] == p["pledge_id"]:
                assert f'id="f-{f["followup_id"]}"' in page, f["followup_id"]
                for s in f["source_ids"].split(";"):
                    assert f'href="../sources/{s}.html"' in page
        for key, heading in (("parent_pledge_id", "Components"), ("restates_pledge_id", "Announced again")):
            children = [c["pledge_id"] for c in rows(release, "pledges") if c[key] == p["pledge_id"]]
            if children:
                assert heading in page
            for c in children:
                assert f'href="../pledges/{c}.html"' in page


def test_the_tracker_links_every_pledge_page(site: Path, release: Path) -> None:
    page = text(site, "tracker.html")
    linked = set(re.findall(r'href="pledges/([^"#]+)\.html"', page))
    assert linked == {p["pledge_id"] for p in rows(release, "pledges")}  # counted ones, their components and restatements


def test_every_meeting_page_links_its_pledges_pages_and_the_tracker(site: Path, release: Path) -> None:
    by_meeting: dict[str, list[str]] = {}
    for p in rows(release, "pledges"):
        by_meeting.setdefault(p["meeting_id"], []).append(p["pledge_id"])
    tracked = {r["meeting_id"] for r in tracker_rows(release)}
    for mid, pledges in by_meeting.items():
        page = text(site, f"meetings/{mid}.html")
        for pid in pledges:
            assert f'href="../pledges/{pid}.html"' in page, (mid, pid)
        assert f'href="../tracker.html#m-{mid}"' in page if mid in tracked else 'href="../tracker.html"' in page
        if mid in tracked:
            assert f'id="m-{mid}"' in text(site, "tracker.html")


def test_the_tracker_figures_are_the_views(site: Path, release: Path) -> None:
    view = tracker_rows(release)
    page = text(site, "tracker.html")
    deliverable = [r for r in view if r["kind"] != "target"]
    answer = re.search(r'<p class="answer-line"><strong>(\d+) of (\d+)</strong>', page)
    assert answer is not None
    assert (int(answer.group(1)), int(answer.group(2))) == (sum(1 for r in deliverable if r["delivery_confirmed"]), len(deliverable))
    summits = {r["meeting_id"] for r in view if r["series_id"] == "summit"}
    assert summits
    for mid in summits:
        mine = [r for r in view if r["meeting_id"] == mid]
        row = re.search(rf'<tr data-meeting-id="{re.escape(mid)}">(.*?)</tr>', page, re.S)
        assert row is not None, mid
        cells = [int(n) for n in re.findall(r'class="num">(\d+)</td>', row.group(1))]
        expected = [len(mine), sum(1 for r in mine if r["followups"]), sum(1 for r in mine if r["delivery_confirmed"]), sum(1 for r in mine if r["overdue"])]
        assert cells == expected, mid
    unreported = page[page.index('id="unreported"') :]
    for r in view:
        assert (f'href="pledges/{r["pledge_id"]}.html"' in unreported) == (r["followups"] == 0), r["pledge_id"]
    for r in view:  # money, targets and other commitments listed apart
        assert re.search(rf'<tr id="t-{re.escape(r["pledge_id"])}" data-pledge-id="[^"]+" data-kind="{r["kind"]}"', page), r["pledge_id"]


def test_money_is_never_added_across_currencies_or_with_targets(site: Path, release: Path) -> None:
    view = tracker_rows(release)
    page = text(site, "tracker.html")
    answer = page[page.index('id="delivered"') : page.index('id="per-summit"')]
    shown = dict(re.findall(r'<span class="money" data-currency="([A-Z]{3})">[A-Z]{3} <data value="[^"]+">[^<]*</data> of <data value="([^"]+)">', answer))
    currencies = {r["unit"] for r in view if r["kind"] == "money"}
    assert set(shown) == currencies
    for currency, pledged in shown.items():
        assert float(pledged) == sum(r["quantity"] for r in view if r["kind"] == "money" and r["unit"] == currency)


def test_announced_meetings_are_next_and_never_counted_as_held(site: Path, release: Path) -> None:
    meetings = rows(release, "meetings")
    held = [m for m in meetings if m["meeting_status"] == "held"]
    home = text(site, "index.html")
    assert re.search(rf"<dt>Meetings held</dt><dd>{len(held)}\b", home)
    timeline = text(site, "timeline.html")
    assert f"{len(held)} meetings held" in timeline
    for m in meetings:
        if m["meeting_status"] != "held":
            assert f'href="meetings/{m["meeting_id"]}.html"' in home[home.index('id="h-next"') :]
            assert re.search(rf'<li id="m-{re.escape(m["meeting_id"])}" class="tl-item tl-meeting next"', timeline)
            assert "Not held yet" in text(site, f"meetings/{m['meeting_id']}.html")


@pytest.fixture(scope="module")
def target_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture package with a target reported reached by an independent source and a grant confirmed by a
    beneficiary government, built with a fixed epoch."""
    from releasekit import make_package

    root = make_package(tmp_path_factory.mktemp("tracker") / "pkg")
    data = root / "data"
    rest = ",,,single-source,nca-2023-05-20,"
    target = "Raise trade to USD 70 billion,70000000000,USD,exact,,,2030"
    append_row(
        data / "pledges.csv",
        "summit-2023-05-18-trade-target,summit-2023-05-18,CHN,KAZ;UZB,trade,target," + target + rest,
    )
    append_row(
        data / "pledges.csv", "summit-2023-05-18-usd-grant,summit-2023-05-18,CHN,KAZ;UZB,development-aid,financial,Grant in dollars,500000000,USD,exact,,,2022" + rest
    )
    for row in (
        "trade-target-2023-10-01,summit-2023-05-18-trade-target,2023-10-01,day,fulfilled,independent,World Bank,,Trade reached the figure",
        "usd-grant-2023-09-01,summit-2023-05-18-usd-grant,2023-09-01,day,fulfilled,beneficiary-report,Ministry of Finance of Kazakhstan,KAZ,Grant received",
    ):
        append_row(data / "pledge_followups.csv", row + ",single-source,nca-2023-05-20,")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(root, tmp_path_factory.mktemp("tracker-release") / "release").out


def test_a_target_is_never_counted_as_delivered(target_release: Path) -> None:
    site = target_release / "site"
    tracker = text(site, "tracker.html")
    home = text(site, "index.html")
    # two counted pledges are reported fulfilled by others: the grant counts as delivered, the reached target does not
    assert re.search(r'<p class="answer-line"><strong>1 of \d+</strong>', tracker)
    assert re.search(r'<dt>Delivered</dt><dd><a href="tracker.html#delivered">1 of \d+</a>', home)
    pledges = html.unescape(text(site, "pledges.html"))
    box = pledges[pledges.index('id="h-status"') : pledges.index('id="h-all"')]
    fulfilled = re.search(r"<th scope=\"row\">fulfilled</th><td class=\"num\">(\d+)</td>", box, re.I)
    assert fulfilled is not None and fulfilled.group(1) == "1"
    assert "Targets and goals (e.g. a trade volume; 1 counted) are left out" in box
    # the USD 70 bn target is in dollars, yet not money: the dollars pledged and confirmed are the grant's alone
    assert 'data-kind="target"' in tracker
    assert '<span class="money" data-currency="USD">USD <data value="500000000">500 million</data> of <data value="500000000">500 million</data></span>' in tracker
