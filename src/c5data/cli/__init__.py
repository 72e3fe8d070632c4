"""The `c5data` command: a thin click layer over the library, one module per command group.

Each command parses its options, calls one library function and maps the
result to an exit code: 0 valid, 1 invalid data, 2 usage, I/O or descriptor
error. Library modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

from c5data import __version__
from c5data.cli.convention import EXIT_INVALID, EXIT_OK, EXIT_USAGE, epilog

__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "fail", "main", "quiet_option", "step_printer"]


class _Group(click.Group):
    """Turns an unexpected exception (a bug, never bad input) into one line and exit code 2.

    Bad input is reported by the library as findings or expected errors; this
    guard only keeps a user from facing a traceback if the toolkit itself
    fails. C5DATA_DEBUG=1 shows the traceback.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except MemoryError:
            _out_of_memory(ctx)
        except Exception as exc:
            from c5data.limits import LimitError

            duckdb = sys.modules.get("duckdb")  # DuckDB's own out-of-memory error is not a MemoryError
            if duckdb is not None and isinstance(exc, duckdb.OutOfMemoryException):
                _out_of_memory(ctx)
            if isinstance(exc, LimitError):
                click.echo(f"c5data: {exc}", err=True)
                ctx.exit(EXIT_USAGE)
            if os.environ.get("C5DATA_DEBUG"):
                raise
            click.echo(
                f"c5data: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in c5data, not in your data; set C5DATA_DEBUG=1 to see the traceback and please report it.",
                err=True,
            )
            ctx.exit(EXIT_USAGE)


def _out_of_memory(ctx: click.Context) -> NoReturn:
    """The machine ran out of memory: said as such, with what to do, never as a bug in c5data."""
    click.echo(
        "c5data: out of memory: the input is too large for this machine; give the process more memory, or lower the limits in the README's Limits section",
        err=True,
    )
    ctx.exit(EXIT_USAGE)


def _versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """`--version`: the toolkit's version and the data's (datapackage.json in the current folder, when there is one)."""
    if not value or ctx.resilient_parsing:
        return
    import json

    data = "no datapackage.json in the current folder"
    try:
        found = json.loads(Path("datapackage.json").read_text(encoding="utf-8")).get("version")
        data = f"data {found} (datapackage.json)" if found else "datapackage.json has no version"
    except (OSError, ValueError, AttributeError):
        pass
    click.echo(f"c5data {__version__} (toolkit); {data}")
    ctx.exit(EXIT_OK)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]}, epilog=epilog())
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_versions, help="Show the toolkit's version and the data's, then exit.")
def main() -> None:
    """Validate, build, query and publish the c5data package of China–Central Asia diplomacy.

    Each command takes the folder or file it works on as its argument (default: the current folder),
    reports as text or, with --format json, as JSON. Shell completion: see `eval "$(_C5DATA_COMPLETE=bash_source c5data)"`
    (zsh_source, fish_source for those shells).
    """


def fail(command: str, message: object, code: int) -> NoReturn:
    """Print `c5data COMMAND: message` on stderr and exit with `code`."""
    click.echo(f"c5data {command}: {message}", err=True)
    sys.exit(code)


def step_printer(quiet: bool) -> Callable[[str, float], None] | None:
    """Per-stage progress lines on stderr (`  validate     0.5s`), only on a terminal and without --quiet."""
    if quiet or not sys.stderr.isatty():
        return None

    def show(name: str, seconds: float) -> None:
        click.echo(f"  {name:<16} {seconds:6.1f}s", err=True)

    return show


quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress lines (they are shown only on a terminal anyway).")


def _register() -> None:
    from c5data.cli import build_commands, check_commands, new_commands, query_commands, release_commands, serve_commands

    for module in (check_commands, new_commands, build_commands, query_commands, release_commands, serve_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
