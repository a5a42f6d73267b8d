"""Small building blocks the pages share: selectors, the sample banner, lights, tables, error boxes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Collection, Sequence
from typing import Any

import pandas as pd
from dash import dcc, html
from sqlalchemy.exc import DBAPIError

from dash_app.board_state import Snapshot, readable_month
from dash_app.page_cache import do_not_store
from monitor.domain.catalogue import Catalogue, RegionKind
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import Period
from monitor.errors import MonitorError

__all__ = [
    "GRID_LOCALE",
    "error_box",
    "guarded",
    "legend",
    "light",
    "month_options",
    "region_options",
    "sample_banner",
    "select",
    "set_options",
    "simple_table",
]

STATUS_MEANING = {
    "red": "明显落后于序时进度或目标",
    "yellow": "略有差距",
    "green": "达到序时进度或目标",
    "grey": "无目标或无数据",
}
log = logging.getLogger("dash_app")
GRID_LOCALE = {
    "page": "第",
    "of": "/",
    "to": "-",
    "more": "更多",
    "pageSizeSelectorLabel": "每页行数：",
    "firstPage": "首页",
    "previousPage": "上一页",
    "nextPage": "下一页",
    "lastPage": "末页",
    "noRowsToShow": "没有符合条件的记录",
    "loadingOoo": "加载中…",
    "filterOoo": "筛选…",
    "searchOoo": "搜索…",
    "selectAll": "全选",
    "blanks": "空白",
    "equals": "等于",
    "notEqual": "不等于",
    "contains": "包含",
    "notContains": "不包含",
    "startsWith": "开头是",
    "endsWith": "结尾是",
    "lessThan": "小于",
    "greaterThan": "大于",
    "lessThanOrEqual": "小于等于",
    "greaterThanOrEqual": "大于等于",
    "inRange": "介于",
    "andCondition": "且",
    "orCondition": "或",
    "applyFilter": "应用",
    "resetFilter": "重置",
    "clearFilter": "清除",
}


DATABASE_UNAVAILABLE = "数据库暂时不可用，请稍后重试（恢复后刷新页面即可）"


def guarded(render: Callable[..., Any]) -> Callable[..., Any]:
    """A page layout that shows a message on the page instead of failing (never a traceback)."""

    @functools.wraps(render)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return render(*args, **kwargs)
        except MonitorError as exc:
            do_not_store()  # the message is for now, not a page to keep in the shared cache
            return error_box(f"出错：{exc}")
        except DBAPIError:  # the server is down or restarting: the next request reconnects by itself
            do_not_store()
            log.warning("board page: database unavailable", exc_info=True)
            return error_box(DATABASE_UNAVAILABLE)
        except Exception as exc:
            do_not_store()
            log.exception("board page failed")
            return error_box(f"看板内部错误（{type(exc).__name__}），请稍后重试；详细信息已写入服务器日志")

    return wrapper


def error_box(text: str) -> html.Div:
    return html.Div(text, className="error-box", role="alert")


def sample_banner(snap: Snapshot) -> html.Div | None:
    if not snap.has_sample:
        return None
    if snap.today.mixed or not snap.today.is_sample:
        return html.Div(
            [
                html.Strong("示例数据"),
                "：数据库中有模拟生成的示例数据（非官方统计），与报送数据混合显示；",
                f"当前日期仍为示例数据自身的日期 {snap.today.date.isoformat()}。正式使用请换一个空数据库。",
            ],
            id="sample-banner",
            className="sample-banner",
        )
    return html.Div(
        [
            html.Strong("示例数据"),
            "：本页显示的是模拟生成的示例数据，非官方统计；",
            f"以示例数据自身的日期 {snap.today.date.isoformat()} 作为当前日期。",
        ],
        id="sample-banner",
        className="sample-banner",
    )


def period_notice(text: str | None, offered: Collection[str] | None = None) -> html.Div | None:
    """A ?period= in the address that names no month (or none of the `offered` periods), said plainly: the
    page shows the latest month instead."""
    if not text or (text in offered if offered is not None else readable_month(text) is not None):
        return None
    shown = text if len(text) <= 40 else text[:40] + "…"
    return html.Div(
        f"期间“{shown}”无法识别，已显示最近月份（报告期请写作 2021-06 这样的年-月）",
        id="period-notice",
        className="error-box",
    )


def light(status: str) -> html.Span:
    return html.Span(className=f"light light-{status}", title=STATUS_ZH.get(status, status))


def legend() -> html.Div:
    return html.Div(
        [html.Span([light(s), f"{STATUS_ZH[s]}：{STATUS_MEANING[s]}"], className="legend-item") for s in STATUS_ZH],
        className="legend",
    )


def month_options(months: Sequence[Period]) -> list[dict[str, str]]:
    return [{"label": f"{p.year}年{p.number}月", "value": str(p)} for p in months]


def set_options(catalogue: Catalogue) -> list[dict[str, str]]:
    return [{"label": s.name, "value": s.code} for s in catalogue.sets.values()]


def region_options(
    catalogue: Catalogue,
    limit: int = 200,
    indicator: str | None = None,
    search: str | None = None,
    keep: str | None = None,
) -> list[dict[str, str]]:
    """The district first, then its streets, then the peers, at most `limit` entries; with `indicator`, only
    the regions whose level reports it (no street in the GDP detail's list); with `search`, only the regions
    whose name or code contains it. `keep` (the region shown) is always listed, so the selector can name it."""
    order = {RegionKind.DISTRICT: 0, RegionKind.STREET: 1, RegionKind.PEER: 2}
    needle = (search or "").strip().lower()
    kept = [
        r
        for r in catalogue.regions.values()
        if (indicator is None or catalogue.reports(indicator, r.code))
        and (not needle or needle in r.name.lower() or needle in r.code.lower())
    ]
    regions = sorted(kept, key=lambda r: (r.code != catalogue.meta.default_region, order[r.kind]))[:limit]
    if keep is not None and keep in catalogue.regions and all(r.code != keep for r in regions):
        regions = [catalogue.regions[keep], *regions[: max(0, limit - 1)]]
    prefix = {RegionKind.STREET: "　", RegionKind.PEER: "对标 · "}
    return [{"label": prefix.get(r.kind, "") + r.name, "value": r.code} for r in regions]


def select(component_id: str, label: str, options: list[dict[str, str]], value: Any, **kw: Any) -> html.Label:
    return html.Label(
        [
            html.Span(label, className="control-label"),
            dcc.Dropdown(id=component_id, options=options, value=value, **kw),
        ],
        className="control",
    )


def simple_table(frame: pd.DataFrame, numeric: Sequence[str] = (), table_id: str | None = None) -> html.Table:
    """A plain HTML table (small tables render faster than a grid and print well)."""
    head = html.Thead(html.Tr([html.Th(c) for c in frame.columns]))
    body = html.Tbody(
        [
            html.Tr(
                [html.Td("" if v is None else v, className="num" if c in numeric else None) for c, v in row.items()]
            )
            for row in frame.to_dict("records")
        ]
    )
    props: dict[str, Any] = {"className": "table"}
    if table_id:
        props["id"] = table_id
    return html.Table([head, body], **props)
