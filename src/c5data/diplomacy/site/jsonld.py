"""The schema.org `Dataset` description of the release, embedded in the home page as JSON-LD for dataset search engines.

It says what the descriptor says (name, description, version, licence, authors, maintainer, keywords), what the rows
cover (the dates from the first meeting to the latest dated row, the six countries) and where the files are: one
`DataDownload` each for the CSV zip, the DuckDB database and every table's Parquet file, with its address and the
sha256 the release's SHA256SUMS lists. Addresses are absolute, under the home page's `releases/<version>/`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from c5data.diplomacy.site.citing import page_url
from c5data.diplomacy.site.model import Artifact, file_size
from c5data.reading.metadata import Metadata

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

FORMATS = {
    ".zip": ("application/zip", "The CSV data package in one zip"),
    ".duckdb": ("application/vnd.duckdb", "DuckDB database with every table and the documented views"),
    ".parquet": ("application/vnd.apache.parquet", "Table {stem} as Parquet"),
}


def _distribution(meta: Metadata, version: str, a: Artifact, relative: str) -> dict[str, Any] | None:
    suffix = "." + a.path.rsplit(".", 1)[-1] if "." in a.path else ""
    if suffix not in FORMATS or a.path.startswith("views/"):
        return None
    mime, name = FORMATS[suffix]
    url = f"{meta.homepage}releases/{version}/{a.path}" if meta.homepage else relative
    return {
        "@type": "DataDownload",
        "name": name.format(stem=a.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]),
        "encodingFormat": mime,
        "contentUrl": url,
        "contentSize": file_size(a.size),
        "sha256": a.sha256,
    }


def _coverage(site: Site) -> str | None:
    """The time the rows cover: the first meeting held to the latest meeting or follow-up (ISO 8601 interval)."""
    dates: list[dt.date] = [m["start_date"] for m in site.meetings if m.get("start_date") is not None and site.held(m)]
    dates += [f["as_of_date"] for f in site.followups if f.get("as_of_date") is not None]
    return f"{min(dates).isoformat()}/{max(dates).isoformat()}" if dates else None


def dataset(site: Site, meta: Metadata) -> dict[str, Any]:
    """The `Dataset` node of the release (file addresses relative to the home page when the descriptor names no home page)."""
    version = site.data.version
    node: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "name": meta.title,
        "description": meta.description or meta.title,
        "version": version,
        "isAccessibleForFree": True,
        "creator": [{"@type": "Organization", "name": a} for a in meta.authors],
    }
    url = page_url(meta, version, "index.html")
    if url:
        node["url"] = url
    if meta.doi:
        node["identifier"] = f"https://doi.org/{meta.doi}"
    licence = next((lic.path for lic in meta.licences if lic.path), None) or meta.licence_id
    if licence:
        node["license"] = licence
    maintainers = [{"@type": "Organization", "name": c.title, **({"url": c.path} if c.path else {})} for c in meta.maintainers]
    if maintainers:
        node["maintainer"] = maintainers
    if meta.keywords:
        node["keywords"] = list(meta.keywords)
    if site.data.created[:10]:
        node["datePublished"] = site.data.created[:10]
    coverage = _coverage(site)
    if coverage:
        node["temporalCoverage"] = coverage
    countries = [c.get("country_name") or c.get("iso3") for c in site.data.rows.get("countries", [])]
    if countries:
        node["spatialCoverage"] = [{"@type": "Country", "name": name} for name in countries if name]
    downloads = [d for d in (_distribution(meta, version, a, site.release_file(a.path)) for a in site.data.artifacts) if d]
    if downloads:
        node["distribution"] = downloads
    return node
