"""PostgreSQL's binary COPY format built with numpy: no per-value Python, no text parsing on the server.

A row of fixed-width fields is one numpy record (big-endian, each field preceded by its length);
a NULL field has length -1 and no bytes, so rows are grouped by which fields are NULL and each
group is one record layout. COPY does not keep row order, and the tables written here have no
order. Variable-width text (notes) is not written this way: callers send rows with a note in
COPY's text format (`storage.pg_write`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["HEADER", "TRAILER", "BinaryColumn", "binary_blocks", "timestamps"]

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
_TYPES = {"int2": ">i2", "int4": ">i4", "int8": ">i8", "float8": ">f8", "bool": "u1", "timestamptz": ">i8"}
_PG_EPOCH = np.datetime64("2000-01-01T00:00:00", "us")


@dataclass(frozen=True)
class BinaryColumn:
    """One column: its PostgreSQL type (a key of _TYPES), values, and where they are NULL (or None)."""

    kind: str
    values: np.ndarray
    null: np.ndarray | None = None


def timestamps(values: np.ndarray) -> np.ndarray:
    """datetime64 (UTC) as PostgreSQL's microseconds since 2000-01-01; NaT stays NaT-like (mask it)."""
    micros = values.astype("datetime64[us]")
    return (micros - _PG_EPOCH).astype(np.int64)


def binary_blocks(columns: Sequence[BinaryColumn], rows: int, step: int) -> Iterator[tuple[bytes, int]]:
    """The rows as COPY binary data in blocks of about `step` rows, header first and trailer last;
    each block comes with how many rows it holds."""
    masks = [np.zeros(rows, dtype=bool) if c.null is None else np.asarray(c.null, dtype=bool) for c in columns]
    pattern = np.zeros(rows, dtype=np.int64)
    for bit, mask in enumerate(masks):
        pattern |= mask.astype(np.int64) << bit
    yield HEADER, 0
    for value in pd.unique(pattern):
        chosen = np.flatnonzero(pattern == value)
        nulls = [bool(value >> bit & 1) for bit in range(len(columns))]
        layout = _layout(columns, nulls)
        for start in range(0, len(chosen), step):
            part = chosen[start : start + step]
            record = np.empty(len(part), dtype=layout)
            record["n"] = len(columns)
            for i, (column, null) in enumerate(zip(columns, nulls, strict=True)):
                record[f"l{i}"] = -1 if null else np.dtype(_TYPES[column.kind]).itemsize
                if not null:
                    record[f"v{i}"] = column.values[part]
            yield record.tobytes(), len(part)
    yield TRAILER, 0


def _layout(columns: Sequence[BinaryColumn], nulls: list[bool]) -> np.dtype:
    fields: list[tuple[str, str]] = [("n", ">i2")]
    for i, (column, null) in enumerate(zip(columns, nulls, strict=True)):
        fields.append((f"l{i}", ">i4"))
        if not null:
            if column.kind not in _TYPES:
                raise ValueError(f"a {column.kind} column can only be NULL in binary COPY here")
            fields.append((f"v{i}", _TYPES[column.kind]))
    return np.dtype(fields)
