"""`python -m c5data.cli`: the same command as `c5data`."""

from c5data.cli import main

main()
