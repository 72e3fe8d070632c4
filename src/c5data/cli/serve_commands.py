"""`c5data serve`: the release's site over HTTP on 127.0.0.1, so its SQL page can run (browsers refuse it from disk)."""

from __future__ import annotations

import click

from c5data.cli import EXIT_USAGE, fail
from c5data.cli.convention import command, path_argument

COMMANDS: list[click.Command] = []


@command(reports=False, exit_codes={EXIT_USAGE: "usage error: the release folder is missing or not a release, or the port is taken"})
@path_argument("release", name="release")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="The port to listen on; 0 picks a free one.")
def serve(release: str, port: int) -> None:
    """Serve RELEASE (a built release folder, or a published tree with releases.json) on 127.0.0.1 until Ctrl-C."""
    from c5data.serving.server import ServeError
    from c5data.serving.server import serve as make_server

    try:
        server = make_server(release, port)
    except ServeError as exc:
        fail("serve", exc, EXIT_USAGE)
    click.echo(f"Serving {release} at {server.url}")
    click.echo(f"SQL in the browser: {server.url}sql.html")
    if server.layout.engine_problem:
        click.echo(f"c5data serve: the SQL page will not run: {server.layout.engine_problem}", err=True)
    click.echo("Press Ctrl-C to stop.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("\nStopped.")
    finally:
        server.server_close()


COMMANDS += [serve]
