"""The alerts, alert_events and digest_sends tables: reads as frames, writes of a transition plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, bindparam, insert, select, text, update
from sqlalchemy.orm import Session

from monitor.domain.alerts import ALERT_COLUMNS, AlertState, EventKind, TransitionPlan
from monitor.domain.run_states import SendState
from monitor.storage.meta import bump_alert_version
from monitor.storage.models import Alert, AlertEvent, DigestSend, Indicator, Region

__all__ = [
    "ALERT_COLUMNS",
    "EVENT_COLUMNS",
    "SEND_COLUMNS",
    "apply_plan",
    "claim_send",
    "finish_send",
    "lock_alerts",
    "names",
    "read_alerts",
    "read_events",
    "read_sends",
]

ALERTS = cast(Table, Alert.__table__)
EVENTS = cast(Table, AlertEvent.__table__)
SENDS = cast(Table, DigestSend.__table__)
_LOCK_KEY = 7_202_106  # the advisory lock serialising alert evaluations on PostgreSQL

EVENT_COLUMNS = ["id", "alert_id", "at", "kind", "state", "severity", "by", "note", "message"]
SEND_COLUMNS = [
    "id",
    "week",
    "recipient",
    "addresses",
    "subject",
    "state",
    "attempts",
    "started_at",
    "finished_at",
    "error",
]


def lock_alerts(session: Session) -> None:
    """Serialise writers of alerts: a transaction-level advisory lock on PostgreSQL; on SQLite a no-op
    write takes the database's write lock now, before the reads the plan is based on."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    else:
        session.execute(update(ALERTS).where(ALERTS.c.id < 0).values(state=ALERTS.c.state))


def read_alerts(
    session: Session,
    *,
    states: list[str] | None = None,
    ids: list[int] | None = None,
) -> pd.DataFrame:
    """Alert rows (ALERT_COLUMNS), newest first; `states` filters by state."""
    stmt = select(*(ALERTS.c[c] for c in ALERT_COLUMNS)).order_by(ALERTS.c.id.desc())
    if states is not None:
        stmt = stmt.where(ALERTS.c.state.in_(states))
    if ids is not None:
        stmt = stmt.where(ALERTS.c.id.in_(ids))
    frame = pd.DataFrame(session.execute(stmt).all(), columns=ALERT_COLUMNS)
    frame["days_overdue"] = frame["days_overdue"].astype(float)
    return frame


def _event(
    alert_id: int, at: datetime, kind: str, state: str, severity: str, message: str, **kw: Any
) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "at": at,
        "kind": kind,
        "state": state,
        "severity": severity,
        "message": message,
        "by": kw.get("by"),
        "note": kw.get("note"),
    }


def _days(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def apply_plan(session: Session, plan: TransitionPlan, now: datetime) -> None:
    """Write a transition plan: insert new alerts, update changed ones, resolve cleared ones, with events."""
    events: list[dict[str, Any]] = []
    rows_changed = not plan.opens.empty or not plan.updates.empty or bool(plan.resolves)
    if not plan.opens.empty:
        rows = [
            {
                "fingerprint": row["fingerprint"],
                "rule": row["rule"],
                "severity": row["severity"],
                "state": AlertState.OPEN.value,
                "indicator": row["indicator"],
                "region": row["region"],
                "year": int(row["year"]),
                "period": row["period"],
                "message": row["message"],
                "departments": list(row["departments"]),
                "days_overdue": _days(row["days_overdue"]),
                "opened_at": now,
                "updated_at": now,
            }
            for row in plan.opens.to_dict("records")
        ]
        stmt = insert(ALERTS).returning(ALERTS.c.id, sort_by_parameter_order=True)
        ids = session.execute(stmt, rows).scalars().all()  # one multi-row statement per batch, ids in order
        for new_id, row in zip(ids, rows, strict=True):
            events.append(_event(new_id, now, EventKind.OPENED.value, "open", row["severity"], row["message"]))
    if not plan.updates.empty:
        changes = [
            {
                "alert_id": int(row["id"]),
                "new_state": row["state"],
                "new_rule": row["rule"],
                "new_severity": row["severity"],
                "new_period": row["period"],
                "new_message": row["message"],
                "new_departments": list(row["departments"]),
                "new_days": _days(row["days_overdue"]),
            }
            for row in plan.updates.to_dict("records")
        ]
        session.connection().execute(
            update(ALERTS)
            .where(ALERTS.c.id == bindparam("alert_id"))
            .values(
                state=bindparam("new_state"),
                rule=bindparam("new_rule"),
                severity=bindparam("new_severity"),
                period=bindparam("new_period"),
                message=bindparam("new_message"),
                departments=bindparam("new_departments", type_=ALERTS.c.departments.type),
                days_overdue=bindparam("new_days"),
                updated_at=now,
            ),
            changes,
        )
        for row in plan.updates.to_dict("records"):
            if row["event"] is not None and not pd.isna(row["event"]):
                events.append(_event(int(row["id"]), now, row["event"], row["state"], row["severity"], row["message"]))
    if plan.resolves:
        resolved = session.execute(
            select(ALERTS.c.id, ALERTS.c.severity, ALERTS.c.message).where(ALERTS.c.id.in_(plan.resolves))
        ).all()
        session.execute(
            update(ALERTS)
            .where(ALERTS.c.id.in_(plan.resolves))
            .values(state=AlertState.RESOLVED.value, resolved_at=now, updated_at=now)
        )
        for alert_id, severity, message in resolved:
            events.append(
                _event(alert_id, now, EventKind.RESOLVED.value, "resolved", severity, f"条件已解除：{message}")
            )
    if events:
        session.execute(insert(EVENTS), events)
    if rows_changed:
        bump_alert_version(session)


def acknowledge(session: Session, alert_id: int, state: str, by: str, note: str, now: datetime) -> None:
    """Record an acknowledgement (the caller checked the transition)."""
    row = session.execute(select(ALERTS.c.severity, ALERTS.c.message).where(ALERTS.c.id == alert_id)).one()
    session.execute(
        update(ALERTS)
        .where(ALERTS.c.id == alert_id)
        .values(state=state, acknowledged_by=by, acknowledged_at=now, note=note, updated_at=now)
    )
    session.execute(
        insert(EVENTS),
        [_event(alert_id, now, EventKind.ACKNOWLEDGED.value, state, row.severity, row.message, by=by, note=note)],
    )
    bump_alert_version(session)


def read_events(session: Session, alert_id: int | None = None) -> pd.DataFrame:
    """Events (EVENT_COLUMNS) in the order they happened."""
    stmt = select(*(EVENTS.c[c] for c in EVENT_COLUMNS)).order_by(EVENTS.c.id)
    if alert_id is not None:
        stmt = stmt.where(EVENTS.c.alert_id == alert_id)
    return pd.DataFrame(session.execute(stmt).all(), columns=EVENT_COLUMNS)


def read_sends(session: Session, week: str | None = None) -> pd.DataFrame:
    """The digest ledger (SEND_COLUMNS), for one ISO week or all."""
    stmt = select(*(SENDS.c[c] for c in SEND_COLUMNS)).order_by(SENDS.c.id)
    if week is not None:
        stmt = stmt.where(SENDS.c.week == week)
    return pd.DataFrame(session.execute(stmt).all(), columns=SEND_COLUMNS)


def claim_send(
    session: Session, week: str, recipient: str, addresses: list[str], subject: str, now: datetime, force: bool
) -> bool:
    """Mark (week, recipient) as being sent, unless it was sent already (and not `force`); True when claimed."""
    row = session.execute(
        select(SENDS.c.id, SENDS.c.state).where(SENDS.c.week == week, SENDS.c.recipient == recipient).with_for_update()
    ).first()
    if row is None:
        session.execute(
            insert(SENDS).values(
                week=week,
                recipient=recipient,
                addresses=addresses,
                subject=subject,
                state=SendState.SENDING,
                attempts=1,
                started_at=now,
            )
        )
        return True
    if row.state == SendState.SENT and not force:
        return False
    session.execute(
        update(SENDS)
        .where(SENDS.c.id == row.id)
        .values(
            state=SendState.SENDING,
            attempts=SENDS.c.attempts + 1,
            started_at=now,
            finished_at=None,
            error=None,
            addresses=addresses,
            subject=subject,
        )
    )
    return True


def finish_send(session: Session, week: str, recipient: str, now: datetime, error: str | None) -> None:
    """Record the outcome of one send: sent, or failed with the error."""
    session.execute(
        update(SENDS)
        .where(SENDS.c.week == week, SENDS.c.recipient == recipient)
        .values(state=SendState.FAILED if error else SendState.SENT, finished_at=now, error=error)
    )


def names(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """Indicator and region names as synced from the catalogue (for readers without a catalogue)."""
    indicators = dict(session.execute(select(Indicator.code, Indicator.name)).tuples().all())
    regions = dict(session.execute(select(Region.code, Region.name)).tuples().all())
    return indicators, regions
