"""The HTML part of the weekly digest: tables with inline CSS only, as Outlook and Foxmail render them.

Outlook's Word engine ignores <style> blocks in places, flexbox and most CSS: every style is an
inline attribute on a table cell, widths are fixed, colours are also given as `bgcolor`. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from monitor.domain.alerts import SEVERITY_ZH
from monitor.domain.digest.content import SAMPLE_NOTICE, DigestContent, DigestItem, overdue_rows
from monitor.domain.pace import STATUS_ZH

__all__ = ["render_html"]

FONT = "font-family:'Microsoft YaHei','PingFang SC','Noto Sans CJK SC',SimSun,sans-serif;"
CELL = FONT + "font-size:13px;color:#222222;padding:6px 8px;border:1px solid #d0d7de;vertical-align:top;"
HEAD = (
    FONT
    + "font-size:13px;font-weight:bold;color:#ffffff;background-color:#1f4e79;padding:6px 8px;border:1px solid #1f4e79;"
)
LAMP_COLOUR = {"red": "#c62828", "yellow": "#e0a800", "green": "#2e7d32", "grey": "#9e9e9e", "info": "#1f4e79"}


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _lamp(status: str, label: str | None = None) -> str:
    colour, text = LAMP_COLOUR.get(status, "#9e9e9e"), STATUS_ZH.get(status, status)
    return (
        f'<span style="{FONT}font-size:12px;font-weight:bold;color:#ffffff;background-color:{colour};'
        f'padding:2px 6px;white-space:nowrap;">{_e(label or text)}</span>'
    )


def _table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (), table_id: str = ""
) -> str:
    """A bordered table; cells are HTML already escaped by the caller."""
    head = "".join(f'<th align="left" bgcolor="#1f4e79" style="{HEAD}">{_e(h)}</th>' for h in headers)
    body = []
    for n, row in enumerate(rows):
        shade = "#f6f8fa" if n % 2 else "#ffffff"
        cells = "".join(
            f'<td align="{"right" if i in numeric else "left"}" bgcolor="{shade}" '
            f'style="{CELL}background-color:{shade};{"white-space:nowrap;" if i in numeric else ""}">{cell}</td>'
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    ident = f' id="{table_id}"' if table_id else ""
    return (
        f'<table{ident} role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" '
        f'style="border-collapse:collapse;width:100%;margin:0 0 16px 0;"><tr>{head}</tr>{"".join(body)}</table>'
    )


def _heading(text: str, colour: str = "#1f4e79") -> str:
    return (
        f'<h2 style="{FONT}font-size:16px;font-weight:bold;color:{colour};margin:20px 0 8px 0;'
        f'border-left:4px solid {colour};padding-left:8px;">{_e(text)}</h2>'
    )


def _alert_rows(items: Sequence[DigestItem], with_category: bool) -> list[list[str]]:
    rows = []
    for i in items:
        ack = f'<br><span style="color:#2e7d32;">已说明：{_e(i.ack_text)}</span>' if i.acknowledged else ""
        cells = [_e(i.category)] if with_category else []
        cells += [
            _lamp(i.severity, SEVERITY_ZH.get(i.severity)),
            _e(i.rule_text),
            _e(i.message) + ack,
            _e(i.department_names),
        ]
        rows.append(cells)
    return rows


def render_html(c: DigestContent) -> str:
    """The whole email body as an HTML document (UTF-8)."""
    notice = f'<p style="{FONT}font-size:14px;color:#c62828;font-weight:bold;">{_e(SAMPLE_NOTICE)}</p>'
    parts = [
        *([notice] if c.sample else []),
        f'<p style="{FONT}font-size:14px;color:#222222;margin:0 0 8px 0;">致：{_e(c.audience)}</p>',
        f'<p style="{FONT}font-size:14px;color:#222222;margin:0 0 12px 0;">截至 {_e(c.as_of.isoformat())}'
        f"（报告月份 {_e(c.report_month)}），{_lamp('red', f'红灯 {c.red_count} 项')} "
        f"{_lamp('yellow', f'黄灯 {c.yellow_count} 项')}</p>",
    ]
    if c.headline:
        parts.append(_heading("一、主要指标"))
        rows = [
            [
                _e(h.name),
                _e(h.period),
                _e(h.value),
                _e(h.growth),
                _e(h.target),
                _e(h.gap),
                _lamp(h.status, h.status_text),
            ]
            for h in c.headline
        ]
        headers = ["指标", "期别", "累计值", "增速", "目标", "差距(百分点)", "状态"]
        parts.append(_table(headers, rows, (2, 3, 5), "headline"))
    for heading, items, colour in (("红灯预警", c.red, "#c62828"), ("黄灯预警", c.yellow, "#b8860b")):
        if items:
            parts.append(_heading(f"{heading}（{len(items)} 项）", colour))
            parts.append(_table(["分类", "级别", "规则", "内容", "责任单位"], _alert_rows(items, True)))
    if c.overdue:
        parts.append(_heading(f"逾期未报（{len(c.overdue)} 项）", "#c62828"))
        rows = [
            [
                _e(r.indicator),
                _e(r.regions),
                _e(r.period),
                _e("—" if r.days_overdue is None else f"{r.days_overdue} 天"),
                _lamp(r.severity),
                _e(r.department_names),
            ]
            for r in overdue_rows(c.overdue)
        ]
        parts.append(_table(["指标", "地区", "期别", "逾期", "级别", "责任单位"], rows, (3,)))
    if c.ack_due:
        parts.append(_heading(f"待说明（{len(c.ack_due)} 项）"))
        alerts_page = c.board_url.rstrip("/") + "/alerts"
        parts.append(
            f'<p style="{FONT}font-size:13px;color:#444444;margin:0 0 8px 0;">请登录看板的'
            f'<a href="{_e(alerts_page)}" style="color:#1f4e79;">预警页面</a>（{_e(alerts_page)}）'
            "勾选预警并登记原因和措施；说明后不再提醒，升级为红灯时会再次提醒。</p>"
        )
        rows = [[_e(i.alert_id if i.alert_id is not None else "新"), _e(i.message)] for i in c.ack_due]
        parts.append(_table(["编号", "内容"], rows, (0,)))
    if c.revisions:
        parts.append(_heading(f"本周数据修订（{len(c.revisions)} 项）"))
        rows = [[_e(r.indicator), _e(r.region), _e(r.period), _e(r.change), _e(r.revised_on)] for r in c.revisions]
        parts.append(_table(["指标", "地区", "期别", "修订", "修订日期"], rows, (3,)))
    if not (c.red or c.yellow or c.overdue or c.revisions):
        parts.append(f'<p style="{FONT}font-size:14px;color:#2e7d32;">本周没有需要关注的预警。</p>')
    parts.append(
        f'<p style="{FONT}font-size:14px;margin:20px 0 4px 0;"><a href="{_e(c.board_url)}" '
        f'style="color:#1f4e79;font-weight:bold;">打开经济运行监测看板</a> {_e(c.board_url)}</p>'
        f'<p style="{FONT}font-size:12px;color:#888888;margin:4px 0 0 0;">本邮件由经济运行监测系统自动发送。</p>'
    )
    title = f"{c.title} · {c.week[0]}年第{c.week[1]}周预警周报"
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(c.subject)}</title></head>"
        f'<body style="margin:0;padding:0;background-color:#f0f2f5;">'
        f'<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f0f2f5">'
        f'<tr><td align="center" style="padding:16px;">'
        f'<table role="presentation" width="760" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" '
        f'style="width:760px;max-width:100%;background-color:#ffffff;">'
        f'<tr><td bgcolor="#1f4e79" style="{FONT}font-size:18px;font-weight:bold;color:#ffffff;'
        f'background-color:#1f4e79;padding:14px 20px;">{_e(title)}</td></tr>'
        f'<tr><td style="padding:16px 20px;">{"".join(parts)}</td></tr>'
        "</table></td></tr></table></body></html>"
    )
