"""What commands print: results on stdout (clean for JSON/CSV), progress and context on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from monitor.exports import csv_text, write_xlsx

__all__ = ["emit", "emit_csv", "emit_xlsx", "note", "say"]


def say(text: str = "") -> None:
    print(text, flush=True)


def note(text: str) -> None:
    """Progress and context go to stderr so that stdout stays clean for JSON/CSV."""
    print(text, file=sys.stderr, flush=True)


def emit(text: str, out: str | None) -> int:
    """Print a document, or write it to `--out` and say where."""
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
        say(f"已写出 {out}")
    else:
        say(text)
    return 0


def emit_csv(frame: pd.DataFrame, out: str | None) -> int:
    """A table as CSV (UTF-8 with BOM, formula-safe) to `--out` or stdout."""
    text = csv_text(frame)
    if out:
        Path(out).write_text(text, encoding="utf-8-sig", newline="")  # BOM: Excel opens it correctly
        say(f"已写出 {len(frame)} 行到 {out}")
    else:
        sys.stdout.write("\ufeff" + text)
    return 0


def emit_xlsx(frame: pd.DataFrame, out: Path, sheet: str, widths: tuple[float, ...] = ()) -> int:
    """A table as a workbook (string cells, never formulas) and say where."""
    write_xlsx({sheet: frame}, out, widths={sheet: widths})
    say(f"已写出 {len(frame)} 行到 {out}")
    return 0
