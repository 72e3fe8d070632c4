"""The readers' pages: one page per person, document and source, a browse page per table and the uncertainty page.
Every link between rows is derived from the schemas' keys (`foreignKeys`, `x-listForeignKeys`).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from c5data.diplomacy.site.model import EMBEDDED

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
ENTITY_FOLDERS = {"meetings": "meetings", "persons": "people", "documents": "documents", "sources": "sources", "pledges": "pledges"}
#: The most rows a browse page writes into its HTML (for a reader without JavaScript; the script pages through all
#: the rows it carries, up to model.EMBEDDED).
LARGE = 2000
#: The most rows one list of a page shows (rows citing a source, uncertain rows of a table, a person's meetings);
#: beyond it the page gives the count and points to the table, so a page never grows with the whole release.
LISTED = 1000


@dataclass
class Listing:
    """The first rows of a list and how many there are in all (a page shows `rows` and says when there are more)."""

    rows: list[Any]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def listed(rows: list[Any], build: Callable[[Any], Any] = lambda r: r) -> Listing:
    """At most LISTED of `rows`, each made by `build` (only the rows shown are built), with the total."""
    return Listing([build(r) for r in rows[:LISTED]], len(rows))


def safe_name(ident: str) -> str:
    """A file name for an id (ids are slugs; anything else is made safe)."""
    if _SAFE.match(ident):
        return ident
    return re.sub(r"[^A-Za-z0-9._-]", lambda m: f"_{ord(m.group()):x}", ident).lstrip(".") or "_"


def entity_page(table: str, ident: str) -> str:
    """The site path of the page of one row of an entity table."""
    return f"{ENTITY_FOLDERS[table]}/{safe_name(ident)}.html"


def joined_key(key: list[str], row: dict[str, Any]) -> str:
    """The values of the key columns `key` in `row`, joined with `/` (as the uncertain_rows view writes an id)."""
    return "/".join(str(row.get(k) if row.get(k) is not None else "") for k in key)


def row_key(site: Site, table: str, row: dict[str, Any]) -> str:
    """A row's id: its primary key, the columns joined with `/`."""
    res = site.data.package.resource(table)
    return joined_key(list(res.schema.primary_key) if res is not None else [], row)


def row_anchor(key: str) -> str:
    """An HTML id for a row, so links can point at it."""
    return "row-" + re.sub(r"[^A-Za-z0-9._/-]", "_", key)


def row_link(site: Site, table: str, row: dict[str, Any]) -> str | None:
    """The page (site-relative) that shows a row best: its own page, its meeting's page, or its browse page."""
    if table in ENTITY_FOLDERS:
        key = {"meetings": "meeting_id", "persons": "person_id", "documents": "document_id", "sources": "source_id", "pledges": "pledge_id"}[table]
        if row.get(key) is not None:
            return entity_page(table, str(row[key]))
    if table in ("participants", "person_aliases") and row.get("person_id") in site.persons:
        return entity_page("persons", row["person_id"])
    if table == "pledge_followups" and row.get("pledge_id") in site.pledge_by_id:
        return f"{site.pledge_link(row['pledge_id'])}#f-{safe_name(str(row['followup_id']))}"
    if table == "series" and row.get("series_id") in site.series:
        return f"timeline.html#series-{row['series_id']}"
    if site.data.package.resource(table) is not None:
        key = row_key(site, table, row)
        # only the first EMBEDDED rows are on the browse page: a later row links to the page, not to a missing anchor
        return f"tables/{table}.html#{row_anchor(key)}" if key in embedded_keys(site, table) else f"tables/{table}.html"
    return None


def embedded_keys(site: Site, table: str) -> set[str]:
    """The row ids of the rows a table's browse page carries (its first EMBEDDED), worked out once per table."""
    if table not in site.embedded:
        site.embedded[table] = {row_key(site, table, r) for r in site.data.rows.get(table, [])[:EMBEDDED]}
    return site.embedded[table]


def id_link(site: Site, table: str, ident: Any) -> str | None:
    """The page of the row of `table` whose (single-column) primary key is `ident`, when there is one."""
    if ident is None:
        return None
    res = site.data.package.resource(table)
    if res is None or len(res.schema.primary_key) != 1:
        return None
    row = site.index(table).get(str(ident))
    return row_link(site, table, row) if row is not None else None


def references(site: Site, table: str) -> dict[str, str]:
    """column -> table it points to, for the single-column foreign keys and list references of `table`."""
    res = site.data.package.resource(table)
    out: dict[str, str] = {}
    if res is None:
        return out
    for fk in res.schema.foreign_keys:
        if len(fk.fields) == 1:
            out[fk.fields[0]] = fk.resource or table
    return out


# ---------------------------------------------------------------------------------------------------------------------
# entity pages


def cited_by(site: Site) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """source_id -> table -> every row of that table citing it (the rows as read; `citing_row` makes them links)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for res in site.data.package.resources:
        if res.schema.get("source_ids") is None:
            continue
        for row in site.data.rows[res.name]:
            for sid in row.get("source_ids") or []:
                out[sid][res.name].append(row)
    return out


def citing_row(site: Site, table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A row citing a source, as its page lists it: row id, link and label."""
    return {"table": table, "id": row_key(site, table, row), "href": row_link(site, table, row), "label": describe(site, table, row)}


def describe(site: Site, table: str, row: dict[str, Any]) -> str:
    """A short human label of a row (a name or title where the table has one)."""
    for col in ("meeting_name", "person_name", "title", "series_name", "country_name", "commitment", "observation", "alias", "headline"):
        if row.get(col):
            text = str(row[col])
            if table == "participants":
                break
            return text if len(text) <= 140 else text[:139] + "…"
    if table == "participants":
        m = site.meeting_by_id.get(row.get("meeting_id") or "") or {}
        return f"{site.person(row['person_id'])} at {m.get('meeting_name') or row.get('meeting_id')}"
    return row_key(site, table, row)


def person(site: Site, p: dict[str, Any]) -> dict[str, Any]:
    """The template context of a person's page: aliases, participations, Wikidata link and sources."""
    pid = p["person_id"]
    aliases = sorted(site.aliases_by_person.get(pid, []), key=lambda a: a["alias"])
    meetings = sorted(
        site.participants_by_person.get(pid, []),
        key=lambda r: ((site.meeting_by_id.get(r["meeting_id"]) or {}).get("start_date") or dt.date.max, r["meeting_id"]),
    )
    ids: dict[str, None] = {}  # the sources in order of first citation
    for row in [p, *aliases, *meetings]:
        ids.update(dict.fromkeys(row.get("source_ids") or []))
    qid = p.get("wikidata_qid")
    return {
        "p": p,
        "aliases": aliases,
        "participations": listed(meetings, lambda r: (r, site.meeting_by_id.get(r["meeting_id"]))),
        "wikidata": f"https://www.wikidata.org/wiki/{qid}" if qid and re.fullmatch(r"Q[0-9]+", str(qid)) else None,
        "sources": [(s, site.sources.get(s)) for s in ids],
    }


def document(site: Site, d: dict[str, Any]) -> dict[str, Any]:
    """The template context of a document's page: the document, its meeting and its sources."""
    return {"d": d, "m": site.meeting_by_id.get(d["meeting_id"]), "sources": [(s, site.sources.get(s)) for s in d.get("source_ids") or []]}


def source(site: Site, s: dict[str, Any], citing: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, Any]:
    """The template context of a source's page: the rows citing it, by table (at most LISTED of each)."""
    by_table = citing.get(s["source_id"], {})
    shown = [(table, listed(rows, functools.partial(citing_row, site, table))) for table, rows in sorted(by_table.items())]
    return {"s": s, "citing": shown, "n_citing": sum(len(rows) for rows in by_table.values())}


# ---------------------------------------------------------------------------------------------------------------------
# browse pages


#: A text column with at most this many distinct values (and fewer than it has rows) gets a facet on its browse page;
#: so does every reference to a table of at most REFERENCE_FACET_MAX rows (countries, series), and every date column
#: by its year, however many values they come to (a facet folds all but its first FACET_SHOWN values).
FACET_MAX = 20
REFERENCE_FACET_MAX = 60
#: Rows a browse page shows at a time in the browser (the rest a click away; the first row shown is kept in the
#: address), and on a phone, where each row is a card, so that a page stays a few screens tall.
BROWSE_PAGE = 50
BROWSE_PAGE_PHONE = 6
#: Values a facet lists before the rest are folded under "N more values".
FACET_SHOWN = 8
#: Tables whose rows a reference shows by id rather than by name (a source's headline is a sentence, not a name).
BY_ID = ("sources",)


def ref_label(site: Site, table: str, ident: str) -> str | None:
    """The name of the row of `table` an id refers to (a country's name, a person's, a meeting's), None when it has none."""
    if table in BY_ID:
        return None
    row = site.index(table).get(ident)
    if row is None:
        return None
    label = describe(site, table, row)
    return label if label != ident else None


def _facets(site: Site, table: str, refs: dict[str, str]) -> list[dict[str, Any]]:
    """A facet for every low-cardinality column: vocabularies and booleans, references to small tables, a date column
    by its year, and any other reference, text or year column with at most FACET_MAX distinct values (fewer than its rows)."""
    res = site.data.package.resource(table)
    if res is None:  # the site lists only the release's own tables
        raise KeyError(f"the release has no table {table!r}")
    rows = site.data.rows[table]
    out: list[dict[str, Any]] = []
    for f in res.schema.fields:
        if f.name in res.schema.primary_key and len(res.schema.primary_key) == 1:
            continue
        vocabulary = site.data.values(table, f.name)
        if vocabulary or f.type == "boolean":
            values = vocabulary or ["true", "false"]
            out.append({"key": f.name, "column": f.name, "kind": "value", "legend": f.name, "values": [(v, site.label(table, f.name, v)) for v in values]})
            continue
        if f.type in ("date", "datetime"):
            years = sorted({r[f.name].year for r in rows if r.get(f.name) is not None})
            if years:
                out.append({"key": f.name + "__year", "column": f.name, "kind": "year", "legend": f"year of {f.name}", "values": [(str(y), str(y)) for y in years]})
            continue
        if f.name not in refs and f.type not in ("string", "year"):
            continue
        seen: dict[str, int] = {}
        for r in rows:
            value = r.get(f.name)
            for item in value if isinstance(value, list) else ([] if value is None else [value]):
                seen[str(item)] = seen.get(str(item), 0) + 1
        small_target = f.name in refs and len(site.data.rows.get(refs[f.name], [])) <= REFERENCE_FACET_MAX and refs[f.name] != table
        if seen and (small_target or (2 <= len(seen) <= FACET_MAX and len(seen) < len(rows))):
            label = (lambda v, t=refs[f.name]: ref_label(site, t, v) or v) if f.name in refs else (lambda v: v)
            values = sorted(seen, key=lambda v: (-seen[v], label(v)))
            out.append({"key": f.name, "column": f.name, "kind": "list" if f.type == "list" else "value", "legend": f.name, "values": [(v, label(v)) for v in values]})
    return out


def browse(site: Site, table: str, root: str) -> dict[str, Any]:
    """A table's rows for its browse page: the text as written (for the CSV download), links for every reference, and
    the name of each row a reference points to (shown in place of the id; the download keeps the id and adds the name)."""
    res = site.data.package.resource(table)
    if res is None:  # the site lists only the release's own tables
        raise KeyError(f"the release has no table {table!r}")
    fields = res.schema.fields
    refs = references(site, table)
    named = {name for name, target in refs.items() if target not in BY_ID and target != table}
    text_rows = site.data.text.get(table) or [{f.name: _text(v, f.delimiter) for f, v in zip(fields, r.values())} for r in site.data.rows[table][:EMBEDDED]]
    rows: list[dict[str, Any]] = []
    total = len(site.data.rows[table])
    for typed, text in zip(site.data.rows[table][:EMBEDDED], text_rows[:EMBEDDED]):
        cells: list[Any] = []
        for f in fields:
            value = text.get(f.name)
            if f.name in refs and value not in (None, ""):
                items = str(value).split(f.delimiter) if f.type == "list" else [str(value)]
                target = refs[f.name]
                cells.append([[item, _rel(root, id_link(site, target, item)), ref_label(site, target, item) if f.name in named else None] for item in items])
            else:
                cells.append(value)
        link = row_link(site, table, typed)
        rows.append({"id": row_anchor(row_key(site, table, typed)), "cells": cells, "href": _rel(root, link) if link and not link.startswith("tables/") else None})
    numeric = [f.name for f in fields if f.type in ("integer", "number", "year")]
    facets = _facets(site, table, refs)
    names = [f.name for f in fields]
    page_size = BROWSE_PAGE
    payload = {
        "table": table,
        "columns": names,
        "delimiters": [f.delimiter if f.type == "list" else None for f in fields],
        "numeric": [f.name in numeric for f in fields],
        "named": [f.name in named for f in fields],
        "facets": [{"key": x["key"], "column": names.index(x["column"]), "kind": x["kind"]} for x in facets],
        "pageSize": page_size,
        "phonePageSize": BROWSE_PAGE_PHONE,
        "rows": [[r["id"], r["href"], *r["cells"]] for r in rows],
    }
    return {
        "res": res,
        "fields": fields,
        "rows": rows[:LARGE],
        "n": total,
        "embedded": len(rows),
        "facets": facets,
        "facet_shown": FACET_SHOWN,
        "payload": script_json(payload),
        "paged": len(rows) > LARGE,
    }


def _text(value: Any, delimiter: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return delimiter.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _rel(root: str, link: str | None) -> str | None:
    return root + link if link else None


def script_json(value: Any) -> str:
    """JSON safe inside an HTML <script> element and in a .js file (no `<`, `>` or `&` left as such)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# ---------------------------------------------------------------------------------------------------------------------
# uncertainty


def uncertain(site: Site) -> list[tuple[str, Listing]]:
    """The uncertain_rows view, by table, each row with its link and its sources."""
    by_table: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_key: dict[str, dict[str, dict[str, Any]]] = {}  # table -> the view's id ("a/b" for a two-column key) -> row

    def row_by_id(table: str, ident: str) -> dict[str, Any] | None:
        if table not in by_key:
            res = site.data.package.resource(table)
            key = list(res.schema.primary_key) if res is not None else []
            by_key[table] = {"/".join(str(x.get(k)) for k in key): x for x in reversed(site.data.rows.get(table, []))} if key else {}
        return by_key[table].get(ident)

    def shown(r: dict[str, Any]) -> dict[str, Any]:
        table = r["table_name"]
        row = row_by_id(table, str(r["id"]))
        return {
            **r,
            "href": row_link(site, table, row) if row is not None else None,
            "label": describe(site, table, row) if row is not None else r["id"],
            "sources": [(s, site.sources.get(s)) for s in r.get("source_ids") or []],
        }

    for r in site.data.views.get("uncertain_rows", []):
        by_table[r["table_name"]].append(r)
    return [(table, listed(rows, shown)) for table, rows in sorted(by_table.items())]


def csv_text(headers: list[str], rows: list[list[Any]]) -> bytes:
    """A chart's data as CSV bytes, offered for download beside the chart."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(headers)
    w.writerows(rows)
    return out.getvalue().encode("utf-8")
