"""What a project file's columns mean: canonical fields, their header aliases, the closed vocabularies. Pure.

A register (项目库) lists the projects of a year with their plans; a weekly file (周报) reports each
project's progress for an ISO week. Both are read by `monitor.readers.projects` onto these fields.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "CATEGORIES",
    "FIELD_ZH",
    "LEVELS",
    "MONEY_FIELDS",
    "NATURES",
    "PROBLEM_CATEGORIES",
    "REGISTER_ALIASES",
    "REGISTER_REQUIRED",
    "WEEKLY_ALIASES",
    "WEEKLY_REQUIRED",
]

LEVELS = ("省", "市", "区")
"""级别: 省级、市级、区级重点项目 (written 省级 or 省 alike)."""

CATEGORIES = ("产业", "基础设施", "民生", "城市更新")
NATURES = ("新开工", "续建", "竣工", "前期")

PROBLEM_CATEGORIES = ("资源要素", "金融支持", "用工保障", "物流运输", "原料供应", "前期报批")
"""The six kinds of needs of the 项目服务清单 (苏州 三项机制: “分类汇总项目单位提出的资源要素、金融支持、
用工保障、物流运输、原料供应、前期报批等方面的需求和问题，形成项目服务清单”)."""

REGISTER_ALIASES: Mapping[str, tuple[str, ...]] = {
    "code": ("项目编号", "编号", "项目代码", "code"),
    "name": ("项目名称", "名称", "name"),
    "year": ("年度", "计划年度", "year"),
    "level": ("级别", "项目级别", "level"),
    "category": ("类别", "项目类别", "category"),
    "nature": ("性质", "项目性质", "建设性质", "nature"),
    "street": ("街道", "所在街道", "所属街道", "street"),
    "total_investment": ("总投资", "计划总投资", "total_investment"),
    "annual_plan": ("年度计划投资", "年度计划", "本年计划投资", "annual_plan"),
    "start_planned": ("计划开工", "计划开工日期", "计划开工时间", "start_planned"),
    "finish_planned": ("计划竣工", "计划竣工日期", "计划竣工时间", "finish_planned"),
    "leader": ("挂钩区领导", "挂钩领导", "leader"),
    "department": ("责任单位", "牵头单位", "department"),
    "agent": ("代办员", "代办负责人", "agent"),
}
for _m in range(1, 13):
    REGISTER_ALIASES = {**REGISTER_ALIASES, f"plan_{_m:02d}": (f"{_m}月计划", f"{_m}月计划投资", f"{_m}月")}

REGISTER_REQUIRED = ("code", "name", "level", "category", "annual_plan", "department")

WEEKLY_ALIASES: Mapping[str, tuple[str, ...]] = {
    "code": ("项目编号", "编号", "项目代码", "code"),
    "name": ("项目名称", "名称", "name"),
    "week": ("周次", "报告周", "期别", "week"),
    "weekly": ("本周完成投资", "本周完成", "weekly"),
    "cumulative": ("累计完成投资", "本年累计完成投资", "年度累计完成投资", "累计完成", "cumulative"),
    "image": ("形象进度", "image"),
    "start_actual": ("实际开工", "实际开工日期", "开工日期", "start_actual"),
    "finish_actual": ("实际竣工", "实际竣工日期", "竣工日期", "finish_actual"),
    "problem": ("存在问题", "新增问题", "问题", "problem"),
    "problem_category": ("问题类别", "需求类别", "problem_category"),
    "problem_department": ("问题责任单位", "会办单位", "problem_department"),
    "problem_due": ("办结时限", "problem_due"),
}

WEEKLY_REQUIRED = ("code", "week", "weekly", "cumulative")

MONEY_FIELDS = frozenset(
    {"total_investment", "annual_plan", "weekly", "cumulative"} | {f"plan_{m:02d}" for m in range(1, 13)}
)

FIELD_ZH: Mapping[str, str] = {name: aliases[0] for name, aliases in {**REGISTER_ALIASES, **WEEKLY_ALIASES}.items()}
