"""How to cite a page of the site: one record, written as plain text, BibTeX and CSL-JSON.

Every form carries the page's absolute address, pinned to the version (the release's home page from
datapackage.json's `homepage`, then `releases/<version>/site/<page>`, where the Pages tree keeps every version), so
a citation still points at what the reader saw after later releases. The access date is the reader's: the forms
hold the placeholder `ACCESS` and `static/cite.js` puts in today's date (with JavaScript off the reader fills it in).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from c5data.reading.metadata import Metadata

ACCESS = "YYYY-MM-DD"  # the date a reader read the page; cite.js replaces it with today's date
SITE_PATH = "releases/{version}/site/"  # where a version's site lies under the home page (scripts/pages_tree.py)

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


@dataclass(frozen=True)
class Record:
    """What is cited: the whole release (no `row`) or one row's page inside it (`container` is then the release)."""

    key: str
    title: str
    authors: tuple[str, ...]
    version: str
    issued: str  # YYYY-MM-DD, the release's date
    url: str | None
    container: str | None = None
    row: str | None = None  # "meetings summit-2023-05-18": which row of which table the page shows
    licence: str | None = None
    doi: str | None = None


def page_url(meta: Metadata, version: str, page: str) -> str | None:
    """The absolute address of a page of this version's site, or None when the descriptor names no home page."""
    return f"{meta.homepage}{SITE_PATH.format(version=version)}{page}" if meta.homepage else None


def bibtex_escape(text: str) -> str:
    """`text` safe inside a BibTeX field: LaTeX's special characters escaped, line breaks folded."""
    return re.sub(r"\s+", " ", "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)).strip()


def _bibtex_url(url: str) -> str:
    """A URL for BibTeX's `url` field, which is read verbatim: only what would unbalance the braces is percent-encoded."""
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def bibtex_key(*parts: str) -> str:
    """A BibTeX key (and CSL id) made of the parts: letters, digits and underscores only."""
    return re.sub(r"[^A-Za-z0-9]+", "_", "_".join(parts)).strip("_") or "c5data"


def plain(r: Record) -> str:
    """The citation as a sentence (author-date)."""
    year = r.issued[:4]
    what = f"“{r.title}”{f' [{r.row}]' if r.row else ''}. In {r.container}, version {r.version}" if r.container else f"{r.title}, version {r.version}"
    parts = [f"{'; '.join(r.authors)} ({year}). {what} [Data set]."]
    if r.licence:
        parts.append(f"Licence: {r.licence}.")
    if r.doi:
        parts.append(f"https://doi.org/{r.doi}.")
    if r.url:
        parts.append(f"{r.url} (accessed {ACCESS}).")
    return " ".join(parts)


def bibtex(r: Record) -> str:
    """The citation as a BibTeX `@misc` entry (titles braced so their capitals stay)."""
    fields: list[tuple[str, str]] = [
        ("author", "{" + " and ".join("{" + bibtex_escape(a) + "}" for a in r.authors) + "}"),
        ("title", "{{" + bibtex_escape(r.title) + "}}"),
    ]
    if r.container:
        fields.append(("howpublished", "{In: " + bibtex_escape(r.container) + "}"))
    fields += [("year", "{" + r.issued[:4] + "}"), ("version", "{" + bibtex_escape(r.version) + "}")]
    if r.doi:
        fields.append(("doi", "{" + bibtex_escape(r.doi) + "}"))
    if r.url:
        fields += [("url", "{" + _bibtex_url(r.url) + "}"), ("urldate", "{" + ACCESS + "}")]
    note = "Data set" + (f"; row {r.row}" if r.row else "") + (f"; licence {r.licence}" if r.licence else "")
    fields.append(("note", "{" + bibtex_escape(note) + "}"))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {value}" for name, value in fields)
    return f"@misc{{{r.key},\n{body}\n}}"


def csl(r: Record) -> list[dict[str, Any]]:
    """The citation as CSL-JSON (an array of one item, as Zotero and citeproc read it)."""
    year, month, day = (int(x) for x in r.issued.split("-")) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.issued) else (0, 0, 0)
    item: dict[str, Any] = {
        "id": r.key,
        "type": "entry" if r.container else "dataset",  # a row of a database is an entry in CSL's types
        "title": r.title,
        "author": [{"literal": a} for a in r.authors],
        "version": r.version,
        "genre": "Data set",
    }
    if year:
        item["issued"] = {"date-parts": [[year, month, day]]}
    if r.container:
        item["container-title"] = r.container
    if r.row:
        item["note"] = f"Row {r.row}"
    if r.doi:
        item["DOI"] = r.doi
    if r.url:
        item["URL"] = r.url
        item["accessed"] = {"raw": ACCESS}
    return [item]


def csl_json(r: Record) -> str:
    """The CSL-JSON as the page shows it."""
    return json.dumps(csl(r), indent=2, ensure_ascii=False)


def forms(r: Record) -> dict[str, Any]:
    """What the cite-this block shows: the three forms and the address."""
    return {"plain": plain(r), "bibtex": bibtex(r), "csl": csl_json(r), "url": r.url, "access": ACCESS}


def record(meta: Metadata, version: str, created: str, page: str, *, title: str | None = None, row: tuple[str, str] | None = None) -> Record:
    """The record of one page: the whole release for the home page (no `title`), else the row `(table, id)` it shows."""
    licence = next((lic.name or lic.title for lic in meta.licences if lic.name or lic.title), None)
    url, issued, authors = page_url(meta, version, page), created[:10], tuple(meta.authors)
    if title is None:
        return Record(bibtex_key(meta.name, version), meta.title, authors, version, issued, url, licence=licence, doi=meta.doi)
    return Record(
        bibtex_key(meta.name, version, *(row or (page,))),
        title,
        authors,
        version,
        issued,
        url,
        container=meta.title,
        row=f"{row[0]} {row[1]}" if row else None,
        licence=licence,
        doi=meta.doi,
    )
