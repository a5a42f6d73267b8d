"""The alert lifecycle as a pure state table. Storage writes what `plan_transitions` decides.

    (none)        --fires-->        open          event opened
    open|ack      --worse-->        open          event escalated (an acknowledged alert is re-notified)
    open|ack      --better-->       (same state)  event deescalated
    open|ack      --same-->         (same state)  no event (message text may be refreshed: days overdue)
    open|ack      --clears-->       resolved      event resolved
    open|ack      --acknowledge-->  acknowledged  event acknowledged (who, when, note)
    resolved      is final: the same problem firing again opens a new alert; history is kept.

Evaluating twice with the same breaches yields no event and no change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from monitor.domain.alerts.rules import BREACH_COLUMNS, SEVERITY_RANK
from monitor.errors import InvalidTransition

ALERT_COLUMNS = [
    "id",
    *BREACH_COLUMNS[:3],  # fingerprint, rule, severity
    "state",
    *BREACH_COLUMNS[3:],  # indicator, region, year, period, message, departments, days_overdue
    "opened_at",
    "updated_at",
    "acknowledged_by",
    "acknowledged_at",
    "note",
    "resolved_at",
]
"""A stored alert: the breach that opened it, its state and its lifecycle times."""

__all__ = [
    "ALERT_COLUMNS",
    "AlertState",
    "EventKind",
    "InvalidTransition",
    "Signal",
    "TransitionPlan",
    "plan_transitions",
    "transition",
]


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class Signal(StrEnum):
    FIRES = "fires"
    WORSE = "worse"
    BETTER = "better"
    SAME = "same"
    CLEARS = "clears"
    ACKNOWLEDGE = "acknowledge"


class EventKind(StrEnum):
    OPENED = "opened"
    ESCALATED = "escalated"
    DEESCALATED = "deescalated"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


EVENT_ZH = {
    EventKind.OPENED.value: "新增",
    EventKind.ESCALATED.value: "升级",
    EventKind.DEESCALATED.value: "降级",
    EventKind.ACKNOWLEDGED.value: "已说明",
    EventKind.RESOLVED.value: "已解除",
}
STATE_ZH = {
    AlertState.OPEN.value: "待处理",
    AlertState.ACKNOWLEDGED.value: "已说明",
    AlertState.RESOLVED.value: "已解除",
}

_OPEN, _ACK, _RES = AlertState.OPEN, AlertState.ACKNOWLEDGED, AlertState.RESOLVED
TABLE: dict[tuple[AlertState | None, Signal], tuple[AlertState, EventKind | None]] = {
    (None, Signal.FIRES): (_OPEN, EventKind.OPENED),
    (_OPEN, Signal.SAME): (_OPEN, None),
    (_ACK, Signal.SAME): (_ACK, None),
    (_OPEN, Signal.WORSE): (_OPEN, EventKind.ESCALATED),
    (_ACK, Signal.WORSE): (_OPEN, EventKind.ESCALATED),
    (_OPEN, Signal.BETTER): (_OPEN, EventKind.DEESCALATED),
    (_ACK, Signal.BETTER): (_ACK, EventKind.DEESCALATED),
    (_OPEN, Signal.CLEARS): (_RES, EventKind.RESOLVED),
    (_ACK, Signal.CLEARS): (_RES, EventKind.RESOLVED),
    (_OPEN, Signal.ACKNOWLEDGE): (_ACK, EventKind.ACKNOWLEDGED),
    (_ACK, Signal.ACKNOWLEDGE): (_ACK, EventKind.ACKNOWLEDGED),
}


def transition(state: AlertState | None, signal: Signal) -> tuple[AlertState, EventKind | None]:
    """The next state and the event to record; InvalidTransition when the table has no such move."""
    try:
        return TABLE[(AlertState(state) if state is not None else None, Signal(signal))]
    except KeyError:
        raise InvalidTransition(f"{state} cannot take {signal}") from None


UPDATED_FIELDS = ["rule", "severity", "period", "message", "departments", "days_overdue"]


@dataclass(frozen=True)
class TransitionPlan:
    """What an evaluation changes.

    opens:   breach rows to insert as new open alerts (BREACH_COLUMNS)
    updates: existing alerts (`id`, `state` and UPDATED_FIELDS) whose row changes, with `event`
             (an EventKind value, or None for a silent refresh of the text)
    resolves: ids of alerts whose condition cleared
    """

    opens: pd.DataFrame
    updates: pd.DataFrame
    resolves: list[int]
    unchanged: int

    @property
    def escalated(self) -> int:
        return int((self.updates["event"] == EventKind.ESCALATED.value).sum())

    @property
    def deescalated(self) -> int:
        return int((self.updates["event"] == EventKind.DEESCALATED.value).sum())

    @property
    def refreshed(self) -> int:
        return int(self.updates["event"].isna().sum())

    @property
    def is_empty(self) -> bool:
        return self.opens.empty and self.updates.empty and not self.resolves


def _same(a: pd.Series, b: pd.Series) -> np.ndarray:
    both_missing = (a.isna() & b.isna()).to_numpy()
    equal = np.array([x == y for x, y in zip(a, b, strict=True)], dtype=bool)
    return np.asarray(equal | both_missing)


def plan_transitions(active: pd.DataFrame, breaches: pd.DataFrame) -> TransitionPlan:
    """Compare the active alerts (id, fingerprint, state and UPDATED_FIELDS) with the breaches found now."""
    breaches = breaches[BREACH_COLUMNS]
    merged = active.merge(breaches, on="fingerprint", how="outer", suffixes=("_old", ""), indicator=True)
    opens = merged[merged["_merge"] == "right_only"][BREACH_COLUMNS].reset_index(drop=True)
    resolves = [int(i) for i in merged.loc[merged["_merge"] == "left_only", "id"]]
    both = merged[merged["_merge"] == "both"].reset_index(drop=True)
    old_rank = both["severity_old"].map(SEVERITY_RANK)
    new_rank = both["severity"].map(SEVERITY_RANK)
    signals = np.where(
        new_rank > old_rank, Signal.WORSE.value, np.where(new_rank < old_rank, Signal.BETTER.value, "same")
    )
    moves = [transition(AlertState(s), Signal(g)) for s, g in zip(both["state"], signals, strict=True)]
    both["new_state"] = [m[0].value for m in moves]
    both["event"] = [m[1].value if m[1] is not None else None for m in moves]
    changed = both["event"].notna().to_numpy().copy()
    for column in UPDATED_FIELDS:
        changed |= ~_same(both[f"{column}_old"], both[column])
    updates = both[changed].copy()
    updates["state"] = updates["new_state"]
    updates = updates[["id", "state", *UPDATED_FIELDS, "event"]].reset_index(drop=True)
    updates["id"] = updates["id"].astype(int)
    return TransitionPlan(opens, updates, resolves, int((~changed).sum()))
