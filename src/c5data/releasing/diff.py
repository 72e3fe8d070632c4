"""Compare two versions of the package: tables and columns added or removed, rows added, removed and changed.

Rows are matched by primary key and compared cell by cell on the text as
written (a missing-value marker counts as null), over the columns both
versions have. Each change carries its SemVer level, following the Data
Package version recipe: removing or renaming a table, a column or an id, or
changing a type, is major; adding rows, columns or tables is minor;
correcting values (or a field's description or constraints) is a patch.

An id listed in the new side's `id_changes` table (old_id → new_id) is a
rename, not a removal plus an addition: the row is matched under its new id
(and so is every row whose key refers to the renamed id through a foreign
key), its value changes are listed with it, and the rename counts as major
(an id that was published disappears) with its own line in the report.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from c5data import mdtext
from c5data.reading.descriptor import Package, load_package
from c5data.reading.tables import Table, TableError, missing_to_null, read_tables
from c5data.reading.tableschema import Field

LEVELS = ("none", "patch", "minor", "major")
KEY = "__key__"


class DiffError(Exception):
    """A side of the comparison cannot be read (exit code 2)."""

    exit_code = 2


def level_max(*levels: str) -> str:
    """The highest of some version bump levels ("none" when there are none)."""
    return max(levels, key=LEVELS.index, default="none")


def type_of(f: Field) -> str:
    """A field's type as compared between releases; list fields include their item type."""
    return f"list<{f.item_type}>" if f.type == "list" else f.type


def _field_meta(f: Field) -> dict[str, Any]:
    return {
        "title": f.title,
        "description": f.description,
        "format": f.format,
        "constraints": f.constraints,
        "categories": f.categories,
        "labels": f.category_labels,
        "delimiter": f.delimiter if f.type == "list" else None,
    }


@dataclass
class TableDiff:
    name: str
    primary_key: list[str]
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_renamed: list[dict[str, Any]] = field(default_factory=list)  # old, new, and how many rows agree
    columns_retyped: list[dict[str, str]] = field(default_factory=list)  # column, old, new
    columns_redefined: list[str] = field(default_factory=list)  # description, constraints or categories changed
    primary_key_changed: dict[str, list[str]] | None = None
    rows_added: list[dict[str, Any]] = field(default_factory=list)  # the new rows' keys
    rows_removed: list[dict[str, Any]] = field(default_factory=list)
    rows_changed: list[dict[str, Any]] = field(default_factory=list)  # {"key": {...}, "changes": {col: {"old", "new"}}}
    rows_renamed: list[dict[str, Any]] = field(default_factory=list)  # {"old": {...}, "new": {...}, "changes": {...}}
    rows_compared: bool = True

    @property
    def level(self) -> str:
        if self.columns_removed or self.columns_renamed or self.columns_retyped or self.primary_key_changed or self.rows_removed or self.rows_renamed:
            return "major"
        if self.columns_added or self.rows_added:
            return "minor"
        if self.rows_changed or self.columns_redefined:
            return "patch"
        return "none"

    @property
    def empty(self) -> bool:
        return self.level == "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "primary_key": self.primary_key,
            "counts": {"added": len(self.rows_added), "removed": len(self.rows_removed), "changed": len(self.rows_changed), "renamed": len(self.rows_renamed)},
            "columns_added": self.columns_added,
            "columns_removed": self.columns_removed,
            "columns_renamed": self.columns_renamed,
            "columns_retyped": self.columns_retyped,
            "columns_redefined": self.columns_redefined,
            "primary_key_changed": self.primary_key_changed,
            "rows_compared": self.rows_compared,
            "rows_added": self.rows_added,
            "rows_removed": self.rows_removed,
            "rows_changed": self.rows_changed,
            "rows_renamed": self.rows_renamed,
        }


@dataclass
class PackageDiff:
    old: str
    new: str
    old_version: str | None
    new_version: str | None
    tables_added: list[str] = field(default_factory=list)
    tables_removed: list[str] = field(default_factory=list)
    tables: dict[str, TableDiff] = field(default_factory=dict)  # tables present on both sides, changed or not

    @property
    def level(self) -> str:
        own = "major" if self.tables_removed else "minor" if self.tables_added else "none"
        return level_max(own, *(t.level for t in self.tables.values()))

    def reasons(self) -> list[str]:
        """One line per kind of change, with its level: why the version bump is what it is."""
        c_ = mdtext.code  # table and column names are anyone's text too
        out = [f"table {c_(t)} removed (major)" for t in self.tables_removed]
        out += [f"table {c_(t)} added (minor)" for t in self.tables_added]
        for name, t in self.tables.items():
            out += [f"{c_(name)}: column {c_(c)} removed (major)" for c in t.columns_removed]
            out += [f"{c_(name)}: column {c_(c['old'])} renamed to {c_(c['new'])} (major)" for c in t.columns_renamed]
            out += [f"{c_(name)}: column {c_(c['column'])} changed type {c['old']} → {c['new']} (major)" for c in t.columns_retyped]
            if t.primary_key_changed:
                out.append(f"{c_(name)}: primary key changed (major)")
            if t.rows_renamed:
                out.append(f"{c_(name)}: {len(t.rows_renamed)} row(s) renamed (listed in id_changes): their old ids disappear (major)")
            if t.rows_removed:
                out.append(f"{c_(name)}: {len(t.rows_removed)} row(s) removed: their ids disappear (major)")
            out += [f"{c_(name)}: column {c_(c)} added (minor)" for c in t.columns_added]
            if t.rows_added:
                out.append(f"{c_(name)}: {len(t.rows_added)} row(s) added (minor)")
            if t.rows_changed:
                out.append(f"{c_(name)}: {len(t.rows_changed)} row(s) corrected (patch)")
            if t.columns_redefined:
                out.append(f"{c_(name)}: description or constraints of {', '.join(c_(c) for c in t.columns_redefined)} changed (patch)")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"path": self.old, "version": self.old_version},
            "new": {"path": self.new, "version": self.new_version},
            "level": self.level,
            "reasons": self.reasons(),
            "tables_added": self.tables_added,
            "tables_removed": self.tables_removed,
            "tables": {name: t.to_dict() for name, t in self.tables.items() if not t.empty},
        }


def _load(path: str | os.PathLike[str]) -> tuple[Package, dict[str, Table]]:
    package, problems = load_package(path)
    errors = [f for f in problems if f.severity == "error"]
    if package is None or errors:
        raise DiffError(f"{path}: " + "; ".join(f"{f.location}: {f.message}" for f in (errors or problems)))
    try:
        return package, read_tables(package)
    except TableError as exc:
        raise DiffError(str(exc)) from exc


def _keyed(table: Table, key: list[str], columns: list[str]) -> pl.DataFrame:
    frame = missing_to_null(table).select(columns)
    return frame.with_columns(pl.concat_str([pl.col(k).fill_null("\x00") for k in key], separator="\x1f").alias(KEY))


def _keyed_frame(frame: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """`frame` (old rows under renamed keys) with its original key and the key after renaming as `__renamed__`."""
    return frame.with_columns(pl.concat_str([pl.col(k).fill_null("\x00") for k in key], separator="\x1f").alias("__renamed__"))


def _key_dicts(frame: pl.DataFrame, key: list[str]) -> list[dict[str, Any]]:
    return frame.select(key).sort(key).to_dicts()


def id_renames(tables: dict[str, Table]) -> dict[str, dict[str, str]]:
    """table -> {old id: current id} from an `id_changes` table, chains followed to their end (a loop stops where it closes)."""
    table = tables.get("id_changes")
    if table is None or any(c not in table.text.columns for c in ("table_name", "old_id", "new_id")):
        return {}
    out: dict[str, dict[str, str]] = {}
    for row in missing_to_null(table).select("table_name", "old_id", "new_id").drop_nulls().iter_rows():
        out.setdefault(row[0], {})[row[1]] = row[2]
    for mapping in out.values():
        for old in list(mapping):
            seen, cur = {old}, mapping[old]
            while cur in mapping and mapping[cur] not in seen:
                seen.add(cur)
                cur = mapping[cur]
            mapping[old] = cur
    return out


def key_renames(table: Table, renames: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """For each primary key column of `table`: the renames of the ids it holds (its own, or those of the table it references)."""
    schema = table.resource.schema
    out: dict[str, dict[str, str]] = {}
    for col in schema.primary_key:
        if tuple(schema.primary_key) == (col,) and table.name in renames:
            out[col] = renames[table.name]
        for fk in schema.foreign_keys:
            if fk.fields == (col,) and not fk.from_list and (fk.resource or table.name) in renames:
                out[col] = renames[fk.resource or table.name]
    return out


RENAME_AGREEMENT = 0.5  # more than this share of rows (where either side has a value) must agree for a rename


def column_renames(old: Table, new: Table, key: list[str], removed: list[str], added: list[str]) -> list[dict[str, Any]]:
    """Removed columns that live on under a new name: same type, and their values agree row by row (matched by key).

    Values may also be corrected in the same release, so more than half the rows must agree, not all; columns that are
    both empty never counts as a rename.
    """
    if not key or not removed or not added:
        return []
    o_fields = {f.name: f for f in old.resource.schema.fields}
    n_fields = {f.name: f for f in new.resource.schema.fields}
    joined = missing_to_null(old).select(key + removed).join(missing_to_null(new).select(key + added), on=key, how="inner")
    found: list[dict[str, Any]] = []
    for r in removed:
        best: tuple[str, float, int] | None = None
        for a in added:
            if any(f["new"] == a for f in found) or type_of(o_fields[r]) != type_of(n_fields[a]):
                continue
            present = joined.filter(pl.col(r).is_not_null() | pl.col(a).is_not_null())
            if present.height == 0:
                continue
            agree = int(present.select(pl.col(r).eq_missing(pl.col(a)).sum()).item())
            share = agree / present.height
            if share > RENAME_AGREEMENT and (best is None or share > best[1]):
                best = (a, share, agree)
        if best is not None:
            found.append({"old": r, "new": best[0], "rows_agreeing": best[2], "rows_with_values": joined.height})
    return found


def diff_tables(old: Table, new: Table, renames: dict[str, dict[str, str]] | None = None) -> TableDiff:
    """What changed in one table between two releases: columns, keys and, when rows can be matched by key, rows."""
    o_fields = {f.name: f for f in old.resource.schema.fields}
    n_fields = {f.name: f for f in new.resource.schema.fields}
    new_pk = list(new.resource.schema.primary_key)
    old_pk = list(old.resource.schema.primary_key)
    result = TableDiff(new.name, new_pk)
    result.columns_added = [n for n in n_fields if n not in o_fields]
    result.columns_removed = [n for n in o_fields if n not in n_fields]
    common = [n for n in n_fields if n in o_fields]
    for n in common:
        if type_of(o_fields[n]) != type_of(n_fields[n]):
            result.columns_retyped.append({"column": n, "old": type_of(o_fields[n]), "new": type_of(n_fields[n])})
        elif _field_meta(o_fields[n]) != _field_meta(n_fields[n]):
            result.columns_redefined.append(n)
    if old_pk != new_pk:
        result.primary_key_changed = {"old": old_pk, "new": new_pk}
    key = new_pk if new_pk and all(k in o_fields for k in new_pk) else old_pk if old_pk and all(k in n_fields for k in old_pk) else []
    if not key:
        result.rows_compared = False
        return result
    result.primary_key = key
    result.columns_renamed = column_renames(old, new, key, result.columns_removed, result.columns_added)
    new_names = {c["old"]: c["new"] for c in result.columns_renamed}
    result.columns_removed = [c for c in result.columns_removed if c not in new_names]
    result.columns_added = [c for c in result.columns_added if c not in new_names.values()]
    # a renamed column is compared cell by cell under its new name, so corrections made with the rename show
    a = _keyed(old, key, common + list(new_names)).rename(new_names)
    b = _keyed(new, key, common + list(new_names.values()))
    common = common + list(new_names.values())
    values = [c for c in common if c not in key]
    renamed = {c: m for c, m in (renames or {}).items() if c in key}
    if renamed:
        # the old rows under their renamed keys; one that is gone under its old key but present under the new is a rename
        moved = a.with_columns([pl.col(c).replace(m) for c, m in renamed.items()])
        moved = _keyed_frame(moved, key)
        gone = a.join(b.select(KEY), on=KEY, how="anti")
        pairs = (
            gone.select(pl.col(KEY).alias("__old__"))
            .join(moved.select(pl.col(KEY).alias("__old__"), pl.col("__renamed__")), on="__old__", how="inner")
            .filter(pl.col("__old__") != pl.col("__renamed__"))
            .join(b.select(pl.col(KEY).alias("__renamed__")), on="__renamed__", how="semi")
        )
        if pairs.height:
            old_rows = a.join(pairs, left_on=KEY, right_on="__old__", how="inner")
            both = old_rows.join(b, left_on="__renamed__", right_on=KEY, how="inner", suffix="::new").sort(key)
            for row in both.iter_rows(named=True):
                changes = {c: {"old": row[c], "new": row[f"{c}::new"]} for c in values if row[c] != row[f"{c}::new"]}
                result.rows_renamed.append({"old": {k: row[k] for k in key}, "new": {k: row[f"{k}::new"] for k in key}, "changes": changes})
            a = a.join(pairs.select(pl.col("__old__").alias(KEY)), on=KEY, how="anti")
            b = b.join(pairs.select(pl.col("__renamed__").alias(KEY)), on=KEY, how="anti")
    result.rows_added = _key_dicts(b.join(a.select(KEY), on=KEY, how="anti"), key)
    result.rows_removed = _key_dicts(a.join(b.select(KEY), on=KEY, how="anti"), key)
    if values:
        both = a.join(b, on=KEY, how="inner", suffix="::new")
        differs = [pl.col(c).ne_missing(pl.col(f"{c}::new")) for c in values]
        changed = both.filter(pl.any_horizontal(differs)).sort(key)
        for row in changed.iter_rows(named=True):
            changes = {c: {"old": row[c], "new": row[f"{c}::new"]} for c in values if row[c] != row[f"{c}::new"]}
            result.rows_changed.append({"key": {k: row[k] for k in key}, "changes": changes})
    return result


def diff(old: str | os.PathLike[str], new: str | os.PathLike[str]) -> PackageDiff:
    """Compare the packages (or releases) at `old` and `new`."""
    old_pkg, old_tables = _load(old)
    new_pkg, new_tables = _load(new)
    result = PackageDiff(str(old), str(new), old_pkg.descriptor.get("version"), new_pkg.descriptor.get("version"))
    result.tables_added = [n for n in new_tables if n not in old_tables]
    result.tables_removed = [n for n in old_tables if n not in new_tables]
    renames = id_renames(new_tables)
    for name in new_tables:
        if name in old_tables:
            result.tables[name] = diff_tables(old_tables[name], new_tables[name], key_renames(new_tables[name], renames))
    return result


def _key_text(key: dict[str, Any]) -> str:
    return mdtext.code(", ".join(str(v) for v in key.values()))


def _short(value: Any, limit: int = 60) -> str:
    """A cell value quoted on one line, cut at `limit` characters, its Markdown escaped (cells are anyone's text)."""
    if value is None:
        return "∅"
    text = str(value)
    return '"' + mdtext.text(text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def render_markdown(result: PackageDiff, limit: int = 50, heading: str = "###") -> str:
    """The diff for people (CHANGELOG.md, pull requests): at most `limit` rows listed per kind."""
    lines = [f"Change level: **{result.level}**."]
    reasons = result.reasons()
    if not reasons:
        return lines[0] + " No table, column or row changed.\n"
    lines += [""] + [f"- {r}" for r in reasons]
    for name, t in result.tables.items():
        if t.empty:
            continue
        lines += [
            "",
            f"{heading} {mdtext.code(name)}",
            "",
            f"{len(t.rows_added)} added, {len(t.rows_removed)} removed, {len(t.rows_changed)} changed"
            + (f", {len(t.rows_renamed)} renamed" if t.rows_renamed else "")
            + ("" if t.rows_compared else " (rows not compared: no common primary key)")
            + ".",
        ]
        columns = [
            f"added {', '.join(mdtext.code(c) for c in t.columns_added)}" if t.columns_added else "",
            f"removed {', '.join(mdtext.code(c) for c in t.columns_removed)}" if t.columns_removed else "",
            "renamed " + ", ".join(f"{mdtext.code(c['old'])} → {mdtext.code(c['new'])}" for c in t.columns_renamed) if t.columns_renamed else "",
            ", ".join(f"{mdtext.code(c['column'])} {c['old']} → {c['new']}" for c in t.columns_retyped),
        ]
        if any(columns):
            lines.append(f"- Columns: {'; '.join(c for c in columns if c)}")
        for label, rows in (("Added", t.rows_added), ("Removed", t.rows_removed)):
            if rows:
                shown = ", ".join(_key_text(k) for k in rows[:limit])
                more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
                lines.append(f"- {label}: {shown}{more}")
        if t.rows_renamed:
            lines.append("- Renamed (listed in id_changes):")
            for row in t.rows_renamed[:limit]:
                cells = "; ".join(f"{mdtext.text(c)}: {_short(v['old'])} → {_short(v['new'])}" for c, v in row["changes"].items())
                lines.append(f"  - {_key_text(row['old'])} → {_key_text(row['new'])}" + (f"; {cells}" if cells else ""))
            if len(t.rows_renamed) > limit:
                lines.append(f"  - … and {len(t.rows_renamed) - limit} more")
        if t.rows_changed:
            lines.append("- Changed:")
            for row in t.rows_changed[:limit]:
                cells = "; ".join(f"{mdtext.text(c)}: {_short(v['old'])} → {_short(v['new'])}" for c, v in row["changes"].items())
                lines.append(f"  - {_key_text(row['key'])}: {cells}")
            if len(t.rows_changed) > limit:
                lines.append(f"  - … and {len(t.rows_changed) - limit} more")
    return "\n".join(lines) + "\n"
