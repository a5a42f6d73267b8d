"""The group digest's HTML in headless Chromium: the headline table is visible and readable.

The screenshot is kept in test-artifacts/digest/ (CI uploads or inspects it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.services.digest import build_weekly_digests
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import make_engine

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "digest"


@pytest.mark.browser
def test_group_digest_html_shows_its_tables_in_chromium(browser: Any, sqlite_sample_url: str) -> None:
    catalogue = load_catalogue(PROJECT_ROOT / "indicators.toml")
    engine = make_engine(sqlite_sample_url)
    moment = datetime(2021, 7, 19, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    messages, _ = build_weekly_digests(engine, catalogue, moment, record=False)
    engine.dispose()
    group = next(m for m in messages if m.recipient == "group")
    page = browser.new_page(viewport={"width": 900, "height": 900})
    try:
        page.set_content(group.html, wait_until="load")
        headline = page.locator("table#headline")
        assert headline.is_visible()
        box = headline.bounding_box()
        assert box is not None
        assert box["width"] > 600
        assert box["height"] > 200
        rows = headline.locator("tr")
        assert rows.count() == 1 + 15  # header and the 15 indicators with a 2021 target (8 before the 2021 goals)
        first = rows.nth(1).locator("td")
        assert first.nth(0).inner_text() == "地区生产总值"
        assert first.nth(6).inner_text() == "绿灯"
        assert page.get_by_text("红灯预警（15 项）").is_visible()
        assert page.get_by_text("逾期未报（3 项）").is_visible()  # the district only (27 with the 8 streets)
        link = page.locator("a", has_text="打开经济运行监测看板")
        assert link.get_attribute("href") == "http://127.0.0.1:8050/"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "group_digest_2021-W29.png"), full_page=True)
        assert (ARTIFACTS / "group_digest_2021-W29.png").stat().st_size > 10_000
    finally:
        page.close()
