"""The plain-text part of a digest email, from the same `DigestContent` as the HTML part. Pure."""

from __future__ import annotations

from monitor.domain.alerts import SEVERITY_ZH
from monitor.domain.digest.content import SAMPLE_NOTICE, DigestContent, DigestItem, overdue_rows

__all__ = ["render_text"]


def _item_line(item: DigestItem) -> str:
    ack = f"（已说明：{item.ack_text}）" if item.acknowledged else ""
    return (
        f"  - [{SEVERITY_ZH.get(item.severity, item.severity)}] {item.message}；责任单位：{item.department_names}{ack}"
    )


def render_text(c: DigestContent) -> str:
    """The plain-text part: the same sections as the HTML, readable in any mail client."""
    lines = [
        *([SAMPLE_NOTICE, ""] if c.sample else []),
        f"{c.title} · {c.week[0]}年第{c.week[1]}周预警周报",
        f"致：{c.audience}",
        f"截至 {c.as_of.isoformat()}（报告月份 {c.report_month}）：红灯 {c.red_count} 项、黄灯 {c.yellow_count} 项",
        "",
    ]
    if c.headline:
        lines.append("一、主要指标")
        for h in c.headline:
            lines.append(
                f"  {h.name}（{h.period}）：累计 {h.value}，增速 {h.growth}，"
                f"目标 {h.target}，差距 {h.gap_words}，{h.status_text}"
            )
        lines.append("")
    sections = [("红灯预警", c.red), ("黄灯预警", c.yellow)]
    for heading, items in sections:
        if not items:
            continue
        lines.append(f"{heading}（{len(items)} 项）")
        current = None
        for item in items:
            if item.category != current:
                current = item.category
                lines.append(f" 【{current}】")
            lines.append(_item_line(item))
        lines.append("")
    if c.overdue:
        lines.append(f"逾期未报（{len(c.overdue)} 项）")
        lines += [
            f"  - [{SEVERITY_ZH.get(r.severity, r.severity)}] {r.indicator}{r.period}：{r.regions}"
            f"{'' if r.days_overdue is None else f'，逾期 {r.days_overdue} 天'}；责任单位：{r.department_names}"
            for r in overdue_rows(c.overdue)
        ]
        lines.append("")
    if c.ack_due:
        page = c.board_url.rstrip("/") + "/alerts"
        lines.append(f"待说明（{len(c.ack_due)} 项）：请登录看板预警页面 {page} 勾选预警并登记原因和措施")
        lines += [f"  - 编号 {i.alert_id if i.alert_id is not None else '（新）'}：{i.message}" for i in c.ack_due]
        lines.append("")
    if c.revisions:
        lines.append(f"本周数据修订（{len(c.revisions)} 项）")
        lines += [f"  - {r.region}{r.indicator}{r.period}：{r.change}，{r.revised_on} 修订" for r in c.revisions]
        lines.append("")
    if not (c.red or c.yellow or c.overdue or c.revisions):
        lines += ["本周没有需要关注的预警。", ""]
    lines.append(f"查看看板：{c.board_url}")
    lines.append("（本邮件由经济运行监测系统自动发送）")
    return "\n".join(lines) + "\n"
