"""One basis per indicator: the year-end forecast, its interval, the target and prob_meet agree.

On the sample data at 2021-06, `monitor pace --format json`: GDP's target is real growth (6% at
comparable prices on 2020's 802亿元), so its forecast value and interval are in 2020 prices and
its probability of meeting the target is above 0.5 exactly when the forecast meets the target;
the same holds for every row with a forecast.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from monitor.cli import main
from monitor.domain.pace.basis import forecast_growth_range, year_end_goal
from tests.pace.test_pace_command import sample_database


@pytest.fixture(scope="module")
def june_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The JSON rows of `monitor pace --period 2021-06 --format json` (with forecasts) by indicator."""
    url = f"sqlite:///{tmp_path_factory.mktemp('basis') / 'monitor.db'}"
    sample_database(url).dispose()
    out = Path(tmp_path_factory.mktemp("basis_out")) / "pace.json"
    assert main(["--db", url, "pace", "--period", "2021-06", "--format", "json", "--out", str(out)]) == 0
    return {r["indicator"]: r for r in json.loads(out.read_text(encoding="utf-8"))["rows"]}


def meets(row: dict[str, Any], rows: dict[str, dict[str, Any]]) -> bool:
    """Whether the central forecast meets the target, on the row's basis, computed from the JSON fields."""
    kind, x = row["target_kind"], row["target_value"]
    if kind == "level_min":
        return bool(row["forecast_value"] >= x)
    if kind == "level_max":
        return bool(row["forecast_value"] <= x)
    growth = row["forecast_growth"]
    if kind == "growth_min":
        return bool(growth >= x)
    if kind == "growth_about":
        return bool(growth >= x - (row["target_tolerance"] or 0))
    if kind == "growth_max":
        return bool(growth <= x)
    reference = rows[row["target_reference"]]
    goal = reference["forecast_growth"] if reference["forecast_growth"] is not None else reference["growth"]
    return bool(growth >= goal)


def test_gdp_forecast_value_and_interval_are_in_last_years_prices(june_rows: dict[str, dict[str, Any]]) -> None:
    gdp = june_rows["gdp"]
    assert gdp["basis"] == "comparable"
    base = 850.12 / 1.06  # the target level 850.12亿元 is 2020's 802亿元 × 1.06
    assert gdp["forecast_value"] / (1 + gdp["forecast_growth"] / 100) == pytest.approx(base, rel=1e-6)
    assert gdp["forecast_low"] < gdp["forecast_value"] < gdp["forecast_high"]
    assert (gdp["forecast_value"] >= 850.12) == (gdp["forecast_growth"] >= 6.0) == (gdp["prob_meet"] > 0.5)


def test_prob_meet_is_above_half_exactly_when_the_forecast_meets_the_target(
    june_rows: dict[str, dict[str, Any]],
) -> None:
    judged = [r for r in june_rows.values() if r["prob_meet"] is not None]
    assert len(judged) >= 8
    wrong = [(r["indicator"], r["prob_meet"]) for r in judged if (r["prob_meet"] > 0.5) != meets(r, june_rows)]
    assert wrong == []


def test_the_goal_views_draw_is_the_one_prob_meet_uses(june_rows: dict[str, dict[str, Any]]) -> None:
    for row in (r for r in june_rows.values() if r["prob_meet"] is not None):
        reference = june_rows.get(row["target_reference"] or "")
        goal = year_end_goal(row, reference)
        assert goal is not None, row["indicator"]
        central = row["forecast_value"] if row["target_kind"] in ("level_min", "level_max") else row["forecast_growth"]
        above = central >= goal
        assert (above if row["target_kind"] not in ("level_max", "growth_max") else not above) == meets(row, june_rows)


def test_the_gdp_fan_as_growth_brackets_the_forecast_growth(june_rows: dict[str, dict[str, Any]]) -> None:
    gdp = june_rows["gdp"]
    span = forecast_growth_range(gdp)
    assert span is not None
    low, high = span
    assert low < gdp["forecast_growth"] < high
    assert 100 * (gdp["forecast_low"] / (850.12 / 1.06) - 1) == pytest.approx(low, rel=1e-6)


def test_the_table_shows_a_comparable_price_forecast_as_its_real_growth(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    sample_database(url).dispose()
    assert main(["--db", url, "pace", "--period", "2021-06"]) == 0
    gdp = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("地区生产总值"))
    assert re.search(r"\d+\.\d%（可比价增速）", gdp)  # whatever the model forecasts, on the target's basis
    assert "亿元（" not in gdp.split("可比价增速")[0].rsplit("区统计局", 1)[-1]  # no nominal level beside it
