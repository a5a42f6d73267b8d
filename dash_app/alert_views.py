"""Alerts as the board shows them, read through `monitor.services.alerts` (no second copy of its logic)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from dash_app.board_state import board
from monitor.domain.alerts import EVENT_ZH, RULE_ZH, SEVERITY_ZH, STATE_ZH
from monitor.domain.periods import parse_period
from monitor.formatting import period_label
from monitor.services import alerts as service

__all__ = ["alert_history", "alert_rows"]

HISTORY_LIMIT = 20


def _time(value: Any, tz: str) -> str:
    """A stored time (aware, or naive UTC as SQLite returns it) in the catalogue's time zone."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return str(stamp.tz_convert(tz).strftime("%Y-%m-%d %H:%M"))


def alert_rows(alerts: pd.DataFrame) -> list[dict[str, Any]]:
    """Alerts as grid rows in Chinese (times in the catalogue's time zone)."""
    cat = board().catalogue
    tz = cat.meta.timezone
    out = []
    for row in alerts.to_dict("records"):
        region = row.get("region_name") or row["region"]
        indicator = cat.indicators.get(row["indicator"])
        period = row.get("period")
        label = period
        if indicator is not None and period:
            try:
                label = period_label(parse_period(period), indicator)
            except ValueError:
                label = period
        departments = row.get("departments") or []
        if isinstance(departments, str):
            departments = [d for d in departments.replace("、", ",").split(",") if d]
        out.append(
            {
                "id": int(row["id"]),
                "severity": row["severity"],
                "级别": SEVERITY_ZH.get(row["severity"], row["severity"]),
                "状态": STATE_ZH.get(row["state"], row["state"]),
                "规则": RULE_ZH.get(row["rule"], row["rule"]),
                "指标": row.get("indicator_name") or (indicator.name if indicator else row["indicator"]),
                "地区": region,
                "期别": label or "",
                "说明": row["message"],
                "责任单位": "、".join(cat.departments[d].name if d in cat.departments else d for d in departments),
                "发生时间": _time(row.get("opened_at"), tz),
                "确认人": row.get("acknowledged_by") or "",
                "确认时间": _time(row.get("acknowledged_at"), tz),
                "确认说明": row.get("note") or "",
                "解除时间": _time(row.get("resolved_at"), tz),
            }
        )
    return out


def alert_history(code: str, region: str) -> Any:
    """Every alert an indicator and region had, newest first, each with its events (the detail page)."""
    b = board()
    frame, events = service.alert_history(b.engine, b.catalogue, code, region, HISTORY_LIMIT)
    if frame.empty:
        return html.P("该指标在此地区没有预警记录。", className="muted")
    tz = b.catalogue.meta.timezone
    out: list[Any] = []
    for row in alert_rows(frame):
        lines = [
            f"{_time(e['at'], tz)} {EVENT_ZH.get(e['kind'], e['kind'])}"
            + (f"（{e['by']}：{e['note']}）" if e.get("by") else "")
            for e in events[row["id"]].to_dict("records")
        ]
        out.append(
            html.Li(
                [
                    html.Strong(f"#{row['id']} {row['级别']} · {row['规则']} · {row['状态']}"),
                    f" {row['期别']}：{row['说明']}",
                    html.Div("；".join(lines), className="muted") if lines else None,
                ]
            )
        )
    return html.Ul(out, className="alert-history")
