"""The timeline, the browse pages and the labels that count things, without a browser (the release built once per
session; the Chromium tests are in test_browse_browser.py)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import duckdb
import pytest

from c5data.diplomacy.site import readers, render
from c5data.diplomacy.site.model import noun, plural, read_release


def test_plural_agrees_with_the_count() -> None:
    assert plural(1, "meeting") == "1 meeting"
    assert plural(2, "meeting") == "2 meetings"
    assert plural(0, "row") == "0 rows"
    assert plural(1200, "row") == "1,200 rows"
    assert plural(3, "person", "people") == "3 people" and plural(1, "person", "people") == "1 person"
    assert noun(1, "entry", "entries") == "entry" and noun(5, "entry", "entries") == "entries"


@pytest.fixture(scope="module")
def built(release: Path, tmp_path_factory: pytest.TempPathFactory) -> render.Site:
    out = tmp_path_factory.mktemp("site")
    return render.Site(read_release(release, out), out)


@pytest.mark.slow
def test_no_label_gives_a_plural_count_a_singular_noun(site: Path) -> None:
    nouns = "meeting|row|pledge|document|source|person|entry|day|track|session|event|value"
    # a count (not a year: "the 2025 meeting" is right) directly before its noun in the singular: "2 meeting"
    wrong = re.compile(rf"(?<![\d.,:/-])(?!(?:19|20)\d\d\b)(0|[2-9]|\d{{2,}}|\d{{1,3}}(?:,\d{{3}})+) ({nouns})\b(?!s)")
    found = []
    for page in sorted(site.rglob("*.html")):
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|svg|code)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S)))
        text = re.sub(r"\s+", " ", text)
        found += [f"{page.relative_to(site)}: …{text[max(0, m.start() - 30) : m.end() + 20]}…" for m in wrong.finditer(text)]
    assert not found, "\n".join(found[:20])


@pytest.mark.slow
def test_the_timeline_lists_every_row_of_the_timeline_view_once_in_its_order(built: render.Site, release: Path) -> None:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    try:
        view = con.sql("SELECT kind, id FROM timeline").fetchall()
    finally:
        con.close()
    items = render.timeline_items(built)
    assert [(i["kind"], i["id"]) for i in items] == [(k, str(i)) for k, i in view]
    assert len({i["anchor"] for i in items}) == len(items)  # each entry can be linked to
    assert [i["sort"] for i in items] == sorted(i["sort"] for i in items)
    for i in items:
        if i["kind"] == "meeting":
            m = built.meeting_by_id[i["id"]]
            assert i["when"] == render.human_date(m["start_date"], m.get("date_precision")) and i["track"] == m["series_id"]
        else:
            assert i["track"] in built.series or i["track"] == ""


@pytest.mark.slow
def test_every_low_cardinality_column_has_a_facet_and_no_key_has_one(built: render.Site) -> None:
    for res in built.data.package.resources:
        ctx = readers.browse(built, res.name, "../")
        keys = {f["key"] for f in ctx["facets"]}
        refs = readers.references(built, res.name)
        for f in res.schema.fields:
            if len(res.schema.primary_key) == 1 and f.name == res.schema.primary_key[0]:
                assert f.name not in keys, (res.name, f.name)
                continue
            if f.type in ("date", "datetime") and any(r.get(f.name) for r in built.data.rows[res.name]):
                assert f"{f.name}__year" in keys, (res.name, f.name)
            if built.data.values(res.name, f.name) or f.type == "boolean":
                assert f.name in keys, (res.name, f.name)
            if f.name in refs and refs[f.name] in ("countries", "series") and any(r.get(f.name) for r in built.data.rows[res.name]):
                assert f.name in keys, (res.name, f.name)  # country, host, pledger, track
        for facet in ctx["facets"]:
            values = [v for v, _ in facet["values"]]
            assert len(values) == len(set(values)), (res.name, facet["key"])
    meetings = readers.browse(built, "meetings", "../")
    host = next(f for f in meetings["facets"] if f["key"] == "host_country")
    assert all(label == built.country(v) for v, label in host["values"])  # names, not codes


@pytest.mark.slow
def test_a_reference_cell_carries_the_name_of_the_row_it_points_to(built: render.Site) -> None:
    ctx = readers.browse(built, "participants", "../")
    names = [f.name for f in ctx["fields"]]
    person = names.index("person_id")
    for row in ctx["rows"]:
        [(ident, href, label)] = row["cells"][person]
        assert label == built.person(ident) and href.endswith(f"people/{ident}.html")
    sources = readers.browse(built, "meetings", "../")
    column = [f.name for f in sources["fields"]].index("source_ids")
    assert all(label is None for row in sources["rows"] for _, _, label in row["cells"][column] or [])  # sources by id
