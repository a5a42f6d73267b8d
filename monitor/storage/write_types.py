"""What a write of figures is: the plan, its counts, the progress callback and the step size."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

__all__ = ["INSERT_COLUMNS", "WRITE_CHUNK", "Progress", "WriteCounts", "WritePlan", "write_steps"]

Progress = Callable[[int, int], None]

INSERT_COLUMNS = [
    "indicator",
    "region",
    "period",
    "year",
    "period_end",
    "value",
    "yoy",
    "note",
    "known_from",
    "known_to",
]
WRITE_CHUNK = 50_000  # rows per bulk write step; progress is reported after each


@dataclass(frozen=True)
class WriteCounts:
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(
            self.inserted + other.inserted, self.revised + other.revised, self.unchanged + other.unchanged
        )


@dataclass(frozen=True)
class WritePlan:
    """What a batch would change: current versions to close (indicator, region, period, known_to),
    rows to insert (INSERT_COLUMNS), and the counts."""

    closes: pd.DataFrame
    rows: pd.DataFrame
    counts: WriteCounts


def write_steps(total: int, progress: Progress | None) -> Iterable[tuple[int, int]]:
    for start in range(0, total, WRITE_CHUNK):
        yield start, min(start + WRITE_CHUNK, total)
        if progress:
            progress(min(start + WRITE_CHUNK, total), total)
