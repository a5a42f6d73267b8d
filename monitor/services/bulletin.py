"""The 通报 table of a pace report (主要经济指标完成情况表), its columns defined once for every view.

`TABLE_COLUMNS` is the table a bulletin prints (指标, 单位, 1-N月累计, 同比±%, 比上期, 两年平均,
全年目标, 完成全年目标%, 序时进度, 快/慢于序时, 位次, 责任单位) plus the monitor's own 状态, 全年预测
and 达标概率; `table_cells` renders one pace row for it in 通报 wording (the CLI table and the
board's 指标一览 both use them). `export_frame` is the same table as numbers with Chinese headers
and labels only (CSV and XLSX), money in 亿元 throughout; `bulletin_xlsx` writes it as a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from monitor.domain.catalogue import Catalogue
from monitor.domain.pace import STATUS_ZH, change_words, completion_words, elapsed_words, growth_words
from monitor.domain.pace.basis import is_comparable
from monitor.domain.periods import Period, parse_period
from monitor.exports import report_xlsx_bytes
from monitor.formatting import (
    COUNT_UNITS,
    METHOD_ZH,
    display_unit,
    format_amount,
    format_growth,
    format_probability,
    format_share,
    format_value,
    period_label,
    text_table,
)
from monitor.services.pace import PaceReport, pace_title, status_text, target_text

__all__ = [
    "TABLE_COLUMNS",
    "Column",
    "bulletin_xlsx",
    "cumulative_header",
    "export_frame",
    "pace_csv_frame",
    "pace_table",
    "table_cells",
]


@dataclass(frozen=True)
class Column:
    """One column of the 通报 table: its field in a row of cells, header, alignment and board width (px)."""

    key: str
    header: str
    numeric: bool
    width: int


TABLE_COLUMNS = (
    Column("name", "指标", False, 120),
    Column("unit", "单位", False, 56),
    Column("value", "1-N月累计", True, 96),  # the header names the report month: cumulative_header
    Column("growth", "同比±%", True, 86),
    Column("change", "比上期±百分点", True, 92),
    Column("two_year", "两年平均", True, 86),
    Column("target", "全年目标", False, 100),
    Column("completion", "完成全年目标%", False, 132),
    Column("elapsed", "序时进度", True, 64),
    Column("pace", "快/慢于序时", True, 96),
    Column("rank", "位次", True, 52),
    Column("departments", "责任单位", False, 104),
    Column("status", "状态", False, 84),
    Column("forecast", "全年预测", True, 84),
    Column("prob", "达标概率", True, 58),
)
"""The 通报 columns (the first twelve) and the monitor's own; the last two only with forecasts."""
FORECAST_KEYS = ("forecast", "prob")
_GROWTH_SOURCE_ZH = {"reported": "报送", "computed": "按数值计算"}
_BASIS_ZH = {"comparable": "可比价", "current": "现价"}
_SCOPE_ZH = {"peers": "对标地区", "streets": "各街道"}


def cumulative_header(report_month: Period) -> str:
    """The 累计 column as a 通报 heads it: 1-6月累计 (1月 for January)."""
    return "1月累计" if report_month.number == 1 else f"1-{report_month.number}月累计"


def _departments(codes: list[str], catalogue: Catalogue) -> str:
    return "、".join(catalogue.departments[c].name if c in catalogue.departments else c for c in codes)


def _short_label(text: str, year: int) -> str:
    return text.removeprefix(f"{year}年")


def _value_text(row: dict[str, Any], catalogue: Catalogue, report_month: Period) -> str:
    """The figure in the unit the table shows; a period other than the report month's is named: （1-5月）."""
    if pd.isna(row["value"]):
        return "未报" if pd.isna(row["growth"]) else "—"
    unit, factor = display_unit(row["unit"])
    period = parse_period(row["period"])
    label = _short_label(period_label(period, catalogue.indicators[row["indicator"]]), period.year)
    own = _short_label(report_month.label_zh(), report_month.year)
    return format_value(row["value"] * factor, unit) + ("" if label == own else f"（{label}）")


def _rank_text(row: dict[str, Any]) -> str:
    return "—" if pd.isna(row["rank"]) else f"{int(row['rank'])}/{int(row['rank_count'])}"


def _completion_text(row: dict[str, Any]) -> str:
    unit, factor = display_unit(row["unit"])
    return completion_words(
        row["completion_annual"],
        target_base=row["target_base"],
        target_growth=row["target_value"],
        target_level=row["target_level"] * factor,
        unit=unit,
        budget="预算" in row["name"],
    )


def forecast_text(row: dict[str, Any], *, with_unit: bool = False) -> str:
    """The year-end forecast in one cell: its growth 按可比价 where the target is real growth, else the level
    in the display unit (万元 in 亿元), with the unit for a view that has no 单位 column; "—" without one."""
    if is_comparable(row) and pd.notna(row["forecast_growth"]):
        return f"{format_growth(row['forecast_growth'])}（可比价增速）"
    if pd.isna(row["forecast_value"]):
        return "—"
    unit, factor = display_unit(row["unit"])
    value = row["forecast_value"] * factor
    return format_amount(value, unit) if with_unit else format_value(value, unit)


def table_cells(row: dict[str, Any], catalogue: Catalogue, report_month: Period) -> dict[str, str]:
    """One pace row (PACE_COLUMNS + BULLETIN_COLUMNS) as the 通报 table's text cells, keyed by Column.key."""
    unit, _ = display_unit(row["unit"])
    star = "*" if row["growth_source"] == "computed" else ""
    forecast = forecast_text(row)
    return {
        "name": row["name"],
        "unit": unit,
        "value": _value_text(row, catalogue, report_month),
        "growth": growth_words(row["growth"], row["measure"]) + star,
        "change": change_words(row["growth_change_pp"]),
        "two_year": growth_words(row["growth_two_year"], row["measure"]),
        "target": target_text(row, catalogue) if row["target_kind"] else "—",
        "completion": _completion_text(row),
        "elapsed": "—" if pd.isna(row["completion_annual"]) else format_share(row["elapsed"]),
        "pace": elapsed_words(row["elapsed_gap_pp"]),
        "rank": _rank_text(row),
        "departments": _departments(row["departments"], catalogue),
        "status": status_text(row["status"], row["status_reason"]),
        "forecast": forecast,
        "prob": format_probability(row["prob_meet"]),
    }


def _columns(report: PaceReport) -> list[Column]:
    return [c for c in TABLE_COLUMNS if report.forecast or c.key not in FORECAST_KEYS]


def pace_table(report: PaceReport, catalogue: Catalogue) -> str:
    """The 通报 table as text, one block per region, with the tally of lights and the notes."""
    columns = _columns(report)
    headers = [cumulative_header(report.report_month) if c.key == "value" else c.header for c in columns]
    lines: list[str] = []
    for region in report.regions:
        part = report.rows[report.rows["region"] == region]
        body = [
            [cells[c.key] for c in columns]
            for cells in (table_cells(r, catalogue, report.report_month) for r in part.to_dict("records"))
        ]
        if len(report.regions) > 1:
            lines.append(f"【{catalogue.regions[region].name}】")
        lines.append(text_table(headers, body, [c.numeric for c in columns]))
    counts = report.rows["status"].value_counts()
    tally = "，".join(f"{STATUS_ZH[s]} {int(counts.get(s, 0))} 项" for s in ("red", "yellow", "green", "grey"))
    lines.append(f"合计：{tally}")
    lines.append(
        "比上期：本期累计增速与上期累计增速之差；两年平均：以2年前同期为基数的几何平均增速；"
        "完成全年目标%：总量目标为累计值占目标的比例，增速目标按上年全年数×（1+目标增速）折算；"
        "快/慢于序时：完成全年目标%与序时进度之差；位次：在对标地区（街道为各街道）中的增速位次；单位为百分点。"
    )
    if (report.rows["growth_source"] == "computed").any():
        lines.append("* 增速未报送，由本期与上年同期数值计算。")
    return "\n".join(lines)


def _number_format(unit: str) -> str:
    """The Excel number format of a figure in `unit` (shown unit): 个/人/元 whole, indices 0.0, else 0.00."""
    if (unit in COUNT_UNITS and not unit.startswith("万")) or unit == "元":
        return "#,##0"
    if unit in ("%", "上年同期=100"):
        return "0.0"
    return "#,##0.00"


def _decimals(unit: str) -> int:
    return {"#,##0": 0, "0.0": 1}.get(_number_format(unit), 2)


def _money(rows: pd.DataFrame, key: str, units: pd.Series, factors: np.ndarray) -> list[float]:
    return [
        round(float(v) * f, _decimals(u)) if pd.notna(v) else np.nan
        for v, f, u in zip(rows[key], factors, units, strict=True)
    ]


def _pct(values: pd.Series, scale: float = 1.0) -> pd.Series:
    return (values.astype(float) * scale).round(1)


def export_frame(report: PaceReport, catalogue: Catalogue) -> tuple[pd.DataFrame, dict[str, str | list[str]]]:
    """The 通报 table as numbers (money in 亿元, % and 百分点 to one decimal), Chinese labels only,
    with the Excel number format of each numeric column (per row where units differ)."""
    rows = report.rows
    shown = [display_unit(u) for u in rows["unit"]]
    units = pd.Series([u for u, _ in shown], index=rows.index)
    factors = np.array([f for _, f in shown])
    value_header = cumulative_header(report.report_month)
    frame = pd.DataFrame(index=rows.index)
    if len(report.regions) > 1:
        frame["地区"] = [catalogue.regions[r].name for r in rows["region"]]
    frame["指标"] = rows["name"]
    frame["期别"] = [
        period_label(parse_period(p), catalogue.indicators[i])
        for p, i in zip(rows["period"], rows["indicator"], strict=True)
    ]
    frame["单位"] = units
    frame[value_header] = _money(rows, "value", units, factors)
    frame["同比±%"] = _pct(rows["growth"])
    frame["比上期±百分点"] = _pct(rows["growth_change_pp"])
    frame["两年平均(%)"] = _pct(rows["growth_two_year"])
    frame["全年目标"] = [target_text(r, catalogue) if r["target_kind"] else "" for r in rows.to_dict("records")]
    frame["目标总量"] = _money(rows, "target_level", units, factors)
    frame["完成全年目标(%)"] = _pct(rows["completion_annual"], 100.0)
    frame["序时进度(%)"] = _pct(rows["elapsed"].where(rows["completion_annual"].notna()), 100.0)
    frame["快/慢于序时(百分点)"] = _pct(rows["elapsed_gap_pp"])
    frame["位次"] = rows["rank"].astype("Int64")
    frame["参与排位地区数"] = rows["rank_count"].astype("Int64")
    frame["位次范围"] = [_SCOPE_ZH.get(s or "", "") for s in rows["rank_scope"]]
    frame["责任单位"] = [_departments(d, catalogue) for d in rows["departments"]]
    frame["状态"] = [status_text(s, r) for s, r in zip(rows["status"], rows["status_reason"], strict=True)]
    frame["差距(百分点)"] = _pct(rows["gap_pp"])
    frame["所需增速时段"] = [r or "" for r in rows["rest_of_year"]]
    frame["所需增速(%)"] = _pct(rows["required_growth_rest"])
    frame["所需增速为估算"] = np.where(rows["required_growth_estimated"], "是", "")
    frame["尚需完成"] = _money(rows, "remaining", units, factors)
    frame["季节性进度(%)"] = _pct(rows["seasonal_share"], 100.0)
    frame["全年预测"] = _money(rows, "forecast_value", units, factors)
    frame["预测下限(80%)"] = _money(rows, "forecast_low", units, factors)
    frame["预测上限(80%)"] = _money(rows, "forecast_high", units, factors)
    frame["预测全年增速(%)"] = _pct(rows["forecast_growth"])
    frame["达标概率(%)"] = (rows["prob_meet"].astype(float) * 100).round(0)
    frame["预测方法"] = [METHOD_ZH.get(m, m) if m else "" for m in rows["forecast_method"]]
    frame["增速口径"] = [_BASIS_ZH.get(b, b) for b in rows["basis"]]
    frame["增速来源"] = [_GROWTH_SOURCE_ZH.get(s or "", "") for s in rows["growth_source"]]
    per_unit = [_number_format(u) for u in units]
    formats: dict[str, str | list[str]] = {
        c: per_unit for c in (value_header, "目标总量", "尚需完成", "全年预测", "预测下限(80%)", "预测上限(80%)")
    }
    for column in (
        "同比±%",
        "两年平均(%)",
        "完成全年目标(%)",
        "序时进度(%)",
        "所需增速(%)",
        "季节性进度(%)",
        "预测全年增速(%)",
    ):
        formats[column] = "0.0"
    for column in ("比上期±百分点", "快/慢于序时(百分点)", "差距(百分点)"):
        formats[column] = "+0.0;-0.0;0.0"
    for column in ("位次", "参与排位地区数", "达标概率(%)"):
        formats[column] = "0"
    return frame.reset_index(drop=True), formats


def pace_csv_frame(report: PaceReport, catalogue: Catalogue) -> pd.DataFrame:
    """The CSV export: the same columns as the XLSX report, Chinese headers and labels."""
    return export_frame(report, catalogue)[0]


def bulletin_xlsx(report: PaceReport, catalogue: Catalogue, *, note: str = "") -> bytes:
    """The 通报 table as an .xlsx report: title row, period row, frozen header, number formats per unit."""
    frame, formats = export_frame(report, catalogue)
    period = f"报告期：{report.report_month.label_zh()}　单位见“单位”列，金额以亿元计　增速为同比（%）" + (
        f"　{note}" if note else ""
    )
    widths = [24.0 if c in ("指标", "全年目标", "责任单位", "预测方法") else 13.0 for c in frame.columns]
    return report_xlsx_bytes(
        "主要经济指标完成情况",
        frame,
        title=pace_title(report, catalogue),
        subtitle=period,
        formats=formats,
        widths=widths,
    )
