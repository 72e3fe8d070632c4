"""c5data.load() takes the views the package's extensions declare as well as its tables (the README's pandas snippet,
built on them, is run in tests/docs/test_readme.py)."""

from __future__ import annotations

import re

import pandas as pd
import polars as pl
import pytest

import c5data
from c5data.building.sql import package_views
from c5data.querying.connection import UnknownName
from c5data.reading.descriptor import load_package

from releasekit import ROOT


@pytest.fixture(scope="module")
def views():
    package, _ = load_package(ROOT)
    assert package is not None
    return package_views(package)


def test_every_declared_view_loads_from_data_with_its_documented_columns(views) -> None:
    assert {"meeting_participants", "timeline", "pledge_tracker"} <= {v.name for v in views}
    for view in views:
        frame = c5data.load(view.name, ROOT, data=True)
        assert isinstance(frame, pl.DataFrame), view.name
        documented = [name for name, _ in view.columns]
        assert documented == [c for c in frame.columns if c in documented], view.name  # every documented column, in order


def test_a_view_gives_names_that_a_merge_of_tables_would_suffix() -> None:
    joined = c5data.load("meeting_participants", ROOT, data=True, pandas=True)
    assert isinstance(joined, pd.DataFrame)
    assert {"person_name", "meeting_name", "country_name", "certainty"} <= set(joined.columns)
    assert not [c for c in joined.columns if re.search(r"_(x|y)$", c)]
    participants = c5data.load("participants", ROOT, data=True)
    assert len(joined) == participants.height  # one row per participant, none lost or doubled by the joins


def test_an_unknown_name_is_an_error_that_lists_the_tables_and_views() -> None:
    with pytest.raises(UnknownName) as info:
        c5data.load("meeting_participant", ROOT, data=True)
    message = str(info.value)
    assert "'meeting_participant'" in message and "meetings" in message and "meeting_participants" in message
