"""Revision detection of a batch known at one moment, on both back ends.

PostgreSQL decides in SQL (storage.pg_write), SQLite and dry runs in pandas
(observations.plan_observations): the same batch must give the same counts and the same rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError

from monitor.storage.db import transaction
from monitor.storage.meta import data_version
from monitor.storage.models import Observation
from monitor.storage.observations import WriteCounts, plan_observations, read_observations, record_observations
from tests.storage.test_observations import figures

T0 = datetime(2021, 7, 15, 2, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=7)

FIRST = figures(
    ("revenue", "2021-05", 33.1, 14.2),
    ("revenue", "2021-06", 40.2, 13.0),
    ("fai", "2021-06", 95.0, 9.1),
    ("industrial_va", "2021-06", None, 12.5),
    ("retail_sales", "2021-06", 150.0, None),
)


def _write(engine: Engine, frame: pd.DataFrame, at: datetime) -> WriteCounts:
    with transaction(engine) as s:
        return record_observations(s, frame, known_from=at, import_id=None)


def _history(engine: Engine) -> pd.DataFrame:
    with transaction(engine) as s:
        got = read_observations(s, history=True)
    return got.sort_values(["indicator", "period", "known_from"]).reset_index(drop=True)


def _rows(engine: Engine) -> int:
    with transaction(engine) as s:
        return int(s.execute(select(func.count()).select_from(Observation)).scalar_one())


def test_the_same_values_again_write_no_revision(synced_engine: Engine) -> None:
    assert _write(synced_engine, FIRST, T0) == WriteCounts(inserted=5)
    with transaction(synced_engine) as s:
        version = data_version(s)
    again = FIRST.assign(value=FIRST["value"] * (1 + 1e-12))  # float noise of a re-export is no revision
    assert _write(synced_engine, again, T1) == WriteCounts(unchanged=5)
    assert _rows(synced_engine) == 5
    with transaction(synced_engine) as s:
        assert data_version(s) == version
    assert _history(synced_engine)["known_to"].isna().all()


def test_a_changed_value_closes_the_old_row_and_opens_a_new_one(synced_engine: Engine) -> None:
    _write(synced_engine, FIRST, T0)
    batch = FIRST.copy()
    batch.loc[batch["indicator"] == "fai", "value"] = 96.5  # changed value
    batch.loc[batch["indicator"] == "industrial_va", "value"] = 12.0  # missing -> a value
    batch.loc[batch["indicator"] == "retail_sales", "yoy"] = 8.8  # only the growth changed
    new = figures(("gdp", "2021-06", 401.2, 13.9))
    assert _write(synced_engine, pd.concat([batch, new], ignore_index=True), T1) == WriteCounts(
        inserted=1, revised=3, unchanged=2
    )
    got = _history(synced_engine)
    fai = got[got["indicator"] == "fai"]
    assert list(fai["value"]) == [95.0, 96.5]
    assert fai["known_to"].iloc[0] == pd.Timestamp(T1)
    assert pd.isna(fai["known_to"].iloc[1])
    assert fai["known_from"].iloc[1] == pd.Timestamp(T1)
    assert int(got["known_to"].isna().sum()) == 6  # one current version per figure
    assert len(got) == 9


def test_a_value_becoming_missing_and_a_changed_note_are_revisions(synced_engine: Engine) -> None:
    _write(synced_engine, FIRST.assign(note=None), T0)
    batch = FIRST.assign(note=None)
    batch.loc[batch["indicator"] == "fai", "value"] = None
    batch.loc[batch["indicator"] == "retail_sales", "note"] = "快报"
    assert _write(synced_engine, batch, T1) == WriteCounts(revised=2, unchanged=3)
    current = _history(synced_engine).query("known_to.isna()").set_index("indicator")
    assert pd.isna(current.loc["fai", "value"])
    assert current.loc["retail_sales", "note"] == "快报"


def test_a_batch_known_before_the_stored_version_is_superseded(synced_engine: Engine) -> None:
    _write(synced_engine, FIRST, T1)
    assert _write(synced_engine, FIRST.assign(value=1.0), T0) == WriteCounts(unchanged=5)
    assert list(_history(synced_engine)["known_from"].unique()) == [pd.Timestamp(T1)]


def test_a_dry_run_plans_exactly_what_the_write_does(synced_engine: Engine) -> None:
    _write(synced_engine, FIRST, T0)
    batch = pd.concat([FIRST.assign(value=FIRST["value"] + [0, 1, 0, 0, 2]), figures(("gdp", "2021-06", 1.0, 2.0))])
    with transaction(synced_engine) as s:
        planned = plan_observations(s, batch.reset_index(drop=True), known_from=T1).counts
    assert _write(synced_engine, batch.reset_index(drop=True), T1) == planned == WriteCounts(1, 2, 3)


def test_a_failure_after_the_rows_were_written_changes_nothing(synced_engine: Engine) -> None:
    """Closing, inserting and the data version are one transaction with the caller's other work."""
    _write(synced_engine, FIRST, T0)
    before = _history(synced_engine)
    with transaction(synced_engine) as s:
        version = data_version(s)

    with pytest.raises(RuntimeError), transaction(synced_engine) as s:  # noqa: PT012 - the transaction is under test
        counts = record_observations(s, FIRST.assign(value=FIRST["value"] + 1), known_from=T1)
        assert counts == WriteCounts(revised=4, unchanged=1)  # a missing value stays missing
        raise RuntimeError("the importer dies after writing, before its commit")
    pd.testing.assert_frame_equal(_history(synced_engine), before)
    with transaction(synced_engine) as s:
        assert data_version(s) == version


@pytest.mark.parametrize("stored", [True, False], ids=["over-stored-figures", "first-load"])
def test_a_repeated_key_at_one_moment_is_refused_whole(synced_engine: Engine, stored: bool) -> None:
    """Validated files hold each key once; a batch that does not is refused and nothing lands."""
    if stored:
        _write(synced_engine, FIRST, T0)
    before = _history(synced_engine)
    repeated = pd.concat([FIRST.assign(value=FIRST["value"] + 1), FIRST.iloc[:1]], ignore_index=True)
    with pytest.raises(IntegrityError), transaction(synced_engine) as s:
        record_observations(s, repeated, known_from=T1)
    pd.testing.assert_frame_equal(_history(synced_engine), before)


def test_a_first_load_and_a_load_over_stored_figures_store_the_same(synced_engine: Engine) -> None:
    """The first load of some series is copied straight in; later ones go through the comparison."""
    other = figures(("gdp", "2020-12", 720.0, 2.0, "gusu.pingjiang"))
    assert _write(synced_engine, other, T0) == WriteCounts(inserted=1)
    assert _write(synced_engine, FIRST.assign(note="快报"), T1) == WriteCounts(inserted=5)  # new series
    assert _write(synced_engine, pd.concat([FIRST, other], ignore_index=True), T1 + timedelta(hours=1)) == (
        WriteCounts(revised=5, unchanged=1)
    )
    got = _history(synced_engine)
    assert len(got) == 11
    first = got[got["known_from"] == pd.Timestamp(T1)]
    assert list(first["note"]) == ["快报"] * 5
    assert set(first["known_to"]) == {pd.Timestamp(T1 + timedelta(hours=1))}
    assert got["known_to"].isna().sum() == 6
