"""The lifecycle state table and the evaluation plan, as specifications (pure, no database)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from monitor.domain.alerts import BREACH_COLUMNS, AlertState, EventKind, Signal, plan_transitions, transition
from monitor.errors import InvalidTransition


@pytest.mark.parametrize(
    ("state", "signal", "expected"),
    [
        pytest.param(None, Signal.FIRES, (AlertState.OPEN, EventKind.OPENED), id="new-problem-opens"),
        pytest.param(AlertState.OPEN, Signal.SAME, (AlertState.OPEN, None), id="same-data-no-event"),
        pytest.param(AlertState.ACKNOWLEDGED, Signal.SAME, (AlertState.ACKNOWLEDGED, None), id="acked-stays-quiet"),
        pytest.param(
            AlertState.ACKNOWLEDGED, Signal.WORSE, (AlertState.OPEN, EventKind.ESCALATED), id="escalation-renotifies"
        ),
        pytest.param(
            AlertState.ACKNOWLEDGED,
            Signal.BETTER,
            (AlertState.ACKNOWLEDGED, EventKind.DEESCALATED),
            id="better-stays-acked",
        ),
        pytest.param(AlertState.OPEN, Signal.CLEARS, (AlertState.RESOLVED, EventKind.RESOLVED), id="clears-resolves"),
        pytest.param(AlertState.OPEN, Signal.ACKNOWLEDGE, (AlertState.ACKNOWLEDGED, EventKind.ACKNOWLEDGED), id="ack"),
    ],
)
def test_transition_table(state: AlertState | None, signal: Signal, expected: tuple) -> None:
    assert transition(state, signal) == expected


def test_a_resolved_alert_cannot_be_acknowledged() -> None:
    with pytest.raises(InvalidTransition):
        transition(AlertState.RESOLVED, Signal.ACKNOWLEDGE)


def _breach(fp: str, severity: str, message: str = "m") -> dict:
    _, indicator, region, year = fp.split(":")
    return {
        "fingerprint": fp,
        "rule": "missing_report",
        "severity": severity,
        "indicator": indicator,
        "region": region,
        "year": int(year),
        "period": "2021-06",
        "message": message,
        "departments": ["stats"],
        "days_overdue": np.nan,
    }


def _active(rows: list[tuple[int, dict, str]]) -> pd.DataFrame:
    return pd.DataFrame([{**b, "id": i, "state": s} for i, b, s in rows])


def test_plan_opens_escalates_resolves_and_leaves_the_rest() -> None:
    a, b, c = "missing_report:x:gusu:2021", "missing_report:y:gusu:2021", "missing_report:z:gusu:2021"
    active = _active([(1, _breach(a, "yellow"), "acknowledged"), (2, _breach(b, "yellow"), "open")])
    breaches = pd.DataFrame([_breach(a, "red"), _breach(c, "yellow")])[BREACH_COLUMNS]
    plan = plan_transitions(active, breaches)
    assert list(plan.opens["fingerprint"]) == [c]
    assert plan.resolves == [2]
    update = plan.updates.iloc[0]
    assert (update["id"], update["state"], update["severity"], update["event"]) == (1, "open", "red", "escalated")


def test_plan_of_the_same_breaches_twice_is_empty() -> None:
    a = "missing_report:x:gusu:2021"
    active = _active([(1, _breach(a, "yellow"), "acknowledged")])
    plan = plan_transitions(active, pd.DataFrame([_breach(a, "yellow")])[BREACH_COLUMNS])
    assert plan.is_empty
    assert plan.unchanged == 1


def test_a_changed_message_is_refreshed_without_an_event() -> None:
    a = "missing_report:x:gusu:2021"
    active = _active([(1, _breach(a, "yellow", "逾期 1 天"), "open")])
    plan = plan_transitions(active, pd.DataFrame([_breach(a, "yellow", "逾期 2 天")])[BREACH_COLUMNS])
    assert plan.refreshed == 1
    assert plan.updates.loc[0, "message"] == "逾期 2 天"
    assert plan.updates["event"].isna().all()
