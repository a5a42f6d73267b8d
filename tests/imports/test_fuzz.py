"""Random bytes and random tables: the reader and validator reject cleanly, never crash.

And the optimised write path against a plain model of real-time periods: any sequence of
batches leaves exactly the versions the model says.
"""

from __future__ import annotations

import csv
import io
import math
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from monitor.domain.catalogue import Catalogue
from monitor.domain.validation import FIELDS, ISSUE_COLUMNS, RawTable, check_table, figure_warnings
from monitor.errors import ReadError
from monitor.readers import read_table
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction
from monitor.storage.observations import read_observations, record_observations

TODAY = date(2021, 7, 20)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CELLS = st.one_of(
    st.sampled_from(["revenue", "gdp", "一般公共预算收入", "cpi", "industrial_va", "fai", "pork_price", "", "—"]),
    st.sampled_from(["gusu", "姑苏区", "平江街道", "mars", ""]),
    st.sampled_from(["2021-05", "2021年1-5月", "2021Q2", "2021年13月", "2021-W23", "2021", "2030-01", "2021-01", ""]),
    st.sampled_from(["1,234.5", "６．５", "6.5%", "-3", "1e308", "NaN", "inf", "=SUM(A1)", "万元", "亿元", "%"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=12),
)


@given(data=st.binary(max_size=2048))
@FUZZ
def test_random_bytes_are_read_or_cleanly_refused(catalogue: Catalogue, data: bytes) -> None:
    try:
        raw = read_table(data)
    except ReadError as exc:
        assert exc.code in {"unreadable_file", "empty_file", "missing_column", "ambiguous_column"}  # noqa: PT017 - read or refused
        assert str(exc)  # noqa: PT017
        return
    checked = check_table(raw, catalogue, today=TODAY)
    assert list(checked.issues.columns) == ISSUE_COLUMNS


@given(
    rows=st.lists(st.lists(CELLS, min_size=7, max_size=7), min_size=0, max_size=12),
    fields=st.lists(st.sampled_from(FIELDS), min_size=1, max_size=7, unique=True),
    department=st.sampled_from([None, "finance", "stats"]),
)
@FUZZ
def test_random_tables_give_figures_or_issues_never_an_exception(
    catalogue: Catalogue, rows: list[list[str]], fields: list[str], department: str | None
) -> None:
    frame = pd.DataFrame([r[: len(fields)] for r in rows], columns=fields)
    frame.insert(0, "row", range(2, len(rows) + 2))
    checked = check_table(RawTable(frame), catalogue, today=TODAY, department=department)
    assert list(checked.issues.columns) == ISSUE_COLUMNS
    assert checked.issues["message"].map(lambda m: isinstance(m, str) and len(m) > 0).all()
    if not checked.has_errors:
        figures = checked.figures
        assert figures[["indicator", "region", "period"]].notna().all().all()
        assert not figures.duplicated(["indicator", "region", "period"]).any()
        assert all(v is None or not math.isinf(v) for v in figures["value"].dropna())
        figure_warnings(figures, pd.DataFrame(columns=["indicator", "region", "period", "value", "yoy"]), catalogue)


@given(
    rows=st.lists(st.lists(CELLS, min_size=4, max_size=4), max_size=10),
    title=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
@FUZZ
def test_random_csv_files_round_through_reader_and_validator(
    catalogue: Catalogue, rows: list[list[str]], title: bool, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if title:
        writer.writerow(["姑苏区报表"])
    writer.writerow(["指标", "期别", "数值", "同比增长(%)"])
    writer.writerows(rows)
    try:
        data = buffer.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return  # text GB18030 cannot hold is not what such a file contains
    try:
        raw = read_table(data)
    except ReadError as exc:
        assert exc.code in {"unreadable_file", "empty_file", "missing_column"}  # noqa: PT017 - read or refused
        return
    checked = check_table(raw, catalogue, today=TODAY)
    assert list(checked.issues.columns) == ISSUE_COLUMNS


# ------------------------------------------------------------------ the write path against a model
T0 = datetime(2021, 6, 1, tzinfo=UTC)
KEYS = [("revenue", "2021-05"), ("revenue", "2021-04"), ("tax_revenue", "2021-05")]
VERSION = st.tuples(
    st.sampled_from(range(len(KEYS))),
    st.sampled_from([1.0, 2.0, None]),
    st.sampled_from([5.0, None]),
    st.sampled_from([None, "更正"]),
    st.integers(min_value=0, max_value=6),  # known_from, in days after T0
)


@pytest.fixture(scope="module")
def model_engine(catalogue: Catalogue) -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/model.db")
        migrate(engine)
        with transaction(engine) as session:
            sync_catalogue(session, catalogue)
        yield engine
        engine.dispose()


def apply_model(state: dict, batch: list[tuple]) -> tuple[int, int, int]:
    """Real-time periods the plain way: returns (inserted, revised, unchanged)."""
    inserted = revised = unchanged = 0
    order = sorted(range(len(batch)), key=lambda i: (KEYS[batch[i][0]], batch[i][4]))
    by_key: dict[int, list[tuple]] = {}
    for i in order:
        by_key.setdefault(batch[i][0], []).append(batch[i])
    for key, rows in by_key.items():
        versions = state.setdefault(key, [])
        cur = versions[-1] if versions and versions[-1][4] is None else None
        live = [r for r in rows if cur is None or r[4] > cur[3]]
        unchanged += len(rows) - len(live)
        prev = (cur[0], cur[1], cur[2]) if cur else None
        kept = []
        for r in live:
            if prev is not None and (r[1], r[2], r[3]) == prev:
                unchanged += 1
            else:
                kept.append(r)
            prev = (r[1], r[2], r[3])
        for n, r in enumerate(kept):
            if n == 0 and cur is not None:
                versions[-1] = (*cur[:4], r[4])
            if n:
                versions[-1] = (*versions[-1][:4], r[4])
            versions.append((r[1], r[2], r[3], r[4], None))
            revised += 1 if (n or cur is not None) else 0
            inserted += 0 if (n or cur is not None) else 1
    return inserted, revised, unchanged


@given(batches=st.lists(st.lists(VERSION, min_size=1, max_size=6), min_size=1, max_size=4))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_write_path_keeps_exactly_the_versions_a_plain_model_keeps(
    model_engine: Engine, batches: list[list[tuple]]
) -> None:
    with model_engine.begin() as conn:
        conn.execute(text("DELETE FROM observations"))
    state: dict = {}
    for batch in batches:
        frame = pd.DataFrame(
            {
                "indicator": [KEYS[k][0] for k, *_ in batch],
                "region": "gusu",
                "period": [KEYS[k][1] for k, *_ in batch],
                "year": 2021,
                "period_end": date(2021, 5, 31),
                "value": [v for _, v, *_ in batch],
                "yoy": [y for _, _, y, *_ in batch],
                "note": [n for *_, n, _ in batch],
                "known_from": [T0 + timedelta(days=d) for *_, d in batch],
            }
        )
        with transaction(model_engine) as session:
            counts = record_observations(session, frame)
        expected = apply_model(state, [(k, v, y, n, T0 + timedelta(days=d)) for k, v, y, n, d in batch])
        assert (counts.inserted, counts.revised, counts.unchanged) == expected
    with transaction(model_engine) as session:
        stored = read_observations(session, history=True)
    got = {
        (
            r.indicator,
            r.period,
            None if pd.isna(r.value) else r.value,
            None if pd.isna(r.yoy) else r.yoy,
            None if pd.isna(r.note) else r.note,
            r.known_from,
            None if pd.isna(r.known_to) else r.known_to,
        )
        for r in stored.itertuples()
    }
    want = {(*KEYS[k], *version) for k, versions in state.items() for version in versions}
    assert got == {
        (a, b, c, d, e, pd.Timestamp(f), None if g is None else pd.Timestamp(g)) for a, b, c, d, e, f, g in want
    }
