"""Readers: a department's file (CSV or XLSX bytes) -> `RawTable` of text cells under canonical fields.

    read_table(data, limits) -> RawTable   raises ReadError(code, message) for a file that is no table
                                           or that passes the limits (ReadLimits, settings MONITOR_IMPORT_*)

The format is decided from the bytes (a zip is a workbook), never from the file name.
"""

from __future__ import annotations

from monitor.domain.validation import RawTable
from monitor.errors import ReadError
from monitor.readers.csv_file import read_csv_table
from monitor.readers.limits import Deadline, ReadLimits
from monitor.readers.xlsx_file import read_xlsx_table

__all__ = ["Deadline", "ReadError", "ReadLimits", "read_table"]

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_table(data: bytes, limits: ReadLimits | None = None, deadline: Deadline | None = None) -> RawTable:
    """The table in a file's bytes: XLSX when they are a zip, old-style .xls refused, otherwise CSV text."""
    if not data:
        raise ReadError("empty_file", "文件是空的（0 字节）：请填写数据后再发送")
    if data.startswith(_ZIP):
        return read_xlsx_table(data, limits, deadline)
    if data.startswith(_OLE):
        raise ReadError(
            "unreadable_file",
            "这是旧版 Excel（.xls）或其他 Office 文件："
            "请在 Excel 中“另存为” Excel 工作簿（.xlsx）或 CSV UTF-8 后重新发送",
        )
    return read_csv_table(data, limits)
