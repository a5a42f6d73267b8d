"""The indicator catalogue: a typed model of `indicators.toml` (`parse` reads and validates it).

Pure: no file, clock or database access.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from monitor.domain.periods import Frequency


class Measure(StrEnum):
    CUMULATIVE = "cumulative"
    STOCK = "stock"
    RATE = "rate"
    INDEX = "index"
    PRICE = "price"


class Direction(StrEnum):
    """Which way is good: up (越大越好), down (越小越好), or neutral (适度: a price index read against a ceiling)."""

    UP = "up"
    DOWN = "down"
    NEUTRAL = "neutral"


class GrowthBasis(StrEnum):
    CURRENT = "current"
    CONSTANT = "constant"


class RegionKind(StrEnum):
    DISTRICT = "district"
    STREET = "street"
    PEER = "peer"


class TargetKind(StrEnum):
    LEVEL_MIN = "level_min"
    LEVEL_MAX = "level_max"
    GROWTH_MIN = "growth_min"
    GROWTH_ABOUT = "growth_about"
    GROWTH_MAX = "growth_max"
    GROWTH_ABOVE = "growth_above"

    @property
    def is_level(self) -> bool:
        return self in (TargetKind.LEVEL_MIN, TargetKind.LEVEL_MAX)


LEVEL_MEASURES = frozenset({Measure.CUMULATIVE, Measure.STOCK})
"""Measures that publish a level a level target can be compared with."""


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    role: str = ""
    email: str = ""
    external: bool = False
    """A unit outside the district's line of command (国家统计局调查队, 邮政管理局, 供电公司): it may supply
    figures (`Indicator.source`) but never answers for a result (`Indicator.departments`)."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    kind: RegionKind
    parent: str | None = None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    frequency: Frequency
    measure: Measure
    direction: Direction
    departments: tuple[str, ...]
    growth_basis: GrowthBasis
    lag_months: int
    first_month: int
    due_day: int
    note: str = ""
    source: str = ""
    """The unit that supplies the figure (数据来源), a department code; defaults to the lead department."""
    regions: tuple[RegionKind, ...] = (RegionKind.DISTRICT, RegionKind.STREET, RegionKind.PEER)
    """The region levels that report the indicator (街道 GDP is no official statistic: ("district", "peer"))."""

    @property
    def lead_department(self) -> str:
        return self.departments[0]

    @property
    def supplier(self) -> str:
        """The department code that supplies the figure: `source`, else the lead department."""
        return self.source or self.departments[0]

    @property
    def senders(self) -> tuple[str, ...]:
        """The departments that may send its figures: those answering for it and the one supplying it."""
        return tuple(dict.fromkeys([*self.departments, self.supplier]))

    def reported_by(self, kind: RegionKind) -> bool:
        return kind in self.regions


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class IndicatorSet:
    code: str
    name: str
    categories: tuple[Category, ...]

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        return tuple(code for cat in self.categories for code in cat.indicators)

    def category_of(self, indicator: str) -> Category | None:
        return next((c for c in self.categories if indicator in c.indicators), None)


@dataclass(frozen=True)
class Target:
    year: int
    region: str
    indicator: str
    kind: TargetKind
    value: float | None = None
    tolerance: float | None = None
    reference: str | None = None
    source: str = ""


@dataclass(frozen=True)
class StatusThresholds:
    level_yellow_pp: float = 5.0
    growth_yellow_pp: float = 1.0


@dataclass(frozen=True)
class ProjectThresholds:
    """`[projects]`: a project is yellow when it is behind its 序时 by less than `yellow_pp` 百分点, red beyond;
    a problem of the 项目服务清单 without its own 办结时限 is due `problem_days` days after it was raised."""

    yellow_pp: float = 5.0
    problem_days: int = 15


@dataclass(frozen=True)
class AlertSettings:
    forecast_miss_probability: float = 0.3
    missing_red_after_days: int = 7
    revision_threshold_pct: float = 1.0
    revision_window_days: int = 30


@dataclass(frozen=True)
class Schedule:
    """When the scheduler runs its jobs (times of day in the catalogue's time zone, "HH:MM" or "HH:MM:SS")."""

    inbox_scan_minutes: float = 10.0
    alerts_daily_at: str = "08:00"
    digest_weekday: str = "mon"
    digest_at: str = "09:00"
    catchup_minutes: float = 15.0
    briefing_day: int = 20
    briefing_at: str = "10:00"


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Notify:
    group: tuple[str, ...] = ()
    board_url: str = ""  # unset: the address the board is served on (Settings.board_link)
    send_empty_department_digest: bool = False


@dataclass(frozen=True)
class Meta:
    title: str = "经济运行监测"
    default_region: str = "gusu"
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Catalogue:
    meta: Meta
    status: StatusThresholds
    alerts: AlertSettings
    notify: Notify
    departments: Mapping[str, Department]
    regions: Mapping[str, Region]
    indicators: Mapping[str, Indicator]
    sets: Mapping[str, IndicatorSet]
    targets: tuple[Target, ...] = field(default=())
    schedule: Schedule = field(default=Schedule())
    projects: ProjectThresholds = field(default=ProjectThresholds())

    def target_for(self, year: int, region: str, indicator: str) -> Target | None:
        return next((t for t in self.targets if (t.year, t.region, t.indicator) == (year, region, indicator)), None)

    def reports(self, indicator: str, region: str) -> bool:
        """Whether `region` reports `indicator` at all (its kind is among the indicator's `regions`)."""
        ind, reg = self.indicators.get(indicator), self.regions.get(region)
        return ind is not None and reg is not None and ind.reported_by(reg.kind)

    def indicators_of_department(self, department: str, lead_only: bool = False) -> list[Indicator]:
        return [
            ind
            for ind in self.indicators.values()
            if (ind.lead_department == department if lead_only else department in ind.departments)
        ]

    def indicators_supplied_by(self, department: str) -> list[Indicator]:
        """The indicators whose figures `department` supplies (数据来源): what its 报送表 holds."""
        return [ind for ind in self.indicators.values() if ind.supplier == department]

    def set_indicators(self, set_code: str) -> list[Indicator]:
        """Indicators of a set in display order; `all` means the whole catalogue."""
        if set_code == "all":
            return list(self.indicators.values())
        return [self.indicators[c] for c in self.sets[set_code].indicator_codes]


@dataclass(frozen=True)
class CatalogueProblem:
    """One thing wrong in the catalogue: where (`key`, e.g. `indicators[3] fai.unit`) and why."""

    key: str
    message: str
    code: str = "invalid"


def target_record(t: Target) -> dict[str, Any]:
    """A target as plain data (JSON output and the database row share this shape)."""
    return {
        "year": t.year,
        "region": t.region,
        "indicator": t.indicator,
        "kind": t.kind.value,
        "value": t.value,
        "tolerance": t.tolerance,
        "reference": t.reference,
        "source": t.source,
    }


def catalogue_to_dict(catalogue: Catalogue) -> dict[str, Any]:
    """The catalogue as plain JSON-ready data (what `monitor catalog show --format json` prints)."""
    return {
        "meta": vars(catalogue.meta) | {},
        "status": vars(catalogue.status) | {},
        "alerts": vars(catalogue.alerts) | {},
        "notify": {
            "group": list(catalogue.notify.group),
            "board_url": catalogue.notify.board_url,
            "send_empty_department_digest": catalogue.notify.send_empty_department_digest,
        },
        "schedule": vars(catalogue.schedule) | {},
        "projects": vars(catalogue.projects) | {},
        "sets": [
            {
                "code": s.code,
                "name": s.name,
                "categories": [
                    {"code": c.code, "name": c.name, "indicators": list(c.indicators)} for c in s.categories
                ],
            }
            for s in catalogue.sets.values()
        ],
        "indicators": [
            {
                "code": i.code,
                "name": i.name,
                "unit": i.unit,
                "frequency": i.frequency.value,
                "measure": i.measure.value,
                "direction": i.direction.value,
                "departments": list(i.departments),
                "growth_basis": i.growth_basis.value,
                "lag_months": i.lag_months,
                "first_month": i.first_month,
                "due_day": i.due_day,
                "note": i.note,
                "source": i.supplier,
                "regions": [k.value for k in i.regions],
            }
            for i in catalogue.indicators.values()
        ],
        "departments": [vars(d) | {} for d in catalogue.departments.values()],
        "regions": [
            {"code": r.code, "name": r.name, "kind": r.kind.value, "parent": r.parent}
            for r in catalogue.regions.values()
        ],
        "targets": [target_record(t) for t in catalogue.targets],
    }
