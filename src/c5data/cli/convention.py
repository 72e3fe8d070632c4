"""The one convention every `c5data` command follows, declared once so a new command gets it by using these helpers.

- the folder or file a command works on is its first argument (`c5data site release`), and an
  option that once named it stays as a hidden, deprecated alias for one release;
- a path that does not exist is a usage error (exit 2) that names it, with no other hint;
- a command that reports has `--format text|json` (text for people, json for tools);
- every `--help` ends with the command's exit codes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

#: The meaning of each exit code, shared by every command unless it says otherwise.
EXIT_CODES = {
    EXIT_OK: "success",
    EXIT_INVALID: "invalid data, or the request refused",
    EXIT_USAGE: "usage error: a bad option, a missing path, or a package that cannot be read",
}


def epilog(codes: dict[int, str] | None = None) -> str:
    """The `Exit codes:` paragraph closing a command's help (\\b keeps click from rewrapping it)."""
    merged = {**EXIT_CODES, **(codes or {})}
    return "\b\nExit codes:\n" + "\n".join(f"  {code}  {meaning}" for code, meaning in sorted(merged.items()))


def command(name: str | None = None, *, exit_codes: dict[int, str] | None = None, reports: bool = True, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
    """`click.command` with the exit codes in its help; `reports=False` marks a command with no report to format."""

    def decorate(fn: Callable[..., Any]) -> click.Command:
        make: Callable[[Callable[..., Any]], click.Command] = click.command(name, epilog=epilog(exit_codes), **kwargs)
        cmd = make(fn)
        setattr(cmd, "reports", reports)  # noqa: B010 -- read by the test that walks the commands; click declares no such attribute
        return cmd

    return decorate


def format_option(*extra: str, default: str = "text", help: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format text|json` (plus `extra` formats), passed to the command as `fmt`."""
    choices = ["text", "json", *extra]
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True, help=help or "text for people, json for tools (one JSON document on stdout)."
    )


def path_argument(
    default: str | None = ".",
    *,
    deprecated: tuple[str, ...] = (),
    must_exist: bool = True,
    name: str = "path",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The path a command works on as its argument; the `deprecated` option (its spellings) still gives it, with a warning on stderr.

    A path that does not exist is a usage error naming it (exit 2).
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            value = kwargs.pop(name)
            old = kwargs.pop(_dest(deprecated[0]), None) if deprecated else None
            if old is not None:
                click.echo(f"c5data {ctx.info_name}: {deprecated[0]} is deprecated and will be removed; pass the path as an argument instead", err=True)
                if value is None:
                    value = old
            if value is None:
                value = default
            if value is None:
                raise click.UsageError(f"Missing argument '{name.upper()}'.", ctx)
            if must_exist and not Path(value).exists():
                raise click.BadParameter(f"{value!r} does not exist.", ctx, param_hint=f"'{name.upper()}'")
            kwargs[name] = str(value)
            return fn(*args, **kwargs)

        if deprecated:
            wrapper = click.option(*deprecated, _dest(deprecated[0]), default=None, hidden=True, type=click.Path())(wrapper)
        return click.argument(name, required=False, default=None, type=click.Path())(wrapper)

    return decorate


def _dest(option: str) -> str:
    return "deprecated_" + option.lstrip("-").replace("-", "_")


def echo_json(data: Any) -> None:
    """One JSON document on stdout (UTF-8 as is, indented)."""
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
