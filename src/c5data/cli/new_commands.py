"""`c5data new KIND`: one row, formed by the package's rules and checked, inserted in its file.

The kinds are those the installed extensions declare (for the C+C5 package: meeting, person,
participant, source, document, pledge, followup), one subcommand each with an option per column.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from c5data.cli import fail
from c5data.cli.convention import command, echo_json, epilog, format_option, path_argument

if TYPE_CHECKING:
    from c5data.contributing.scaffold import Kind

COMMANDS: list[click.Command] = []

RESERVED = {"format", "input", "path"}  # columns whose option would clash with the command's own (`--meeting-format`)
HELP = {
    "slug": "Short slug that ends the id ({meeting_id}-{slug}), e.g. joint-statement.",
    "publisher_slug": "Slug of the publisher for the id (default: the publisher's name as a slug), e.g. mfa, xinhua.",
}


@click.group(epilog=epilog({1: "the row is refused: an unknown reference, a taken id or a value outside its list (nothing written)"}))
def new() -> None:
    """Add one row to the package: its id formed by the package's rules, its references checked, in the file's own style.

    Give the facts as options; those still missing are asked for on a terminal (--no-input: a usage
    error instead). Add the sources first, then the meeting, its participants, documents and pledges.
    Then run `c5data validate`.
    """


def _kind_command(kind: Kind) -> click.Command:
    name = kind.name
    id_text = f"its {kind.id_column} formed by the package's rules" if kind.id_column else "keyed by its primary key"

    @command(name, exit_codes={1: "refused: an unknown reference, a taken id or a value outside its list (nothing written)"})
    @path_argument()
    @format_option()
    @click.option("--dry-run", is_flag=True, help="Print the row and where it would go; write nothing.")
    @click.option("--input/--no-input", "interactive", default=None, help="Ask for missing values (default: only on a terminal).")
    def make(path: str, fmt: str, dry_run: bool, interactive: bool | None, **given: Any) -> None:
        from c5data.contributing.scaffold import ScaffoldError, new_row, required
        from c5data.reading.descriptor import load_package

        values = {k: v for k, v in given.items() if v is not None}
        if interactive is None:
            interactive = sys.stdin.isatty()
        if interactive:
            package, _ = load_package(path)
            needed = required(kind, package) if package is not None else []
            for column in needed:
                if not values.get(column):
                    values[column] = click.prompt(column.replace("_", " "))
        try:
            row = new_row(name, values, path, dry_run=dry_run)
        except ScaffoldError as exc:
            fail(f"new {name}", exc, exc.exit_code)
        if fmt == "json":
            echo_json(row.to_dict())
            return
        verb = "would add" if dry_run else "added"
        click.echo(f"{verb} {row.file}:{row.line}" + (f": {row.id}" if row.id else ""))
        click.echo(row.record)
        if not dry_run:
            click.echo("next: c5data validate")

    make.help = f"Add a {name} to the {kind.table} table at PATH (default: the current folder), {id_text}."
    for column in kind.columns + kind.extra:
        flag = f"--{name}-{column}" if column in RESERVED else f"--{column.replace('_', '-')}"
        make = click.option(flag, column, default=None, help=HELP.get(column, f"{kind.table}.{column}"))(make)
    return make


def _register() -> None:
    from c5data.extensions import registered

    for ext in registered():
        for kind in ext.kinds() if ext.kinds else []:
            if kind.name not in new.commands:
                new.add_command(_kind_command(kind))


_register()

COMMANDS += [new]
