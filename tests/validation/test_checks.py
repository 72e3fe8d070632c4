"""Checks derived from Table Schemas run through pandera and catch what the schema says."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
import pytest

from c5data.reading.fields import typed
from c5data.reading.tableschema import parse_schema
from c5data.validation.checks import field_checks, key_checks, prepared_columns, to_pandera, typed_column


def _frame(schema, columns):
    frame = pl.DataFrame(columns, schema={k: pl.String for k in columns})
    frame = frame.with_columns(pl.int_range(2, frame.height + 2).alias("__line__"))
    return frame.with_columns([typed(f).alias(typed_column(f.name)) for f in schema.fields])


def _derived(descriptor, columns):
    schema, problems = parse_schema(descriptor, "t")
    assert problems == []
    specs = [s for f in schema.fields for s in field_checks(f, f.name in schema.primary_key)]
    specs += key_checks(schema, set(schema.field_names))
    return to_pandera("t", specs, schema.fields), _frame(schema, columns)


def _failing(derived) -> list[int]:
    """Rows whose verdicts say a spec failed (pandera itself keeps one failure case only)."""
    ok = derived.verdicts.select(pl.all_horizontal(pl.all())).to_series()
    return (~ok).arg_true().to_list()


def test_pandera_keeps_one_failure_case_however_many_rows_fail():
    derived, frame = _derived({"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 5}}]}, {"n": ["1"] * 50})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert caught.value.failure_cases.height == 1
    assert _failing(derived) == list(range(50))


def test_lazyframe_values_are_checked_at_data_depth():
    from pandera.config import ValidationDepth, config_context

    derived, frame = _derived({"fields": [{"name": "n", "type": "integer", "constraints": {"minimum": 5}}]}, {"n": ["1", "9"]})
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA), pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame.lazy(), lazy=True)
    assert _failing(derived) == [0]


def test_integer_enum_read_from_csv_strings():
    derived, frame = _derived({"fields": [{"name": "n", "type": "integer", "constraints": {"enum": [1, 2]}}]}, {"n": ["1", "3", ""]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert _failing(derived) == [1]


@pytest.mark.parametrize(
    "constraint,values,failing",
    [
        ({"exclusiveMinimum": 0}, ["0", "1"], [0]),
        ({"exclusiveMaximum": 10}, ["10", "9"], [0]),
        ({"minimum": 1, "maximum": 3}, ["0", "2", "4"], [0, 2]),
    ],
)
def test_bounds_including_exclusive_ones(constraint, values, failing):
    derived, frame = _derived({"fields": [{"name": "n", "type": "number", "constraints": constraint}]}, {"n": values})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert sorted(_failing(derived)) == failing


def test_unique_keys_and_categories_are_enforced():
    descriptor = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "string", "categories": ["x", "y"]}], "uniqueKeys": [["a", "b"]]}
    derived, frame = _derived(descriptor, {"a": ["1", "1", "2"], "b": ["x", "x", "z"]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert sorted(_failing(derived)) == [1, 2]


def test_datetime_bounds_are_compared_as_datetimes():
    """A datetime field with minimum/maximum used to crash (a string bound compared with datetimes)."""
    descriptor = {"fields": [{"name": "t", "type": "datetime", "constraints": {"minimum": "2024-01-01T00:00:00Z", "maximum": "2024-12-31T23:59:59"}}]}
    derived, frame = _derived(descriptor, {"t": ["2024-06-01T12:00:00Z", "2023-12-31T23:00:00Z", "2025-01-01T00:00:00+02:00", ""]})
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        derived.schema.validate(frame, lazy=True)
    assert _failing(derived) == [1]
    # 2025-01-01T00:00:00+02:00 is 2024-12-31T22:00:00Z: inside the maximum


def _flags(ftype, code, values):
    """Which values the check `code` derived for a field of `ftype` rejects."""
    schema, problems = parse_schema({"fields": [{"name": "s", "type": ftype}]}, "t")
    assert problems == []
    frame = _frame(schema, {"s": values})
    specs = [spec for spec in field_checks(schema.fields[0], False) if spec.code == code]
    if not specs:
        return [False] * len(values)
    return (~frame.with_columns(prepared_columns(specs)).select(specs[0].expr.fill_null(True)).to_series()).to_list()


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
        ("text-nfc", ["", "", ""], [False, False, False]),
    ],
)
def test_text_flags_are_exact_per_cell_whatever_the_rest_of_the_column_holds(code, values, flagged):
    assert _flags("string", code, values) == flagged
