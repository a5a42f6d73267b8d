"""The catalogue and data summary that `monitor run` and `monitor status` print."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue
from monitor.services.bulletin import pace_table
from monitor.services.clock import Today
from monitor.services.pace import current_report_month, pace_report, pace_title
from monitor.storage.models import Import, Observation
from monitor.storage.observations import stored_period_ends


@dataclass(frozen=True)
class DataSummary:
    current_rows: int
    revisions: int
    sample_rows: int
    indicators: int
    regions: int
    first_end: str | None
    last_end: str | None
    imports: int


def data_summary(session: Session) -> DataSummary:
    t = Observation.__table__
    current = t.c.known_to.is_(None)
    row = session.execute(
        select(
            func.count().filter(current),
            func.count().filter(t.c.known_to.is_not(None)),
            func.count().filter(current & t.c.is_sample),
            func.count(func.distinct(t.c.indicator_id)),
            func.count(func.distinct(t.c.region_id)),
        )
    ).one()
    ends = stored_period_ends(session)
    imports = session.execute(select(func.count()).select_from(Import)).scalar_one()
    return DataSummary(
        int(row[0]),
        int(row[1]),
        int(row[2]),
        int(row[3]),
        int(row[4]),
        min(ends).isoformat()[:7] if ends else None,
        max(ends).isoformat()[:7] if ends else None,
        int(imports),
    )


def catalogue_lines(catalogue: Catalogue, source: str) -> list[str]:
    sets = "，".join(f"{s.name}（{s.code}）{len(s.indicator_codes)} 项" for s in catalogue.sets.values())
    years = sorted({t.year for t in catalogue.targets})
    by_year = "，".join(f"{y} 年 {sum(t.year == y for t in catalogue.targets)} 项" for y in years)
    return [
        f"指标目录：{source}",
        f"  {len(catalogue.indicators)} 项指标；{sets}",
        f"  {len(catalogue.departments)} 个责任单位，{len(catalogue.regions)} 个地区；年度目标：{by_year or '无'}",
    ]


def data_lines(summary: DataSummary) -> list[str]:
    if summary.current_rows == 0:
        return ["数据：数据库中还没有数据（运行 monitor demo 载入示例数据，或用 monitor import 导入部门报表）"]
    label = (
        "（全部为示例数据）"
        if summary.sample_rows == summary.current_rows
        else (f"（其中示例数据 {summary.sample_rows:,} 条）" if summary.sample_rows else "")
    )
    return [
        f"数据：{summary.current_rows:,} 条现行数据{label}，{summary.revisions:,} 条已被修订的旧值，"
        f"{summary.indicators} 项指标，{summary.regions} 个地区，{summary.first_end} 至 {summary.last_end}，"
        f"导入批次 {summary.imports} 个",
    ]


def pace_summary_table(session: Session, catalogue: Catalogue, today: Today, set_code: str = "ops30") -> str:
    """The 通报 pace table of a set for the default region at the current report month.

    What `monitor status` and `monitor run` print: status against the annual targets, without the
    forecast columns so that it stays fast (`monitor pace` shows those).
    """
    report = pace_report(
        session,
        catalogue,
        current_report_month(session, today.date),
        regions=[catalogue.meta.default_region],
        set_code=set_code,
        forecast=False,
    )
    return f"{pace_title(report, catalogue)}\n{pace_table(report, catalogue)}"
