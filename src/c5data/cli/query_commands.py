"""`c5data query`: SQL for analysts, on the built database or on data/ in memory."""

from __future__ import annotations

import click

from c5data.cli import EXIT_INVALID, EXIT_USAGE, fail
from c5data.cli.convention import command, format_option, path_argument

COMMANDS: list[click.Command] = []


@command(exit_codes={0: "the query ran", 1: "the SQL is refused or fails, or data/ does not load"})
@click.argument("sql")
@path_argument(deprecated=("--path", "-p"))
@format_option("table", "csv", help="text (= table): aligned columns for people; json: one object per row; csv: for spreadsheets.")
@click.option("--data", is_flag=True, help="Query data/ loaded in memory even when a build exists.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help="Seconds before the query is stopped (default 60, or C5DATA_QUERY_TIMEOUT).")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Rows returned at most (default 100000, or C5DATA_QUERY_MAX_ROWS).")
def query(sql: str, path: str, fmt: str, data: bool, timeout: float | None, max_rows: int | None) -> None:
    """Run SQL on the package at PATH: its built database, or data/ when nothing is built; the views exist either way.

    PATH is a package folder (its release/ when built and current, else data/), a release folder or a
    .duckdb file (default: the current folder). When data/ changed after release/ was built, the
    answer comes from data/ and one line on stderr says so. A query stops after --timeout seconds and
    returns at most --max-rows rows.
    """
    import warnings

    import duckdb

    from c5data.querying.connection import DatabaseUnavailable, DataDoesNotLoad, StaleRelease
    from c5data.querying.run import QueryError, render
    from c5data.querying.run import query as run

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", StaleRelease)
            result = run(sql, path, data=data, timeout=timeout, max_rows=max_rows)
    except (QueryError, DataDoesNotLoad) as exc:
        fail("query", exc, EXIT_INVALID)
    except (DatabaseUnavailable, duckdb.Error, OSError) as exc:
        fail("query", exc, EXIT_USAGE)
    for warning in caught:
        if issubclass(warning.category, StaleRelease):
            click.echo(f"c5data query: {warning.message}", err=True)
    click.echo(render(result, "table" if fmt == "text" else fmt))
    if result.truncated and fmt not in ("table", "text"):
        click.echo(f"c5data query: only the first {len(result.rows)} rows were returned; more matched (--max-rows)", err=True)


COMMANDS += [query]
