"""The release site: static HTML pages generated from a built release, readable from disk or any static host.

    from c5data.site import generate
    files = generate("release", "release/site")   # -> list of the files written

Pages: a home page (what the package is, version, row counts, licence, how to
cite), a timeline of every meeting by series, the pledges counted once (no
components, no restatements) with their latest follow-up status, one page per
meeting, a codebook generated from the schemas, and the downloads with size
and sha256. Charts are inline SVG drawn here, each with a title, a
description and a data table. No script, no external resource, relative
links only; the same release always gives the same bytes (the only time
shown is the release's `created`).

The data is read through the release's datapackage.json with the package's
own readers (`c5data.tables.read_tables`), so types and vocabularies come
from the Table Schemas. Links to the release's files are relative to the
site folder, so keep the site inside the release (the default `site/`) or
next to it when hosting.
"""

from __future__ import annotations

from c5data.site.generator import DEFAULT_DIRNAME, generate
from c5data.site.model import GENERATOR, SiteError

__all__ = ["DEFAULT_DIRNAME", "GENERATOR", "SiteError", "generate"]
