"""One wording of the annual target for every view (domain/pace/target_words.target_words).

The board, the CLI's 通报 table and the weekly email (services.pace.target_text) and the briefing's
sentences (briefing.sentences) all say a target the way the 政府工作报告 does.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from monitor.domain.briefing.outlook import outlook_section
from monitor.domain.briefing.sentences import target_clause
from monitor.domain.catalogue import Catalogue
from monitor.domain.pace.target_words import target_words
from monitor.services.pace import target_text


def row(kind: str | None, value: float = math.nan, unit: str = "亿元", **extra: Any) -> dict[str, Any]:
    return {
        "target_kind": kind,
        "target_value": value,
        "target_tolerance": math.nan,
        "target_reference": None,
        "unit": unit,
        "basis": "current",
        **extra,
    }


@pytest.mark.parametrize(
    ("target", "words"),
    [
        pytest.param(row("level_min", 50000, "个"), "50000个以上", id="level-min-count"),
        pytest.param(row("level_max", 5, "亿元"), "控制在5.00亿元以内", id="level-max-amount"),
        pytest.param(row("growth_min", 6), "增长6%以上", id="growth-min"),
        pytest.param(row("growth_about", 6, target_tolerance=0.5), "增长6%左右", id="growth-about"),
        pytest.param(row("growth_max", -10), "压降10%以上", id="growth-max-cut"),
        pytest.param(row("growth_max", 3), "增长不超过3%", id="growth-max-ceiling"),
        pytest.param(row("growth_above", target_reference="gdp"), "高于地区生产总值增速", id="growth-above"),
        pytest.param(row(None), "", id="none"),
    ],
)
def test_target_words(catalogue: Catalogue, target: dict[str, Any], words: str) -> None:
    assert target_words(target, catalogue) == words


@pytest.mark.parametrize("kind", ["level_min", "level_max", "growth_min", "growth_about", "growth_max", "growth_above"])
def test_the_table_and_the_briefing_say_the_same_target(catalogue: Catalogue, kind: str) -> None:
    target = row(kind, 7.5, target_reference="gdp", gap_pp=-1.0, completion=0.4)
    words = target_words(target, catalogue)
    assert target_text(target, catalogue) == words
    if kind.startswith("growth") and kind != "growth_above":  # the sentence quotes it: 低于全年目标（增长7.5%以上）
        assert f"（{words}）" in target_clause(target, catalogue)


def test_a_comparable_price_target_can_say_its_basis(catalogue: Catalogue) -> None:
    gdp = row("growth_min", 6, basis="comparable")
    assert target_words(gdp, catalogue) == "增长6%以上"
    assert target_words(gdp, catalogue, basis=True) == "增长6%以上（按可比价）"
    assert target_words(row("growth_min", 5), catalogue, basis=True) == "增长5%以上"


def test_the_outlook_gives_a_comparable_price_forecast_as_growth(catalogue: Catalogue) -> None:
    gdp = row("growth_min", 6, basis="comparable", indicator="gdp", name="地区生产总值", period="2021-Q2")
    gdp |= {"status": "green", "remaining": math.nan, "required_growth_rest": 2.1, "required_growth_estimated": False}
    gdp |= {"forecast_value": 849.0, "forecast_growth": 5.86, "prob_meet": 0.48}
    text = outlook_section(pd.DataFrame([gdp]), catalogue).blocks[0].text
    assert "按可比价增长5.9%" in text
    assert "849" not in text
