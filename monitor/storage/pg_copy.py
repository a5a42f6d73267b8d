"""COPY of observation rows given as whole columns: binary for rows without a note, text for the rest."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy.exc import DBAPIError

from monitor.storage.copy_binary import BinaryColumn, binary_blocks, timestamps
from monitor.storage.write_types import WRITE_CHUNK, Progress

__all__ = ["COLUMNS", "copy_observations"]

_KIND = {  # the observations table's columns, in the order COPY and INSERT name them, with their types
    "indicator_id": "int2",
    "region_id": "int4",
    "period_key": "int4",
    "value": "float8",
    "yoy": "float8",
    "note": "text",
    "known_from": "timestamptz",
    "known_to": "timestamptz",
    "import_id": "int4",
    "is_sample": "bool",
}
COLUMNS = list(_KIND)


def copy_observations(raw: Any, table: str, columns: dict[str, Any], progress: Progress | None) -> None:
    """COPY rows given as whole columns (arrays; None for an all-NULL column) into `table`.

    Rows without a note go in binary, sorted by key; the rare rows with one in text. Numbers that
    are NaN and NaT timestamps are NULL. `progress(done, total)` hears of each block COPY has taken.
    """
    names = [n for n in COLUMNS if n in columns]
    total = len(columns["indicator_id"])
    notes = columns.get("note")
    noted = np.zeros(total, dtype=bool) if notes is None else pd.Series(notes, dtype=object).notna().to_numpy()
    order = np.lexsort((columns["period_key"], columns["region_id"], columns["indicator_id"]))
    plain = order[~noted[order]]
    binary = [_binary_column(n, columns[n], plain) for n in names]
    done = 0

    def blocks() -> Iterable[bytes]:
        nonlocal done
        for block, rows in binary_blocks(binary, len(plain), WRITE_CHUNK):
            yield block
            done += rows
            if rows and progress:
                progress(done, total)

    _copy(raw, f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT binary)", blocks())
    if noted.any():
        _copy_rows(raw, f"COPY {table} ({', '.join(names)}) FROM STDIN", _python_rows(names, columns, noted))
        if progress:
            progress(total, total)


def _binary_column(name: str, values: Any, rows: np.ndarray) -> BinaryColumn:
    kind = _KIND[name]
    if values is None or name == "note":  # binary rows carry no note
        return BinaryColumn(kind, np.empty(0), np.ones(len(rows), dtype=bool))
    chosen = np.asarray(values)[rows]
    if kind == "timestamptz":
        null = np.isnat(chosen)
        return BinaryColumn(kind, timestamps(np.where(null, np.datetime64(0, "us"), chosen)), null)
    if kind == "float8":
        return BinaryColumn(kind, chosen, np.isnan(chosen))
    return BinaryColumn(kind, chosen)


def _python_rows(names: Sequence[str], columns: dict[str, Any], chosen: np.ndarray) -> Iterable[tuple[Any, ...]]:
    def cell(name: str, value: Any) -> Any:
        if value is None or (isinstance(value, float) and value != value):
            return None
        if _KIND[name] == "timestamptz":
            stamp = pd.Timestamp(value)
            return None if stamp is pd.NaT else stamp.tz_localize(UTC).to_pydatetime()
        return value.item() if isinstance(value, np.generic) else value

    empty = np.full(int(chosen.sum()), None, dtype=object)
    picked = {n: empty if columns[n] is None else np.asarray(columns[n], dtype=object)[chosen] for n in names}
    for i in range(len(empty)):
        yield tuple(cell(n, picked[n][i]) for n in names)


def _copy(raw: Any, statement: str, blocks: Iterable[bytes]) -> None:
    """COPY the blocks; the driver's refusal (a repeated key, a full disk) as SQLAlchemy's exception."""
    import psycopg  # only PostgreSQL writes come here

    try:
        # Not psycopg's QueuedLibpqWriter: its queue takes every block at once, so progress said
        # "all written" while the server still had most of them to take. A plain write returns when
        # the server has nearly caught up, so the progress lines follow the server, at no cost in
        # total time (bench/import_bench.py).
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for block in blocks:
                copy.write(block)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from None


def _copy_rows(raw: Any, statement: str, rows: Iterable[tuple[Any, ...]]) -> None:
    import psycopg

    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from None
