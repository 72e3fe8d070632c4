"""The table rows that pages list by the hundred, written as HTML in Python rather than in a template loop.

A meeting page lists every participant and document, a person's page every
meeting attended: at scale these rows are most of the site's work, and a
Jinja loop costs tens of microseconds a row in attribute look-ups and calls.
Each function here returns the `<tr>` elements of one table body, escaped as
the templates' autoescape would, and the page layout stays in the templates.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from c5data.diplomacy.site.model import human_date, iso_date

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site


def refs(ids: list[str] | None, numbers: dict[str, int]) -> Markup:
    """A row's sources as links to the page's numbered list: `[1] [3]`."""
    if not ids:
        return Markup("")
    links = " ".join(f'<a href="#src-{n}" aria-label="source {n}">[{n}]</a>' for n in sorted({numbers[i] for i in ids if i in numbers}))
    return Markup(f'<span class="refs">{links}</span>')


def _notes(row: dict[str, Any]) -> str:
    return f'<br><span class="muted">{escape(row["notes"])}</span>' if row.get("notes") else ""


def _text(value: Any) -> Markup:
    return escape(value) if value not in (None, "") else Markup("")


def participant_rows(site: Site, participants: Iterable[dict[str, Any]], root: str, numbers: dict[str, int]) -> Markup:
    """The rows of a meeting's participants table."""
    out = []
    for p in participants:
        pid = p["person_id"]
        page = site.person_page(pid)
        name = escape(site.person(pid))
        named = f'<a href="{escape(root + page)}">{name}</a>' if page else name
        out.append(
            f'    <tr data-person-id="{escape(pid)}">\n'
            f'      <th scope="row" data-label="Name" class="person">{named}</th>\n'
            f'      <td data-label="Country">{escape(site.country(p.get("country")))}</td>\n'
            f'      <td data-label="Role">{escape(site.label("participants", "role", p.get("role")))}</td>\n'
            f'      <td data-label="Title">{_text(p.get("title_as_given"))}{_notes(p)}</td>\n'
            f'      <td data-label="Certainty">{_text(p.get("certainty"))}</td>\n'
            f'      <td data-label="Sources">{refs(p.get("source_ids"), numbers)}</td>\n'
            "    </tr>\n"
        )
    return Markup("".join(out))


def _time(value: Any, precision: str | None, shown: str | None = None) -> str:
    if not value:
        return ""
    return f'<time datetime="{escape(iso_date(value, precision))}">{escape(shown if shown is not None else human_date(value, precision))}</time>'


def _countries(site: Site, codes: Iterable[str] | None) -> str:
    return ", ".join(str(escape(site.country(c))) for c in codes or [])


def document_rows(site: Site, documents: Iterable[dict[str, Any]], root: str, numbers: dict[str, int]) -> Markup:
    """The rows of a meeting's documents table."""
    out = []
    for d in documents:
        did = d["document_id"]
        certainty = f'<br><span class="muted">Certainty: {escape(d["certainty"])}</span>' if d.get("certainty") else ""
        title = f'<a href="{escape(root + (site.document_page(did) or ""))}">{_text(d.get("title"))}</a>'
        out.append(
            f'    <tr id="d-{escape(did)}">\n'
            f'      <th scope="row" data-label="Title">{title}{_notes(d)}{certainty}</th>\n'
            f'      <td data-label="Kind">{escape(site.label("documents", "document_type", d.get("document_type")))}</td>\n'
            f'      <td data-label="Action">{escape(site.label("documents", "action", d.get("action")))}</td>\n'
            f'      <td data-label="Date">{_time(d.get("date"), d.get("date_precision"))}</td>\n'
            f'      <td data-label="Parties">{_countries(site, d.get("parties"))}</td>\n'
            f'      <td data-label="Sources">{refs(d.get("source_ids"), numbers)}</td>\n'
            "    </tr>\n"
        )
    return Markup("".join(out))


def participation_rows(site: Site, participations: Iterable[tuple[dict[str, Any], dict[str, Any] | None]], root: str) -> Markup:
    """The rows of a person's meetings table: each participation with its meeting."""
    out = []
    for r, m in participations:
        when = _time(m.get("start_date"), m.get("date_precision"), site.when(m)) if m else ""
        meeting = f'<a href="{escape(root + site.meeting_page(r["meeting_id"]))}">{_text(m.get("meeting_name"))}</a>' if m else escape(r["meeting_id"])
        sources = " ".join(f'<a href="{escape(root + (site.source_page(s) or ""))}"><code>{escape(s)}</code></a>' for s in r.get("source_ids") or [])
        out.append(
            "    <tr>\n"
            f'      <td data-label="Date">{when}</td>\n'
            f'      <th scope="row" data-label="Meeting">{meeting}</th>\n'
            f'      <td data-label="Role">{escape(site.label("participants", "role", r.get("role")))}</td>\n'
            f'      <td data-label="Position">{escape(site.label("participants", "position", r.get("position")))}</td>\n'
            f'      <td data-label="Portfolio">{escape(site.label("participants", "portfolio", r.get("portfolio")))}</td>\n'
            f'      <td data-label="Title as given">{_text(r.get("title_as_given"))}{_notes(r)}</td>\n'
            f'      <td data-label="Sources">{sources}</td>\n'
            "    </tr>\n"
        )
    return Markup("".join(out))


def _related(site: Site, root: str, pledge_id: str, note: str) -> str:
    """A link to a pledge this one is part of or restates, named by its commitment."""
    other = site.pledge_by_id.get(pledge_id) or {}
    return f'<a href="{escape(root + site.pledge_link(pledge_id))}">{escape(other.get("commitment") or pledge_id)}</a> ({note})'


def _fact(term: str, value: Any) -> str:
    return f"      <div><dt>{term}</dt><dd>{value}</dd></div>\n"


def pledge_items(site: Site, pledges: Iterable[dict[str, Any]], followups: dict[str, list[dict[str, Any]]], root: str, numbers: dict[str, int]) -> Markup:
    """The items of a meeting's list of pledges: each pledge's facts, status and follow-ups."""
    out = []
    for p in pledges:
        pid = p["pledge_id"]
        st = site.status.get(pid)
        status = (
            f"{escape(site.label('pledge_followups', 'status', st['status']))} as of {_time(st['as_of_date'], st.get('as_of_date_precision'))}"
            if st
            else "no follow-up recorded"
        )
        facts = [
            _fact("Pledger", escape(site.country(p.get("pledger")))),
            _fact("For", _countries(site, p.get("beneficiaries"))),
            _fact("Sector", escape(site.label("pledges", "sector", p.get("sector")))),
            _fact("Type", escape(site.label("pledges", "commitment_type", p.get("commitment_type")))),
        ]
        if p.get("quantity") is not None:
            facts.append(_fact("Amount", escape(site.amount(p))))
        if p.get("timeframe_text") or p.get("due_year"):
            due = f"due {escape(p['due_year'])}" if p.get("due_year") else ""
            facts.append(_fact("Timeframe", _text(p.get("timeframe_text")) + ("; " if p.get("timeframe_text") and due else "") + due))
        if p.get("parent_pledge_id"):
            facts.append(_fact("Component of", _related(site, root, p["parent_pledge_id"], "not counted separately")))
        if p.get("restates_pledge_id"):
            facts.append(_fact("Restates", _related(site, root, p["restates_pledge_id"], "not counted again")))
        facts += [_fact("Status", status), _fact("Certainty", _text(p.get("certainty")))]
        notes = f'    <p class="muted">{escape(p["notes"])}</p>\n' if p.get("notes") else ""
        later = ""
        if followups.get(pid):
            items = "".join(
                f"      <li>{_time(f['as_of_date'], f.get('as_of_date_precision'))}: "
                f"<strong>{escape(site.label('pledge_followups', 'status', f.get('status')))}</strong> "
                f"({escape(site.label('pledge_followups', 'evidence', f.get('evidence')))}). {_text(f.get('observation'))} {refs(f.get('source_ids'), numbers)}</li>\n"
                for f in followups[pid]
            )
            later = f'    <h3 class="h-small">Follow-ups</h3>\n    <ul class="followups">\n{items}    </ul>\n'
        out.append(
            f'  <li id="p-{escape(pid)}">\n'
            f'    <p class="pledge-text">{_text(p.get("commitment"))} {refs(p.get("source_ids"), numbers)}</p>\n'
            f'    <dl class="pledge-facts">\n{"".join(facts)}    </dl>\n'
            f"{notes}{later}"
            "  </li>\n"
        )
    return Markup("".join(out))


def _published(row: dict[str, Any]) -> str:
    return f", {_time(row['published_date'], row.get('published_date_precision'))}" if row.get("published_date") else ""


def numbered_sources(site: Site, sources: Iterable[dict[str, Any]], root: str) -> Markup:
    """The items of a meeting page's numbered list of sources (`n`, `id`, `row` each), which the `[n]` marks point to."""
    out = []
    for s in sources:
        n, sid, row = s["n"], s["id"], s["row"]
        if not row:
            out.append(f'  <li id="src-{n}" value="{n}"><code>{escape(sid)}</code> (not in the sources table)</li>\n')
            continue
        url = site.external(row.get("url"))
        if url:
            title = f'<a href="{escape(url)}" rel="noopener">{escape(row.get("headline") or url)}</a>'
        else:
            title = str(escape(row.get("headline") or sid)) + (f' <span class="muted">({escape(row["url"])})</span>' if row.get("url") else "")
        language = ""
        if row.get("language"):
            language = f' <span class="muted">[{escape(row["language"])}{", machine-translated" if row.get("machine_translated") else ""}]</span>'
        kind = escape(site.label("sources", "source_type", row.get("source_type")))
        notes = f" {escape(row['notes'])}" if row.get("notes") else ""
        out.append(
            f'  <li id="src-{n}" value="{n}">{title}.\n'
            f"    {_text(row.get('publisher'))}{_published(row)}{language}\n"
            f'    <span class="muted">({kind}; <a href="{escape(root + (site.source_page(sid) or ""))}"><code>{escape(sid)}</code></a>){notes}</span></li>\n'
        )
    return Markup("".join(out))


def source_item(sid: str, row: dict[str, Any] | None, site: Site, root: str) -> Markup:
    """One source in an entity page's list: headline linked to its page, publisher, date, link to the original."""
    if not row:
        return Markup(f'<code>{escape(sid)}</code> <span class="muted">(not in the sources table)</span>')
    url = site.external(row.get("url"))
    original = f' <a href="{escape(url)}" rel="noopener" class="ext">original</a>' if url else ""
    page = escape(root + (site.source_page(sid) or ""))
    headline = f'<a href="{page}">{escape(row.get("headline") or sid)}</a>'
    return Markup(f'{headline}. {_text(row.get("publisher"))}{_published(row)}{original} <span class="muted">(<code>{escape(sid)}</code>)</span>')
