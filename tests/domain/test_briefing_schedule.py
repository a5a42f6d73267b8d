"""[schedule] briefing_day and briefing_at: the monthly briefing's day and time, checked like every other key."""

from __future__ import annotations

import copy
import tomllib
from typing import Any

import pytest

from monitor.domain.catalogue import parse_catalogue
from monitor.errors import CatalogueInvalid
from monitor.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return tomllib.loads((PROJECT_ROOT / "indicators.toml").read_text(encoding="utf-8"))


def test_the_shipped_catalogue_briefs_on_the_20th_at_ten(doc: dict[str, Any]) -> None:
    schedule = parse_catalogue(doc).schedule
    assert (schedule.briefing_day, schedule.briefing_at) == (20, "10:00")


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        pytest.param("briefing_day", 31, "schedule.briefing_day", id="day-past-28"),
        pytest.param("briefing_day", "20", "schedule.briefing_day", id="day-as-text"),
        pytest.param("briefing_at", "25:00", "schedule.briefing_at", id="bad-time"),
    ],
)
def test_a_bad_value_is_named(doc: dict[str, Any], key: str, value: Any, problem: str) -> None:
    bad = copy.deepcopy(doc)
    bad["schedule"][key] = value
    with pytest.raises(CatalogueInvalid) as caught:
        parse_catalogue(bad)
    assert problem in [p.key for p in caught.value.problems]
