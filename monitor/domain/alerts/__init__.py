"""Alert rules (figures and calendar → breaches) and the alert lifecycle (open → acknowledged → resolved).

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.alerts.lifecycle import (
    ALERT_COLUMNS,
    EVENT_ZH,
    STATE_ZH,
    AlertState,
    EventKind,
    Signal,
    TransitionPlan,
    plan_transitions,
    transition,
)
from monitor.domain.alerts.rules import (
    BREACH_COLUMNS,
    REVISION_COLUMNS,
    RULE_ZH,
    SERIES_COLUMNS,
    SEVERITY_ZH,
    WARNING_COLUMNS,
    AlertSeverity,
    Rule,
    evaluate_rules,
    fingerprint,
    missing_breaches,
    pace_breaches,
    recent_revisions,
)
from monitor.errors import InvalidTransition

__all__ = [
    "ALERT_COLUMNS",
    "BREACH_COLUMNS",
    "EVENT_ZH",
    "REVISION_COLUMNS",
    "RULE_ZH",
    "SERIES_COLUMNS",
    "SEVERITY_ZH",
    "STATE_ZH",
    "WARNING_COLUMNS",
    "AlertSeverity",
    "AlertState",
    "EventKind",
    "InvalidTransition",
    "Rule",
    "Signal",
    "TransitionPlan",
    "evaluate_rules",
    "fingerprint",
    "missing_breaches",
    "pace_breaches",
    "plan_transitions",
    "recent_revisions",
    "transition",
]
