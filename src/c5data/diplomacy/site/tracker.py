"""The pledge tracker page and a page per pledge, from the release's `pledge_tracker` view (never recomputed here).

What a reader asks first is "how much was delivered": the tracker answers it at the top, counting a pledge as
delivered only on evidence other than the pledger's own word, and never counting a target (a goal such as a trade
volume) as delivered. Money is added up within one currency only; targets and other commitments are listed apart.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from c5data.diplomacy.site.model import group

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

KINDS = (("money", "Money"), ("target", "Targets and goals"), ("other", "Other commitments"))


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of a set of tracker rows: counted, with a report, confirmed by someone other than the pledger, overdue,
    and the money pledged and confirmed per currency (targets are never counted as delivered)."""
    deliverable = [r for r in rows if r["kind"] != "target"]
    money: dict[str, dict[str, float]] = defaultdict(lambda: {"pledged": 0.0, "confirmed": 0.0})
    for r in rows:
        if r["kind"] == "money" and r.get("quantity") is not None:
            m = money[r["unit"]]
            m["pledged"] += r["quantity"]
            if r["delivery_confirmed"]:
                m["confirmed"] += r["quantity"]
    return {
        "counted": len(rows),
        "targets": sum(1 for r in rows if r["kind"] == "target"),
        "deliverable": len(deliverable),
        "reported": sum(1 for r in rows if r["followups"]),
        "unreported": sum(1 for r in rows if not r["followups"]),
        "confirmed": sum(1 for r in deliverable if r["delivery_confirmed"]),
        "claimed": sum(1 for r in deliverable if not r["delivery_confirmed"] and r.get("status") in ("fulfilled", "claimed-fulfilled", "partially-fulfilled")),
        "overdue": sum(1 for r in rows if r["overdue"]),
        "money": sorted(money.items()),
    }


def _meeting_key(site: Site, meeting_id: str) -> tuple[dt.date, str]:
    m = site.meeting_by_id.get(meeting_id) or {}
    return (m.get("start_date") or dt.date.max, meeting_id)


def tracker(site: Site) -> dict[str, Any]:
    """The template context of the tracker page: the answer first, then per summit and per meeting, then the unreported."""
    rows = site.data.views.get("pledge_tracker", [])
    by_meeting = group(sorted(rows, key=lambda r: (_meeting_key(site, r["meeting_id"]), r["pledge_id"])), "meeting_id")
    meetings = []
    for mid, ps in by_meeting.items():
        m = site.meeting_by_id.get(mid)
        kinds = [(key, label, [r for r in ps if r["kind"] == key]) for key, label in KINDS]
        meetings.append({"id": mid, "m": m, "summary": summary(ps), "kinds": [k for k in kinds if k[2]]})
    summits = [x for x in meetings if x["m"] and x["m"]["series_id"] == "summit"]
    as_of = rows[0]["as_of_date"] if rows else None
    return {
        "all": summary(rows),
        "summits": summits,
        "meetings": meetings,
        "unreported": [r for r in rows if not r["followups"]],
        "as_of": as_of,
        "parts": parts_of(site),
        "has_view": "pledge_tracker" in site.data.views,
    }


def parts_of(site: Site) -> dict[str, list[dict[str, Any]]]:
    """Each pledge's components and restatements (rows whose parent_pledge_id or restates_pledge_id names it)."""
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in sorted(site.pledges, key=lambda p: p["pledge_id"]):
        for key in ("parent_pledge_id", "restates_pledge_id"):
            if p.get(key):
                out[p[key]].append(p)
    return out


def pledge(site: Site, p: dict[str, Any], followups: list[dict[str, Any]], parts: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The template context of a pledge's page: its facts, its tracker row, components, restatements and follow-ups."""
    pid = p["pledge_id"]
    children = parts.get(pid, [])
    sources = list(dict.fromkeys([*(p.get("source_ids") or []), *(s for f in followups for s in f.get("source_ids") or [])]))
    return {
        "p": p,
        "m": site.meeting_by_id.get(p["meeting_id"]),
        "row": site.tracker.get(pid),
        "components": [c for c in children if c.get("parent_pledge_id") == pid],
        "restatements": [c for c in children if c.get("restates_pledge_id") == pid and c.get("parent_pledge_id") != pid],
        "followups": followups,
        "sources": [(s, site.sources.get(s)) for s in sources],
    }
