"""The briefing as plain data: what the .docx, PDF and HTML writers lay out, and what it is built from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from monitor.domain.periods import Period

__all__ = ["Block", "Briefing", "BriefingInputs", "Chart", "Heading", "Paragraph", "Section", "Table"]


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of body text; `indicator` names the indicator a sentence is about."""

    text: str
    indicator: str | None = None


@dataclass(frozen=True)
class Heading:
    """A sub-heading inside a section: （一）总体经济."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table with its title; every cell already formatted as text."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    note: str = ""


Block = Paragraph | Heading | Table


@dataclass(frozen=True)
class Section:
    """一、总体情况 and the blocks under it."""

    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Chart:
    """A bar chart: one bar group per label, one series per (name, values); `reference` draws a line per label."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = "%"


@dataclass(frozen=True)
class Briefing:
    """A whole 简报: 红头 header, sections 一 to 五, annex tables, charts and the 报送/抄送 footer."""

    title: str
    issue_line: str
    office: str
    date_text: str
    sample_note: str
    sections: tuple[Section, ...]
    annexes: tuple[Table, ...]
    charts: tuple[Chart, ...]
    footer: tuple[str, ...]

    def paragraphs(self) -> list[str]:
        """Every body paragraph in order (tests, the HTML and plain-text views)."""
        return [b.text for s in self.sections for b in s.blocks if isinstance(b, Paragraph)]


@dataclass(frozen=True)
class BriefingInputs:
    """What a briefing is built from: pace rows (the `monitor pace` frame) and plain data, nothing read here.

    pace      the region's rows of the ops30 set for the report month (PACE_COLUMNS)
    previous  the same for the month before (same year; empty in January): 提高/回落, 收窄/扩大
    gdp34     the region's rows of the gdp34 set
    peers     ops30 rows of the district and its peer districts (位次, 附表2)
    streets   ops30 rows of the district and its streets (附表3)
    notes     indicator code -> the newest acknowledgement note (说明) of its pace alert
    last_year the region's ops30 rows of the same month a year earlier (两年平均), may be empty
    """

    region: str
    report_month: Period
    issue_no: int
    issued_on: date
    sample: bool
    pace: pd.DataFrame
    previous: pd.DataFrame
    gdp34: pd.DataFrame
    peers: pd.DataFrame
    streets: pd.DataFrame
    notes: Mapping[str, str] = field(default_factory=dict)
    last_year: pd.DataFrame = field(default_factory=pd.DataFrame)
