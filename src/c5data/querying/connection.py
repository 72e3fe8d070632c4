"""DuckDB connections for users: the built database when there is one, else `data/` loaded in memory.

Both carry the same tables, constraints, comments and views (the same
`c5data.building.sql` script), so a query written against one runs on the other.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from c5data.building.builder import DEFAULT_OUT

if TYPE_CHECKING:
    import duckdb

DATABASE_FILE = "c5data.duckdb"
PANDAS_HINT = 'pip install "c5data[pandas]"'


class DatabaseUnavailable(Exception):
    """Neither a built database nor a readable package was found (exit code 2)."""

    exit_code = 2


class DataDoesNotLoad(Exception):
    """data/ breaks a key or constraint the database enforces (exit code 1; `c5data validate` says where)."""

    exit_code = 1


class UnknownName(LookupError):
    """`load` was asked for a name that is neither a table nor a view of the database (the message lists both)."""

    exit_code = 2


def relations(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The tables and the views of a connection's main schema, each sorted (what `load` accepts)."""
    rows = con.execute("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name").fetchall()
    return [name for name, kind in rows if kind != "VIEW"], [name for name, kind in rows if kind == "VIEW"]


def find_database(path: str | os.PathLike | None = None) -> Path | None:
    """The built database for `path`: a .duckdb file, a release folder, or a package whose release/ is built."""
    p = Path(path) if path else Path(".")
    if p.is_file() and p.suffix == ".duckdb":
        return p
    for candidate in (p / DATABASE_FILE, p / DEFAULT_OUT / DATABASE_FILE):
        if candidate.is_file():
            return candidate
    return None


class StaleRelease(UserWarning):
    """data/ changed after the release beside it was built: the answer comes from data/ instead."""


def stale_tables(folder: Path, database: Path) -> list[str]:
    """The tables whose files in the package at `folder` differ from the hashes its built release recorded (empty: current).

    Only a package's own release/ can be stale; a release folder or a .duckdb file given directly is
    read as it is. A table added to or removed from the package counts as changed.
    """
    import json

    from c5data.files.hashing import file_sha256

    if database != folder / DEFAULT_OUT / DATABASE_FILE or not (folder / "datapackage.json").is_file():
        return []
    try:
        source = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        built = json.loads((folder / DEFAULT_OUT / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["datapackage.json"]
    recorded = {r.get("name"): str(r.get("hash", "")).removeprefix("sha256:") for r in built.get("resources", []) if isinstance(r, dict)}
    changed = []
    for res in source.get("resources", []):
        if not isinstance(res, dict):
            continue
        declared = res.get("path")
        paths: list[str] = [str(p) for p in declared] if isinstance(declared, list) else [str(declared)]
        try:
            digests = [file_sha256(folder / str(p)) for p in paths]
        except OSError:
            changed.append(str(res.get("name")))
            continue
        name = res.get("name")
        if (
            name not in recorded
            or len(digests) != 1
            or (digests[0] != recorded[name] and not _same_records(folder / str(paths[0]), folder / DEFAULT_OUT / str(res.get("path"))))
        ):
            changed.append(str(name))
    gone = {str(name) for name in recorded} - {str(r.get("name")) for r in source.get("resources", []) if isinstance(r, dict)}
    return changed + sorted(gone)


def _same_records(source: Path, released: Path) -> bool:
    """Whether two CSV files hold the same records in another order (the release sorts rows by key); the bytes differed already."""
    try:
        a, b = source.read_bytes(), released.read_bytes()
    except OSError:
        return False
    a = a.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n")
    return sorted(a.rstrip(b"\n").split(b"\n")) == sorted(b.rstrip(b"\n").split(b"\n"))


def choose(path: str | os.PathLike | None = None, data: bool = False) -> tuple[Path | None, str | None]:
    """The built database to read for `path` (None: data/ in memory) and, when release/ is stale, the one-line note saying so."""
    built = None if data else find_database(path)
    if built is None:
        return None, None
    folder = Path(path) if path else Path(".")
    changed = stale_tables(folder, built)
    if not changed:
        return built, None
    shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
    return None, f"{folder / DEFAULT_OUT} is older than data/ ({shown} changed since it was built): reading data/ instead; `c5data build` refreshes it"


def where_to_point(folder: Path) -> str:
    """The message when `folder` holds neither a built release nor a package: how to point c5data at a release."""
    return (
        f"{folder}: no c5data release or package here (no {DATABASE_FILE}, no {DEFAULT_OUT}/{DATABASE_FILE}, no datapackage.json). "
        'Point c5data at a release: c5data.connect("path/to/release") for an unpacked release folder or its '
        f'{DATABASE_FILE} file, or a package folder with data/ (c5data.connect("path/to/package")). '
        "For a published release, download it from its URL first "
        f"(<url>/releases/<version>/{DATABASE_FILE}, or the release zip) and pass the downloaded path; "
        "in a clone of the repository, `c5data build` writes release/."
    )


def memory_database(path: str | os.PathLike | None = None, as_of: dt.date | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory database built from the package's CSV files (not validated: use `c5data validate` for that).

    `as_of` is the day the views judge "passed" against (default: the day the query runs).
    """
    import duckdb

    from c5data.building.arrow import to_arrow
    from c5data.building.sql import database_script, source_name
    from c5data.reading.descriptor import load_package
    from c5data.reading.tables import TableError, read_tables

    folder = Path(path) if path else Path(".")
    if not (folder / "datapackage.json").is_file() and not (folder.is_file() and folder.name.endswith(".json")):
        raise DatabaseUnavailable(where_to_point(folder))
    package, problems = load_package(path)
    if package is None or any(f.severity == "error" for f in problems):
        raise DatabaseUnavailable("; ".join(f"{f.location}: {f.message}" for f in problems) or "cannot read the package")
    try:
        tables = read_tables(package)
    except TableError as exc:
        raise DatabaseUnavailable(str(exc)) from exc
    con = duckdb.connect(":memory:")
    for table in tables.values():
        con.register(source_name(table.resource), to_arrow(table))
    try:
        con.execute(database_script(package, tables, source_name, as_of))
    except (duckdb.Error, ValueError) as exc:
        con.close()
        raise DataDoesNotLoad(f"{package.root}: the data does not load into DuckDB: {exc}; run `c5data validate`") from exc
    for table in tables.values():
        con.unregister(source_name(table.resource))
    return con


def connect(path: str | os.PathLike | None = None, *, data: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection on the latest build under `path` (read-only), or on `data/` in memory.

    `path` is a package folder (default: the current one), a release folder or
    a .duckdb file. With `data=True`, or when nothing is built, the CSV files
    are loaded into an in-memory database with the same tables and views. When the package's
    release/ is older than its data/ (the release's recorded hashes differ), data/ is read and a
    one-line StaleRelease warning says so.
    """
    import warnings

    import duckdb

    built, note = choose(path, data)
    if note:
        warnings.warn(note, StaleRelease, stacklevel=2)
    if built is not None:
        return duckdb.connect(str(built), read_only=True)
    return memory_database(path)


def load(table: str, path: str | os.PathLike | None = None, *, pandas: bool = False, data: bool = False) -> Any:
    """One table or view as a polars DataFrame (polars is a dependency; `pandas=True` needs pandas: `pip install "c5data[pandas]"`).

    A view (`load("meeting_participants")`) comes with the names and labels already joined, so a user need not merge
    tables that share column names (`notes`, `source_ids`, `certainty`) and get `_x`/`_y` columns. The views are those
    the package's extensions declare, as the database has them; an unknown name raises UnknownName listing both.
    """
    from c5data.building.sql import ident

    if pandas:
        try:
            import pandas as _pd  # noqa: F401
        except ImportError as exc:
            raise ImportError(f"c5data.load(..., pandas=True) needs pandas, which is not installed: {PANDAS_HINT} (or leave out pandas=True for polars)") from exc

    con = connect(path, data=data)
    try:
        tables, views = relations(con)
        if table not in tables and table not in views:
            raise UnknownName(f"{table!r} is neither a table nor a view of this release; tables: {', '.join(tables)}; views: {', '.join(views) or 'none'}")
        relation = con.sql(f"SELECT * FROM {ident(table)}")
        return relation.df() if pandas else relation.pl()
    finally:
        con.close()
