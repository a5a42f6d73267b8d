"""Import speed and memory: `monitor import` of a large canonical CSV against the fastest raw load.

    .venv/bin/python bench/import_bench.py --rows 1000000            # SQLite and PostgreSQL
    .venv/bin/python bench/import_bench.py --rows 100000 --backend sqlite

Generates a valid canonical CSV (indicator, region, period, value, yoy) of N figures: every
monthly cumulative indicator of the shipped catalogue, 2016-01 to 2021-06, for as many synthetic
county-level regions as N needs (the catalogue used is the shipped one plus those regions).
Values rise through each year and grow 5% a year, so the file raises no warning. Then, in the
same run and each in its own process (so peak memory is its own), it times

  product  `services.imports.import_file` of the file into a freshly migrated database: read,
           validate, compare with the stored figures, write figures and the imports row in one
           transaction (the whole `monitor import`, minus the process start);
  raw      the same rows from the same file into a plain table (the five text/float columns, no
           index) with the fastest raw path: csv.reader + sqlite3 executemany in one transaction,
           or PostgreSQL COPY FROM STDIN streaming the file;

and prints rows per second, the ratio product / raw (targets: SQLite within 2.5x of raw executemany,
PostgreSQL within 3x of plain COPY) and each process's peak memory (ru_maxrss; target 600 MB for
1,000,000 figures). With --repeat N each of raw and product runs N times, alternating, and the best
time of each is used (the machine is shared; the peak is the highest of the runs). The product's
phases are timed from its progress lines. After its timed import the product process imports a
second file, the same figures with every tenth value changed, into the same database: the
revision import (compare with the stored figures, close a tenth, insert their new versions).
Nothing is asserted. PostgreSQL databases are created on --pg-url and dropped at the end.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.domain.catalogue import Catalogue, Measure, parse_catalogue  # noqa: E402
from monitor.domain.periods import Frequency  # noqa: E402

FIRST_YEAR, LAST_YEAR, LAST_MONTH = 2016, 2021, 6
TODAY = date(2021, 7, 20)
TARGETS = {"sqlite": 2.5, "postgresql": 3.0}  # product / raw
PEAK_TARGET_MB = 600
DEFAULT_PG = os.environ.get("MONITOR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def bench_catalogue(regions: int) -> Catalogue:
    """The shipped catalogue plus `regions` synthetic county-level regions (c0001, c0002, ...)."""
    doc = tomllib.loads((ROOT / "indicators.toml").read_text(encoding="utf-8"))
    doc["regions"] = list(doc["regions"]) + [
        {"code": f"c{i:04d}", "name": f"县级地区{i:04d}", "kind": "peer"} for i in range(1, regions + 1)
    ]
    return parse_catalogue(doc)


def _series_periods(catalogue: Catalogue) -> list[tuple[str, str, int]]:
    """(indicator, period text, month) of one region, in file order."""
    out = []
    for ind in catalogue.indicators.values():
        if ind.frequency is not Frequency.MONTHLY or ind.measure is not Measure.CUMULATIVE:
            continue
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            for m in range(ind.first_month, 13 if year < LAST_YEAR else LAST_MONTH + 1):
                out.append((ind.code, f"{year}-{m:02d}", m))
    return out


def generate(rows: int, path: Path) -> int:
    """Write the CSV; returns how many synthetic regions it needed."""
    base = bench_catalogue(0)
    per_region = _series_periods(base)
    regions = -(-rows // len(per_region))
    rng = np.random.default_rng(20210720)
    level = rng.uniform(5, 500, size=(regions, len(base.indicators)))
    codes = list(base.indicators)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("indicator,region,period,value,yoy\n")
        for r in range(regions):
            region = f"c{r + 1:04d}"
            lines = []
            for indicator, period, m in per_region:
                if written >= rows:
                    break
                year = int(period[:4])
                value = level[r, codes.index(indicator)] * 1.05 ** (year - FIRST_YEAR) * m / 12
                lines.append(f"{indicator},{region},{period},{value:.2f},5.0\n")
                written += 1
            out.writelines(lines)
    return regions


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def revised_copy(csv_path: Path, out: Path) -> None:
    """The same file with every tenth figure's value raised by 1%."""
    with csv_path.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        target.write(next(source))
        for n, line in enumerate(source):
            if n % 10 == 0:
                indicator, region, period, value, yoy = line.rstrip("\n").split(",")
                line = f"{indicator},{region},{period},{float(value) * 1.01:.2f},{yoy}\n"
            target.write(line)


def phase_product(url: str, csv_path: Path, regions: int) -> dict[str, Any]:
    from monitor.readers import ReadLimits
    from monitor.services.imports import ImportRequest, import_file
    from monitor.storage.catalogue_sync import sync_catalogue
    from monitor.storage.db import make_engine, migrate, transaction

    catalogue = bench_catalogue(regions)
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    marks: list[tuple[float, str]] = []
    start = time.perf_counter()
    request = ImportRequest(
        today=TODAY,
        limits=ReadLimits(max_file_bytes=1 << 40, max_rows=1 << 40, max_seconds=1e9),
        progress=lambda text: marks.append((time.perf_counter() - start, text)),
    )
    result = import_file(engine, catalogue, csv_path, request)
    seconds = time.perf_counter() - start
    peak = _maxrss_mb()
    again = time.perf_counter()
    revised = import_file(engine, catalogue, csv_path.with_name("revised.csv"), replace(request, progress=None))
    revision_seconds = time.perf_counter() - again
    engine.dispose()
    return {
        "seconds": seconds,
        "status": result.status.value,
        "inserted": result.counts.inserted,
        "warnings": result.warning_count,
        "errors": [i.message for i in result.errors(3)],
        "marks": marks,
        "maxrss_mb": peak,
        "revision_seconds": revision_seconds,
        "revision_counts": [revised.counts.inserted, revised.counts.revised, revised.counts.unchanged],
    }


def phase_raw_sqlite(path: str, csv_path: Path) -> dict[str, Any]:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("CREATE TABLE plain (indicator TEXT, region TEXT, period TEXT, value REAL, yoy REAL)")
    start = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as source, connection:
        reader = csv.reader(source)
        next(reader)
        connection.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?)", reader)
    seconds = time.perf_counter() - start
    count = connection.execute("SELECT count(*) FROM plain").fetchone()[0]
    connection.close()
    return {"seconds": seconds, "inserted": count, "maxrss_mb": _maxrss_mb()}


def phase_raw_postgres(url: str, csv_path: Path) -> dict[str, Any]:
    import psycopg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        connection.execute("CREATE TABLE plain (indicator text, region text, period text, value float8, yoy float8)")
        connection.commit()
        start = time.perf_counter()
        statement = "COPY plain FROM STDIN (FORMAT csv, HEADER true)"
        with connection.cursor() as cursor, cursor.copy(statement) as copy, csv_path.open("rb") as source:
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        connection.commit()
        seconds = time.perf_counter() - start
        count = connection.execute("SELECT count(*) FROM plain").fetchone()[0]  # type: ignore[index]
    return {"seconds": seconds, "inserted": count, "maxrss_mb": _maxrss_mb()}


def _stored_rows(csv_path: Path, keys: Any) -> list[tuple[Any, ...]]:
    """The file's rows exactly as the observations table stores them, in its index order (built before
    any timer starts)."""
    frame = pd.read_csv(csv_path, dtype={"period": str})
    indicator, region, period = keys.encode(frame)
    order = np.lexsort((period, region, indicator))
    columns = [indicator[order], region[order], period[order], frame["value"].to_numpy()[order]]
    columns.append(frame["yoy"].to_numpy()[order])
    return list(zip(*(c.tolist() for c in columns), strict=True))


def _binary_body(rows: list[tuple[Any, ...]]) -> bytes:
    """The rows in COPY's binary format (the cheapest for the server to take), known at one moment."""
    from monitor.storage.copy_binary import BinaryColumn, binary_blocks, timestamps

    ind, reg, per, value, yoy = (np.array(c) for c in zip(*rows, strict=True))
    n = len(rows)
    stamp = timestamps(np.full(n, np.datetime64("2021-07-20T02:00:00", "us")))
    columns = [BinaryColumn("int2", ind), BinaryColumn("int4", reg), BinaryColumn("int4", per)]
    columns += [BinaryColumn("float8", value, np.isnan(value)), BinaryColumn("float8", yoy, np.isnan(yoy))]
    columns += [BinaryColumn("timestamptz", stamp), BinaryColumn("int4", np.ones(n)), BinaryColumn("bool", np.zeros(n))]
    return b"".join(block for block, _ in binary_blocks(columns, n, n))


def phase_floor(url: str, csv_path: Path, regions: int) -> dict[str, Any]:
    """The same rows, pre-built in their stored form, loaded with the raw path (executemany; binary COPY
    of bytes built before the timer) into the real observations table (its indexes): the schema's own cost."""
    from sqlalchemy import text

    from monitor.storage.catalogue_sync import sync_catalogue
    from monitor.storage.db import make_engine, migrate, transaction
    from monitor.storage.series_keys import load_keys

    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, bench_catalogue(regions))
        session.execute(
            text(
                "INSERT INTO imports (id, file_name, channel, status, started_at, inserted, revised, unchanged, "
                "warnings, errors, is_sample, message) VALUES (1, 'floor', 'cli', 'accepted', '2021-07-20 02:00:00', "
                "0, 0, 0, '[]', '[]', false, '')"
            )
        )
        keys = load_keys(session)
    rows = _stored_rows(csv_path, keys)
    names = "indicator_id, region_id, period_key, value, yoy, known_from, import_id, is_sample"
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        if engine.dialect.name == "sqlite":
            stamp = "2021-07-20 02:00:00.000000"
            start = time.perf_counter()
            raw.executemany(f"INSERT INTO observations ({names}) VALUES (?, ?, ?, ?, ?, '{stamp}', 1, 0)", rows)
            raw.commit()
        else:
            body = _binary_body(rows)
            start = time.perf_counter()
            with raw.cursor() as cursor, cursor.copy(f"COPY observations ({names}) FROM STDIN (FORMAT binary)") as copy:
                for at in range(0, len(body), 1 << 20):
                    copy.write(body[at : at + (1 << 20)])
            raw.commit()
        seconds = time.perf_counter() - start
    engine.dispose()
    return {"seconds": seconds, "inserted": len(rows), "maxrss_mb": _maxrss_mb()}


def _child(*argv: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--phase", *argv], capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"phase {argv[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


class PgDatabase:
    def __init__(self, admin_url: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self.base = make_url(admin_url)
        self.names: list[str] = []

    def create(self, suffix: str) -> str:
        from sqlalchemy import text

        name = f"import_bench_{uuid.uuid4().hex[:8]}_{suffix}"
        with self.admin.connect() as conn:
            conn.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0"))
        self.names.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def drop(self) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def _report(
    backend: str, rows: int, product: dict[str, Any], raw: dict[str, Any], floor: dict[str, Any] | None
) -> None:
    ratio = product["seconds"] / raw["seconds"]
    print(f"\n[{backend}] {rows:,} figures")
    if product["status"] != "accepted" or product["inserted"] != rows:
        print(
            f"  product import did not land every row: {product['status']}, {product['inserted']:,} inserted, "
            f"errors {product['errors']}"
        )
    print(
        f"  product import : {product['seconds']:7.2f} s  {rows / product['seconds']:>10,.0f} rows/s  "
        f"peak {product['maxrss_mb']:,.0f} MB  (warnings {product['warnings']})"
    )
    print(
        f"  raw path       : {raw['seconds']:7.2f} s  {rows / raw['seconds']:>10,.0f} rows/s  "
        f"peak {raw['maxrss_mb']:,.0f} MB  ({'executemany' if backend == 'sqlite' else 'COPY'} into a plain table)"
    )
    target = TARGETS[backend]
    verdict = "met" if ratio <= target else f"missed by {ratio - target:.2f}x"
    memory = "met" if product["maxrss_mb"] <= PEAK_TARGET_MB else "missed"
    print(
        f"  ratio product/raw: {ratio:.2f}x (target ≤ {target}x: {verdict})   "
        f"peak {product['maxrss_mb']:,.0f} MB (target ≤ {PEAK_TARGET_MB} MB: {memory})"
    )
    changed = product["revision_counts"]
    print(
        f"  revision import: {product['revision_seconds']:7.2f} s  (same figures, every tenth changed: "
        f"{changed[1]:,} revised, {changed[2]:,} unchanged, {changed[0]:,} new)"
    )
    if floor is not None:
        print(
            f"  schema floor   : {floor['seconds']:7.2f} s  {rows / floor['seconds']:>10,.0f} rows/s  (the same rows "
            f"pre-built, raw path into the real observations table: {floor['seconds'] / raw['seconds']:.2f}x raw; "
            f"product/floor {product['seconds'] / floor['seconds']:.2f}x)"
        )
    marks = product["marks"]
    at = {text.split(" ")[0].rstrip("…"): t for t, text in marks}  # first time each kind of line was printed
    read_end = at.get("校验", 0.0)
    check_end = at.get("写入", read_end)
    write_end = marks[-1][0] if marks else check_end
    print(
        f"  product phases : read {read_end:.1f} s | validate + warnings {check_end - read_end:.1f} s | "
        f"compare + write {write_end - check_end:.1f} s | commit {product['seconds'] - write_end:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=DEFAULT_PG)
    parser.add_argument("--repeat", type=int, default=1, help="runs of raw and of product each (the best is used)")
    parser.add_argument(
        "--no-floor",
        dest="floor",
        action="store_false",
        help="skip the schema-floor reference (raw path into the real observations table)",
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        if name == "product":
            out = phase_product(rest[0], Path(rest[1]), int(rest[2]))
        elif name == "floor":
            out = phase_floor(rest[0], Path(rest[1]), int(rest[2]))
        elif name == "raw-sqlite":
            out = phase_raw_sqlite(rest[0], Path(rest[1]))
        else:
            out = phase_raw_postgres(rest[0], Path(rest[1]))
        print(json.dumps(out))
        return
    with tempfile.TemporaryDirectory(prefix="import_bench_") as tmp:
        folder = Path(tmp)
        csv_path = folder / "figures.csv"
        start = time.perf_counter()
        regions = generate(args.rows, csv_path)
        size = csv_path.stat().st_size / 1048576
        print(
            f"generated {args.rows:,} figures ({regions} regions × monthly cumulative indicators × 2016-01..2021-06),"
            f" {size:.1f} MB, in {time.perf_counter() - start:.1f} s; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        )
        revised_copy(csv_path, folder / "revised.csv")
        if args.backend in ("sqlite", "both"):
            raw, product = _best(
                args.repeat,
                lambda n: _child("raw-sqlite", str(folder / f"raw{n}.db"), str(csv_path)),
                lambda n: _child("product", f"sqlite:///{folder / f'product{n}.db'}", str(csv_path), str(regions)),
            )
            floor = (
                _child("floor", f"sqlite:///{folder / 'floor.db'}", str(csv_path), str(regions)) if args.floor else None
            )
            _report("sqlite", args.rows, product, raw, floor)
        if args.backend in ("postgresql", "both"):
            pg = PgDatabase(args.pg_url)
            try:
                raw, product = _best(
                    args.repeat,
                    lambda n: _child("raw-postgres", pg.create(f"raw{n}"), str(csv_path)),
                    lambda n: _child("product", pg.create(f"product{n}"), str(csv_path), str(regions)),
                )
                floor = _child("floor", pg.create("floor"), str(csv_path), str(regions)) if args.floor else None
                _report("postgresql", args.rows, product, raw, floor)
            finally:
                pg.drop()


def _best(
    repeat: int, raw: Callable[[int], dict[str, Any]], product: Callable[[int], dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Raw and product `repeat` times, alternating: the fastest run of each, with the highest peak seen."""
    raws, products = [], []
    for n in range(repeat):
        raws.append(raw(n))
        products.append(product(n))
    best_raw = min(raws, key=lambda r: r["seconds"])
    best = dict(min(products, key=lambda r: r["seconds"]))
    best["maxrss_mb"] = max(r["maxrss_mb"] for r in products)
    best["revision_seconds"] = min(r["revision_seconds"] for r in products)
    if repeat > 1:
        times = {
            name: ", ".join(f"{r['seconds']:.2f}" for r in runs) for name, runs in (("raw", raws), ("p", products))
        }
        print(f"  runs: raw {times['raw']} s; product {times['p']} s")
    return best_raw, best


if __name__ == "__main__":
    main()
