"""`c5data query`: SQL for analysts, on the built database or on data/ in memory."""

from __future__ import annotations

import click

from c5data.cli import EXIT_INVALID, EXIT_USAGE, fail

COMMANDS: list[click.Command] = []


@click.command()
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option(
    "--path", "-p", default=".", show_default=True, type=click.Path(), help="A package folder (its release/ when built, else data/), a release folder or a .duckdb file."
)
@click.option("--data", is_flag=True, help="Query data/ loaded in memory even when a build exists.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, help="Seconds before the query is stopped (default 60, or C5DATA_QUERY_TIMEOUT).")
@click.option("--max-rows", type=click.IntRange(min=1), default=None, help="Rows returned at most (default 100000, or C5DATA_QUERY_MAX_ROWS).")
def query(sql: str, fmt: str, path: str, data: bool, timeout: float | None, max_rows: int | None) -> None:
    """Run SQL on the built database, or on data/ when nothing is built; the views exist either way."""
    import duckdb

    from c5data.querying.connection import DatabaseUnavailable, DataDoesNotLoad
    from c5data.querying.run import QueryError, render
    from c5data.querying.run import query as run

    try:
        result = run(sql, path, data=data, timeout=timeout, max_rows=max_rows)
    except (QueryError, DataDoesNotLoad) as exc:
        fail("query", exc, EXIT_INVALID)
    except (DatabaseUnavailable, duckdb.Error, OSError) as exc:
        fail("query", exc, EXIT_USAGE)
    click.echo(render(result, fmt))
    if result.truncated and fmt != "table":
        click.echo(f"c5data query: only the first {len(result.rows)} rows were returned; more matched (--max-rows)", err=True)


COMMANDS += [query]
