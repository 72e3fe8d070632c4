"""The change feed: an Atom feed (RFC 4287) of the releases, from the CHANGELOG.md and changes.json a release carries.

One entry per version the changelog dates (`## [X.Y.Z] - YYYY-MM-DD`), newest first, its text the changelog's
entry as HTML; the entry of this version opens with what changes.json counts (rows added, corrected, renamed,
removed). A reader subscribes to the feed of the latest release, whose address stays the same across releases.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from c5data.diplomacy.site.citing import page_url
from c5data.diplomacy.site.markdown import to_html
from c5data.reading.changelog import DATED
from c5data.reading.metadata import Metadata

FILE = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    version: str
    date: str
    text: str  # the changelog's Markdown for this version


def entries(changelog: str) -> list[Entry]:
    """The dated versions of a changelog, in its order (newest first), each with its text."""
    found = list(DATED.finditer(changelog))
    out = []
    for n, match in enumerate(found):
        end = found[n + 1].start() if n + 1 < len(found) else len(changelog)
        rest = changelog[match.end() : end]
        nxt = re.search(r"^## ", rest, re.M)  # an undated heading (e.g. [Unreleased]) ends the entry
        out.append(Entry(match.group(1), match.group(2), (rest[: nxt.start()] if nxt else rest).strip()))
    return out


def counted(changes: dict[str, Any]) -> str:
    """`12 rows added, 9 corrected, 5 renamed` from a changes.json (empty when it counts nothing)."""
    totals = {"added": 0, "changed": 0, "renamed": 0, "removed": 0}
    for t in (changes.get("tables") or {}).values():
        for kind in totals:
            totals[kind] += int(((t or {}).get("counts") or {}).get(kind) or 0)
    words = {"added": "added", "changed": "corrected", "renamed": "renamed", "removed": "removed"}
    parts = [f"{n} {words[k]}" for k, n in totals.items() if n]
    return ("Rows: " + ", ".join(parts) + ".") if parts else ""


def _stamp(date: str, created: str | None = None) -> str:
    """An RFC 3339 time: the release's own time when it falls on that date, else midnight UTC."""
    if created and created.startswith(date) and re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z", created):
        return created
    return f"{date}T00:00:00Z"


def feed(meta: Metadata, version: str, created: str, root: Path) -> bytes:
    """The Atom feed of the release at `root` (its CHANGELOG.md and changes.json) as UTF-8 XML."""
    changelog = root / "CHANGELOG.md"
    listed = entries(changelog.read_text(encoding="utf-8")) if changelog.is_file() else []
    try:
        changes = json.loads((root / "changes.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        changes = {}
    if not any(e.version == version for e in listed) and re.match(r"\d{4}-\d{2}-\d{2}", created):
        listed.insert(0, Entry(version, created[:10], ""))  # a build the changelog does not date yet still has its entry
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    def address(v: str, page: str) -> str:
        return page_url(meta, v, page) or f"urn:{meta.name}:release:{v}:{page}"

    top = ET.Element(f"{{{ATOM}}}feed")
    sub(top, "id", (meta.homepage + "releases/latest/site/" + FILE) if meta.homepage else f"urn:{meta.name}:releases")
    sub(top, "title", f"{meta.title}: releases")
    sub(top, "subtitle", "Each version of the data package: what was added, corrected and renamed.")
    sub(top, "updated", _stamp(listed[0].date, created) if listed else _stamp(created[:10] or "1970-01-01", created))
    if meta.homepage:
        sub(top, "link", rel="self", type="application/atom+xml", href=meta.homepage + "releases/latest/site/" + FILE)
        sub(top, "link", rel="alternate", type="text/html", href=meta.homepage)
    author = sub(top, "author")
    sub(author, "name", "; ".join(meta.authors))
    if meta.repository:
        sub(author, "uri", meta.repository)
    sub(top, "generator", "c5data site")
    for e in listed:
        entry = sub(top, "entry")
        sub(entry, "id", address(e.version, "index.html"))
        sub(entry, "title", f"Version {e.version}")
        sub(entry, "updated", _stamp(e.date, created if e.version == version else None))
        sub(entry, "link", rel="alternate", type="text/html", href=address(e.version, "index.html"))
        summary = counted(changes) if e.version == version and changes.get("version") == version else ""
        if summary:
            sub(entry, "summary", summary)
        body = (f"<p>{summary}</p>\n" if summary else "") + str(to_html(e.text, top=2, ident=f"v{e.version}") if e.text else "<p>Released.</p>")
        sub(entry, "content", body, type="html")
    ET.indent(top)
    xml: bytes = ET.tostring(top, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + xml + b"\n"
