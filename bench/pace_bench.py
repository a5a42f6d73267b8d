"""Pace at national scale: `monitor pace` (without forecast) for one report month against a bare read.

    .venv/bin/python bench/pace_bench.py --regions 3000            # SQLite and PostgreSQL
    .venv/bin/python bench/pace_bench.py --regions 300 --backend sqlite

Synthetic data: N county-level regions × all 55 indicators of the shipped catalogue × 6 years
(2016-01 to 2021-06, weekly prices included; each region carries the district's 2021 targets),
loaded with raw inserts (SQLite) or COPY (PostgreSQL) rather than through record_observations.
Then, in the same run and on the same database, it times

  pace   `services.pace.pace_report(..., regions=all, set_code="all", forecast=False)` for the
         report month 2021-06: one read_observations query plus the vectorised pace_frame;
  bare   a plain DB-API query of exactly the rows pace reads (same filters: the indicators, the
         regions, the years 2017-2021, current figures) into a DataFrame of the columns it uses;

and prints the figures and the ratio pace / bare (target: within 1.5x), and the time the 通报
columns (`bulletin_columns`, part of pace_report) take alone on the same rows. Nothing is asserted.
PostgreSQL: a throw-away database on --pg-url (default the test server) is dropped at the end.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Table, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.domain.catalogue import (  # noqa: E402
    Catalogue,
    Indicator,
    parse_catalogue,
)
from monitor.domain.pace import SEASONAL_YEARS  # noqa: E402
from monitor.domain.periods import Frequency, Period, month  # noqa: E402
from monitor.services.pace import pace_report  # noqa: E402
from monitor.storage.catalogue_sync import sync_catalogue  # noqa: E402
from monitor.storage.db import make_engine, migrate, transaction  # noqa: E402
from monitor.storage.models import Observation  # noqa: E402
from monitor.storage.observations import read_figures  # noqa: E402
from monitor.storage.series_keys import SeriesKeys, load_keys  # noqa: E402

REPORT = month(2021, 6)
FIRST_YEAR, LAST_YEAR, LAST_MONTH, LAST_WEEK = 2016, 2021, 6, 25
KNOWN_FROM = datetime(2021, 7, 1, 2, 0, tzinfo=UTC)
COLUMNS = ["indicator_id", "region_id", "period_key", "value", "yoy", "known_from", "is_sample"]


def bench_catalogue(regions: int) -> tuple[Catalogue, Catalogue]:
    """(catalogue with every region's targets, the same without targets for the database sync)."""
    doc = tomllib.loads((ROOT / "indicators.toml").read_text(encoding="utf-8"))
    codes = [f"c{i:04d}" for i in range(1, regions + 1)]
    doc["regions"] = [{"code": c, "name": f"县级地区{c[1:]}", "kind": "district"} for c in codes]
    doc["meta"]["default_region"] = codes[0]
    shipped = [t for t in doc["targets"] if t["year"] == 2021]
    doc["targets"] = [{**t, "region": c} for c in codes for t in shipped]
    full = parse_catalogue(doc)
    return full, parse_catalogue({**doc, "targets": []})


def _periods(ind: Indicator) -> list[Period]:
    out: list[Period] = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        if ind.frequency is Frequency.WEEKLY:
            last = LAST_WEEK if year == LAST_YEAR else Period(year, Frequency.WEEKLY, 1).periods_per_year
            out += [Period(year, Frequency.WEEKLY, w) for w in range(1, last + 1)]
            continue
        last_month = LAST_MONTH - ind.lag_months if year == LAST_YEAR else 12
        for m in range(ind.first_month, last_month + 1):
            if ind.frequency is Frequency.MONTHLY:
                out.append(month(year, m))
            elif ind.frequency is Frequency.QUARTERLY and m % 3 == 0:
                out.append(Period(year, Frequency.QUARTERLY, m // 3))
    return out


def indicator_frame(ind: Indicator, regions: list[str], rng: np.random.Generator) -> pd.DataFrame:
    """All figures of one indicator for every region: levels by measure, published growth with gaps."""
    periods = _periods(ind)
    n, p = len(regions), len(periods)
    years = np.array([q.year for q in periods])
    scale = rng.lognormal(3.0, 1.0, (n, 1))
    if ind.measure.value in ("cumulative", "stock"):
        flow = scale * rng.lognormal(0.0, 0.15, (n, p)) * 1.07 ** (years - FIRST_YEAR)
        if ind.measure.value == "cumulative":
            value = np.zeros((n, p))
            for year in np.unique(years):
                cols = years == year
                value[:, cols] = np.cumsum(flow[:, cols], axis=1)
        else:
            value = flow * 12
        yoy = rng.normal(7.0, 4.0, (n, p))
    elif ind.measure.value == "rate":
        value, yoy = np.full((n, p), np.nan), rng.normal(6.0, 3.0, (n, p))
    elif ind.measure.value == "index":
        value = 100 + rng.normal(2.0, 1.0, (n, p))
        yoy = value - 100
    else:  # price
        value = scale / 2 * np.exp(np.cumsum(rng.normal(0, 0.02, (n, p)), axis=1))
        yoy = rng.normal(0.0, 10.0, (n, p))
    yoy = np.where(rng.uniform(size=(n, p)) < 0.05, np.nan, np.round(yoy, 1))
    return pd.DataFrame(
        {
            "indicator": ind.code,
            "region": np.repeat(np.array(regions, dtype=object), p),
            "period": np.tile(np.array([str(q) for q in periods], dtype=object), n),
            "year": np.tile(years, n),
            "period_end": np.tile(np.array([q.end_date().isoformat() for q in periods], dtype=object), n),
            "value": np.round(value, 2).ravel(),
            "yoy": yoy.ravel(),
            "known_from": KNOWN_FROM.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "is_sample": False,
        }
    )


def stored_form(frame: pd.DataFrame, keys: SeriesKeys) -> pd.DataFrame:
    """The figures as the observations table stores them (integer keys)."""
    indicator, region, period = keys.encode(frame)
    return pd.DataFrame({"indicator_id": indicator, "region_id": region, "period_key": period}).join(
        frame[["value", "yoy", "known_from", "is_sample"]]
    )[COLUMNS]


@contextmanager
def without_indexes(engine: Engine) -> Iterator[None]:
    """Drop the observation indexes for the bulk load and build them once afterwards."""
    table = cast(Table, Observation.__table__)
    with engine.begin() as conn:
        for index in table.indexes:
            index.drop(conn)
    yield
    with engine.begin() as conn:
        for index in table.indexes:
            index.create(conn)


def load(engine: Engine, catalogue: Catalogue, regions: list[str]) -> int:
    """Insert the synthetic figures (raw executemany on SQLite, COPY on PostgreSQL); returns the row count."""
    rng = np.random.default_rng(20210720)
    rows = 0
    with transaction(engine) as session:
        keys = load_keys(session)
    with without_indexes(engine):
        raw: Any = engine.raw_connection()
        try:
            cursor = raw.cursor()
            for ind in catalogue.indicators.values():
                frame = stored_form(indicator_frame(ind, regions, rng), keys)
                rows += len(frame)
                if engine.dialect.name == "sqlite":
                    records = frame.astype(object).where(frame.notna(), None).itertuples(index=False, name=None)
                    cursor.executemany(
                        f"INSERT INTO observations ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                        records,
                    )
                else:
                    buf = io.StringIO()
                    frame.assign(known_from=KNOWN_FROM.isoformat()).to_csv(
                        buf, sep="\t", header=False, index=False, na_rep="\\N"
                    )
                    with cursor.copy(f"COPY observations ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                        copy.write(buf.getvalue())
            raw.commit()
        finally:
            raw.close()
    with engine.begin() as conn:
        conn.execute(text("ANALYZE observations" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return rows


def bare_read(engine: Engine, indicators: list[str], regions: list[str], years: list[int]) -> pd.DataFrame:
    """Exactly the rows pace reads, with the columns it uses, through the plain DB-API cursor: the
    stored integer keys, not decoded (decoding them to codes is part of what pace costs)."""
    with transaction(engine) as session:
        keys = load_keys(session)
    mark = "?" if engine.dialect.name == "sqlite" else "%s"
    nums = [keys.indicator_nums(indicators), keys.region_nums(regions)]
    sql = (
        "SELECT indicator_id, region_id, period_key, value, yoy FROM observations WHERE known_to IS NULL"
        f" AND indicator_id IN ({', '.join([mark] * len(nums[0]))})"
        f" AND region_id IN ({', '.join([mark] * len(nums[1]))})"
        f" AND period_key >= {mark} AND period_key < {mark}"
    )
    raw: Any = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(sql, [*nums[0], *nums[1], min(years) * 1000, (max(years) + 1) * 1000])
        frame = pd.DataFrame(cursor.fetchall(), columns=["indicator_id", "region_id", "period_key", "value", "yoy"])
    finally:
        raw.close()
    return frame.astype({"value": float, "yoy": float})


def timed(fn: Any) -> tuple[float, Any]:
    gc.collect()  # both start from the same heap
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def synthetic_database(url: str, regions: int) -> tuple[Engine, Catalogue, int, float]:
    """A database of `regions` synthetic regions: migrated, catalogue synced, every figure loaded.
    Returns the engine, the full catalogue, the rows loaded and the seconds the load took."""
    full, synced = bench_catalogue(regions)
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, synced)
    load_s, rows = timed(lambda: load(engine, full, list(full.regions)))
    return engine, full, rows, load_s


def run_backend(name: str, url: str, regions: int, repeat: int, compare: bool) -> None:
    engine, full, rows, load_s = synthetic_database(url, regions)
    codes = list(full.regions)
    indicators = list(full.indicators)
    years = list(range(REPORT.year - SEASONAL_YEARS, REPORT.year + 1))  # every evaluation period of June is in 2021

    def pace() -> pd.DataFrame:
        with transaction(engine) as session:
            report = pace_report(session, full, REPORT, regions=codes, set_code="all", forecast=False)
        return report.rows

    bare_read(engine, indicators, codes, years)  # warm the cache for both
    pace_times, bare_times = [], []
    for i in range(repeat):  # alternate which goes first; the best of each is printed
        for which in ("pace", "bare") if i % 2 == 0 else ("bare", "pace"):
            if which == "pace":
                t, out = timed(pace)
                pace_times.append(t)
            else:
                t, bare = timed(lambda: bare_read(engine, indicators, codes, years))
                bare_times.append(t)
    from monitor.domain.pace import PACE_COLUMNS, bulletin_columns

    pace_rows = out[list(PACE_COLUMNS)]
    with transaction(engine) as session:
        figures = read_figures(session, indicators=indicators, regions=codes, years=years)
    bulletin_s, _ = timed(lambda: bulletin_columns(pace_rows, figures, full))
    if compare:
        from monitor.storage.observations import read_observations

        def full_read() -> pd.DataFrame:
            with transaction(engine) as session:
                return read_observations(session, indicators=indicators, regions=codes, years=years)

        read_s, _ = timed(full_read)
    engine.dispose()
    statuses = out["status"].value_counts().to_dict()
    print(f"[{name}] {rows:,} rows loaded in {load_s:.1f} s ({regions:,} regions × {len(indicators)} indicators)")
    runs = f" (best of {repeat})" if repeat > 1 else ""
    print(f"[{name}] pace (no forecast), report month {REPORT}: {len(out):,} series in {min(pace_times):.2f} s{runs}")
    print(f"[{name}]   statuses: {statuses}")
    print(f"[{name}] bare read of the same rows: {len(bare):,} rows in {min(bare_times):.2f} s{runs}")
    print(f"[{name}] ratio pace / bare read: {min(pace_times) / min(bare_times):.2f}x (target ≤ 1.5x)")
    share = bulletin_s / min(pace_times)
    print(f"[{name}] of which the 通报 columns (bulletin_columns alone): {bulletin_s:.2f} s, {share:.0%}")
    if compare:
        print(f"[{name}] for comparison, read_observations of the same rows (15 columns): {read_s:.2f} s")


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"pace_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--regions", type=int, default=3000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (the best is printed)")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--compare-read-observations", action="store_true", help="also time the general 15-column read of the rows"
    )
    args = parser.parse_args(argv)
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="pace_bench_") as tmp:
            run_backend(
                "sqlite",
                f"sqlite:///{Path(tmp) / 'bench.db'}",
                args.regions,
                args.repeat,
                args.compare_read_observations,
            )
    if args.backend in ("postgresql", "both"):
        with postgres_database(args.pg_url) as url:
            run_backend("postgresql", url, args.regions, args.repeat, args.compare_read_observations)
    return 0


if __name__ == "__main__":
    sys.exit(main())
