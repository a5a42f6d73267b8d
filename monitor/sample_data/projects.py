"""示例数据 for 重点项目: 41 区级重点项目 of 2021 with weekly reports to the sample's today, and a 项目服务清单.

Anchored on the district's half-year report: "区级重点项目累计完成投资131.27亿元，占年度计划的54.8%"
(1-6月 2021, 41 projects). The annual plans add up to 131.27 / 0.548 ≈ 239.5亿元 and the June
figure (the report of ISO week 25, the last week ending in June) adds up to 131.27亿元. Deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from monitor.domain.projects import PROBLEM_COLUMNS, PROGRESS_COLUMNS, PROJECT_COLUMNS

__all__ = ["H1_CUMULATIVE", "H1_SHARE", "ProjectSample", "generate_projects"]

H1_CUMULATIVE = 131.27
H1_SHARE = 0.548
JUNE_WEEK = 25  # 2021-W25 ends on 27 June: the last ISO week ending in June
LAST_WEEK = 28  # 2021-W28 ends on 18 July, before the sample's today (2021-07-20)

_NAMES = [
    ("华贸中心", "产业", "续建", "gusu.pingjiang"),
    ("竹辉饭店改造", "产业", "续建", "gusu.shuangta"),
    ("仁恒仓街", "城市更新", "续建", "gusu.pingjiang"),
    ("虎丘综改", "城市更新", "续建", "gusu.huqiu"),
    ("渔家村保护更新", "城市更新", "续建", "gusu.jinchang"),
    ("山塘四期", "城市更新", "续建", "gusu.jinchang"),
    ("桃花坞历史文化片区", "城市更新", "续建", "gusu.jinchang"),
    ("天安云谷二期", "产业", "续建", "gusu.baiyangwan"),
    ("大国药妆产业园", "产业", "竣工", "gusu.canglang"),
    ("美奥集团总部", "产业", "竣工", "gusu.wumenqiao"),
    ("中国邮政长三角电商产业园", "产业", "新开工", "gusu.baiyangwan"),
    ("平江片区保护修缮", "城市更新", "续建", "gusu.pingjiang"),
    ("七里山塘全线贯通", "城市更新", "续建", "gusu.huqiu"),
    ("国际铁路物流中心配套", "基础设施", "续建", "gusu.baiyangwan"),
    ("西北街社区卫生服务中心", "民生", "续建", "gusu.pingjiang"),
    ("锦帆社区卫生服务中心", "民生", "新开工", "gusu.shuangta"),
    ("平江新城社区卫生服务中心", "民生", "新开工", "gusu.pingjiang"),
    ("沧浪新城社区卫生服务中心改造", "民生", "续建", "gusu.canglang"),
    ("综合为老服务中心（一批）", "民生", "续建", "gusu.fengmen"),
    ("沧浪新城学校", "民生", "续建", "gusu.canglang"),
    ("金阊新城幼儿园", "民生", "新开工", "gusu.jinchang"),
    ("虎丘湿地公园提升", "基础设施", "续建", "gusu.huqiu"),
    ("城北路综合管廊", "基础设施", "续建", "gusu.baiyangwan"),
    ("古城河道水环境提升", "基础设施", "续建", "gusu.shuangta"),
    ("老旧小区改造（一批）", "城市更新", "新开工", "gusu.wumenqiao"),
    ("红蚂蚁产业园改造", "产业", "续建", "gusu.wumenqiao"),
    ("星辉1976产业园", "产业", "续建", "gusu.jinchang"),
    ("北部经济区产业载体", "产业", "新开工", "gusu.baiyangwan"),
    ("观前街区提升", "城市更新", "续建", "gusu.pingjiang"),
    ("盘门景区提升", "城市更新", "续建", "gusu.wumenqiao"),
    ("苏州站南广场改造", "基础设施", "续建", "gusu.jinchang"),
    ("十全街街巷整治", "城市更新", "新开工", "gusu.shuangta"),
    ("葑门片区更新", "城市更新", "前期", "gusu.fengmen"),
    ("姑苏数字产业园", "产业", "新开工", "gusu.canglang"),
    ("护城河游线配套", "基础设施", "续建", "gusu.fengmen"),
    ("区档案馆新馆", "民生", "续建", "gusu.baiyangwan"),
    ("白洋湾街道邻里中心", "民生", "新开工", "gusu.baiyangwan"),
    ("吴门桥街道文体中心", "民生", "续建", "gusu.wumenqiao"),
    ("苏纶场二期", "产业", "续建", "gusu.wumenqiao"),
    ("金阊医院迁建", "民生", "前期", "gusu.jinchang"),
    ("双塔市集二期", "产业", "新开工", "gusu.shuangta"),
]
_DEPARTMENTS = {
    "产业": ("econ", "drc"),
    "城市更新": ("housing", "drc"),
    "基础设施": ("housing", "land"),
    "民生": ("drc", "housing"),
}
_LEADERS = ("徐区长", "陈副区长", "王副区长", "刘副区长", "周副区长")
_PROBLEMS = [
    (3, "资源要素", "land", "二期地块土地指标尚未落实", 14, "submitted"),
    (0, "金融支持", "drc", "项目贷款审批进度慢，需协调银行加快放款", 30, "coordinated"),
    (10, "前期报批", "land", "规划许可证办理需要会办", 60, "submitted"),
    (6, "用工保障", "hrss", "古建修缮技术工人短缺", 25, "solved"),
    (13, "物流运输", "housing", "渣土外运线路受限，需调整运输时段", 10, "submitted"),
    (20, "原料供应", "econ", "钢材价格上涨，供应周期延长", 45, "coordinated"),
    (27, "前期报批", "drc", "可研批复尚未取得", 15, "submitted"),
    (15, "资源要素", "power", "施工临时用电容量不足", 20, "solved"),
]


@dataclass(frozen=True)
class ProjectSample:
    projects: pd.DataFrame
    progress: pd.DataFrame
    problems: pd.DataFrame  # PROBLEM_COLUMNS plus state


def _register(rng: np.random.Generator) -> pd.DataFrame:
    n = len(_NAMES)
    plans = rng.lognormal(0.0, 0.5, n)
    plans = plans / plans.sum() * (H1_CUMULATIVE / H1_SHARE)
    rows = []
    for i, (name, category, nature, street) in enumerate(_NAMES):
        level = "省" if i < 3 else "市" if i < 11 else "区"
        start = date(2021, 3 + i % 7, 10 + i % 15) if nature == "新开工" else date(2019 + i % 2, 1 + i % 12, 1)
        start = date(2021, 9, 30) if nature == "前期" else start
        monthly = None
        if i % 2 == 0:  # half the projects plan by month, heavier in the second half
            weights = np.array([0.5, 0.5, 0.8, 0.8, 0.9, 0.9, 1.0, 1.0, 1.1, 1.1, 1.2, 1.2])
            monthly = [float(x) for x in plans[i] * weights / weights.sum()]
        rows.append(
            [
                f"GS2021-{i + 1:02d}",
                2021,
                name,
                level,
                category,
                nature,
                street,
                round(float(plans[i]) * 3.5, 2),
                float(plans[i]),
                monthly,
                start,
                date(2022 + i % 3, 12, 31),
                _LEADERS[i % 5],
                _DEPARTMENTS[category][i % 2],
                f"代办员{i + 1:02d}",
            ]
        )
    return pd.DataFrame(rows, columns=PROJECT_COLUMNS)


def _progress(rng: np.random.Generator, projects: pd.DataFrame) -> pd.DataFrame:
    shares = np.clip(rng.normal(H1_SHARE * 0.9, 0.1, len(projects)), 0.25, 0.8)
    late = (projects["nature"] == "前期").to_numpy() | (projects.index.to_numpy() == 10)  # 电商产业园: 开工滞后
    ends = [date.fromisocalendar(2021, w, 7) for w in range(1, LAST_WEEK + 1)]
    curves = []
    for i, p in enumerate(projects.itertuples()):
        begins = p.start_planned if p.nature == "新开工" else date(2021, 1, 1)
        steps = rng.uniform(0.6, 1.4, LAST_WEEK) * np.array([0.0 if late[i] or e < begins else 1.0 for e in ends])
        curves.append(np.cumsum(steps))
    june = np.array([shares[i] if c[JUNE_WEEK - 1] > 0 else 0.0 for i, c in enumerate(curves)])
    june *= projects["annual_plan"].to_numpy()
    june *= H1_CUMULATIVE / june.sum()
    rows = []
    for i, p in enumerate(projects.itertuples()):
        curve = curves[i]
        scale = june[i] / curve[JUNE_WEEK - 1] if curve[JUNE_WEEK - 1] > 0 else 0.0
        started = p.start_planned if p.nature == "新开工" and not late[i] else None
        previous = 0.0
        for week, end in enumerate(ends, start=1):
            value = float(curve[week - 1] * scale)
            start_cell = started if started is not None and end - timedelta(days=6) <= started <= end else None
            rows.append(
                [
                    p.code,
                    2021,
                    week,
                    end,
                    value - previous,
                    value,
                    "主体施工" if value else "前期手续办理",
                    start_cell,
                    None,
                ]
            )
            previous = value
    return pd.DataFrame(rows, columns=PROGRESS_COLUMNS)


def _problems(projects: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for index, category, department, text, days, state in _PROBLEMS:
        raised = date(2021, 5, 10) + timedelta(days=7 * (index % 8))
        rows.append(
            [projects["code"].iloc[index], category, text, department, raised, raised + timedelta(days=days), 0, state]
        )
    return pd.DataFrame(rows, columns=[*PROBLEM_COLUMNS, "state"])


def generate_projects(seed: int = 2021) -> ProjectSample:
    """The sample register, weekly reports (W1-W28 of 2021) and service list."""
    rng = np.random.default_rng(seed)
    projects = _register(rng)
    return ProjectSample(projects, _progress(rng, projects), _problems(projects))
