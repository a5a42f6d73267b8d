"""地区 selectors at county scale: a bounded list in the page, any region found by typing (server side)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import dash
import pytest

from dash_app import board_state
from dash_app.board_state import Board, install
from dash_app.page_cache import SharedCache
from dash_app.region_search import choices, matching_regions
from monitor.domain.catalogue import Catalogue, parse_catalogue
from monitor.settings import PROJECT_ROOT, BoardServerSettings, Settings
from monitor.storage.db import make_engine

REGIONS = 3000
LIMIT = 25


def county_catalogue(regions: int) -> Catalogue:
    """The shipped catalogue with `regions` county-level regions instead of the district and its streets."""
    doc = tomllib.loads((PROJECT_ROOT / "indicators.toml").read_text(encoding="utf-8"))
    codes = [f"c{i:04d}" for i in range(1, regions + 1)]
    doc["regions"] = [{"code": c, "name": f"县级地区{c[1:]}", "kind": "district"} for c in codes]
    doc["meta"]["default_region"] = codes[0]
    doc["targets"] = []
    return parse_catalogue(doc)


@pytest.fixture
def county_board(tmp_path: Path) -> Iterator[Catalogue]:
    """A board of 3,000 regions installed in this process (the one before it put back afterwards)."""
    catalogue = county_catalogue(REGIONS)
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    settings = Settings(
        url, PROJECT_ROOT / "indicators.toml", tmp_path, server=BoardServerSettings(region_options=LIMIT)
    )
    engine = make_engine(url)
    cache = SharedCache(tmp_path / "pages", 16, lambda: None)
    previous = board_state._BOARD
    install(Board(settings, engine, catalogue, cache))
    try:
        yield catalogue
    finally:
        board_state._BOARD = previous
        cache.close()
        engine.dispose()


def codes(options: object) -> list[str]:
    assert isinstance(options, list)
    return [o["value"] for o in options]


def test_the_page_lists_a_bounded_number_of_regions_the_shown_one_included(county_board: Catalogue) -> None:
    listed = codes(choices(keep="c0001"))
    assert len(listed) == LIMIT
    assert listed[0] == "c0001"
    far = codes(choices(keep="c2999"))
    assert len(far) == LIMIT
    assert far[0] == "c2999"  # the region in the address bar is named by its selector even far down the list


def test_typing_finds_any_region_of_thousands_and_the_answer_is_bounded(county_board: Catalogue) -> None:
    assert codes(matching_regions("2999", "c0001")) == ["c0001", "c2999"]
    assert "c2999" in codes(matching_regions("县级地区2999", None))
    broad = codes(matching_regions("县级", "c0001"))
    assert len(broad) == LIMIT
    assert "c0001" in broad
    assert matching_regions("", "c0001") is dash.no_update
    assert matching_regions("   ", "c0001") is dash.no_update
    assert codes(matching_regions("没有这个地区", "c0007")) == ["c0007"]


def test_the_detail_selector_finds_only_regions_that_report_the_indicator(county_board: Catalogue) -> None:
    reporting = [r for r in county_board.regions if county_board.reports("gdp", r)]
    assert reporting
    found = codes(matching_regions(reporting[-1][1:], None, "gdp"))
    assert found
    assert all(county_board.reports("gdp", code) for code in found)
    assert codes(matching_regions("2999", None, "no-such-indicator")) == ["c2999"]
