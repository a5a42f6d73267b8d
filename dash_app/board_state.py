"""What the board reads, cached per (what was asked, data key): few queries per page, none per indicator.

`create_app` installs one `Board` (engine, catalogue, settings, shared cache). Every page asks this
module: a page load costs one small query for the data and alert versions, then at most one query
per thing shown (the pace report of a set and region, one indicator's figures, the import log),
and none at all once another request of any worker process computed it. Values are cached in the
board's shared cache (dash_app.page_cache) under the snapshot's data key (data version, alert
version, catalogue, date), so an import or an alert change is visible on the next page load and
nothing older is ever served.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd
from sqlalchemy import Engine

from dash_app.page_cache import SharedCache
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period, month, parse_period, report_month_for
from monitor.domain.ranking import RankingScope, ranking_regions
from monitor.services import board_reads
from monitor.services.clock import Today
from monitor.services.pace import PaceReport
from monitor.settings import Settings

__all__ = [
    "Board",
    "Snapshot",
    "board",
    "figure_history",
    "import_log",
    "indicator_figures",
    "install",
    "pick",
    "ranking_report",
    "report",
    "report_months",
    "selection",
    "snapshot",
    "warm_up",
]

T = TypeVar("T")
HISTORY_YEARS = 4  # the detail page: this year, last year and the prior years of the seasonal share


@dataclass
class Board:
    """The board's database, catalogue and the cache shared by all requests of all its worker processes.

    `catalogue_key` names the catalogue's content (part of every data key: two boards on one
    database with different catalogues never share a page).
    """

    settings: Settings
    engine: Engine
    catalogue: Catalogue
    cache: SharedCache
    catalogue_key: str = ""
    schema_ok: bool = False

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        return self.cache.cached(key, compute)

    def before_fork(self) -> None:
        """Drop this process's database and cache connections: a forked worker opens its own."""
        self.engine.dispose(close=False)
        self.cache.close()


_BOARD: Board | None = None


def install(value: Board) -> None:
    global _BOARD
    _BOARD = value


def board() -> Board:
    if _BOARD is None:
        raise RuntimeError("the board is not set up: call dash_app.app.create_app(settings) first")
    return _BOARD


@dataclass(frozen=True)
class Snapshot:
    """What every page needs first: the data key (of the cache) and today (sample or real)."""

    version: int
    today: Today
    has_sample: bool = False
    newest_month: Period | None = None  # the report month with the newest figures, when before last month
    alert_version: int = 0
    catalogue_key: str = ""

    @property
    def key(self) -> tuple[int, int, str, str]:
        """What every cached page depends on besides its arguments: figures, alerts, catalogue and today."""
        return (self.version, self.alert_version, self.catalogue_key, self.today.date.isoformat())

    @property
    def report_month(self) -> Period:
        """The month pages open at: last month, or the newest month with figures (services.pace)."""
        return self.newest_month or report_month_for(self.today.date)


def snapshot() -> Snapshot:
    """The data and alert versions (one query); today and whether sample data is shown, cached per
    data version and date."""
    b = board()
    if not b.schema_ok:
        board_reads.check_schema(b.engine)
        b.schema_ok = True
    tz = b.catalogue.meta.timezone
    version, alerts = board_reads.current_versions(b.engine)
    key = ("snapshot", version, alerts, b.catalogue_key, board_reads.local_date(tz))

    def compute() -> Snapshot:
        facts = board_reads.board_facts(b.engine, tz)
        return Snapshot(version, facts.today, facts.has_sample, facts.newest_month, alerts, b.catalogue_key)

    return b.cached(key, compute)


def report_months(snap: Snapshot, years: int = 2) -> list[Period]:
    """Report months offered in the selectors: last month first, back to January of the year before
    the month pages open at (so older data stay reachable when nothing newer has come in)."""
    latest = report_month_for(snap.today.date)
    first = month(snap.report_month.year - years + 1, 1)
    out, p = [], latest
    while not p < first:
        out.append(p)
        p = p.shift(-1)
    return out


def pick(value: str | None, allowed: Collection[str], default: str) -> str:
    """`value` when it is one of `allowed` (a selector or the address bar), else `default`."""
    return value if value is not None and value in allowed else default


def readable_month(text: str | None) -> Period | None:
    """The month a selector or the address bar names, or None when it names none (absent, 2021-13, 2021Q2)."""
    if text:
        try:
            period = parse_period(text)
        except ValueError:
            return None
        if period.frequency.value == "monthly":
            return period
    return None


def parse_month(text: str | None, snap: Snapshot) -> Period:
    """A report month from a selector or the address bar; the latest report month when absent or unreadable
    (the page then says so: components.period_notice)."""
    return readable_month(text) or snap.report_month


def selection(
    period: str | None, set_code: str | None, region: str | None, snap: Snapshot | None = None
) -> tuple[Snapshot, Period, str, str]:
    """What a report page shows: the snapshot, and the report month, set and region asked for in the
    address bar or a selector, or the defaults (the month pages open at, the first set, the district)."""
    cat, snap = board().catalogue, snap or snapshot()
    return (
        snap,
        parse_month(period, snap),
        pick(set_code, cat.sets, next(iter(cat.sets))),
        pick(region, cat.regions, cat.meta.default_region),
    )


def report(snap: Snapshot, period: Period, set_code: str, region: str) -> PaceReport:
    """The pace report (with stored forecasts) of a set for one region, cached per data version."""
    b = board()

    def compute() -> PaceReport:
        return board_reads.pace_for_board(b.engine, b.catalogue, period, [region], set_code)

    return b.cached(("report", str(period), set_code, region, snap.key), compute)


def ranking_report(snap: Snapshot, period: Period, group: str) -> PaceReport:
    """Growth of every indicator for the district and its streets or peers: one query, no forecasts."""
    b = board()
    ranked, reference = ranking_regions(b.catalogue, RankingScope(group))
    regions = list(dict.fromkeys([reference, *ranked]))

    def compute() -> PaceReport:
        return board_reads.pace_for_board(b.engine, b.catalogue, period, regions, "all", forecast=False)

    return b.cached(("ranking", str(period), group, snap.key), compute)


def indicator_figures(snap: Snapshot, code: str, region: str, year: int) -> pd.DataFrame:
    """Current figures of one indicator and region for `year` and the HISTORY_YEARS before it."""
    b = board()

    def compute() -> pd.DataFrame:
        return board_reads.indicator_figures(b.engine, code, region, list(range(year - HISTORY_YEARS, year + 1)))

    return b.cached(("figures", code, region, year, snap.key), compute)


def figure_history(snap: Snapshot, code: str, region: str, year: int) -> pd.DataFrame:
    """Every version of the figures of `year` and the year before, with the file each came from."""
    b = board()

    def compute() -> pd.DataFrame:
        return board_reads.figure_history(b.engine, code, region, [year - 1, year])

    return b.cached(("history", code, region, year, snap.key), compute)


def import_log(snap: Snapshot, limit: int = 50) -> pd.DataFrame:
    """The newest imports (one query, never cached: a rejected file changes no data version but shows here)."""
    return board_reads.import_log(board().engine, limit)


def warm_up() -> None:
    """Before serving: fit the year-end forecasts of the latest report month where data changed, and
    compute the cockpit's default report, so that no page load fits a model."""
    from monitor.services.forecasts import refresh_forecasts

    b, snap = board(), snapshot()
    if snap.version == 0:
        return
    refresh_forecasts(b.engine, b.catalogue, snap.report_month)
    report(snap, snap.report_month, next(iter(b.catalogue.sets)), b.catalogue.meta.default_region)
