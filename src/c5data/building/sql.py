"""DuckDB DDL derived from the Table Schemas: types, NOT NULL, keys, CHECKs and comments.

The built database file and the in-memory database `query` builds from
`data/` run the same script, so SQL written against one works on the other.
Nothing here names a column of the data model; every statement comes from a
`TableSchema`.

DuckDB checks a foreign key against the rows already in the table, statement
by statement, so tables are created and filled parents first, and a table
that references itself (pledges.parent_pledge_id) is filled in passes: each
pass inserts the rows whose references are already present.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from c5data.reading.descriptor import Package, Resource
from c5data.reading.tables import Table
from c5data.reading.tableschema import Field, ForeignKey, bound_value

SCALAR_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP WITH TIME ZONE",
    "year": "BIGINT",
    "time": "TIME",
    "yearmonth": "VARCHAR",  # "YYYY-MM": sorts and compares as written
    "duration": "VARCHAR",  # ISO 8601 as written; DuckDB's INTERVAL does not read P1Y2M
    "geopoint": "STRUCT(lon DOUBLE, lat DOUBLE)",
    "geojson": "VARCHAR",  # JSON text (DuckDB's json functions read it)
    "object": "VARCHAR",
    "array": "VARCHAR",
    "any": "VARCHAR",
}


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: object) -> str:
    """A SQL literal for a constraint value written in a schema."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def duckdb_type(field: Field) -> str:
    """The DuckDB column type of a field (an array type for list fields)."""
    base = SCALAR_TYPES[field.value_type]
    return f"{base}[]" if field.type == "list" else base


def _typed_literal(field: Field, value: object) -> str:
    """A constraint value as a literal of the column's type (DuckDB casts a quoted number where needed)."""
    if field.value_type == "date":
        return f"DATE {literal(bound_value('date', value).isoformat())}"
    if field.value_type == "time":
        return f"TIME {literal(bound_value('time', value).isoformat())}"
    if field.value_type == "datetime":
        return f"TIMESTAMPTZ {literal(bound_value('datetime', value).isoformat())}"
    return literal(value)


def checks(field: Field) -> list[str]:
    """CHECK constraints for a field's value domain: enum, categories and bounds (patterns stay with the validator)."""
    if field.type == "list":
        return []
    col, c, out = ident(field.name), field.constraints, []
    allowed = c.get("enum") if isinstance(c.get("enum"), list) else field.categories
    if allowed:
        out.append(f"{col} IN ({', '.join(_typed_literal(field, v) for v in allowed)})")
    for key, op in (("minimum", ">="), ("maximum", "<="), ("exclusiveMinimum", ">"), ("exclusiveMaximum", "<")):
        if key in c and field.value_type in ("integer", "number", "date", "time", "datetime", "year", "yearmonth"):
            out.append(f"{col} {op} {_typed_literal(field, c[key])}")
    return out


def load_order(package: Package) -> list[Resource]:
    """Referenced tables before the tables that reference them (descriptor order among equals)."""
    remaining = list(package.resources)
    done: list[Resource] = []
    while remaining:
        names = {r.name for r in done}
        ready = [
            r
            for r in remaining
            if all(
                (fk.resource or r.name) in names | {r.name} for fk in r.schema.foreign_keys if not fk.from_list and package.resource(fk.resource or r.name) is not None
            )
        ]
        pick = ready[0] if ready else remaining[0]  # a cycle: its forward references stay unenforced
        done.append(pick)
        remaining.remove(pick)
    return done


def _enforceable(fk: ForeignKey, resource: Resource, package: Package, created: set[str]) -> bool:
    """DuckDB can enforce a scalar reference to a key of an existing table."""
    target = package.resource(fk.resource) if fk.resource else resource
    if fk.from_list or target is None or (target.name not in created and target is not resource):
        return False
    keys = [target.schema.primary_key, *target.schema.unique_keys]
    keys += [(f.name,) for f in target.schema.fields if f.constraints.get("unique")]
    return tuple(fk.ref_fields) in {tuple(k) for k in keys}


def create_table(resource: Resource, package: Package, created: set[str]) -> str:
    """The CREATE TABLE statement of a resource, with its keys, checks and the foreign keys DuckDB can enforce."""
    schema = resource.schema
    lines = []
    for f in schema.fields:
        parts = [ident(f.name), duckdb_type(f)]
        if f.required or f.name in schema.primary_key:
            parts.append("NOT NULL")
        if f.constraints.get("unique") and f.type != "list":
            parts.append("UNIQUE")
        parts += [f"CHECK ({c})" for c in checks(f)]
        lines.append(" ".join(parts))
    if schema.primary_key:
        lines.append(f"PRIMARY KEY ({', '.join(map(ident, schema.primary_key))})")
    for key in schema.unique_keys:
        lines.append(f"UNIQUE ({', '.join(map(ident, key))})")
    for fk in schema.foreign_keys:
        if _enforceable(fk, resource, package, created):
            target = fk.resource or resource.name
            lines.append(f"FOREIGN KEY ({', '.join(map(ident, fk.fields))}) REFERENCES {ident(target)} ({', '.join(map(ident, fk.ref_fields))})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE {ident(resource.name)} (\n  {body}\n);"


def column_comment(field: Field, resource: Resource, package: Package, created: set[str]) -> str:
    """The field's description, plus the references DuckDB cannot enforce."""
    text = field.description or field.title
    for fk in resource.schema.foreign_keys:
        if field.name not in fk.fields or _enforceable(fk, resource, package, created):
            continue
        where = f"{fk.resource or resource.name}.{', '.join(fk.ref_fields)}"
        what = "Each item references" if fk.from_list else "References"
        text += f" {what} {where} (checked by `c5data validate`, not a DuckDB constraint)."
    return text.strip()


def comments(resource: Resource, package: Package, created: set[str]) -> list[str]:
    """COMMENT statements carrying the table's description and each column's documentation into DuckDB."""
    out = []
    if resource.schema.description:
        out.append(f"COMMENT ON TABLE {ident(resource.name)} IS {literal(resource.schema.description)};")
    for f in resource.schema.fields:
        text = column_comment(f, resource, package, created)
        if text:
            out.append(f"COMMENT ON COLUMN {ident(resource.name)}.{ident(f.name)} IS {literal(text)};")
    return out


def _self_references(resource: Resource, package: Package) -> list[ForeignKey]:
    return [fk for fk in resource.schema.foreign_keys if (fk.resource in ("", resource.name)) and _enforceable(fk, resource, package, {resource.name})]


def _key(frame: pl.DataFrame, cols: tuple[str, ...]) -> pl.Series:
    if len(cols) == 1:
        return frame.get_column(cols[0])
    return frame.select(pl.concat_str([pl.col(c).cast(pl.String) for c in cols], separator="\x1f")).to_series()


def insert_passes(table: Table, package: Package) -> int:
    """How many INSERT passes a self-referencing table needs (1 when it has none)."""
    fks = _self_references(table.resource, package)
    frame = table.typed
    if not fks or frame.height == 0:
        return 1
    done = pl.Series([False] * frame.height)
    passes = 0
    while not done.all():
        passes += 1
        ok = ~done
        for fk in fks:
            local = _key(frame, fk.fields)
            present = _key(frame.filter(done), fk.ref_fields)
            any_null = frame.select(pl.any_horizontal([pl.col(c).is_null() for c in fk.fields])).to_series()
            ok = ok & (any_null | local.is_in(present.implode()))
        if not ok.any():
            raise ValueError(
                f"{table.name}: {int((~done).sum())} row(s) reference rows of the same table that are missing "
                "or that reference them back in a cycle; they cannot be loaded with foreign keys"
            )
        done = done | ok
    return passes


def insert(table: Table, package: Package, source: str) -> list[str]:
    """INSERT statements that fill `table` from `source` (a relation with the same columns), parents first."""
    resource = table.resource
    name = ident(resource.name)
    cols = ", ".join(ident(f.name) for f in resource.schema.fields)
    order = ", ".join(map(ident, resource.schema.primary_key)) or cols
    fks = _self_references(resource, package)
    if not fks:
        return [f"INSERT INTO {name} SELECT {cols} FROM {source} ORDER BY {order};"]
    pk = resource.schema.primary_key
    conditions = ["NOT EXISTS (SELECT 1 FROM " + name + " x WHERE " + " AND ".join(f"x.{ident(k)} = s.{ident(k)}" for k in pk) + ")"]
    for fk in fks:
        nulls = " OR ".join(f"s.{ident(c)} IS NULL" for c in fk.fields)
        match = " AND ".join(f"x.{ident(r)} = s.{ident(c)}" for c, r in zip(fk.fields, fk.ref_fields))
        conditions.append(f"({nulls} OR EXISTS (SELECT 1 FROM {name} x WHERE {match}))")
    statement = f"INSERT INTO {name} SELECT {cols} FROM {source} s WHERE " + " AND ".join(conditions) + f" ORDER BY {', '.join('s.' + ident(k) for k in pk)};"
    return [statement] * insert_passes(table, package)


def source_name(resource: Resource) -> str:
    """The relation the loading script reads a table's typed rows from (an Arrow table registered under this name)."""
    return f"_src_{resource.name}"


def database_script(package: Package, tables: dict[str, Table], source: Callable[[Resource], str]) -> str:
    """The whole database: tables with keys and comments, filled from the relation named `source(resource)`, then the views."""
    statements: list[str] = []
    created: set[str] = set()
    seen_at: dict[str, set[str]] = {}  # the tables that existed when each table was created
    for resource in load_order(package):
        created.add(resource.name)
        seen_at[resource.name] = set(created)
        statements.append(create_table(resource, package, seen_at[resource.name]))
        statements += insert(tables[resource.name], package, ident(source(resource)))
    for resource in package.resources:
        statements += comments(resource, package, seen_at[resource.name])
    statements += view_statements({r.name: r for r in package.resources})
    return "\n".join(statements) + "\n"


# ---------------------------------------------------------------------------------------------------------------------
# The documented views


@dataclass(frozen=True)
class View:
    name: str
    description: str
    needs: dict[str, tuple[str, ...]]
    sql: str


VIEWS: list[View] = [
    View(
        "meeting_participants",
        "One row per participant of a meeting, with the meeting's date, series and name, the person's name, office and the name of the country represented.",
        {
            "participants": ("meeting_id", "person_id", "country", "role", "position", "portfolio", "title_as_given", "certainty"),
            "meetings": ("meeting_id", "series_id", "meeting_name", "start_date", "end_date", "city", "host_country"),
            "persons": ("person_id", "person_name"),
            "countries": ("iso3", "country_name"),
            "series": ("series_id", "series_name"),
        },
        """
SELECT m.meeting_id, m.start_date, m.end_date, m.series_id, se.series_name, m.meeting_name,
       m.city, m.host_country, p.person_id, pe.person_name, p.country, c.country_name,
       p.role, p.position, p.portfolio, p.title_as_given, p.certainty
FROM participants p
JOIN meetings m ON m.meeting_id = p.meeting_id
LEFT JOIN persons pe ON pe.person_id = p.person_id
LEFT JOIN countries c ON c.iso3 = p.country
LEFT JOIN series se ON se.series_id = m.series_id
ORDER BY m.start_date, m.meeting_id, p.person_id""",
    ),
    View(
        "pledges_by_country_sector",
        "Pledges per pledging country, sector, kind of commitment, meeting and unit, each commitment counted once: "
        "components of a headline package (parent_pledge_id set) and restatements (restates_pledge_id set) are left out, "
        "so a package is counted by its headline row only, under the headline's sector. year is the year of the meeting. "
        "total_quantity adds up the figures of the counted rows in one unit; a headline announced without a figure adds "
        "nothing even when its components have figures (see pledges). A `target` (e.g. a trade volume) is a goal, not "
        "money given: for money use money_pledged.",
        {
            "pledges": ("pledger", "sector", "commitment_type", "meeting_id", "unit", "quantity", "parent_pledge_id", "restates_pledge_id"),
            "countries": ("iso3", "country_name"),
            "meetings": ("meeting_id", "start_date"),
        },
        """
SELECT p.pledger, c.country_name AS pledger_name, p.sector, p.commitment_type, p.meeting_id,
       year(m.start_date) AS year, p.unit,
       count(*) AS pledges,
       count(p.quantity) AS pledges_with_quantity,
       sum(p.quantity) AS total_quantity
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL
GROUP BY p.pledger, c.country_name, p.sector, p.commitment_type, p.meeting_id, year(m.start_date), p.unit
ORDER BY p.pledger, p.sector, p.commitment_type, year, p.meeting_id, p.unit NULLS FIRST""",
    ),
    View(
        "money_pledged",
        "Money pledged, counted once, by pledger, year, meeting and currency: pledges whose unit is an ISO 4217 currency "
        "code and whose commitment_type is not `target` (a target such as a trade volume is a goal, not money given), "
        "without components of a headline package (parent_pledge_id set) and without restatements (restates_pledge_id "
        "set). total_amount adds up the figures in one currency; amount_bounds lists how exact they are (exact, "
        "at-least, up-to, approximately). Amounts in different currencies are never added.",
        {
            "pledges": ("pledge_id", "pledger", "meeting_id", "commitment_type", "quantity", "unit", "amount_bound", "parent_pledge_id", "restates_pledge_id"),
            "countries": ("iso3", "country_name"),
            "meetings": ("meeting_id", "start_date"),
        },
        """
SELECT p.pledger, c.country_name AS pledger_name, year(m.start_date) AS year, p.meeting_id, p.unit AS currency,
       count(*) AS pledges,
       sum(p.quantity) AS total_amount,
       list_sort(list_distinct(list(coalesce(p.amount_bound, 'exact')))) AS amount_bounds,
       list_sort(list(p.pledge_id)) AS pledge_ids
FROM pledges p
LEFT JOIN countries c ON c.iso3 = p.pledger
LEFT JOIN meetings m ON m.meeting_id = p.meeting_id
WHERE regexp_full_match(p.unit, '[A-Z]{3}')
  AND p.quantity IS NOT NULL
  AND p.commitment_type IS DISTINCT FROM 'target'
  AND p.parent_pledge_id IS NULL AND p.restates_pledge_id IS NULL
GROUP BY p.pledger, c.country_name, year(m.start_date), p.meeting_id, p.unit
ORDER BY p.pledger, year, p.meeting_id, currency""",
    ),
    View(
        "pledge_status",
        "Each pledge with its current status: the latest follow-up (status is null where no follow-up is recorded). "
        "Follow-ups are ordered by the last day their as_of_date can mean, so a report known only to the month or year "
        "counts as of the end of that month or year.",
        {
            "pledges": ("pledge_id", "meeting_id", "pledger", "sector", "commitment_type", "commitment", "quantity", "unit"),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "evidence", "certainty"),
        },
        """
SELECT p.pledge_id, p.meeting_id, p.pledger, p.sector, p.commitment_type, p.commitment, p.quantity, p.unit,
       f.status, f.as_of_date, f.as_of_date_precision, f.evidence, f.certainty, f.followup_id
FROM pledges p
LEFT JOIN (
  SELECT * FROM pledge_followups
  QUALIFY row_number() OVER (
    PARTITION BY pledge_id
    ORDER BY CASE as_of_date_precision WHEN 'year' THEN make_date(year(as_of_date), 12, 31)
                                       WHEN 'month' THEN last_day(as_of_date) ELSE as_of_date END DESC,
             followup_id DESC) = 1
) f ON f.pledge_id = p.pledge_id
ORDER BY p.pledge_id""",
    ),
    View(
        "timeline",
        "Everything dated, in order: meetings (start_date), documents (date), pledges (their meeting's start_date) and "
        "follow-ups (as_of_date), each with the precision of its date. date_text writes the date only as far as it is "
        'known ("2025", "September 2023", "18 April 2023"); date_sort is the last day the date can mean (31 December '
        "for a year, the last of the month for a month), so a year-only or month-only date sorts after the dated rows "
        "of its year or month, except that a held meeting known only to the month or year sorts no later than the first "
        "report of it (the earliest published_date of its sources on or after its start_date), since it was held by then. "
        "Order by date_sort.",
        {
            "meetings": ("meeting_id", "meeting_name", "start_date", "date_precision", "status", "source_ids"),
            "sources": ("source_id", "published_date"),
            "documents": ("document_id", "meeting_id", "title", "document_type", "action", "date", "date_precision"),
            "pledges": ("pledge_id", "meeting_id", "commitment"),
            "pledge_followups": ("followup_id", "pledge_id", "as_of_date", "as_of_date_precision", "status", "observation"),
        },
        """
SELECT date, date_precision,
       CASE date_precision WHEN 'year' THEN strftime(date, '%Y') WHEN 'month' THEN strftime(date, '%B %Y')
            ELSE strftime(date, '%-d %B %Y') END AS date_text,
       least(CASE date_precision WHEN 'year' THEN make_date(year(date), 12, 31) WHEN 'month' THEN last_day(date)
                  ELSE date END, coalesce(reported, DATE '9999-12-31')) AS date_sort,
       kind, meeting_id, id, what FROM (
  SELECT m.start_date AS date, m.date_precision, 'meeting' AS kind, 1 AS k, m.meeting_id, m.meeting_id AS id, m.meeting_name AS what,
         CASE WHEN m.status = 'held' THEN (SELECT min(s.published_date) FROM sources s
                                           WHERE list_contains(m.source_ids, s.source_id) AND s.published_date >= m.start_date)
         END AS reported
  FROM meetings m
  UNION ALL
  SELECT d.date, d.date_precision, 'document', 2, d.meeting_id, d.document_id,
         d.document_type || ' ' || d.action || ': ' || d.title, NULL
  FROM documents d
  UNION ALL
  SELECT m.start_date, m.date_precision, 'pledge', 3, p.meeting_id, p.pledge_id, p.commitment, NULL
  FROM pledges p JOIN meetings m ON m.meeting_id = p.meeting_id
  UNION ALL
  SELECT f.as_of_date, f.as_of_date_precision, 'followup', 4, pl.meeting_id, f.followup_id, f.status || ': ' || f.observation, NULL
  FROM pledge_followups f LEFT JOIN pledges pl ON pl.pledge_id = f.pledge_id
)
ORDER BY date_sort, k, id""",
    ),
]

UNCERTAIN = ("single-source", "disputed")


def uncertain_rows_view(resources: Mapping[str, Resource]) -> View | None:
    """`uncertain_rows`: every row of every table with a certainty column whose certainty is not `confirmed`.

    Built from the schemas, so a table that gains a certainty column is listed without a change here. A row's id is
    its primary key (the key columns joined with `/` where there are several).
    """
    selects, needs = [], {}
    for name, res in resources.items():
        schema = res.schema
        cols = ("certainty", "notes", "source_ids")
        if not schema.primary_key or any(schema.get(c) is None for c in cols):
            continue
        key = " || '/' || ".join(f"CAST({ident(k)} AS VARCHAR)" for k in schema.primary_key)
        selects.append(
            f"  SELECT {literal(name)} AS table_name, {key} AS id, certainty, notes, source_ids FROM {ident(name)}\n"
            f"  WHERE certainty IN ({', '.join(literal(u) for u in UNCERTAIN)})"
        )
        needs[name] = (*schema.primary_key, *cols)
    if not selects:
        return None
    sql = "\nSELECT * FROM (\n" + "\n  UNION ALL\n".join(selects) + "\n)\nORDER BY table_name, id"
    return View(
        "uncertain_rows",
        "Every row of every table with a certainty column whose certainty is single-source or disputed: the table, "
        "the row's id (its primary key; the key columns joined with / where there are several), certainty, notes "
        "and source_ids. A disputed row's notes say who says what.",
        needs,
        sql,
    )


def available(resources: Mapping[str, Resource]) -> list[View]:
    """The views whose every table and column exists in the package."""
    out = []
    dynamic = uncertain_rows_view(resources)
    for view in [*VIEWS, *([dynamic] if dynamic else [])]:
        ok = all(t in resources and all(resources[t].schema.get(c) is not None for c in cols) for t, cols in view.needs.items())
        if ok:
            out.append(view)
    return out


def view_statements(resources: Mapping[str, Resource]) -> list[str]:
    """CREATE VIEW and COMMENT statements for every view whose tables the package has."""
    out = []
    for view in available(resources):
        out.append(f"CREATE VIEW {ident(view.name)} AS{view.sql};")
        out.append(f"COMMENT ON VIEW {ident(view.name)} IS {literal(view.description)};")
    return out
