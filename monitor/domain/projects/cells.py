"""Reading one project file's cells: money in 亿元, dates, closed vocabularies; each problem an Issue. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.projects.fields import FIELD_ZH
from monitor.domain.projects.table import ProjectTable
from monitor.domain.units import factor
from monitor.domain.validation import ISSUE_COLUMNS, IssueSeverity, label, parse_numbers

__all__ = ["Cells", "parse_day"]

_DAY = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(\d{1,2})\s*日?|月?)$")
BLANKS = frozenset({"", "—", "-", "/", "无", "——"})


def parse_day(text: str) -> date | None:
    """2021-03-15, 2021/3/15, 2021.3.15, 2021年3月15日; a month alone (2021年3月, 2021-03) means its last day.

    None for a blank cell; ValueError for anything else.
    """
    clean = label(text)
    if clean in BLANKS:
        return None
    found = _DAY.match(clean)
    if not found:
        raise ValueError(clean)
    year, month = int(found.group(1)), int(found.group(2))
    if found.group(3):
        return date(year, month, int(found.group(3)))
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


@dataclass
class Cells:
    """The cells of a ProjectTable with an issue list: each reader method records the problems of its column."""

    table: ProjectTable
    issues: list[dict[str, Any]] = field(default_factory=list)

    @property
    def rows(self) -> np.ndarray:
        rows: np.ndarray = self.table.frame["row"].to_numpy()
        return rows

    def header(self, name: str) -> str:
        return self.table.headers.get(name, FIELD_ZH.get(name, name))

    def text(self, name: str) -> list[str]:
        if name not in self.table.frame:
            return [""] * len(self.table.frame)
        return [label(v) for v in self.table.frame[name]]

    def add(self, row: int | None, name: str, value: str, code: str, message: str) -> None:
        self.issues.append(
            {
                "row": row,
                "column": self.header(name) if name else "",
                "value": value,
                "code": code,
                "message": message,
                "severity": IssueSeverity.ERROR.value,
            }
        )

    def money(self, name: str, *, required: bool) -> np.ndarray:
        """The column in 亿元 (NaN where blank or bad); negative and unparseable cells are errors."""
        n = len(self.table.frame)
        if name not in self.table.frame:
            return np.full(n, np.nan)
        raw = self.table.frame[name].astype(str)
        numbers = parse_numbers(raw)
        unit = self.table.units.get(name)
        values = numbers.values * (factor(unit, "亿元") if unit else 1.0)
        for i in np.flatnonzero(numbers.bad):
            self.add(
                int(self.rows[i]), name, raw.iloc[i], "bad_number", f"“{raw.iloc[i]}”{numbers.reasons[i]}：请填写数字"
            )
        for i in np.flatnonzero(values < 0):
            self.add(int(self.rows[i]), name, raw.iloc[i], "negative_not_allowed", f"{self.header(name)}不能为负数")
        if required:
            for i in np.flatnonzero(numbers.blank):
                self.add(int(self.rows[i]), name, "", "missing_value", f"{self.header(name)}未填写：请填写金额")
        if unit is None and (~numbers.blank & ~numbers.bad).any() and not getattr(self, f"_warned_{name}", False):
            setattr(self, f"_warned_{name}", True)
            self.add(
                None,
                name,
                "",
                "unit_mismatch",
                f"“{self.header(name)}”没有写明单位：请在表头写明（如“{self.header(name)}（万元）”）"
                "或在表头上方加一行“单位：万元”",
            )
        return values

    def days(self, name: str) -> list[date | None]:
        out: list[date | None] = []
        for row, text in zip(self.rows, self.text(name), strict=True):
            try:
                out.append(parse_day(text))
            except ValueError:
                self.add(int(row), name, text, "bad_date", f"“{text}”不是日期：请写作 2021-03-15 或 2021年3月15日")
                out.append(None)
        return out

    def choice(self, name: str, options: tuple[str, ...], suffix: str = "") -> list[str]:
        """Cells that must be one of `options` (the option followed by `suffix`, e.g. 区级, is accepted too)."""
        out = []
        for row, text in zip(self.rows, self.text(name), strict=True):
            value = text[: -len(suffix)] if suffix and text.endswith(suffix) else text
            if value not in options:
                self.add(
                    int(row),
                    name,
                    text,
                    "bad_choice",
                    f"“{text}”不是有效的{self.header(name)}：应为 {'、'.join(options)} 之一",
                )
            out.append(value)
        return out

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.issues, columns=ISSUE_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        return out.sort_values("row", kind="stable", na_position="first").reset_index(drop=True)
