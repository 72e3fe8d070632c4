"""Citing and freshness without a browser: the three citation forms, the row histories, the Atom feed, the schema.org
JSON-LD (checked against the vendored schema.org subset) and the report links, on the repository's own release."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from c5data.diplomacy.site import about, citing, feed, freshness
from c5data.files.hashing import parse_sums
from c5data.reading.metadata import metadata

from releasekit import ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
VOCABULARY = ROOT / "tests" / "fixtures" / "schemaorg" / "schemaorg-subset.jsonld"
KINDS = {"meetings": "meetings", "people": "persons", "documents": "documents", "pledges": "pledges", "sources": "sources"}
META = metadata(
    {
        "name": "demo",
        "title": "Demo {50%} & co_",
        "homepage": "https://example.org/demo",
        "contributors": [{"title": "A & B", "roles": ["author"]}, {"title": "Keepers", "path": "https://github.com/o/r/issues", "roles": ["maintainer"]}],
        "licenses": [{"name": "CC-BY-4.0"}],
    }
)


# --- the three forms ----------------------------------------------------------------------------------------------


def test_bibtex_escapes_what_latex_would_read_as_markup():
    assert citing.bibtex_escape("50% of A&B_c {x} #1 $2 ~ ^ \\") == r"50\% of A\&B\_c \{x\} \#1 \$2 \~{} \^{} \textbackslash{}"
    entry = citing.bibtex(citing.record(META, "1.0.0", "2025-03-04T10:00:00Z", "meetings/x.html", title="A {weird} title", row=("meetings", "x")))
    assert entry.startswith("@misc{demo_1_0_0_meetings_x,\n") and entry.endswith("\n}")
    assert r"title        = {{A \{weird\} title}}" in entry and r"{{A \& B}}" in entry
    body = re.sub(r"\\[{}]", "", entry)  # braces balance once the escaped ones are left out
    depth = 0
    for ch in body:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert "url          = {https://example.org/demo/releases/1.0.0/site/meetings/x.html}" in entry and "urldate      = {YYYY-MM-DD}" in entry


def test_csl_json_is_valid_json_with_the_fields_a_citation_needs():
    record = citing.record(META, "1.0.0", "2025-03-04T10:00:00Z", "pledges/p.html", title="Pledge: a loan", row=("pledges", "p"))
    (item,) = json.loads(citing.csl_json(record))
    assert item["id"] == "demo_1_0_0_pledges_p" and item["type"] == "entry"  # id and type: the two CSL-JSON requires
    assert item["title"] == "Pledge: a loan" and item["container-title"] == "Demo {50%} & co_"
    assert item["author"] == [{"literal": "A & B"}] and item["version"] == "1.0.0"
    assert item["issued"] == {"date-parts": [[2025, 3, 4]]} and item["accessed"] == {"raw": citing.ACCESS}
    assert item["URL"] == "https://example.org/demo/releases/1.0.0/site/pledges/p.html"
    (whole,) = citing.csl(citing.record(META, "1.0.0", "2025-03-04", "index.html"))
    assert whole["type"] == "dataset" and "container-title" not in whole


def test_plain_text_names_authors_year_title_version_address_and_access_date():
    text = citing.plain(citing.record(META, "1.0.0", "2025-03-04", "index.html"))
    assert (
        text
        == "A & B (2025). Demo {50%} & co_, version 1.0.0 [Data set]. Licence: CC-BY-4.0. https://example.org/demo/releases/1.0.0/site/index.html (accessed YYYY-MM-DD)."
    )


def test_without_a_home_page_no_form_claims_an_address():
    bare = metadata({"name": "demo", "title": "Demo"})
    record = citing.record(bare, "1.0.0", "2025-03-04", "index.html")
    assert record.url is None and "http" not in citing.plain(record) + citing.bibtex(record) + citing.csl_json(record)
    assert about.report_url(bare, "meetings", "x", "1.0.0", None) is None


# --- freshness ----------------------------------------------------------------------------------------------------


def test_release_time_in_words():
    assert freshness.released_in_words("2026-12-01T10:05:00Z") == "1 December 2026 at 10:05 UTC"
    assert freshness.released_in_words("2026-12-01") == "1 December 2026"
    assert freshness.released_in_words("soon") == "soon"


def test_row_history_says_only_what_the_changes_show(tmp_path: Path):
    changes = {
        "version": "0.3.0",
        "previous_version": "0.2.0",
        "tables": {
            "meetings": {
                "primary_key": ["meeting_id"],
                "rows_added": [{"meeting_id": "new"}],
                "rows_changed": [{"key": {"meeting_id": "fixed"}, "changes": {"notes": {"old": "a", "new": "b"}}}],
                "rows_renamed": [{"old": {"meeting_id": "was"}, "new": {"meeting_id": "now"}, "changes": {}}],
            }
        },
    }
    (tmp_path / "changes.json").write_text(json.dumps(changes))
    history = freshness.History(tmp_path, "0.3.0")
    assert history.row("meetings", "new").sentence() == "First appeared in version 0.3.0 (this release)."
    assert history.row("meetings", "fixed").sentence() == "First appeared in version 0.2.0 or earlier; last changed in version 0.3.0 (this release)."
    assert history.row("meetings", "now").sentence() == "First appeared in version 0.2.0 or earlier; renamed in 0.3.0 (was was); unchanged in 0.3.0."
    assert history.row("meetings", "old").sentence() == "First appeared in version 0.2.0 or earlier; unchanged in 0.3.0."
    assert freshness.History(tmp_path, "0.4.0").row("meetings", "new") is None  # changes of another version say nothing


# --- the release's site -------------------------------------------------------------------------------------------


def _descriptor(release: Path) -> dict:
    return json.loads((release / "datapackage.json").read_text(encoding="utf-8"))


def _rows_pages(site: Path, folder: str) -> list[Path]:
    """The pages of one kind of row, without the small pages at old addresses that forward to a renamed row."""
    return [p for p in sorted((site / folder).glob("*.html")) if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]


def _cite_url(page: str) -> str | None:
    match = re.search(r'<a class="cite-url" href="([^"]+)"', page)
    return html.unescape(match.group(1)) if match else None


def test_every_kind_of_page_carries_a_cite_this_block_with_its_absolute_address(site: Path, release: Path):
    d = _descriptor(release)
    base = d["homepage"].rstrip("/") + f"/releases/{d['version']}/site/"
    country_and_place = [min((site / folder).glob("*.html"), key=lambda p: (p.name == "index.html", p.name)) for folder in ("countries", "places")]
    pages = [site / "index.html"] + [_rows_pages(site, folder)[0] for folder in KINDS] + country_and_place
    for file in pages:
        text = file.read_text(encoding="utf-8")
        rel = file.relative_to(site).as_posix()
        assert _cite_url(text) == base + rel, rel
        forms = re.search(r'<code class="cite-csl">(.*?)</code>', text, re.S)
        assert forms, rel
        (item,) = json.loads(html.unescape(forms.group(1)))
        assert item["URL"] == base + rel and item["version"] == d["version"]
        assert "@misc{" in text and citing.ACCESS in text


def test_each_rows_page_links_a_prefilled_issue_naming_the_row_and_the_version(site: Path, release: Path):
    d = _descriptor(release)
    tracker = metadata(d).issue_tracker
    assert tracker, "datapackage.json names a maintainer reachable at an issue tracker"
    checked = 0
    for folder, table in KINDS.items():
        for file in _rows_pages(site, folder)[:5]:
            text = file.read_text(encoding="utf-8")
            href = html.unescape(re.search(r'<a class="report-row" href="([^"]+)"', text).group(1))
            parts = urlsplit(href)
            assert f"{parts.scheme}://{parts.netloc}{parts.path}" == tracker + "/new"
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            assert query["template"] == about.FORM and query["table"] == table and query["version"] == d["version"]
            assert f"<code>{html.escape(query['row'])}</code>" in text  # the id the page shows
            assert query["page"] == _cite_url(text)
            checked += 1
    assert checked >= len(KINDS)


def test_row_pages_say_when_their_row_appeared(site: Path, release: Path):
    version = _descriptor(release)["version"]
    changes = json.loads((release / "changes.json").read_text(encoding="utf-8")) if (release / "changes.json").is_file() else {}
    folders = {table: folder for folder, table in KINDS.items()}
    pages = {}
    for folder in KINDS:
        for file in _rows_pages(site, folder):
            ident = re.search(r'<a class="report-row"[^>]*data-row="([^"]*)"', file.read_text(encoding="utf-8")).group(1)
            pages[(KINDS[folder], html.unescape(ident))] = file.read_text(encoding="utf-8")
    if changes.get("version") != version:  # the release does not carry its own changes: no page claims a history
        assert all("This release carries no history of its rows." in text for text in pages.values())
        return
    touched = set()
    for table, t in changes["tables"].items():
        key = t["primary_key"]
        for row in t.get("rows_added", []):
            ident = "/".join(str(row[k]) for k in key)
            touched.add((table, ident))
            if table in folders:
                assert f"First appeared in version {version} (this release)." in pages[(table, ident)], ident
        for row in t.get("rows_changed", []):
            touched.add((table, "/".join(str(row["key"][k]) for k in key)))
    untouched = [text for ident, text in pages.items() if ident not in touched and "renamed in" not in text]
    if changes.get("previous_version"):  # after a first release every row first appeared in it
        assert untouched, "every row page is touched by this release: nothing left to check the earlier wording on"
        assert all(f"First appeared in version {changes['previous_version']} or earlier; unchanged in {version}." in text for text in untouched)


def test_home_page_says_how_far_the_rows_reach_and_when_the_release_was_made(site: Path, release: Path):
    text = (site / "index.html").read_text(encoding="utf-8")
    created = _descriptor(release)["created"]
    assert freshness.released_in_words(created) in text
    with open(release / "data" / "pledge_followups.csv", encoding="utf-8", newline="") as fh:
        dates = [r["as_of_date"] for r in csv.DictReader(fh) if r["as_of_date"]]
    assert "Latest meeting held" in text and ("Latest follow-up" in text) == bool(dates)
    if dates:
        assert f'<time datetime="{max(dates)[:7]}' in text.split("Latest follow-up")[1].split("</div>")[0]


def test_the_feed_is_atom_with_an_entry_per_released_version(site: Path, release: Path):
    root = ET.parse(site / feed.FILE).getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    entries = root.findall(f"{ATOM}entry")
    dated = feed.entries((release / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert [e.find(f"{ATOM}title").text for e in entries][: len(dated)] == [f"Version {e.version}" for e in dated]
    for e in entries:
        for name in ("id", "title", "updated", "content"):
            assert e.find(f"{ATOM}{name}") is not None and e.find(f"{ATOM}{name}").text, name
        dt.datetime.fromisoformat(e.find(f"{ATOM}updated").text.replace("Z", "+00:00"))  # RFC 3339
    assert len({e.find(f"{ATOM}id").text for e in entries}) == len(entries)
    assert 'type="application/atom+xml"' in (site / "index.html").read_text(encoding="utf-8")


# --- schema.org ---------------------------------------------------------------------------------------------------


class Vocabulary:
    """The vendored schema.org subset: classes with their superclasses, properties with their domains and ranges."""

    def __init__(self, path: Path):
        graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
        name = lambda ref: ref["@id"].removeprefix("schema:")
        self.parents = {name(n): {name(s) for s in n.get("rdfs:subClassOf", [])} for n in graph if n["@type"] != "rdf:Property"}
        self.props = {
            name(n): ({name(d) for d in n["schema:domainIncludes"]}, {name(r) for r in n["schema:rangeIncludes"]}) for n in graph if n["@type"] == "rdf:Property"
        }

    def ancestors(self, cls: str) -> set[str]:
        out, todo = {cls}, [cls]
        while todo:
            for parent in self.parents.get(todo.pop(), ()):
                if parent not in out:
                    out.add(parent)
                    todo.append(parent)
        return out

    def literal_fits(self, value: object, ranges: set[str]) -> bool:
        if isinstance(value, bool):
            return "Boolean" in ranges
        if isinstance(value, (int, float)):
            return bool(ranges & {"Number", "Integer"})
        if not isinstance(value, str):
            return False
        checks = {
            "Text": lambda v: True,
            "URL": lambda v: re.match(r"^https?://\S+$", v) is not None,
            "Date": lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}", v) is not None,
            "DateTime": lambda v: re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?", v) is not None,
        }
        return any(checks[r](value) for r in ranges if r in checks)

    def problems(self, node: dict, where: str = "$") -> list[str]:
        out = []
        cls = node.get("@type")
        if cls not in self.parents:
            return [f"{where}: type {cls!r} is not in the vocabulary"]
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            if prop not in self.props:
                out.append(f"{where}.{prop}: not a schema.org property")
                continue
            domains, ranges = self.props[prop]
            if not self.ancestors(cls) & domains:
                out.append(f"{where}.{prop}: not a property of {cls}")
            for i, item in enumerate(value if isinstance(value, list) else [value]):
                at = f"{where}.{prop}[{i}]"
                if isinstance(item, dict):
                    if not self.ancestors(str(item.get("@type"))) & ranges:
                        out.append(f"{at}: a {item.get('@type')} is not in its range {sorted(ranges)}")
                    out += self.problems(item, at)
                elif not self.literal_fits(item, ranges):  # a value fits a range by fitting it or a narrower type
                    out.append(f"{at}: {item!r} fits none of {sorted(ranges)}")
        return out


def _jsonld(site: Path) -> dict:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', (site / "index.html").read_text(encoding="utf-8"), re.S)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def test_the_vocabulary_check_catches_what_schema_org_does_not_allow():
    vocab = Vocabulary(VOCABULARY)
    assert vocab.problems({"@type": "Dataset", "name": "x", "distribution": [{"@type": "DataDownload", "contentUrl": "x.zip"}]}) == [
        "$.distribution[0].contentUrl[0]: 'x.zip' fits none of ['URL']"
    ]
    assert vocab.problems({"@type": "Country", "distribution": []}) == ["$.distribution: not a property of Country"]
    assert vocab.problems({"@type": "Dataset", "spatialCoverage": {"@type": "Organization", "name": "x"}}) == [
        "$.spatialCoverage[0]: a Organization is not in its range ['Place']"
    ]
    assert vocab.problems({"@type": "Dataset", "checksum": "x"}) == ["$.checksum: not a schema.org property"]


def test_the_home_pages_json_ld_is_a_schema_org_dataset(site: Path, release: Path):
    node = _jsonld(site)
    assert node["@context"] in ("https://schema.org/", "https://schema.org") and node["@type"] == "Dataset"
    assert Vocabulary(VOCABULARY).problems(node) == []
    d = _descriptor(release)
    assert (node["name"], node["version"], node["description"]) == (d["title"], d["version"], d["description"])
    for key in ("license", "creator", "temporalCoverage", "spatialCoverage", "distribution"):
        assert node.get(key), key
    start, end = node["temporalCoverage"].split("/")
    assert dt.date.fromisoformat(start) <= dt.date.fromisoformat(end)


def test_the_json_ld_distribution_names_the_zip_parquet_and_duckdb_files_with_their_checksums(site: Path, release: Path):
    d = _descriptor(release)
    sums = parse_sums((release / "SHA256SUMS").read_text(encoding="utf-8"))
    prefix = d["homepage"].rstrip("/") + f"/releases/{d['version']}/"
    files = {}
    for download in _jsonld(site)["distribution"]:
        assert download["contentUrl"].startswith(prefix)
        files[download["contentUrl"].removeprefix(prefix)] = download["sha256"]
    assert any(f.endswith(".zip") for f in files) and any(f.endswith(".duckdb") for f in files)
    assert {f"parquet/{r['name']}.parquet" for r in d["resources"]} <= set(files)
    for rel, digest in files.items():
        assert sums[rel] == digest, rel
