"""c5data diff on fixtures with known changes: rows added, removed and changed, columns and tables, levels."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from c5data import diff
from c5data.cli import main
from c5data.releasing.diff import render_markdown

from releasekit import append_row, drop_column, drop_row, edit, make_package


def _known_changes(new):
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")  # added
    drop_row(new / "data" / "person_aliases.csv", "mukhtar-tleuberdi,Treuberdi")  # removed
    edit(new / "data" / "meetings.csv", "2nd Foreign Ministers' Meeting,2021-05-12,2021-05-12,day,Xi'an",
         "Second Foreign Ministers' Meeting,2021-05-12,2021-05-12,day,Xian")  # changed: two cells
    drop_column(new, "series", "notes")  # a dropped column


def test_known_changes_are_found(pair):
    old, new = pair
    _known_changes(new)
    result = diff(old, new)
    t = result.tables
    assert t["countries"].rows_added == [{"iso3": "KGZ"}] and t["countries"].level == "minor"
    assert t["person_aliases"].rows_removed == [{"person_id": "mukhtar-tleuberdi", "alias": "Treuberdi"}]
    assert t["person_aliases"].level == "major"
    assert t["meetings"].rows_changed == [{
        "key": {"meeting_id": "fmm-2021-05-12"},
        "changes": {"meeting_name": {"old": "2nd Foreign Ministers' Meeting", "new": "Second Foreign Ministers' Meeting"},
                    "city": {"old": "Xi'an", "new": "Xian"}},
    }]
    assert t["meetings"].level == "patch" and not t["meetings"].rows_added and not t["meetings"].rows_removed
    assert t["series"].columns_removed == ["notes"] and t["series"].level == "major"
    assert t["series"].rows_changed == []  # a dropped column is a schema change, not a change of every row
    assert [name for name, td in t.items() if not td.empty] == ["countries", "series", "meetings", "person_aliases"]
    assert result.level == "major"


def test_markdown_and_json(pair):
    old, new = pair
    _known_changes(new)
    result = diff(old, new)
    text = render_markdown(result)
    assert "Change level: **major**." in text
    assert "- Added: `KGZ`" in text
    assert "- Removed: `mukhtar-tleuberdi, Treuberdi`" in text
    assert "`fmm-2021-05-12`: meeting_name: \"2nd Foreign Ministers' Meeting\" → \"Second Foreign Ministers' Meeting\"" in text
    assert "- Columns: removed `notes`" in text
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["level"] == "major" and set(doc["tables"]) == {"countries", "series", "meetings", "person_aliases"}
    assert doc["tables"]["meetings"]["counts"] == {"added": 0, "removed": 0, "changed": 1}
    cli = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert cli.exit_code == 0 and json.loads(cli.output)["tables"]["countries"]["rows_added"] == [{"iso3": "KGZ"}]
    cli = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert cli.exit_code == 0 and "- Added: `KGZ`" in cli.output


def test_markdown_caps_long_lists(pair):
    old, new = pair
    for i in range(5):
        append_row(new / "data" / "sources.csv", f"extra-{i},https://example.org/extra/{i},T,P,,en,news,false,")
    text = render_markdown(diff(old, new), limit=2)
    assert "`extra-0`, `extra-1` and 3 more" in text


def _retype(new):
    schema = new / "schemas" / "meetings.schema.json"
    desc = json.loads(schema.read_text())
    next(f for f in desc["fields"] if f["name"] == "ordinal")["type"] = "string"
    schema.write_text(json.dumps(desc))


def _drop_table(new):
    desc = json.loads((new / "datapackage.json").read_text())
    desc["resources"] = [r for r in desc["resources"] if r["name"] != "pledge_followups"]
    (new / "datapackage.json").write_text(json.dumps(desc))


def _add_column(new):
    schema = new / "schemas" / "sources.schema.json"
    desc = json.loads(schema.read_text())
    desc["fields"].append({"name": "archive_url", "type": "string"})
    schema.write_text(json.dumps(desc))
    lines = (new / "data" / "sources.csv").read_text().splitlines()
    (new / "data" / "sources.csv").write_text("\n".join([lines[0] + ",archive_url"] + [l + "," for l in lines[1:]]) + "\n")


def _describe(new):
    edit(new / "schemas" / "meetings.schema.json", "Short descriptive English name of the meeting (not an official title).", "Short English name of the meeting.")


@pytest.mark.parametrize("change, level", [
    (lambda new: None, "none"),
    (lambda new: append_row(new / "data" / "sources.csv", "x-1,https://example.org/x,T,P,,en,news,false,"), "minor"),
    (_add_column, "minor"),
    (lambda new: edit(new / "data" / "sources.csv", "Second meeting report", "2nd meeting report"), "patch"),
    (_describe, "patch"),
    (lambda new: drop_row(new / "data" / "pledge_followups.csv", "summit-2023-05-18-grants-2023"), "major"),
    (_retype, "major"),
    (_drop_table, "major"),
])
def test_levels_follow_the_data_package_version_recipe(pair, change, level):
    old, new = pair
    change(new)
    assert diff(old, new).level == level


def test_added_table_is_minor(pair):
    old, new = pair
    _drop_table(old)
    result = diff(old, new)
    assert result.tables_added == ["pledge_followups"] and result.level == "minor"


def test_unreadable_side_is_exit_2(tmp_path):
    old = make_package(tmp_path / "old")
    result = CliRunner().invoke(main, ["diff", str(old), str(tmp_path / "missing")])
    assert result.exit_code == 2 and "Traceback" not in result.output
