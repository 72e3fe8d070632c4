"""The package's text policy: each check flags exactly the cells it should, whatever else the column holds."""

from __future__ import annotations

import pytest

from c5data.diplomacy.hygiene import field_checks, text_checks
from c5data.reading.tableschema import parse_schema
from c5data.validation.checks import LINE, prepared_columns, text_cells

from releasekit import checked_frame


def _flags(ftype, code, values):
    """Which values the check `code` of the text policy rejects in a field of `ftype` (the cells it reads are its text cells)."""
    schema, problems = parse_schema({"fields": [{"name": "s", "type": ftype}]}, "t")
    assert problems == []
    frame = checked_frame(schema, {"s": values})
    cells = text_cells(frame, [f for f in schema.fields if f.type in ("string", "list")])
    specs = [spec for spec in text_checks() + field_checks(schema.fields[0]) if spec.code == code]
    if not specs:
        return [False] * len(values)
    verdicts = cells.with_columns(prepared_columns(specs)).select(LINE, specs[0].expr.fill_null(True).alias("ok"))
    failing = set(verdicts.filter(~verdicts["ok"])[LINE].to_list())
    return [line in failing for line in frame[LINE].to_list()]


def test_every_formula_prefix_is_caught_in_text_fields():
    values = ["-2+3+cmd|' /C calc'!A0", "+1+1", "=1+1", "@SUM(A1)", "-5", "Xi'an", "a-b"]
    assert _flags("string", "text-formula", values) == [True, True, True, True, True, False, False]


def test_a_negative_number_in_a_number_field_is_not_a_formula():
    assert _flags("number", "text-formula", ["-5", "+2.5"]) == [False, False]


def test_invisible_characters_are_caught_but_joiners_allowed():
    values = ["Wang\u202eiY", "Wa\u200bng", "Wang\u2066x", "می\u200cخواهم", "Wang Yi"]
    assert _flags("string", "text-invisible", values) == [True, True, True, False, False]


@pytest.mark.parametrize(
    "values,flagged",
    [
        (["Wang Yi", "Astana", ""], [False, False, False]),  # all ASCII: the column is passed without normalising
        (["Wang Yi\u0301", "Wang Ý", "Astana"], [True, False, False]),  # decomposed accent vs precomposed
        (["Ташкент", "Zhe\u0301ngzhou", "Xi'an"], [False, True, False]),
    ],
)
def test_text_not_in_nfc_is_caught_whether_or_not_the_column_is_ascii(values, flagged):
    assert _flags("string", "text-nfc", values) == flagged


@pytest.mark.parametrize(
    "code,values,flagged",
    [
        ("text-control", ["Wang Yi", "Astana", "Xi'an"], [False, False, False]),  # no control byte in the column
        ("text-control", ["Wang Yi", "Ast\tana", "line\nbreak", "del\x7f"], [False, True, True, True]),
        ("text-invisible", ["Астана", "Wang Yi", "北京"], [False, False, False]),  # non-ASCII, no E2/EF lead byte
        ("text-invisible", ["Astana – Xi'an", "Wang Yi"], [False, False]),  # an en dash starts with E2 but is visible
        ("text-invisible", ["Astana – Xi'an", "\ufeffWang", "Wang\u2069"], [False, True, True]),
        # the Arabic letter mark (lead byte D8, shared with visible Arabic letters) and the tag characters (F3)
        ("text-invisible", ["سلام", "سل\u061cام", "Wang"], [False, True, False]),
        ("text-invisible", ["Wang\U000e0041\U000e007f", "flag \U0001f1f0\U0001f1ff", "x\U000e0000"], [True, False, True]),
        ("text-nfc", ["", "", ""], [False, False, False]),
    ],
)
def test_text_flags_are_exact_per_cell_whatever_the_rest_of_the_column_holds(code, values, flagged):
    assert _flags("string", code, values) == flagged


def test_text_flags_in_slices_are_those_of_the_whole_column(monkeypatch):
    import polars as pl

    from c5data.diplomacy import hygiene

    values = ["Wang Yi", "Ast\tana", "Zhe\u0301ngzhou", "\ufeffWang", "北京", "del\x7f", "Xi'an"]
    whole = hygiene._text_flags(pl.Series("s", values))
    monkeypatch.setattr(hygiene, "FLAGS_SLICE", 2)
    sliced = hygiene._text_flags(pl.Series("s", values))
    assert sliced.to_list() == whole.to_list()
    assert [row["control"] for row in sliced.to_list()] == [True, False, True, True, True, False, True]
