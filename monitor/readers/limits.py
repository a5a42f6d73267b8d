"""How much one file may ask of the importer, checked before the expensive parsing starts.

A department's monthly file is a few hundred rows; the defaults are far above that and far below
what would let one file starve the server (a zip that inflates to gigabytes, a million-row sheet).
Each is a setting (MONITOR_IMPORT_*, see monitor/settings.py); `exceeded` messages name the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from monitor.errors import ReadError

__all__ = ["MIB", "Deadline", "ReadLimits"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 50 * MIB
    """The file as sent (an .xlsx compressed)."""
    max_uncompressed_bytes: int = 200 * MIB
    """An .xlsx's sheet plus its shared strings once inflated (a district's workbook is well under 10 MB)."""
    max_rows: int = 200_000
    """Data rows of one file (a monthly file of every street and indicator is a few thousand)."""
    max_columns: int = 500
    """Columns of one sheet (the widest layout, one column per month for ten years, is 120)."""
    max_line_chars: int = 100_000
    """Characters in one CSV line."""
    max_seconds: float = 120.0
    """Wall-clock time for reading and checking one file (checked between stages and while reading)."""

    def too_many_rows(self, rows: int) -> ReadError:
        return ReadError(
            "too_large",
            f"文件有 {rows:,} 行以上，超过每个文件 {self.max_rows:,} 行的上限：请按月份或指标拆分成几个文件后分别发送",
        )

    def too_many_columns(self, columns: int) -> ReadError:
        return ReadError(
            "too_large",
            f"工作表有 {columns:,} 列，超过 {self.max_columns:,} 列的上限："
            "请只保留指标、地区、期别、数值等列后重新发送",
        )


@dataclass
class Deadline:
    """The wall-clock bound on one file: `check()` raises once `seconds` have passed since it was made."""

    seconds: float
    started: float = field(default_factory=time.monotonic)

    def check(self) -> None:
        if time.monotonic() - self.started > self.seconds:
            raise ReadError(
                "too_large",
                f"读取和校验这个文件超过了 {self.seconds:g} 秒的上限，已停止：请拆分成几个较小的文件后分别发送",
            )
