"""The release read once for the site: typed rows through the package's own readers, and what the pages derive from them.

Nothing here restates a column type or a vocabulary: rows come typed from
`c5data.reading.tables.read_tables` (the release's datapackage.json and its inline
Table Schemas), and orders and labels of values come from the schemas'
`enum` and `categories`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from c5data.building.writers.duckdb_database import FILE as DATABASE_FILE
from c5data.files.hashing import SUMS, file_sha256
from c5data.files.paths import inside
from c5data.reading.descriptor import Package, load_package
from c5data.reading.tables import Table, TableError, read_tables
from c5data.reading.tableschema import Field

GENERATOR = "c5data site"  # the <meta name="generator"> that marks a folder as a site `generate` may replace


class SiteError(Exception):
    """The release cannot be turned into a site, or the output folder cannot be used (exit code 2)."""

    exit_code = 2


NEEDED = ("countries", "series", "meetings", "persons", "participants", "documents", "pledges", "pledge_followups", "sources")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


# ---------------------------------------------------------------------------------------------------------------------
# Formatting (deterministic: no locale, no clock)


def human_date(value: dt.date | None, precision: str | None = "day") -> str:
    """A date as readers write it (e.g. 5 March 2024), only as precise as it is known."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def iso_date(value: dt.date | None, precision: str | None = "day") -> str:
    """The date as far as it is known, for `<time datetime>`: 2025, 2023-09 or 2023-09-25."""
    if value is None:
        return ""
    return {"year": f"{value.year:04d}", "month": f"{value.year:04d}-{value.month:02d}"}.get(precision or "day", value.isoformat())


def date_range(start: dt.date | None, end: dt.date | None, precision: str | None = "day") -> str:
    """Start and end dates as one short human range, without repeating a shared month or year."""
    if start is None:
        return ""
    if end is None or end == start or precision in ("month", "year"):
        return human_date(start, precision)
    if start.year == end.year and start.month == end.month:
        return f"{start.day}–{end.day} {MONTHS[start.month - 1]} {start.year}"
    if start.year == end.year:
        return f"{start.day} {MONTHS[start.month - 1]} – {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{human_date(start)} – {human_date(end)}"


def number(value: float | int | None) -> str:
    """1500000000 -> '1.5 billion', 9500 -> '9,500', 2.5 -> '2.5'."""
    if value is None:
        return ""
    v = float(value)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(v) >= size:
            scaled = v / size
            text = f"{scaled:.3f}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """A count with its noun in the right number ("1 meeting", "2 meetings", "1,200 rows"), so no label reads "2 meeting".

    The plural adds "s" unless `plural_form` is given ("1 person", "3 people"; "1 related event outside the
    mechanism", "2 related events outside the mechanism").
    """
    return f"{n:,} {noun(n, singular, plural_form)}"


def noun(n: int, singular: str, plural_form: str | None = None) -> str:
    """The noun of `plural` without the number, for a count shown apart (in bold, say)."""
    return singular if n == 1 else (plural_form or singular + "s")


def file_size(n: int) -> str:
    """A byte count in binary units for download links."""
    if n < 1024:
        return f"{n} B"
    value = n / 1024
    for unit in ("KiB", "MiB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


# ---------------------------------------------------------------------------------------------------------------------
# What the SQL views already compute is read from the release's DuckDB file, never recomputed here.


def is_counted(pledge: dict[str, Any]) -> bool:
    """A pledge counts in totals unless it is a component of a headline or a restatement (as the views count)."""
    return not pledge.get("parent_pledge_id") and not pledge.get("restates_pledge_id")


def read_views(database: Path, names: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """Rows of each named view of the built database, as dicts (read-only connection)."""
    import duckdb

    if not database.is_file():
        raise SiteError(f"{database}: missing; the site reads the views of the release's DuckDB file (c5data build)")
    con = duckdb.connect(str(database), read_only=True)
    try:
        out = {}
        present = {row[0] for row in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        for name in names:
            if name in VIEWS_OPTIONAL and name not in present:
                continue
            relation = con.sql(f'SELECT * FROM "{name}"')
            out[name] = [dict(zip(relation.columns, row)) for row in relation.fetchall()]
        return out
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------------------------------
# The release


@dataclass
class Artifact:
    path: str  # relative to the release folder, posix
    size: int
    sha256: str
    kind: str
    description: str


@dataclass
class Release:
    root: Path
    package: Package
    descriptor: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]
    views: dict[str, list[dict[str, Any]]]
    text: dict[str, list[dict[str, str | None]]] = field(default_factory=dict)  # the same rows as written in the CSV files
    artifacts: list[Artifact] = field(default_factory=list)
    has_sums: bool = False
    _fields: dict[tuple[str, str], Field | None] = field(default_factory=dict, repr=False, compare=False)

    # lookups ---------------------------------------------------------------------------------------------------------
    def by_key(self, table: str, key: str) -> dict[str, dict[str, Any]]:
        return {r[key]: r for r in self.rows[table]}

    def field(self, table: str, name: str) -> Field | None:
        key = (table, name)
        if key not in self._fields:  # asked for once per cell shown: looked up once per column
            res = self.package.resource(table)
            self._fields[key] = res.schema.get(name) if res is not None else None
        return self._fields[key]

    def values(self, table: str, name: str) -> list[str]:
        """The allowed values of a column in the schema's order (categories or enum), else []."""
        f = self.field(table, name)
        if f is None:
            return []
        if f.categories:
            return list(f.categories)
        enum = f.constraints.get("enum")
        return [str(v) for v in enum] if isinstance(enum, list) else []

    def label(self, table: str, name: str, value: Any) -> str:
        if value is None:
            return ""
        f = self.field(table, name)
        if f is not None and str(value) in f.category_labels:
            return f.category_labels[str(value)]
        return str(value)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    @property
    def created(self) -> str:
        return str(self.descriptor.get("created", ""))

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


ARTIFACT_KINDS = [
    # (predicate on the relative path, kind, description template)
    (lambda rel: rel.endswith(".zip"), "Package", "The CSV data package in one zip: datapackage.json, data/*.csv and codebook.md."),
    (lambda rel: rel == "datapackage.json", "Package", "Descriptor: tables, schemas, licence, version, sizes and hashes."),
    (lambda rel: rel.endswith(".duckdb"), "Database", "DuckDB database: every table with keys, and the documented views."),
    (lambda rel: rel.startswith("views/") and rel.endswith(".csv"), "CSV", "View {stem} as CSV, as of the release date (see the codebook)."),
    (lambda rel: rel.startswith("views/") and rel.endswith(".parquet"), "Parquet", "View {stem} as Parquet, as of the release date (see the codebook)."),
    (lambda rel: rel.endswith(".csv"), "CSV", "Table {stem} as CSV (UTF-8, comma-separated, header row)."),
    (lambda rel: rel.endswith(".parquet"), "Parquet", "Table {stem} as Parquet, typed (dates as dates, lists as lists)."),
    (lambda rel: rel == "codebook.md", "Documentation", "Codebook in Markdown (the same content as the codebook page)."),
    (lambda rel: rel == "CHANGELOG.md", "Documentation", "What changed since the previous release."),
    (lambda rel: rel == "changes.json", "Documentation", "The changes since the previous release, machine-readable."),
    (lambda rel: rel == "CITATION.cff", "Documentation", "How to cite this version (Citation File Format), made from datapackage.json."),
]
KIND_ORDER = ["Package", "Database", "CSV", "Parquet", "Documentation", "Other"]
VIEWS_READ = ("pledge_status", "pledges_by_country_sector")
VIEWS_OPTIONAL = ("money_pledged", "uncertain_rows", "pledge_tracker", "timeline")  # read when the release's database has them


def _describe(rel: str) -> tuple[str, str]:
    stem = Path(rel).stem
    for test, kind, text in ARTIFACT_KINDS:
        if test(rel):
            return kind, text.format(stem=stem)
    return "Other", "Release file."


def artifacts(root: Path, out: Path) -> list[Artifact]:
    """Every file of the release except SHA256SUMS and any site (this one, or a `site/` folder), with size and sha256."""
    found = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or (p.name == SUMS and p.parent == root):
            continue
        rel = p.relative_to(root).as_posix()
        if inside(p, out) or rel.startswith("site/") or any(part.startswith(".") for part in Path(rel).parts):
            continue
        kind, text = _describe(rel)
        found.append(Artifact(rel, p.stat().st_size, file_sha256(p), kind, text))
    return sorted(found, key=lambda a: (KIND_ORDER.index(a.kind), a.path))


#: The most rows a browse page carries for filtering in the browser; a larger table is summarised by its first rows
#: (in key order) and its download files. Only these rows are kept as text.
EMBEDDED = 20_000


def read_release(release_dir: str | os.PathLike, out_dir: str | os.PathLike, *, package: Package | None = None, tables: dict[str, Table] | None = None) -> Release:
    """The release's descriptor, typed rows, views and files; `package` and `tables` when the caller has read them."""
    root = Path(release_dir)
    descriptor_file = root / "datapackage.json"
    if not descriptor_file.is_file():
        raise SiteError(f"{release_dir}: no datapackage.json; build a release first (c5data build)")
    if package is None:
        package, problems = load_package(root)
        if package is None:
            raise SiteError("; ".join(f.message for f in problems) or f"{release_dir}: cannot read the release")
    missing = [name for name in NEEDED if package.resource(name) is None]
    if missing:
        raise SiteError(f"{release_dir}: the release lacks table(s) {', '.join(missing)}")
    if tables is None:
        try:
            tables = read_tables(package)
        except TableError as exc:
            raise SiteError(str(exc)) from exc
    try:
        descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SiteError(f"{descriptor_file}: cannot read it: {exc}") from exc
    rows = {name: table.typed.to_dicts() for name, table in tables.items()}
    return Release(
        root=root,
        package=package,
        descriptor=descriptor,
        rows=rows,
        views=read_views(root / DATABASE_FILE, VIEWS_READ + VIEWS_OPTIONAL),
        text={name: table.text.head(EMBEDDED).to_dicts() for name, table in tables.items()},
        artifacts=artifacts(root, Path(out_dir)),
        has_sums=(root / SUMS).is_file() or inside(Path(out_dir), root),
    )  # a site inside a release: the build writes SHA256SUMS


def group(rows: Iterable[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    """Rows grouped by the value of one key, in their original order."""
    out: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out
