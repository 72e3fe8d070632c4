"""`python -m c5data` runs the CLI."""

from .cli import main

main()
