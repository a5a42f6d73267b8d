"""A project's page: its register entry, every weekly report (revisions shown), its problems and their history."""

from __future__ import annotations

import math
from typing import Any

import dash
import pandas as pd
from dash import dcc, html

from dash_app.board_state import board, snapshot
from dash_app.components import error_box, guarded, sample_banner, simple_table
from dash_app.project_views import problem_table
from monitor.domain.projects import STATE_ZH, ProblemState
from monitor.services.project_board import ProjectDetail, board_project


def _money(value: Any) -> str:
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.2f}"


def _local(at: Any, tz: str) -> str:
    return "" if at is None or pd.isna(at) else pd.Timestamp(at).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def history_table(history: pd.DataFrame, tz: str) -> pd.DataFrame:
    """Weekly reports, newest week first; a revised figure shows the versions with when each was known."""
    ordered = history.sort_values(["week", "known_from"], ascending=[False, True], kind="stable")
    return pd.DataFrame(
        {
            "周次": [f"第{int(w)}周" for w in ordered["week"]],
            "截至": [str(d) for d in ordered["week_end"]],
            "本周完成(亿元)": [_money(v) for v in ordered["weekly"]],
            "累计完成(亿元)": [_money(v) for v in ordered["cumulative"]],
            "形象进度": ordered["image"],
            "实际开工": ["" if d is None or pd.isna(d) else str(d) for d in ordered["start_actual"]],
            "版本": ["已被修订" if pd.notna(k) else "当前" for k in ordered["known_to"]],
            "报送时间": [_local(k, tz) for k in ordered["known_from"]],
        }
    )


def _facts(detail: ProjectDetail, names: dict[str, str]) -> Any:
    p = detail.project
    plan = p["monthly_plan"]
    items = [
        ("项目编号", p["code"]),
        ("级别", f"{p['level']}级"),
        ("类别", p["category"]),
        ("性质", p["nature"]),
        ("街道", names.get(str(p["street"]), "")),
        ("总投资", f"{_money(p['total_investment'])} 亿元"),
        ("年度计划投资", f"{_money(p['annual_plan'])} 亿元"),
        ("序时依据", "月度计划" if plan else "按时间均匀"),
        ("计划开工", str(p["start_planned"] or "")),
        ("计划竣工", str(p["finish_planned"] or "")),
        ("挂钩区领导", p["leader"]),
        ("责任单位", names.get(str(p["department"]), str(p["department"]))),
        ("代办员", p["agent"]),
    ]
    return html.Dl([part for k, v in items for part in (html.Dt(k), html.Dd(str(v)))], className="facts")


def _events(detail: ProjectDetail) -> Any:
    parts = []
    for problem_id, events in detail.events.items():
        lines = [
            html.Li(
                f"{pd.Timestamp(e.at).strftime('%Y-%m-%d')} {e.by}："
                f"{STATE_ZH[ProblemState(e.from_state)] + ' → ' if isinstance(e.from_state, str) else ''}"
                f"{STATE_ZH[ProblemState(e.to_state)]}{'（' + e.note + '）' if e.note else ''}"
            )
            for e in events.itertuples()
        ]
        parts.append(html.Div([html.Strong(f"第 {problem_id} 号问题的办理记录"), html.Ul(lines)]))
    return html.Div(parts)


@guarded
def layout(code: str | None = None, year: str | None = None, **_: Any) -> Any:
    b, snap = board(), snapshot()
    chosen = int(year) if year and year.isdigit() else snap.today.date.year
    detail = board_project(b.engine, code or "", chosen, snap.today.date)
    if detail is None:
        return error_box(f"{chosen} 年的项目库中没有编号为“{code}”的项目")
    names = {c: d.name for c, d in b.catalogue.departments.items()} | {
        c: r.name for c, r in b.catalogue.regions.items()
    }
    problems = (
        html.Div(simple_table(problem_table(detail.problems, b.catalogue)), className="table-wrap")
        if len(detail.problems)
        else html.P("没有提出问题。", className="muted")
    )
    return html.Div(
        [
            sample_banner(snap),
            dcc.Link("← 返回重点项目", href="/projects"),
            html.H1(str(detail.project["name"]), id="project-title"),
            _facts(detail, names),
            html.H2("周报"),
            html.Div(
                simple_table(
                    history_table(detail.history, b.catalogue.meta.timezone),
                    ("本周完成(亿元)", "累计完成(亿元)"),
                    table_id="project-history",
                ),
                className="table-wrap",
            ),
            html.H2("需求和问题"),
            problems,
            _events(detail),
        ]
    )


dash.register_page(
    __name__, path_template="/project/<code>", name="项目详情", title="项目详情 · 经济运行监测", order=6, layout=layout
)
