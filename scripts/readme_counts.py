"""readme_counts.py [--check] [ROOT]: the counts README.md states, regenerated from data/ (never typed by hand).

The block between `<!-- counts:start -->` and `<!-- counts:end -->` holds the rows of each table and
the official counts of the codebook's "How to count" recipes (the same SQL), computed with
`c5data.query` on the package's data/. Without --check the block is rewritten in place (atomically);
with --check nothing is written and the exit code is 1 when the block is out of date, with the
command that regenerates it. The pre-commit hook `c5data-readme-counts` and the validation workflow
run the check, so a contribution updates the counts in the same commit as the rows.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

START, END = "<!-- counts:start -->", "<!-- counts:end -->"
COMMAND = "python scripts/readme_counts.py"
OFFICIAL = ("Summits", "Foreign ministers' meetings")  # single-number recipes stated in the README


def render(root: Path) -> str:
    """The counts block (markers included) for the package at `root`."""
    from c5data import query
    from c5data.diplomacy.counting import RECIPES
    from c5data.reading.descriptor import load_package

    package, _ = load_package(root)
    if package is None:
        raise SystemExit(f"{root}: the package cannot be read; run c5data validate")
    lines = [START, f"<!-- generated from data/ by `{COMMAND}`; do not edit by hand -->", "", "| counted | number |", "|---|---|"]
    for recipe in RECIPES:
        if recipe.name in OFFICIAL:
            (value,) = query(recipe.sql, root, data=True).rows[0]
            lines.append(f"| {recipe.name} (see the codebook's *How to count*) | {value} |")
    for resource in package.resources:
        (value,) = query(f'SELECT count(*) FROM "{resource.name}"', root, data=True).rows[0]
        lines.append(f"| rows of `{resource.name}` | {value} |")
    return "\n".join([*lines, END])


def update(root: Path, check: bool) -> bool:
    """Whether README.md's block is current; without `check`, make it so."""
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    match = re.search(re.escape(START) + ".*?" + re.escape(END), text, flags=re.S)
    if match is None:
        raise SystemExit(f"{readme}: no {START} … {END} block")
    fresh = render(root)
    if match.group(0) == fresh:
        return True
    if not check:
        from c5data.files.atomic import write_text

        write_text(readme, text[: match.start()] + fresh + text[match.end() :])
    return False


def main(argv: list[str] | None = None) -> int:
    """Check or regenerate the block; 1 when --check finds it out of date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", type=Path)
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when the counts are out of date")
    args = parser.parse_args(argv)
    from c5data.querying.connection import DataDoesNotLoad

    try:
        current = update(args.root, args.check)
    except DataDoesNotLoad as exc:
        print(f"{args.root}: cannot count: {exc}", file=sys.stderr)
        return 2
    if not current and args.check:
        print(f"{args.root / 'README.md'}: the counts are out of date; regenerate them with `{COMMAND}`", file=sys.stderr)
        return 1
    print("README.md counts are current" if current else "README.md counts regenerated from data/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
