"""c5data diff on fixtures with known changes: rows added, removed and changed, columns and tables, levels."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from c5data import diff, validate
from c5data.cli import main
from c5data.releasing.diff import render_markdown

from releasekit import append_row, drop_column, drop_row, edit, make_package


def _known_changes(new):
    append_row(new / "data" / "countries.csv", "KGZ,KG,Kyrgyzstan,,true,mfa-2020-07-17")  # added
    drop_row(new / "data" / "person_aliases.csv", "mukhtar-tleuberdi,Treuberdi")  # removed
    edit(
        new / "data" / "meetings.csv",
        "2nd Foreign Ministers' Meeting,2021-05-12,2021-05-12,day,Xi'an",
        "Second Foreign Ministers' Meeting,2021-05-12,2021-05-12,day,Xian",
    )  # changed: two cells
    drop_column(new, "series", "notes")  # a dropped column


def test_known_changes_are_found(pair):
    old, new = pair
    _known_changes(new)
    result = diff(old, new)
    t = result.tables
    assert t["countries"].rows_added == [{"iso3": "KGZ"}] and t["countries"].level == "minor"
    assert t["person_aliases"].rows_removed == [{"person_id": "mukhtar-tleuberdi", "alias": "Treuberdi"}]
    assert t["person_aliases"].level == "major"
    assert t["meetings"].rows_changed == [
        {
            "key": {"meeting_id": "fmm-2021-05-12"},
            "changes": {"meeting_name": {"old": "2nd Foreign Ministers' Meeting", "new": "Second Foreign Ministers' Meeting"}, "city": {"old": "Xi'an", "new": "Xian"}},
        }
    ]
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
    assert '`fmm-2021-05-12`: meeting_name: "2nd Foreign Ministers\' Meeting" → "Second Foreign Ministers\' Meeting"' in text
    assert "- Columns: removed `notes`" in text
    doc = json.loads(json.dumps(result.to_dict()))
    assert doc["level"] == "major" and set(doc["tables"]) == {"countries", "series", "meetings", "person_aliases"}
    assert doc["tables"]["meetings"]["counts"] == {"added": 0, "removed": 0, "changed": 1, "renamed": 0}
    cli = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert cli.exit_code == 0 and json.loads(cli.output)["tables"]["countries"]["rows_added"] == [{"iso3": "KGZ"}]
    cli = CliRunner().invoke(main, ["diff", str(old), str(new)])
    assert cli.exit_code == 0 and "- Added: `KGZ`" in cli.output


def test_markdown_caps_long_lists(pair):
    old, new = pair
    for i in range(5):
        append_row(new / "data" / "sources.csv", f"extra-{i},https://example.org/extra/{i},T,P,,,en,news,false,")
    text = render_markdown(diff(old, new), limit=2)
    assert "`extra-0`, `extra-1` and 3 more" in text


def _retype(new):
    schema = new / "schemas" / "meetings.schema.json"
    desc = json.loads(schema.read_text())
    ordinal = next(f for f in desc["fields"] if f["name"] == "ordinal")
    ordinal["type"] = "string"
    for bound in ("minimum", "maximum"):  # a string takes no bounds
        ordinal.get("constraints", {}).pop(bound, None)
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


@pytest.mark.parametrize(
    "change, level",
    [
        (lambda new: None, "none"),
        (lambda new: append_row(new / "data" / "sources.csv", "x-1,https://example.org/x,T,P,,,en,news,false,"), "minor"),
        (_add_column, "minor"),
        (lambda new: edit(new / "data" / "sources.csv", "Second meeting report", "2nd meeting report"), "patch"),
        (_describe, "patch"),
        (lambda new: drop_row(new / "data" / "pledge_followups.csv", "summit-2023-05-18-grants-2023"), "major"),
        (_retype, "major"),
        (_drop_table, "major"),
    ],
)
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


def _rename_meeting(new):
    """fmm-2021-05-12 becomes fmm-2021-05 (the day was not known after all), its pledge's id with it; both recorded."""
    for name in ("meetings", "participants", "pledges"):
        path = new / "data" / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("fmm-2021-05-12", "fmm-2021-05"), encoding="utf-8")
    edit(new / "data" / "meetings.csv", "2021-05-12,2021-05-12,day", "2021-05-01,2021-05-01,month")
    append_row(new / "data" / "id_changes.csv", "meetings,fmm-2021-05-12,fmm-2021-05,2024-02-01,Only the month is known.,xinhua-2021-05-13,")
    append_row(new / "data" / "id_changes.csv", "pledges,fmm-2021-05-12-vaccines,fmm-2021-05-vaccines,2024-02-01,Follows its meeting.,xinhua-2021-05-13,")


def test_a_renamed_id_is_a_rename_not_a_removal_and_an_addition(pair):
    old, new = pair
    _rename_meeting(new)
    assert validate(new).findings == []
    result = diff(old, new)
    t = result.tables
    assert t["meetings"].rows_renamed == [
        {
            "old": {"meeting_id": "fmm-2021-05-12"},
            "new": {"meeting_id": "fmm-2021-05"},
            "changes": {
                "start_date": {"old": "2021-05-12", "new": "2021-05-01"},
                "end_date": {"old": "2021-05-12", "new": "2021-05-01"},
                "date_precision": {"old": "day", "new": "month"},
            },
        }
    ]
    assert not t["meetings"].rows_added and not t["meetings"].rows_removed and not t["meetings"].rows_changed
    # a row keyed by the renamed meeting follows it; a row that only refers to it shows the new value as a change
    assert [(r["old"], r["new"], r["changes"]) for r in t["participants"].rows_renamed] == [
        ({"meeting_id": "fmm-2021-05-12", "person_id": "wang-yi"}, {"meeting_id": "fmm-2021-05", "person_id": "wang-yi"}, {})
    ]
    assert not t["participants"].rows_added and not t["participants"].rows_removed
    renamed_pledge = t["pledges"].rows_renamed
    assert [(r["old"], r["new"]) for r in renamed_pledge] == [({"pledge_id": "fmm-2021-05-12-vaccines"}, {"pledge_id": "fmm-2021-05-vaccines"})]
    assert renamed_pledge[0]["changes"] == {"meeting_id": {"old": "fmm-2021-05-12", "new": "fmm-2021-05"}}
    assert t["pledges"].rows_changed == [
        {"key": {"pledge_id": "summit-2023-05-18-vaccines-again"}, "changes": {"restates_pledge_id": {"old": "fmm-2021-05-12-vaccines", "new": "fmm-2021-05-vaccines"}}}
    ]
    assert t["id_changes"].rows_added == [{"table_name": "meetings", "old_id": "fmm-2021-05-12"}, {"table_name": "pledges", "old_id": "fmm-2021-05-12-vaccines"}]
    assert t["meetings"].level == "major" and result.level == "major"
    assert "`meetings`: 1 row(s) renamed (listed in id_changes): their old ids disappear (major)" in result.reasons()
    assert not any("removed: their ids disappear" in r for r in result.reasons())

    text = render_markdown(result)
    assert "0 added, 0 removed, 0 changed, 1 renamed." in text
    assert '  - `fmm-2021-05-12` → `fmm-2021-05`; start_date: "2021-05-12" → "2021-05-01"' in text
    assert "- Removed: `fmm-2021-05-12`" not in text and "- Added: `fmm-2021-05`" not in text
    doc = json.loads(CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"]).output)
    meetings = doc["tables"]["meetings"]
    assert meetings["counts"] == {"added": 0, "removed": 0, "changed": 0, "renamed": 1}
    assert meetings["rows_renamed"][0]["old"] == {"meeting_id": "fmm-2021-05-12"} and meetings["rows_removed"] == []


def test_without_an_id_change_a_new_id_is_a_removal_and_an_addition(pair):
    old, new = pair
    _rename_meeting(new)
    lines = (new / "data" / "id_changes.csv").read_text(encoding="utf-8").splitlines()
    (new / "data" / "id_changes.csv").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    t = diff(old, new).tables
    assert t["meetings"].rows_renamed == [] and t["meetings"].rows_removed == [{"meeting_id": "fmm-2021-05-12"}]
    assert t["meetings"].rows_added == [{"meeting_id": "fmm-2021-05"}]


def _rename_column(package, table, old, new):
    schema_file = package / "schemas" / f"{table}.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    for f in schema["fields"]:
        if f["name"] == old:
            f["name"] = new
    schema_file.write_text(json.dumps(schema, indent=2), encoding="utf-8")
    csv = package / "data" / f"{table}.csv"
    header, rest = csv.read_text(encoding="utf-8").split("\n", 1)
    csv.write_text(",".join(new if c == old else c for c in header.split(",")) + "\n" + rest, encoding="utf-8")


def test_a_renamed_column_is_a_rename_and_its_corrections_still_show(pair):
    old, new = pair
    _rename_column(new, "persons", "person_name", "full_name")
    edit(new / "data" / "persons.csv", ",Wang Yi,", ",Wang Yi (王毅),")
    t = diff(old, new).tables["persons"]
    assert (t.columns_added, t.columns_removed) == ([], [])
    assert [(c["old"], c["new"]) for c in t.columns_renamed] == [("person_name", "full_name")]
    assert t.rows_changed == [{"key": {"person_id": "wang-yi"}, "changes": {"full_name": {"old": "Wang Yi", "new": "Wang Yi (王毅)"}}}]
    assert t.level == "major"
    text = render_markdown(diff(old, new))
    assert "column `person_name` renamed to `full_name` (major)" in text and "renamed `person_name` → `full_name`" in text


def test_an_empty_column_swapped_for_another_is_not_a_rename(pair):
    old, new = pair
    _rename_column(new, "persons", "wikidata_qid", "other_qid")  # mostly empty: agreement on the few values decides
    edit(new / "data" / "persons.csv", ",Q15031,", ",,")  # the only value gone: nothing left that agrees
    t = diff(old, new).tables["persons"]
    assert t.columns_renamed == []
    assert (t.columns_added, t.columns_removed) == (["other_qid"], ["wikidata_qid"])


FORGED = '"Second\r\n\r\n# Approved by the maintainers\r**LGTM** <img src=x onerror=alert(1)> [docs](https://example.org) ~~no~~ @team\rline"'


def _markdown_tokens(text):
    """Block and inline token types of `text` as GitHub renders Markdown (CommonMark with tables and strikethrough)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(text)
    return [t.type for t in tokens] + [c.type for t in tokens for c in (t.children or [])]


def test_cell_values_and_keys_cannot_write_markdown_into_the_summary(pair):
    """Values, keys and column names are anyone's text: line breaks (CR too), headings, emphasis, HTML, links and
    mentions in them reach the reviewer's summary and CHANGELOG.md as plain text on the row's own line."""
    old, new = pair
    edit(new / "data" / "sources.csv", "Second meeting report", FORGED)
    append_row(new / "data" / "countries.csv", '"K\n\n## Fake`x`",KG,Kyrgyzstan,,true,mfa-2020-07-17')
    text = render_markdown(diff(old, new))
    types = _markdown_tokens(text)
    assert types.count("heading_open") == 2  # the two tables' headings, no forged one
    assert types.count("strong_open") == 1  # "Change level: **minor**" only
    assert not {"em_open", "s_open", "link_open", "image", "html_inline", "html_block", "table_open"} & set(types)
    changed = [line for line in text.splitlines() if line.startswith("  - `xinhua-2021-05-13`")]
    assert len(changed) == 1 and "Second↵↵# Approved" in changed[0] and "\\*\\*LGTM\\*\\*" in changed[0]
    assert "- Added: `` K↵↵## Fake`x` ``" in text
    assert "\r" not in text


@pytest.mark.parametrize("value", ["plain", "a`b", "``", "`lead", " both ", "line\nbreak", "nul\x00"])
def test_a_code_span_holds_any_text_on_one_line(value):
    from c5data import mdtext

    shown = mdtext.code(value)
    tokens = _markdown_tokens(f"x {shown} y")
    assert tokens.count("code_inline") == 1 and "softbreak" not in tokens
