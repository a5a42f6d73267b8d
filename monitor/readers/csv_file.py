"""CSV files: decode, find the header among the first rows, read the rest in one pandas pass.

The header search reads only the first rows with the csv module; the data rows are read by
pandas' C parser as text (no type guessing: validation interprets cells). Rows with more
fields than the header fall back to the csv module, which accepts ragged rows.
"""

from __future__ import annotations

import csv
import io
import itertools

import numpy as np
import pandas as pd

from monitor.domain.validation import RawTable
from monitor.errors import ReadError
from monitor.readers.encoding import check_text
from monitor.readers.layout import HEADER_SCAN, HeaderMatch, build_table, find_header
from monitor.readers.limits import ReadLimits

__all__ = ["check_size", "read_csv_table"]

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


def _lines_are_short(data: bytes, limit: int) -> bool:
    """True when every aligned block of limit // 2 bytes holds a line break: then no line is `limit` long.

    (A line of 2 * block - 1 bytes or more covers a whole aligned block.) A few hundred `find` calls that
    stop at the first break, instead of locating every break of the file.
    """
    block = limit // 2
    if block < 1:
        return False
    return all(data.find(b"\n", start, start + block) >= 0 for start in range(0, len(data) - block + 1, block))


def check_size(data: bytes, limits: ReadLimits) -> None:
    """Rows and line length, counted on the bytes before anything is decoded or parsed."""
    lines = data.count(b"\n")
    if lines > limits.max_rows + HEADER_SCAN:
        raise limits.too_many_rows(limits.max_rows)
    if len(data) <= limits.max_line_chars or _lines_are_short(data, limits.max_line_chars):
        return
    breaks = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10)
    edges = np.concatenate([[-1], breaks, [len(data)]])
    longest = int(np.diff(edges).max()) - 1
    if longest > limits.max_line_chars:  # bytes >= characters: a GB18030 line may be refused a little early
        line = int(np.argmax(np.diff(edges))) + 1
        raise ReadError(
            "too_large",
            f"第 {line} 行有 {longest:,} 个字节，超过每行 {limits.max_line_chars:,} 个字符的上限"
            "（可能缺少换行或引号不成对）：请用 Excel 打开并重新保存为 CSV",
        )


def _check_quotes(data: bytes, encoding: str) -> None:
    """An odd number of quotes: one field opens a quote that never closes and swallows the rest of the file."""
    if data.count(b'"') % 2 == 0:
        return
    reader = csv.reader(io.StringIO(data.decode(encoding, errors="replace")))
    start, last = 1, []
    while True:
        begin = reader.line_num + 1
        try:
            record = next(reader)
        except (StopIteration, csv.Error):
            break
        start, last = begin, record  # the last record read is the one that may have swallowed the rest
    if reader.line_num - start < 1 or not any("\n" in cell for cell in last):
        return  # a stray quote inside a field (read as text), not an unclosed one
    raise ReadError(
        "unreadable_file",
        f'第 {start} 行有一个没有结束的英文引号（"），它之后的内容都被当成了同一个单元格：'
        "请删去多余的引号或补上结束的引号，或用 Excel 打开后重新保存为 CSV",
    )


def read_csv_table(data: bytes, limits: ReadLimits | None = None) -> RawTable:
    """The RawTable of a CSV file; ReadError when it is not a readable table or passes the limits."""
    limits = limits or ReadLimits()
    check_size(data, limits)
    encoding = check_text(data)
    _check_quotes(data, encoding)
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
    if len(frame) > limits.max_rows:
        raise limits.too_many_rows(limits.max_rows)
    return build_table(match, frame, first_row=match.index + 2)
