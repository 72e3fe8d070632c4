"""c5data.load() takes the views the package's extensions declare as well as its tables, and the README's pandas
snippet, built on them, gives no `_x`/`_y` columns."""

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


def test_the_readme_pandas_snippet_runs_on_views_and_gives_no_suffixed_columns(monkeypatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "c5data.load(" in b and "pandas=True" in b]
    assert len(blocks) == 1, "the README should have one pandas snippet built on c5data.load"
    snippet = blocks[0]
    loaded = re.findall(r'c5data\.load\("([a-z_]+)"', snippet)
    package, _ = load_package(ROOT)
    assert package is not None
    assert loaded and set(loaded) <= {v.name for v in package_views(package)}, "the snippet loads views, not tables to merge"
    assert ".merge(" not in snippet and "pd.merge" not in snippet
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("builtins.print", lambda *a, **k: None)
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    frames = [v for v in namespace.values() if isinstance(v, pd.DataFrame)]
    assert len(frames) == len(loaded)
    for frame in frames:
        assert len(frame) > 0
        assert not [c for c in frame.columns if re.search(r"_(x|y)$", str(c))]
