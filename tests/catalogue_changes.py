"""The shipped catalogue's deliberate departures from the reference CSVs (../shared/design, copied in
tests/reference), each justified in docs/catalogue.md ("2021 catalogue changes").

The reference catalogue mixes who supplies a figure with who answers for it; the issue 13 review
separated them (`source` vs `departments`) and corrected a direction and a frequency. Tests compare
the catalogue with the reference *through* this table, so any other difference still fails, and the
outside contract check is expected to report exactly these lines and no others.
"""

from __future__ import annotations

CHANGED: dict[str, dict[str, str]] = {  # code -> {catalog.csv column: the shipped value}
    "urban_income": {"departments": "hrss;stats"},  # 调查队 is the source, not a unit the district can 督办
    "cpi": {"direction": "neutral", "departments": "drc"},  # a ceiling (3%左右), not lower-is-better
    "industrial_power": {"departments": "drc"},  # 供电公司 is the source; 电力监测 is 发改局's (105号 item 16)
    "power_consumption": {"departments": "drc"},
    "freight_turnover": {"departments": "drc;stats"},  # 物流 is 发改局's (105号 item 18), not 住建委's
    "passenger_turnover": {"departments": "drc;stats"},
    "postal_volume": {"departments": "stats"},  # 邮政管理局 is the source only
    "telecom_volume": {"departments": "stats"},  # 通信管理局 is the source; a GDP-accounting input
    "public_wages": {"departments": "stats;hrss"},  # 工资总额 comes from 统计局's 劳动工资统计
}
ADDED_INDICATORS = (
    "reemployment",
    "self_employment",
    "graduate_startups",
    "social_insurance_new",
    "culture_enterprises",
)
ADDED_DEPARTMENTS = ("culture", "telecom", "transport")
ADDED_TARGETS = (
    "reemployment",
    "self_employment",
    "graduate_startups",
    "social_insurance_new",
    "culture_enterprises",
    "key_project_investment",
    "cpi",
)
_CONTRACT_FIELDS = ("name", "unit", "frequency", "measure", "direction")


def expected_contract_problems(reference_rows: list[dict[str, str]]) -> set[str]:
    """The lines `contract.py catalogue` prints for CHANGED (its own wording), given catalog.csv's rows."""
    lines = set()
    for row in reference_rows:
        for column, value in CHANGED.get(row["code"], {}).items():
            if column in _CONTRACT_FIELDS:
                lines.add(f"{row['code']}.{column}: {value!r} != {row[column]!r}")
            elif column == "departments":
                lines.add(f"{row['code']}.departments: {value.split(';')} != {row['departments'].split(';')}")
    return lines
