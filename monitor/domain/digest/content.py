"""The weekly alert digest (预警周报): who gets what, the subject, and the plain-text part. Pure.

`build_digests` takes the active alerts, the headline rows (already formatted the way the board
formats numbers) and this week's revisions, and returns one `DigestMessage` for the group and one
per department that has something to report (or every department, when the catalogue says so).
The text and HTML parts are rendered by `text.render_text` and `html.render_html` from the same `DigestContent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from monitor.domain.alerts import RULE_ZH, Rule
from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.domain.projects.alerts import subject_category, subject_name

__all__ = [
    "DigestContent",
    "DigestItem",
    "DigestMessage",
    "HeadlineRow",
    "OverdueRow",
    "RevisionRow",
    "digest_contents",
    "digest_subject",
    "digest_week",
    "overdue_rows",
]

GROUP = "group"


def digest_week(day: date) -> tuple[int, int]:
    """ISO (year, week) of a local date: the digest's week."""
    iso = day.isocalendar()
    return iso.year, iso.week


def week_key(week: tuple[int, int]) -> str:
    return f"{week[0]}-W{week[1]:02d}"


SAMPLE_NOTICE = "【示例数据】本周报由模拟生成的示例数据（非官方统计）生成，只写入发件箱文件夹，没有实际发送。"


def digest_subject(week: tuple[int, int], red: int, yellow: int) -> str:
    """`【经济运行监测】2021年第27周预警周报：红灯N项、黄灯M项`."""
    return f"【经济运行监测】{week[0]}年第{week[1]}周预警周报：红灯{red}项、黄灯{yellow}项"


@dataclass(frozen=True)
class HeadlineRow:
    """One line of the headline table, formatted: 指标, 期别, 累计值, 增速, 目标, 差距, 状态灯."""

    name: str
    period: str
    value: str
    growth: str
    target: str
    gap: str  # 百分点 with its sign (+4.7), or — ; `gap_words` says it in a sentence
    status: str  # red | yellow | green | grey
    status_text: str

    @property
    def gap_words(self) -> str:
        """The gap as the text part writes it: +4.7个百分点, or — without one."""
        return self.gap if self.gap in ("", "—") else f"{self.gap}个百分点"


@dataclass(frozen=True)
class RevisionRow:
    indicator: str
    region: str
    period: str
    change: str  # "34.15 → 34.66（+1.5%）"
    revised_on: str
    departments: tuple[str, ...]


@dataclass(frozen=True)
class DigestItem:
    """One alert as the digest shows it."""

    alert_id: int | None
    severity: str
    rule: str
    category: str
    indicator: str
    region: str
    period: str
    message: str
    departments: tuple[str, ...]  # codes
    department_names: str
    acknowledged: bool
    ack_text: str
    days_overdue: int | None

    @property
    def rule_text(self) -> str:
        return RULE_ZH.get(self.rule, self.rule)


@dataclass(frozen=True)
class OverdueRow:
    """Late reports of one indicator and period with the same lateness, its regions on one line."""

    indicator: str
    period: str
    regions: str
    days_overdue: int | None
    severity: str
    department_names: str
    count: int


def overdue_rows(items: Sequence[DigestItem]) -> list[OverdueRow]:
    """One row per (indicator, period, days, severity): a district and its 8 streets late with the
    same report read as one line, not nine; the alerts themselves stay one per region."""
    groups: dict[tuple[Any, ...], list[DigestItem]] = {}
    for i in items:
        groups.setdefault((i.indicator, i.period, i.days_overdue, i.severity, i.department_names), []).append(i)
    return [
        OverdueRow(indicator, period, "、".join(i.region for i in members), days, severity, names, len(members))
        for (indicator, period, days, severity, names), members in groups.items()
    ]


@dataclass(frozen=True)
class DigestContent:
    """What one email says; text and HTML are two renderings of it."""

    kind: str  # group | department
    title: str
    audience: str
    week: tuple[int, int]
    as_of: date
    report_month: str
    board_url: str
    headline: tuple[HeadlineRow, ...] = ()
    red: tuple[DigestItem, ...] = ()
    yellow: tuple[DigestItem, ...] = ()
    overdue: tuple[DigestItem, ...] = ()
    revisions: tuple[RevisionRow, ...] = ()
    ack_due: tuple[DigestItem, ...] = ()
    sample: bool = False
    """Built from sample data: marked 示例数据 in subject and body, and never sent (outbox only)."""

    @property
    def red_count(self) -> int:
        return len(self.red) + sum(1 for i in self.overdue if i.severity == "red")

    @property
    def yellow_count(self) -> int:
        return len(self.yellow) + sum(1 for i in self.overdue if i.severity == "yellow")

    @property
    def subject(self) -> str:
        subject = digest_subject(self.week, self.red_count, self.yellow_count)
        return f"【示例数据】{subject}" if self.sample else subject

    @property
    def is_empty(self) -> bool:
        return not (self.red or self.yellow or self.overdue or self.ack_due)


@dataclass(frozen=True)
class DigestMessage:
    """One email to send: the ledger key (`recipient`), its addresses, subject, text and HTML."""

    recipient: str
    addresses: tuple[str, ...]
    content: DigestContent
    text: str
    html: str

    @property
    def subject(self) -> str:
        return self.content.subject


def _category(catalogue: Catalogue, indicator: str) -> str:
    if subject_category(indicator):
        return str(subject_category(indicator))
    for s in catalogue.sets.values():
        cat = s.category_of(indicator)
        if cat is not None:
            return cat.name
    return "其他"


def _items(alerts: pd.DataFrame, catalogue: Catalogue) -> list[DigestItem]:
    items = []
    names = {c: i.name for c, i in catalogue.indicators.items()}
    for row in alerts.to_dict("records"):
        codes = tuple(row["departments"] or ())
        acknowledged = row["state"] == "acknowledged"
        by, note = row.get("acknowledged_by"), row.get("note")
        days = row.get("days_overdue")
        items.append(
            DigestItem(
                alert_id=None if pd.isna(row.get("id")) else int(row["id"]),
                severity=row["severity"],
                rule=row["rule"],
                category=_category(catalogue, row["indicator"]),
                indicator=subject_name(row["indicator"], str(row["message"]), names),
                region=catalogue.regions[row["region"]].name if row["region"] in catalogue.regions else row["region"],
                period=parse_period(row["period"]).label_zh(),
                message=row["message"],
                departments=codes,
                department_names="、".join(
                    catalogue.departments[c].name if c in catalogue.departments else c for c in codes
                ),
                acknowledged=acknowledged,
                ack_text=f"{by}：{note}" if acknowledged and by else "",
                days_overdue=None if days is None or pd.isna(days) else int(days),
            )
        )
    order = {"red": 0, "yellow": 1, "info": 2}
    place = {name: n for n, name in enumerate(r.name for r in catalogue.regions.values())}
    return sorted(items, key=lambda i: (order.get(i.severity, 3), i.category, i.indicator, place.get(i.region, 0)))


def _content(
    kind: str,
    title: str,
    audience: str,
    items: Sequence[DigestItem],
    base: dict[str, object],
    headline: Sequence[HeadlineRow] = (),
    revisions: Sequence[RevisionRow] = (),
) -> DigestContent:
    missing = Rule.MISSING_REPORT.value
    return DigestContent(
        kind=kind,
        title=title,
        audience=audience,
        headline=tuple(headline),
        red=tuple(i for i in items if i.severity == "red" and i.rule != missing),
        yellow=tuple(i for i in items if i.severity == "yellow" and i.rule != missing),
        overdue=tuple(sorted((i for i in items if i.rule == missing), key=lambda i: -(i.days_overdue or 0))),
        revisions=tuple(revisions),
        ack_due=tuple(i for i in items if i.severity in ("red", "yellow") and not i.acknowledged)
        if kind == "department"
        else (),
        **base,  # type: ignore[arg-type]
    )


def digest_contents(
    alerts: pd.DataFrame,
    headline: Sequence[HeadlineRow],
    revisions: Sequence[RevisionRow],
    catalogue: Catalogue,
    *,
    as_of: date,
    report_month: str,
) -> list[tuple[str, tuple[str, ...], DigestContent]]:
    """(key, recipients, content) of the group digest and of each department with items (all when configured)."""

    week = digest_week(as_of)
    base: dict[str, object] = {
        "week": week,
        "as_of": as_of,
        "report_month": report_month,
        "board_url": catalogue.notify.board_url or "http://127.0.0.1:8050/",  # services pass the served address
    }
    items = _items(alerts, catalogue)
    title = catalogue.meta.title
    contents: list[tuple[str, tuple[str, ...], DigestContent]] = []
    group = _content("group", title, "区经济运行综合协调保障领导小组", items, base, headline, revisions)
    contents.append((GROUP, tuple(catalogue.notify.group), group))
    for code, dept in catalogue.departments.items():
        own = [i for i in items if code in i.departments]
        own_revisions = [r for r in revisions if code in r.departments]
        content = _content("department", title, dept.name, own, base, (), own_revisions)
        if content.is_empty and not catalogue.notify.send_empty_department_digest:
            continue
        contents.append((f"department:{code}", (dept.email,) if dept.email else (), content))
    return contents
