"""The one exception readers raise: a file that cannot be read as a table, with a stable code."""

from __future__ import annotations


class ReadError(ValueError):
    """The file cannot be turned into a table; `code` is an issue code, str(e) a Chinese message with the fix."""

    def __init__(self, code: str, message: str, column: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.column = column
