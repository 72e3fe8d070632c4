"""`python -m c5data` runs the CLI."""

from c5data.cli import main

main()
