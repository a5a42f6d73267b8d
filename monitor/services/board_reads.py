"""What the board reads, each in its own short transaction: the board imports no storage code.

The board (dash_app) caches these results per data version; this module only opens the database,
asks storage and the pace service, and returns frames and small values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period, report_month_for
from monitor.errors import DatabaseError
from monitor.services.clock import Today, effective_today, local_now
from monitor.services.pace import PaceReport, current_report_month, pace_report
from monitor.storage.alerts import read_alerts
from monitor.storage.db import make_engine, schema_is_current, transaction
from monitor.storage.imports import list_imports
from monitor.storage.meta import data_version, has_current_sample_figures, versions
from monitor.storage.observations import read_figures, read_observations

__all__ = [
    "BoardFacts",
    "alert_subject",
    "board_facts",
    "check_schema",
    "current_data_version",
    "current_versions",
    "figure_history",
    "import_log",
    "indicator_figures",
    "local_date",
    "open_database",
    "pace_for_board",
]


@dataclass(frozen=True)
class BoardFacts:
    """Today (sample or real), whether sample figures are shown, and the month pages open at when
    it is not last month (the newest month with figures)."""

    today: Today
    has_sample: bool
    newest_month: Period | None


def open_database(url: str) -> Engine:
    return make_engine(url)


def check_schema(engine: Engine) -> None:
    """DatabaseError (Chinese) when the database is not migrated to the current schema."""
    if not schema_is_current(engine):
        raise DatabaseError("数据库尚未初始化或版本过旧：请先运行 monitor init")


def current_data_version(engine: Engine) -> int:
    with transaction(engine) as session:
        return data_version(session)


def current_versions(engine: Engine) -> tuple[int, int]:
    """The data version (imports, forecasts) and the alert version (any alert change), in one query."""
    with transaction(engine) as session:
        return versions(session)


def local_date(timezone: str) -> date:
    """The real date in the catalogue's time zone (the board's cache key for today)."""
    return local_now(timezone).date()


def board_facts(engine: Engine, timezone: str) -> BoardFacts:
    with transaction(engine) as session:
        today = effective_today(session, timezone)
        shown = current_report_month(session, today.date)
        newest = shown if shown != report_month_for(today.date) else None
        return BoardFacts(today, today.is_sample or has_current_sample_figures(session), newest)


def pace_for_board(
    engine: Engine,
    catalogue: Catalogue,
    period: Period,
    regions: list[str],
    set_code: str,
    *,
    forecast: bool = True,
) -> PaceReport:
    """The pace report of a set for some regions, with stored forecasts only (a page load never fits)."""
    with transaction(engine) as session:
        if not forecast:
            return pace_report(session, catalogue, period, regions=regions, set_code=set_code, forecast=False)
        return pace_report(session, catalogue, period, regions=regions, set_code=set_code, fit_missing=False)


def indicator_figures(engine: Engine, code: str, region: str, years: list[int]) -> pd.DataFrame:
    """Current figures of one indicator and region for `years`."""
    with transaction(engine) as session:
        return read_figures(session, indicators=[code], regions=[region], years=years)


def figure_history(engine: Engine, code: str, region: str, years: list[int]) -> pd.DataFrame:
    """Every version of the figures of `years`, newest first, with the file each came from."""
    with transaction(engine) as session:
        rows = read_observations(session, indicators=[code], regions=[region], years=years, history=True)
        files = list_imports(session)[["id", "file_name", "channel"]]
    files = files.rename(columns={"id": "import_id", "file_name": "import_file", "channel": "import_channel"})
    rows = rows.astype({"import_id": "Int64"}).merge(files.astype({"import_id": "Int64"}), on="import_id", how="left")
    return rows.sort_values(["period_end", "known_from"], ascending=[False, False]).reset_index(drop=True)


def import_log(engine: Engine, limit: int = 50) -> pd.DataFrame:
    with transaction(engine) as session:
        return list_imports(session, limit=limit)


def alert_subject(engine: Engine, alert_id: int) -> tuple[str, tuple[str, ...]] | None:
    """An alert's subject (an indicator code, or project:/task: …) and the departments that answer for it,
    as stored (the server's own answer, never the browser's row); None when there is no such alert."""
    with transaction(engine) as session:
        found = read_alerts(session, ids=[int(alert_id)])
    if found.empty:
        return None
    row = found.iloc[0]
    return str(row["indicator"]), tuple(row["departments"] or ())
