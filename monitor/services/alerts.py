"""Alerts: read what the rules need, evaluate them (pure), and write the lifecycle's plan.

`evaluate_alerts` is called by `monitor alerts evaluate`, by the scheduler (daily and after each
import that landed) and before the weekly digest. Figures are the current ones; `as_of` sets the
calendar (report month, due dates, the revision window) and stamps the events. The Dash board
reads `list_alerts`, `alert_events` and calls `acknowledge_alert`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from monitor.domain.alerts import (
    REVISION_COLUMNS,
    SERIES_COLUMNS,
    WARNING_COLUMNS,
    AlertState,
    Signal,
    evaluate_rules,
    plan_transitions,
    transition,
)
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period, report_month_for
from monitor.domain.validation import figure_warnings
from monitor.errors import AlertError, InvalidTransition, UsageError
from monitor.services.forecasts import district_regions
from monitor.services.pace import pace_report
from monitor.services.project_alerts import combine_breaches, project_breaches_for, subject_name
from monitor.storage import alerts as store
from monitor.storage.alert_reads import current_of_imports, latest_period_ends, revisions_between
from monitor.storage.db import transaction
from monitor.storage.models import Import
from monitor.storage.observations import current_for_keys

__all__ = [
    "AlertError",
    "EvaluationResult",
    "acknowledge_alert",
    "alert_events",
    "alert_inputs",
    "evaluate_alerts",
    "list_alerts",
    "preview_alerts",
]

IMPORTS = cast(Table, Import.__table__)
STATUS_FILTERS = {
    "active": [AlertState.OPEN.value, AlertState.ACKNOWLEDGED.value],
    "open": [AlertState.OPEN.value],
    "acknowledged": [AlertState.ACKNOWLEDGED.value],
    "resolved": [AlertState.RESOLVED.value],
    "all": None,
}


@dataclass(frozen=True)
class EvaluationResult:
    """What one evaluation changed (opened, escalated, deescalated, resolved) and left alone."""

    as_of: datetime
    report_month: Period
    opened: int
    escalated: int
    deescalated: int
    resolved: int
    unchanged: int
    breaches: pd.DataFrame

    @property
    def changed(self) -> bool:
        return bool(self.opened or self.escalated or self.deescalated or self.resolved)

    def summary(self) -> str:
        return (
            f"新增 {self.opened}、升级 {self.escalated}、降级 {self.deescalated}、解除 {self.resolved}、"
            f"未变 {self.unchanged}"
        )


@dataclass(frozen=True)
class AlertInputs:
    """Everything the rules read, in one place (the digest reuses the pace frame and revisions)."""

    report_month: Period
    pace: pd.DataFrame
    series: pd.DataFrame
    warnings: pd.DataFrame
    revisions: pd.DataFrame
    projects: pd.DataFrame = field(default_factory=pd.DataFrame)  # 重点项目 and 督办 breaches


def _pace(
    session: Session, catalogue: Catalogue, report_month: Period, regions: Sequence[str], forecast: bool
) -> pd.DataFrame:
    """Pace for the report month; series without a figure for it yet fall back to the month before."""
    now = pace_report(session, catalogue, report_month, regions=regions, set_code="all", forecast=forecast).rows
    waiting = (now["status"] == "grey") & (now["status_reason"] == "no_data")
    if not waiting.any():
        return now
    before = pace_report(
        session, catalogue, report_month.shift(-1), regions=regions, set_code="all", forecast=forecast
    ).rows
    key = ["indicator", "region"]
    fallback = before.set_index(key).reindex(pd.MultiIndex.from_frame(now.loc[waiting, key])).reset_index()
    fallback = fallback[fallback["status"].notna()]
    keep = now[~waiting | ~now.set_index(key).index.isin(pd.MultiIndex.from_frame(fallback[key]))]
    return pd.concat([keep, fallback], ignore_index=True)


def _series(session: Session, regions: Sequence[str], local: date) -> pd.DataFrame:
    """The series reported this year or last and the end of their newest figure (for the missing rule)."""
    return latest_period_ends(session, regions, [local.year - 1, local.year])[SERIES_COLUMNS]


def _revisions(session: Session, regions: Sequence[str], since: datetime, until: datetime) -> pd.DataFrame:
    """Each revision known in (since, until]: the closed row joined with the row that replaced it."""
    return revisions_between(session, regions, since, until)[REVISION_COLUMNS]


def _warnings(session: Session, catalogue: Catalogue, regions: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Import warnings that still apply: recomputed for the current figures of imports that recorded warnings.

    Stored warnings name a spreadsheet row, not the figure; recomputing them (pure, cheap) over the
    figures those imports wrote gives indicator, region and period, and drops figures revised since.
    """
    imports = session.execute(
        select(IMPORTS.c.id, IMPORTS.c.file_name, IMPORTS.c.warnings).where(IMPORTS.c.status == "accepted")
    ).all()
    flagged = {i: (name, {w.get("code") for w in warns}) for i, name, warns in imports if warns}
    if not flagged:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    figures = current_of_imports(session, list(flagged), list(catalogue.indicators), regions, years)
    if figures.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    figures["row"] = figures.index
    series_years = sorted({int(y) for y in figures["year"]} | {int(y) - 1 for y in figures["year"]})
    known = current_for_keys(session, figures, years=series_years, versions=False)
    issues = figure_warnings(figures.drop(columns=["import_id"]), known, catalogue)
    if issues.empty:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    hit = figures.loc[issues["row"].astype(int).to_numpy()].reset_index(drop=True)
    hit["code"], hit["message"] = issues["code"].to_numpy(), issues["message"].to_numpy()
    hit["file_name"] = [flagged[int(i)][0] for i in hit["import_id"]]
    recorded = [code in flagged[int(i)][1] for code, i in zip(hit["code"], hit["import_id"], strict=True)]
    return hit[recorded][WARNING_COLUMNS].reset_index(drop=True)


def alert_inputs(
    session: Session,
    catalogue: Catalogue,
    as_of: datetime,
    *,
    regions: Sequence[str] | None = None,
    forecast: bool = True,
) -> AlertInputs:
    """Read everything the rules need for the district and its streets (or `regions`)."""
    places = list(regions) if regions is not None else district_regions(catalogue)
    local = as_of.astimezone(ZoneInfo(catalogue.meta.timezone)).date()
    report_month = report_month_for(local)
    window = max(catalogue.alerts.revision_window_days, 7)
    return AlertInputs(
        report_month=report_month,
        pace=_pace(session, catalogue, report_month, places, forecast),
        series=_series(session, places, local),
        warnings=_warnings(session, catalogue, places, [local.year - 1, local.year]),
        revisions=_revisions(session, places, as_of - timedelta(days=window), as_of),
        projects=project_breaches_for(session, catalogue, report_month, local),
    )


def _breaches(inputs: AlertInputs, catalogue: Catalogue, as_of: datetime, regions: Sequence[str]) -> pd.DataFrame:
    rules = evaluate_rules(
        inputs.pace,
        inputs.series,
        inputs.warnings,
        inputs.revisions,
        catalogue,
        regions=regions,
        as_of=pd.Timestamp(as_of.astimezone(ZoneInfo(catalogue.meta.timezone))),
        revision_window_days=catalogue.alerts.revision_window_days,
    )
    return combine_breaches(
        rules, inputs.projects[inputs.projects["region"].isin(regions)] if len(inputs.projects) else inputs.projects
    )


def _require_aware(as_of: datetime) -> None:
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")


def evaluate_alerts(
    engine: Engine,
    catalogue: Catalogue,
    as_of: datetime,
    *,
    regions: Sequence[str] | None = None,
    forecast: bool = True,
    inputs: AlertInputs | None = None,
) -> EvaluationResult:
    """Run every rule at `as_of` and move the alerts through their lifecycle.

    Evaluating twice with the same data changes nothing. `inputs` lets the digest reuse what it read.
    """
    _require_aware(as_of)
    places = list(regions) if regions is not None else district_regions(catalogue)
    if inputs is None:
        with transaction(engine) as session:
            inputs = alert_inputs(session, catalogue, as_of, regions=places, forecast=forecast)
    breaches = _breaches(inputs, catalogue, as_of, places)
    with transaction(engine) as session:
        store.lock_alerts(session)
        active = store.read_alerts(session, states=STATUS_FILTERS["active"])
        active = active[active["region"].isin(places)]
        plan = plan_transitions(active, breaches)
        store.apply_plan(session, plan, as_of)
    return EvaluationResult(
        as_of=as_of,
        report_month=inputs.report_month,
        opened=len(plan.opens),
        escalated=plan.escalated,
        deescalated=plan.deescalated,
        resolved=len(plan.resolves),
        unchanged=plan.unchanged + plan.refreshed,
        breaches=breaches,
    )


def preview_alerts(
    session: Session, catalogue: Catalogue, inputs: AlertInputs, as_of: datetime, regions: Sequence[str] | None = None
) -> pd.DataFrame:
    """The active alerts an evaluation at `as_of` would leave, without writing (dry-run digests).

    Stored alerts keep their id, state and acknowledgement; new ones have id NaN and state open.
    """
    places = list(regions) if regions is not None else district_regions(catalogue)
    breaches = _breaches(inputs, catalogue, as_of, places)
    active = store.read_alerts(session, states=STATUS_FILTERS["active"])
    active = active[active["region"].isin(places)]
    plan = plan_transitions(active, breaches)
    kept = active[~active["id"].isin(plan.resolves)].set_index("id")
    if not plan.updates.empty:
        changes = plan.updates.set_index("id").drop(columns=["event"])
        kept.update(changes)
        kept.loc[changes.index, "departments"] = changes["departments"]
    new = plan.opens.assign(state=AlertState.OPEN.value, opened_at=as_of)
    return pd.concat([kept.reset_index(), new], ignore_index=True)


def _named(frame: pd.DataFrame, indicators: dict[str, str], regions: dict[str, str]) -> pd.DataFrame:
    out = frame.copy()
    names = [subject_name(c, m, indicators) for c, m in zip(out["indicator"], out["message"], strict=True)]
    out.insert(int(out.columns.get_loc("indicator")) + 1, "indicator_name", names)
    out.insert(int(out.columns.get_loc("region")) + 1, "region_name", [regions.get(c, c) for c in out["region"]])
    return out


def list_alerts(
    session: Session,
    *,
    status: str = "active",
    department: str | None = None,
    indicator: str | None = None,
    region: str | None = None,
    catalogue: Catalogue | None = None,
) -> pd.DataFrame:
    """Alerts as a frame: "active" (open + acknowledged), open, acknowledged, resolved or all.

    Columns ALERT_COLUMNS plus indicator_name and region_name (names from the catalogue when
    given, else from the database), red before yellow before info, newest first within each.
    """
    if status not in STATUS_FILTERS:
        raise UsageError(f"未知的预警状态“{status}”，可选：{'、'.join(STATUS_FILTERS)}")
    frame = store.read_alerts(session, states=STATUS_FILTERS[status])
    if department:
        frame = frame[[department in (d or []) for d in frame["departments"]]]
    if indicator:
        frame = frame[frame["indicator"] == indicator]
    if region:
        frame = frame[frame["region"] == region]
    if catalogue is None:
        indicator_names, region_names = store.names(session)
    else:
        indicator_names = {c: i.name for c, i in catalogue.indicators.items()}
        region_names = {c: r.name for c, r in catalogue.regions.items()}
    order = frame["severity"].map({"red": 0, "yellow": 1, "info": 2}).fillna(3)
    frame = frame.assign(_order=order).sort_values(["_order", "id"], ascending=[True, False], kind="stable")
    return _named(frame.drop(columns="_order").reset_index(drop=True), indicator_names, region_names)


def acknowledge_alert(engine: Engine, alert_id: int, by: str, note: str, now: datetime) -> None:
    """Record a department's 说明 on an active alert; AlertError (Chinese) for a bad id, name, note or state."""
    _require_aware(now)
    if not by or not by.strip():
        raise AlertError("请填写说明人姓名（--by）")
    if not note or not note.strip():
        raise AlertError("请填写说明内容（--note），例如原因和整改措施")
    with transaction(engine) as session:
        store.lock_alerts(session)
        found = store.read_alerts(session, ids=[int(alert_id)])
        if found.empty:
            raise AlertError(f"没有编号为 {alert_id} 的预警（monitor alerts list --status all 可查看全部）")
        state = found.iloc[0]["state"]
        try:
            new_state, _ = transition(AlertState(state), Signal.ACKNOWLEDGE)
        except InvalidTransition:
            raise AlertError(f"预警 {alert_id} 已解除，无需说明；如问题再次出现会生成新的预警") from None
        store.acknowledge(session, int(alert_id), new_state.value, by.strip(), note.strip(), now)


def alert_events(session: Session, alert_id: int) -> pd.DataFrame:
    """The history of one alert: at, kind, state, severity, by, note, message, oldest first."""
    return store.read_events(session, int(alert_id))


def alert_counts(frame: pd.DataFrame) -> dict[str, Any]:
    """Counts of a list_alerts frame by rule and severity (for summaries and the report)."""
    if frame.empty:
        return {}
    return {f"{r}/{s}": int(n) for (r, s), n in frame.groupby(["rule", "severity"]).size().items()}


def alerts_of(
    engine: Engine, catalogue: Catalogue, *, status: str = "active", department: str | None = None
) -> pd.DataFrame:
    """`list_alerts` in its own transaction (the board's alert grid)."""
    with transaction(engine) as session:
        return list_alerts(session, status=status, department=department, catalogue=catalogue)


def alert_history(
    engine: Engine, catalogue: Catalogue, indicator: str, region: str, limit: int
) -> tuple[pd.DataFrame, dict[int, pd.DataFrame]]:
    """The newest `limit` alerts an indicator and region had, and each one's events (the detail page)."""
    with transaction(engine) as session:
        frame = list_alerts(session, status="all", indicator=indicator, region=region, catalogue=catalogue)
        frame = frame.sort_values("id", ascending=False).head(limit)
        events = {int(i): alert_events(session, int(i)) for i in frame["id"]}
    return frame, events
