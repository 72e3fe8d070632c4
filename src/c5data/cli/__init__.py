"""The `c5data` command: a thin click layer over the library, one module per command group.

Each command parses its options, calls one library function and maps the
result to an exit code: 0 valid, 1 invalid data, 2 usage, I/O or descriptor
error. Library modules are imported inside the commands so `--help` is fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn

import click

from c5data import __version__

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Turns an unexpected exception (a bug, never bad input) into one line and exit code 2.

    Bad input is reported by the library as findings or expected errors; this
    guard only keeps a user from facing a traceback if the toolkit itself
    fails. C5DATA_DEBUG=1 shows the traceback.
    """

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except MemoryError:
            click.echo(
                "c5data: out of memory: the input is too large for this machine; give the process more memory, or lower the limits in the README's Limits section",
                err=True,
            )
            ctx.exit(EXIT_USAGE)
        except Exception as exc:
            from c5data.limits import LimitError

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


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="c5data")
def main() -> None:
    """Validate, build, query and publish the c5data package of China–Central Asia diplomacy."""


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
    from c5data.cli import build_commands, check_commands, query_commands, release_commands

    for module in (check_commands, build_commands, query_commands, release_commands):
        for command in module.COMMANDS:
            main.add_command(command)


_register()
