"""The release site generator (no browser): pages, pledge totals, determinism, escaping, links, downloads, snippets.

The repository's data is built once per session (`shipped_release` in
conftest); the browser tests are in test_site_browser.py.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import duckdb
import pytest
from click.testing import CliRunner

from c5data.cli import main
from c5data.diplomacy.site import GENERATOR, SiteError, generate
from c5data.diplomacy.site.model import is_counted
from c5data.pipeline import build

pytestmark = pytest.mark.slow


def rows(release: Path, table: str) -> list[dict[str, str]]:
    with open(release / "data" / f"{table}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Links(HTMLParser):
    """Every href/src, every id, and the <a> tags with their attributes, of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []
        self.ids: set[str] = set()
        self.anchors: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.refs.append(a[key])
        if tag == "a":
            self.anchors.append(a)


def parse(page: Path) -> Links:
    p = Links()
    p.feed(page.read_text(encoding="utf-8"))
    return p


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---------------------------------------------------------------------------------------------------------------------


def test_every_meeting_has_a_page(site: Path, release: Path) -> None:
    meetings = rows(release, "meetings")
    assert len(meetings) >= 20
    for m in meetings:
        page = site / "meetings" / f"{m['meeting_id']}.html"
        assert page.is_file(), m["meeting_id"]
        assert f"<code>{html.escape(m['meeting_id'])}</code>" in page.read_text(encoding="utf-8")
    moved = {r["old_id"]: r["new_id"] for r in rows(release, "id_changes") if r["table_name"] == "meetings"}
    assert {p.stem for p in (site / "meetings").glob("*.html")} == {m["meeting_id"] for m in meetings} | set(moved)


def test_an_old_meeting_address_points_to_the_renamed_meeting(site: Path, release: Path) -> None:
    moved = {r["old_id"]: r["new_id"] for r in rows(release, "id_changes") if r["table_name"] == "meetings"}
    assert "deputy-fm-2025-01-01" in moved and "agriculture-ministers-2023-09-01" in moved
    for old, new in moved.items():
        text = (site / "meetings" / f"{old}.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url=../meetings/{new}.html">' in text
        assert f'<a href="../meetings/{new}.html">' in text and f"<code>{old}</code>" in text
        assert (site / "meetings" / f"{new}.html").is_file()


def test_codebook_page_has_how_to_count_and_coverage(site: Path, release: Path) -> None:
    text = (site / "codebook.html").read_text(encoding="utf-8")
    assert '<h2 id="h-how-to-count">How to count</h2>' in text and '<h2 id="h-coverage">Coverage</h2>' in text
    assert "WHERE series_id = &#39;summit&#39; AND meeting_type = &#39;regular&#39;" in text
    assert '<h3 id="coverage-what-is-covered">What is covered</h3>' in text and "Left out on purpose, and why" in text
    assert '<a href="../coverage.md">coverage.md</a>' in text
    assert "<strong>Who.</strong>" in text and "<code>series_type = mechanism</code>" in text
    for name in ("index.html", "timeline.html", "pledges.html", "codebook.html", "downloads.html", "static/style.css"):
        assert (site / name).is_file(), name


def test_timeline_links_every_meeting_once(site: Path, release: Path) -> None:
    links = [a["href"] for a in parse(site / "timeline.html").anchors if (a.get("href") or "").startswith("meetings/")]
    assert sorted(links) == sorted(f"meetings/{m['meeting_id']}.html" for m in rows(release, "meetings"))


def test_meeting_page_lists_participants_documents_pledges(site: Path, release: Path) -> None:
    persons = {p["person_id"]: p["person_name"] for p in rows(release, "persons")}
    for m in rows(release, "meetings"):
        text = (site / "meetings" / f"{m['meeting_id']}.html").read_text(encoding="utf-8")
        for p in rows(release, "participants"):
            if p["meeting_id"] == m["meeting_id"]:
                assert f'data-person-id="{p["person_id"]}"' in text
                assert html.escape(persons[p["person_id"]], quote=False) in text
        for d in rows(release, "documents"):
            if d["meeting_id"] == m["meeting_id"]:
                assert f'id="d-{d["document_id"]}"' in text
        for p in rows(release, "pledges"):
            if p["meeting_id"] == m["meeting_id"]:
                assert f'id="p-{p["pledge_id"]}"' in text


def test_every_cited_source_is_a_link_on_its_meeting_page(site: Path, release: Path) -> None:
    urls = {s["source_id"]: s["url"] for s in rows(release, "sources")}
    for m in rows(release, "meetings"):
        mid = m["meeting_id"]
        cited = set(m["source_ids"].split(";"))
        for table in ("participants", "documents", "pledges"):
            for r in rows(release, table):
                if r["meeting_id"] == mid:
                    cited |= set(r["source_ids"].split(";"))
        anchors = parse(site / "meetings" / f"{mid}.html").anchors
        linked = {a["href"] for a in anchors if a.get("rel") == "noopener"}
        for s in cited:
            assert urls[s] in linked, (mid, s)


def test_counted_pledges_are_neither_components_nor_restatements() -> None:
    pledges = [
        {"pledge_id": "h", "parent_pledge_id": None, "restates_pledge_id": None},
        {"pledge_id": "c", "parent_pledge_id": "h", "restates_pledge_id": None},
        {"pledge_id": "r", "parent_pledge_id": None, "restates_pledge_id": "h"},
    ]
    assert [p["pledge_id"] for p in pledges if is_counted(p)] == ["h"]


def test_pledge_totals_on_the_page_match_the_database_view(site: Path, release: Path) -> None:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    view = con.sql(
        "SELECT pledger, sector, coalesce(unit, ''), sum(pledges), sum(pledges_with_quantity), sum(total_quantity) "
        "FROM pledges_by_country_sector GROUP BY pledger, sector, unit"
    ).fetchall()
    components = con.execute("SELECT count(*) FROM pledges WHERE parent_pledge_id IS NOT NULL").fetchone()[0]
    restatements = con.execute("SELECT count(*) FROM pledges WHERE restates_pledge_id IS NOT NULL").fetchone()[0]
    con.close()
    assert components and restatements, "the data should exercise both kinds of rows the totals leave out"
    text = (site / "pledges.html").read_text(encoding="utf-8")
    found = re.findall(
        r'<tr data-pledger="([^"]*)" data-sector="([^"]*)" data-unit="([^"]*)">\s*'
        r"<td[^>]*>.*?</td>\s*<td[^>]*>.*?</td>\s*<td[^>]*>.*?</td>\s*"
        r'<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(?:<data value="([^"]+)">)?',
        text,
    )
    on_page = sorted((p, s, u, int(n), int(q), float(t) if t else None) for p, s, u, n, q, t in found)
    assert on_page == sorted(view)
    counted = sum(n for *_, n, _, _ in on_page)
    assert f"<strong>{counted}</strong> pledges are counted" in text
    assert counted == sum(1 for r in rows(release, "pledges") if not r["parent_pledge_id"] and not r["restates_pledge_id"])


def test_status_on_the_pledges_page_is_the_pledge_status_view(site: Path, release: Path) -> None:
    con = duckdb.connect(str(release / "c5data.duckdb"), read_only=True)
    latest = dict(con.sql("SELECT pledge_id, status FROM pledge_status WHERE status IS NOT NULL").fetchall())
    con.close()
    assert latest, "the data should have follow-ups"
    text = (site / "pledges.html").read_text(encoding="utf-8")
    for pledge_id, status in latest.items():
        row = re.search(rf'id="p-{re.escape(pledge_id)}".*?</tr>', text, re.S)
        assert row is not None, pledge_id
        label = status.replace("-", " ")
        assert label.split()[0].lower() in html.unescape(row.group(0)).lower(), (pledge_id, status)


def test_output_is_deterministic(site: Path, release: Path, tmp_path: Path) -> None:
    a = generate(release, tmp_path / "a")
    b = generate(release, tmp_path / "b")
    rel_a = [p.relative_to(tmp_path / "a") for p in a]
    assert rel_a == [p.relative_to(tmp_path / "b") for p in b]
    for rel in rel_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel
    # generating again over a previous site replaces it with the same bytes
    again = generate(release, tmp_path / "a")
    assert [p.relative_to(tmp_path / "a") for p in again] == rel_a


def test_only_the_release_time_is_shown(site: Path, release: Path) -> None:
    created = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["created"]
    stamps = set()
    for page in pages(site):
        stamps |= set(re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", page.read_text(encoding="utf-8")))
    assert stamps == {created}


def test_links_are_relative_and_resolve(site: Path) -> None:
    assert_links_resolve(site)


def assert_links_resolve(site: Path) -> None:
    """Every link of every page is relative and leads to a file, and to an element of it when it names one."""
    ids = {page: parse(page).ids for page in pages(site)}
    for page in pages(site):
        parsed = parse(page)
        for ref in parsed.refs:
            parts = urlsplit(ref)
            if parts.scheme in ("http", "https"):
                continue
            assert parts.scheme in ("", "data"), (page, ref)
            if parts.scheme == "data":
                continue
            assert not ref.startswith("/"), (page, ref)
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), (page.relative_to(site), ref)
            if parts.fragment and target.suffix == ".html":
                assert parts.fragment in ids[target], (page.relative_to(site), ref)
        for a in parsed.anchors:
            if urlsplit(a.get("href") or "").scheme in ("http", "https"):
                assert a.get("rel") == "noopener", (page, a)


def test_pages_are_accessible_by_construction(site: Path) -> None:
    for page in pages(site):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="en">' in text
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert f'<meta name="generator" content="{GENERATOR}">' in text
        assert '<a class="skip-link" href="#main">' in text and '<main id="main"' in text
        assert text.count("<h1>") == 1, page
        scripts = re.findall(r"<script\b[^>]*>", text)
        allowed = (
            'src="[./]*search-index.js" defer',
            'src="[./]*static/site.js" defer',
            'src="[./]*static/minisearch.js" defer',
            'src="[./]*static/search.js" defer',
            'type="application/json" class="browse-data"',
            'src="[./]*static/sql.js" defer',
            'type="application/json" id="sql-meta"',
            'src="[./]*static/cite.js" defer',
            r'type="application/ld\+json"',
        )
        assert all(any(re.fullmatch(f"<script {a}>", s) for a in allowed) for s in scripts), (page, scripts)  # our own scripts, no network
        for svg in re.findall(r"<svg\b[^>]*>", text):
            ident = re.search(r'id="([^"]+)"', svg).group(1)
            assert 'role="img"' in svg and f'aria-labelledby="{ident}-title {ident}-desc"' in svg
            assert f'<title id="{ident}-title">' in text and f'<desc id="{ident}-desc">' in text
    for name in ("index.html", "pledges.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert re.search(
            r"</svg></div>\s*<figcaption>.*?</figcaption>\s*</figure>\s*<details>\s*<summary>[^<]+</summary>\s*"
            r"<div class=\"table-wrap\">\s*<table>",
            text,
            re.S,
        ), f"{name}: chart without a data table"


def test_codebook_is_generated_from_the_schemas(site: Path, release: Path) -> None:
    text = (site / "codebook.html").read_text(encoding="utf-8")
    plain = html.unescape(text)
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    for res in descriptor["resources"]:
        schema = res["schema"]
        assert f'id="table-{res["name"]}"' in text
        assert schema["description"] in plain
        for f in schema["fields"]:
            assert f'id="field-{res["name"]}-{f["name"]}"' in text
            assert f.get("description", "") in plain
            for c in f.get("categories", []):
                assert f"<code>{c['value']}</code> — {c['label']}" in plain
            for v in f.get("constraints", {}).get("enum", []):
                assert f"<code>{v}</code>" in plain
        keys = schema.get("primaryKey", [])
        for key in [keys] if isinstance(keys, str) else keys:
            assert f'<a href="#field-{res["name"]}-{key}"><code>{key}</code></a>' in text or f"<code>{key}</code>" in text


def test_downloads_list_every_file_with_size_and_sha256(site: Path, release: Path) -> None:
    text = (site / "downloads.html").read_text(encoding="utf-8")
    listed = 0
    for f in sorted(release.rglob("*")):
        rel = f.relative_to(release).as_posix()
        if not f.is_file() or rel == "SHA256SUMS" or rel.startswith("site/"):
            continue
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        assert f'<a href="../{rel}" download>{rel}</a>' in text, rel
        assert f"<code>{digest}</code>" in text, rel
        assert f'<data value="{f.stat().st_size}">' in text, rel
        listed += 1
    assert listed >= 20
    assert '<a href="../SHA256SUMS" download>SHA256SUMS</a>' in text


def _snippet(text: str, heading: str) -> str:
    m = re.search(rf"<h3>{re.escape(heading)}</h3>\s*<pre><code>(.*?)</code></pre>", text, re.S)
    assert m, heading
    return html.unescape(m.group(1))


def test_downloads_snippets_run_in_the_release(site: Path, release: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (site / "downloads.html").read_text(encoding="utf-8")
    monkeypatch.chdir(release)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(_snippet(text, "DuckDB from Python"), "duckdb-snippet", "exec"), {})
    assert "pledges_by_country_sector" in _snippet(text, "DuckDB from Python")
    # pandas is in the test extra (not a dependency of c5data itself), so the pandas snippet is always checked.
    with contextlib.redirect_stdout(out):
        env: dict = {}
        exec(compile(_snippet(text, "pandas"), "pandas-snippet", "exec"), env)
    assert len(env["meetings"]) == len(rows(release, "meetings"))
    assert str(env["meetings"]["start_date"].dtype).startswith("datetime64")
    assert isinstance(env["meetings"]["source_ids"].iloc[0], list)
    # the pledge figures it sums are money only: no target (a trade volume, say) beside pledged money
    money = env["money"]
    assert len(money) > 0 and "target" not in set(money["kind"] if "kind" in money else money["commitment_type"])
    targets = [r["pledge_id"] for r in rows(release, "pledges") if r["commitment_type"] == "target"]
    assert targets and not set(targets) & set(money["pledge_id"])


def test_all_data_text_is_escaped(pkg, tmp_path: Path) -> None:
    evil = '<script>alert("x")</script> & <b>bold</b>'
    pkg.replace("meetings.csv", "Welcome on 18 May, session on 19 May", f"Welcome {evil.replace(chr(34), chr(34) * 2)}")
    pkg.replace("meetings.csv", "2nd Foreign Ministers' Meeting", "2nd <i>Foreign</i> Ministers' Meeting")
    pkg.replace("persons.csv", "Mukhtar Tleuberdi", "Mukhtar <img src=x onerror=alert(1)> Tleuberdi")
    out = tmp_path / "release"
    build(pkg.root, out)
    generate(out)
    site = out / "site"
    texts = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    joined = "\n".join(texts.values())
    for raw in ("<script>", "<b>bold</b>", "<i>Foreign</i>", "<img src=x"):
        assert raw not in joined, raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in texts["meetings/summit-2023-05-18.html"]
    assert "2nd &lt;i&gt;Foreign&lt;/i&gt; Ministers&#39; Meeting" in texts["timeline.html"]
    assert "Mukhtar &lt;img src=x onerror=alert(1)&gt; Tleuberdi" in texts["meetings/fmm-2020-07-16.html"]


def test_only_web_links_become_links() -> None:
    from c5data.diplomacy.site.render import Site

    assert Site.external("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert Site.external("HTTP://example.org") == "HTTP://example.org"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.org", "file:///etc/passwd", "", None):
        assert Site.external(bad) is None, bad


def test_site_command(release: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["site", str(release), "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "pages" in result.output and (tmp_path / "s" / "index.html").is_file()
    foreign = tmp_path / "not-a-site"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    result = runner.invoke(main, ["site", str(release), "--out", str(foreign)])
    assert result.exit_code == 2
    assert "not a c5data site" in result.output and (foreign / "keep.txt").read_text(encoding="utf-8") == "mine"
    result = runner.invoke(main, ["site", str(tmp_path / "missing"), "--out", str(tmp_path / "t")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_a_site_inside_a_release_keeps_it_verifiable(site: Path, release: Path) -> None:
    from c5data.releasing.publishing import verify

    result = verify(release)
    assert result.ok, result.problems
    assert "  site/index.html\n" in (release / "SHA256SUMS").read_text(encoding="utf-8")


def test_refuses_to_write_over_the_release(release: Path) -> None:
    with pytest.raises(SiteError, match="must not be or contain the release"):
        generate(release, release)
    with pytest.raises(SiteError, match="must not be or contain the release"):
        generate(release, release.parent)


def test_as_a_build_writer_the_site_is_in_the_release_and_its_checksums(shipped_release) -> None:
    from c5data.releasing.publishing import verify

    assert "site/index.html" in shipped_release.files and "site/static/style.css" in shipped_release.files
    sums = (shipped_release.out / "SHA256SUMS").read_text(encoding="utf-8")
    assert "  site/index.html\n" in sums and "  site/timeline.html\n" in sums
    assert verify(shipped_release.out).ok, verify(shipped_release.out).problems
    downloads = (shipped_release.out / "site" / "downloads.html").read_text(encoding="utf-8")
    assert '<a href="../SHA256SUMS" download>SHA256SUMS</a>' in downloads
    assert "site/index.html" not in downloads and "SHA256SUMS</a></th>" not in downloads


def test_long_lists_are_cut_and_say_where_the_rest_is(release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page lists at most LISTED rows of a kind and a browse page carries at most EMBEDDED: the rest is counted and pointed to."""
    from c5data.diplomacy.site import model, readers

    monkeypatch.setattr(readers, "LISTED", 3)
    monkeypatch.setattr(readers, "EMBEDDED", 5)
    monkeypatch.setattr(model, "EMBEDDED", 5)
    site = tmp_path / "site"
    generate(release, site)
    cites: dict[str, int] = {}
    for row in rows(release, "participants"):
        for sid in row["source_ids"].split(";"):
            cites[sid] = cites.get(sid, 0) + 1
    most = max(cites, key=lambda s: cites[s])
    assert cites[most] > 3
    page = (site / "sources" / f"{most}.html").read_text(encoding="utf-8")
    assert f"first 3 of {cites[most]} rows" in page and 'href="../tables/participants.html"' in page
    pledges = (site / "pledges.html").read_text(encoding="utf-8")
    assert f"first 3 of {len(rows(release, 'pledges'))} rows" in pledges
    assert pledges.count('class="pledge-list"') <= 3
    browse = (site / "tables" / "sources.html").read_text(encoding="utf-8")
    assert f"first 5 of the {len(rows(release, 'sources'))} rows" in browse
    uncertain = (site / "uncertain.html").read_text(encoding="utf-8")
    assert "This list shows the first 3 of" in uncertain
    assert_links_resolve(site)


def test_a_site_refuses_a_published_version_and_a_planted_file(release: Path, tmp_path: Path, copy_of) -> None:
    """A published version is never rewritten, and a file planted in a release is not hashed into its SHA256SUMS."""
    import shutil

    from c5data.releasing.publishing import verify

    published = tmp_path / "dist" / "releases" / "0.1.0"
    shutil.copytree(release, published)
    (tmp_path / "dist" / "releases.json").write_text('{"latest": "0.1.0", "releases": [{"version": "0.1.0"}]}', encoding="utf-8")
    before = (published / "SHA256SUMS").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["site", "--release", str(published)])
    assert result.exit_code == 2 and "published" in result.output and "Traceback" not in result.output
    assert (published / "SHA256SUMS").read_text(encoding="utf-8") == before
    mine = copy_of(release)
    (mine / "data" / "planted.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"planted\.csv \(not listed\)"):
        generate(mine)
    assert not verify(mine).ok  # still caught
    (mine / "data" / "planted.csv").unlink()
    generate(mine)  # a release as built gets its site again, and its list only the site's files anew
    assert verify(mine).ok
