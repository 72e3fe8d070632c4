"""The release site: static HTML pages generated from a built release, readable from disk or any static host.

    from c5data.diplomacy.site import generate
    files = generate("release", "release/site")   # -> list of the files written

Pages: a home page (what the package is, version, counts that follow the
codebook's "How to count", licence, how to cite), a timeline by series, the
pledges counted once with their latest status and the money pledged, one page
per meeting, person, document and source, a browse page per table (filters,
facets, sorting, CSV of the filtered rows), the uncertain rows with the
coverage statement, a codebook generated from the schemas, the downloads
with size and sha256, an About page and an Atom feed of releases. The home page
and every row's page say how to cite them (plain text, BibTeX, CSL-JSON, with
the page's address under the descriptor's `homepage`); the home page carries
the release as schema.org JSON-LD. Charts are inline SVG with a narrow-screen layout, a
definition and their data as CSV. Search and browsing use a prebuilt index and
a little plain JavaScript; every page still reads with JavaScript off. No
external resource, relative links only; the same release always gives the same
bytes (the only time shown is the release's `created`).

The rows come from the release's tables (read through its datapackage.json, or
handed over by the build), and what the SQL views compute is read from the
release's DuckDB file, so types, vocabularies and counts come from one place.
Links to the release's files are relative to the site folder, so keep the site
inside the release (the default `site/`) or next to it when hosting.
"""

from __future__ import annotations

from c5data.diplomacy.site.generator import DEFAULT_DIRNAME, generate
from c5data.diplomacy.site.model import GENERATOR, SiteError

__all__ = ["DEFAULT_DIRNAME", "GENERATOR", "SiteError", "generate"]
