"""How fresh the release is: how far each kind of row reaches, when it was made (in words), and in which version a
row first appeared and last changed, as far as the release's own `changes.json` tells.

A release carries the changes since the one before it, not the whole history: a row added or changed in this version
is dated exactly; any other row is "in <previous version> or earlier", never a guessed version.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c5data.diplomacy.site.model import MONTHS, human_date
from c5data.diplomacy.site.readers import joined_key

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

CHANGES = "changes.json"


def released_in_words(created: str) -> str:
    """`2026-12-01T10:05:00Z` -> `1 December 2026 at 10:05 UTC` (the text as given when it is not such a time)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:?00)?)?", created.strip())
    if not match:
        return created
    year, month, day, hour, minute, utc = match.groups()
    words = f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    if hour is not None:
        words += f" at {hour}:{minute}" + (" UTC" if utc else "")
    return words


@dataclass(frozen=True)
class Reach:
    """How far one kind of row reaches: its latest date, as precisely as that row knows it, and what it is."""

    label: str
    date: dt.date | None
    precision: str | None
    what: str
    href: str | None

    @property
    def words(self) -> str:
        return human_date(self.date, self.precision) if self.date else ""


@dataclass(frozen=True)
class RowHistory:
    """In which version a row first appeared and last changed (None: earlier than the release history reaches)."""

    first: str | None
    changed: str | None
    renamed_from: str | None
    previous: str | None  # the version before this one, which bounds "or earlier"
    version: str

    def sentence(self) -> str:
        """The history in words for the row's page."""
        earlier = f"{self.previous} or earlier" if self.previous else None
        if self.first == self.version:
            return f"First appeared in version {self.version} (this release)."
        first = f"First appeared in version {earlier}" if earlier else "First appeared before this release"
        renamed = f"; renamed in {self.version} (was {self.renamed_from})" if self.renamed_from else ""
        changed = f"last changed in version {self.version} (this release)" if self.changed == self.version else f"unchanged in {self.version}"
        return f"{first}{renamed}; {changed}."


class History:
    """The row histories one release's changes.json allows (empty when the release has none for its version)."""

    def __init__(self, root: Path, version: str):
        self.version = version
        self.previous: str | None = None
        self.known = False  # does the release say anything about its rows' history?
        self._added: set[tuple[str, str]] = set()
        self._changed: set[tuple[str, str]] = set()
        self._renamed: dict[tuple[str, str], str] = {}
        doc = _read(root / CHANGES)
        if doc is None or doc.get("version") != version:
            return
        self.known = True
        self.previous = doc.get("previous_version") if isinstance(doc.get("previous_version"), str) else None
        for table, t in (doc.get("tables") or {}).items():
            if not isinstance(t, dict):
                continue
            key = [str(k) for k in t.get("primary_key") or []]
            ident = functools.partial(joined_key, key)
            self._added |= {(table, ident(r)) for r in t.get("rows_added") or [] if isinstance(r, dict)}
            self._changed |= {(table, ident(r["key"])) for r in t.get("rows_changed") or [] if isinstance(r, dict) and isinstance(r.get("key"), dict)}
            for r in t.get("rows_renamed") or []:
                if isinstance(r, dict) and isinstance(r.get("new"), dict) and isinstance(r.get("old"), dict):
                    self._renamed[(table, ident(r["new"]))] = ident(r["old"])
                    if r.get("changes"):
                        self._changed.add((table, ident(r["new"])))

    def row(self, table: str, ident: str) -> RowHistory | None:
        """The history of one row, or None when the release carries none."""
        if not self.known:
            return None
        key = (table, ident)
        first = self.version if key in self._added or self.previous is None else None
        return RowHistory(first, self.version if key in self._changed or first else None, self._renamed.get(key), self.previous, self.version)


def _read(path: Path) -> dict[str, Any] | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a release without its changes (or with one it cannot read) simply says less
    return value if isinstance(value, dict) else None


def home(site: Site) -> dict[str, Any]:
    """How far each kind of row reaches, for the home page (the release time in words is on every page)."""
    from c5data.diplomacy.site import readers

    held = [m for m in site.meetings if site.held(m) and m.get("start_date") is not None]
    reach = []
    if held:
        m = max(held, key=lambda m: (m["start_date"], m["meeting_id"]))
        reach.append(Reach("Latest meeting held", m["start_date"], m.get("date_precision"), m.get("meeting_name") or m["meeting_id"], site.meeting_page(m["meeting_id"])))
    dated = [f for f in site.followups if f.get("as_of_date") is not None]
    if dated:
        f = max(dated, key=lambda f: (f["as_of_date"], f["followup_id"]))
        pledge = site.pledge_by_id.get(f["pledge_id"]) or {}
        href = f"{site.pledge_link(f['pledge_id'])}#{site.followup_anchor(f['followup_id'])}"
        reach.append(Reach("Latest follow-up", f["as_of_date"], f.get("as_of_date_precision"), pledge.get("commitment") or f["pledge_id"], href))
    docs = [d for d in site.data.rows["documents"] if d.get("date") is not None]
    if docs:
        d = max(docs, key=lambda d: (d["date"], d["document_id"]))
        reach.append(Reach("Latest document", d["date"], d.get("date_precision"), d.get("title") or d["document_id"], readers.entity_page("documents", d["document_id"])))
    return {"reach": reach}
