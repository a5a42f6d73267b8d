"""What commands print: results on stdout (clean for JSON/CSV), progress and context on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["emit", "note", "say"]


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
