"""CSV files: decode, find the header among the first rows, read the rest in one pandas pass.

The header search reads only the first rows with the csv module; the data rows are read by
pandas' C parser as text (no type guessing: validation interprets cells). Rows with more
fields than the header fall back to the csv module, which accepts ragged rows.
"""

from __future__ import annotations

import csv
import io
import itertools

import pandas as pd

from monitor.domain.validation import RawTable
from monitor.errors import ReadError
from monitor.readers.encoding import check_text
from monitor.readers.layout import HEADER_SCAN, HeaderMatch, build_table, find_header

__all__ = ["read_csv_table"]

_DELIMITERS = (",", "\t", ";")
HEAD_BYTES = 1 << 20


def _head(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), HEADER_SCAN))
    except csv.Error as exc:
        raise ReadError("unreadable_file", f"CSV 格式有误（{exc}）：请用 Excel 打开并重新保存为 CSV") from None


def _find(text: str) -> tuple[HeaderMatch, str]:
    first_error: ReadError | None = None
    for delimiter in _DELIMITERS:
        try:
            return find_header(_head(text, delimiter)), delimiter
        except ReadError as exc:
            if exc.code != "missing_column":
                raise
            first_error = first_error or exc
    raise first_error or ReadError("missing_column", "找不到表头")


def _fallback(text: str, delimiter: str, match: HeaderMatch) -> pd.DataFrame:
    """Ragged rows: the csv module, padding short rows and ignoring cells right of the header."""
    try:
        records = list(itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), match.index + 1, None))
    except csv.Error as exc:
        raise ReadError("unreadable_file", f"CSV 格式有误（{exc}）：请用 Excel 打开并重新保存为 CSV") from None
    columns = match.columns
    return pd.DataFrame(
        {c: [r[c] if c < len(r) else "" for r in records] for c in columns}, columns=columns, dtype=object
    )


def read_csv_table(data: bytes) -> RawTable:
    """The RawTable of a CSV file; ReadError when it is not a readable table."""
    encoding = check_text(data)
    head = data[:HEAD_BYTES].decode(encoding, errors="ignore")  # the header is near the top
    if not head.strip():
        raise ReadError("empty_file", "文件是空的：请填写数据后再发送")
    match, delimiter = _find(head)
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            encoding=encoding,
            sep=delimiter,
            header=None,
            names=list(range(match.width)),
            usecols=match.columns,
            skiprows=match.index + 1,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        frame = _fallback(data.decode(encoding), delimiter, match)
    return build_table(match, frame, first_row=match.index + 2)
