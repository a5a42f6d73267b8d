"""The digest shows late reports of one indicator and period on one line, whatever the number of regions."""

from __future__ import annotations

from monitor.domain.digest import DigestItem, OverdueRow, overdue_rows


def late(indicator: str, region: str, period: str, days: int, severity: str = "yellow") -> DigestItem:
    return DigestItem(
        alert_id=None,
        severity=severity,
        rule="missing_report",
        category="",
        indicator=indicator,
        region=region,
        period=period,
        message="",
        departments=("land",),
        department_names="自然资源和规划局姑苏分局",
        acknowledged=False,
        ack_text="",
        days_overdue=days,
    )


def test_a_district_and_its_streets_late_with_the_same_report_make_one_row_in_their_order() -> None:
    items = [late("土地出让成交金额", r, "2021年1-6月", 1) for r in ("姑苏区", "平江街道", "沧浪街道")]
    one_row = OverdueRow(
        indicator="土地出让成交金额",
        period="2021年1-6月",
        regions="姑苏区、平江街道、沧浪街道",
        days_overdue=1,
        severity="yellow",
        department_names="自然资源和规划局姑苏分局",
        count=3,
    )
    assert overdue_rows(items) == [one_row]


def test_another_period_or_another_lateness_is_its_own_row() -> None:
    items = [
        late("邮政业务总量", "姑苏区", "2021年1-5月", 9, "red"),
        late("邮政业务总量", "平江街道", "2021年1-5月", 1),
        late("邮政业务总量", "沧浪街道", "2021年1-4月", 40, "red"),
    ]
    rows = overdue_rows(items)
    assert [(r.regions, r.days_overdue, r.severity) for r in rows] == [
        ("姑苏区", 9, "red"),
        ("平江街道", 1, "yellow"),
        ("沧浪街道", 40, "red"),
    ]
