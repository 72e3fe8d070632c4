"""The shipped data model: column names mean one thing across tables, and the data cells hold no working notes."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict

from releasekit import ROOT

#: Columns that may appear in several tables with the same meaning (`city`: a city's name as meetings.city writes it;
#: `language`: a BCP 47 tag).
SHARED = {"certainty", "source_ids", "notes", "wikidata_qid", "country", "date_precision", "city", "language"}


def _schemas() -> dict[str, dict]:
    package = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    return {r["name"]: json.loads((ROOT / r["schema"]).read_text(encoding="utf-8")) for r in package["resources"]}


def _references(schema: dict) -> set[tuple[str, str, str]]:
    """(local column, referenced table, referenced column) of every one-column foreign key."""
    out = set()
    for fk in schema.get("foreignKeys", []):
        local = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]["fields"] if isinstance(fk["reference"]["fields"], list) else [fk["reference"]["fields"]]
        if len(local) == 1:
            out.add((local[0], fk["reference"].get("resource") or "", ref[0]))
    return out


def test_no_two_tables_share_a_column_name_unless_it_means_the_same():
    schemas = _schemas()
    tables_of: dict[str, list[str]] = defaultdict(list)
    for table, schema in schemas.items():
        for f in schema["fields"]:
            tables_of[f["name"]].append(table)
    for column, tables in sorted(tables_of.items()):
        if len(tables) < 2 or column in SHARED:
            continue
        # an id column: one table holds it as its key, every other table references that table's column
        homes = [t for t in tables if schemas[t].get("primaryKey") in (column, [column])]
        assert len(homes) == 1, f"{column} is in {tables} but is the key of {homes}"
        for t in tables:
            if t != homes[0]:
                assert (column, homes[0], column) in _references(schemas[t]), f"{t}.{column} shares its name with {homes[0]}.{column} but is not a foreign key to it"


def test_the_data_holds_no_working_notes():
    forbidden = re.compile(r"fact sheet|seed text|the seeds|unconfirmed file|research notes?\b|the audit\b", re.IGNORECASE)
    hits = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.reader(fh), start=1):
                hits += [(path.name, line, cell) for cell in row if forbidden.search(cell)]
    assert hits == []
