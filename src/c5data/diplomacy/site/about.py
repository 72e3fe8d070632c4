"""The About page (who maintains the package, its method, how to report an error) and the "Report a problem with this
row" link each row's page carries.

The link opens a new issue on the repository the maintainers name in datapackage.json (a maintainer's `path` ending in
`/issues`), with the issue form `.github/ISSUE_TEMPLATE/a-row-is-wrong.yml` chosen and its fields filled in from the
query: the table, the row's id, the release version and the page's address (GitHub fills a form's field from a query
parameter named by the field's `id`). Without such a maintainer the page names no tracker and no link is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from c5data.reading.metadata import Metadata

if TYPE_CHECKING:
    from c5data.diplomacy.site.render import Site

FORM = "a-row-is-wrong.yml"
FIELDS = ("table", "row", "version", "page")  # the ids of the form's inputs the link fills in
PAGE = "about.html"


def report_url(meta: Metadata, table: str, ident: str, version: str, page: str | None) -> str | None:
    """The address of a new issue about row `ident` of `table` in `version`, prefilled; None without an issue tracker."""
    if not meta.issue_tracker:
        return None
    values = {"table": table, "row": ident, "version": version, "page": page or ""}
    query = {"template": FORM, "title": f"Wrong row: {table} {ident} (version {version})", **{k: values[k] for k in FIELDS}}
    return f"{meta.issue_tracker}/new?{urlencode(query)}"


def vocabulary(site: Site, table: str, column: str) -> list[tuple[str, str]]:
    """Each value of a coded column with its label, in the schema's order (what the About page explains)."""
    return [(value, site.label(table, column, value)) for value in site.data.values(table, column)]


def about(site: Site, meta: Metadata) -> dict[str, Any]:
    """The template context of the About page."""
    source_type, certainty = site.data.field("sources", "source_type"), site.data.field("meetings", "certainty")
    return {
        "meta": meta,
        "maintainers": meta.maintainers,
        "authors": meta.authors,
        "tracker": meta.issue_tracker,
        "repository": meta.repository,
        "new_issue": f"{meta.issue_tracker}/new/choose" if meta.issue_tracker else None,
        "certainty": vocabulary(site, "meetings", "certainty"),
        "certainty_text": certainty.description if certainty else "",
        "source_types": site.data.values("sources", "source_type"),
        "source_type_text": source_type.description if source_type else "",
        "evidence": [(value, site.evidence(value)) for value in site.data.values("pledge_followups", "evidence")],
    }
