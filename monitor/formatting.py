"""How numbers and tables look to a person: the CLI, and later the board and the email, use these."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from monitor.domain.catalogue import Indicator, Measure
from monitor.domain.periods import Frequency, Period

COUNT_UNITS = frozenset({"个", "家", "人", "万个", "万人"})
SHOWN_IN_YI = {"万元": "亿元", "万美元": "亿美元"}
"""Money a table shows in 亿 (万元 -> 亿元), as a 通报 does beside its other 亿元 rows."""
METHOD_ZH = {
    "combination": "组合模型（Theta、指数平滑、季节朴素、航空模型，按各自近期误差加权）",
    "theta_damped": "Theta+阻尼趋势模型",  # forecasts stored before the combination
    "ses_growth": "增速平滑模型",
    "actual": "全年已有实际数",
    "seasonal_fallback": "季节比例推算（历史不足两年）",
    "linear_fallback": "线性推算（历史不足）",
    "last_year_fallback": "按上年全年数（历史不足）",
    "naive_fallback": "按最近余额（历史不足）",
    "no_history": "无数据，无法预测",
    "not_applicable": "不适用（周度价格等无全年目标）",
    "not_fitted": "尚未拟合",
}
"""The forecast methods (`forecast_method`) by their Chinese names, wherever a person reads them."""


def display_unit(unit: str) -> tuple[str, float]:
    """(unit a table shows, factor to multiply a figure by): 万元 figures are shown in 亿元."""
    shown = SHOWN_IN_YI.get(unit)
    return (shown, 1e-4) if shown else (unit, 1.0)


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def format_value(value: object, unit: str) -> str:
    """A figure in its unit with the rounding an official report uses: 802.00, 58,000, 1,234.5."""
    if is_missing(value):
        return "—"
    x = float(value)  # type: ignore[arg-type]
    if unit in COUNT_UNITS and not unit.startswith("万"):
        return f"{x:,.0f}"
    if unit == "%":
        return f"{x:.1f}"
    if unit == "上年同期=100":
        return f"{x:.1f}"
    if unit.startswith("万") and abs(x) >= 100:
        return f"{x:,.1f}"
    if unit == "元" and abs(x) >= 1000:  # 人均可支配收入 is printed in whole 元
        return f"{x:,.0f}"
    return f"{x:,.2f}"


def format_growth(value: object) -> str:
    """Year-on-year growth in percent, one decimal, with its sign for cuts: 10.7%, -3.2%."""
    return "—" if is_missing(value) else f"{float(value):.1f}%"  # type: ignore[arg-type]


def format_pp(value: object) -> str:
    """A gap in 百分点 with an explicit sign: +4.7, -1.3."""
    return "—" if is_missing(value) else f"{float(value):+.1f}"  # type: ignore[arg-type]


def format_amount(value: object, unit: str) -> str:
    """A figure followed by its unit (408.50亿元, 19,000个); an index (上年同期=100) is printed bare."""
    if is_missing(value):
        return "—"
    return format_value(value, unit) + ("" if unit == "上年同期=100" else unit)


def format_share(value: object) -> str:
    """A fraction as a percentage with one decimal: 0.38 -> 38.0%."""
    return "—" if is_missing(value) else f"{100 * float(value):.1f}%"  # type: ignore[arg-type]


def format_probability(value: object) -> str:
    """A probability as a whole percentage: 0.734 -> 73%."""
    return "—" if is_missing(value) else f"{100 * float(value):.0f}%"  # type: ignore[arg-type]


_QUARTER_ZH = "一二三四"


def period_label(period: Period, indicator: Indicator) -> str:
    """The 期别 as a report prints it: 1-5月 for year-to-date figures, 6月末 for balances."""
    if indicator.measure is Measure.STOCK:
        if period.frequency is Frequency.MONTHLY:
            return f"{period.year}年{period.number}月末"
        if period.frequency is Frequency.QUARTERLY:
            return f"{period.year}年{_QUARTER_ZH[period.number - 1]}季度末"
    return period.label_zh(indicator.first_month)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - display_width(text))
    return gap + text if right else text + gap


def text_table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: Sequence[bool] | None = None) -> str:
    """A plain-text table aligned for Chinese characters (which take two columns in a terminal)."""
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    flags = list(numeric or [])
    flags += [False] * (len(headers) - len(flags))
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(_pad(c, w, flags[i] and n > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)
