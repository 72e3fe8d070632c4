"""The pandera schemas users get for their own frames: the shipped tables pass, a bad value fails where pandera says."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl
import pytest

import c5data
from c5data.validation.frame_schema import NoSuchTable

from releasekit import ROOT, TABLES


@pytest.mark.parametrize("table", TABLES)
def test_every_table_as_loaded_passes_its_own_schema(table):
    frame = c5data.load(table, ROOT, data=True)
    assert c5data.pandera_schema(table, ROOT).validate(frame, lazy=True).height == frame.height


def _first_row_set(frame: pl.DataFrame, column: str, value: object) -> pl.DataFrame:
    return frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(value, dtype=frame.schema[column])).otherwise(pl.col(column)).alias(column))


@pytest.mark.parametrize(
    "table,column,value",
    [
        ("meetings", "meeting_type", "plenary"),  # not one of the categories
        ("meetings", "series_id", None),  # required
        ("pledges", "quantity", -5.0),  # below the minimum
        ("meetings", "meeting_id", "Summit 2023!"),  # breaks the id pattern
    ],
)
def test_a_bad_value_fails_on_its_column(table, column, value):
    frame = _first_row_set(c5data.load(table, ROOT, data=True), column, value)
    with pytest.raises(pa.errors.SchemaErrors) as caught:
        c5data.pandera_schema(table, ROOT).validate(frame, lazy=True)
    assert caught.value.failure_cases.get_column("column").to_list() == [column]


def test_a_repeated_primary_key_fails():
    frame = c5data.load("meetings", ROOT, data=True)
    with pytest.raises(pa.errors.SchemaErrors):
        c5data.pandera_schema("meetings", ROOT).validate(pl.concat([frame, frame.head(1)]), lazy=True)


def test_an_unknown_table_is_a_clear_error():
    with pytest.raises(NoSuchTable, match="meetings"):
        c5data.pandera_schema("meeting", ROOT)
