"""Regenerate the README's screenshots (docs/screenshot-*.png) from a fresh sample database.

    .venv/bin/python scripts/screenshots.py [--out docs]

Builds a throw-away SQLite database the way `make run` does (init, sample data, alert
evaluation), starts `monitor serve` on a free port, photographs each page in Debian's Chromium
(/usr/bin/chromium via Playwright; never a downloaded browser) and stops the server.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.catalogue_file import load_catalogue  # noqa: E402
from tests.board.accounts import browser_sign_in, create_accounts  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, BoardServer  # noqa: E402

SHOTS = [
    # (file, path, element to wait for, viewport, full page)
    ("cockpit", "/", "#cockpit-cards .card", (1366, 900), True),
    ("indicators", "/indicators", "#list-grid .ag-row", (1366, 900), False),
    ("detail", "/indicator/new_jobs?region=gusu&period=2021-06", "#detail-flows .main-svg", (1366, 1250), False),
    ("alerts", "/alerts", "#alerts-grid .ag-row", (1366, 900), False),
    ("ranking", "/ranking", "#rank-chart .main-svg", (1366, 1000), False),
    ("phone", "/", "#cockpit-cards .card", (390, 844), False),
]


def cli(db_url: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "monitor", "--db", db_url, *args], cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'monitor.db'}"
        for step in (["init"], ["demo"], ["alerts", "evaluate"]):
            cli(db_url, *step)
        create_accounts(db_url, load_catalogue(ROOT / "indicators.toml"))
        server = BoardServer(db_url, Path(tmp) / "server.log")
        try:
            server.wait_ready()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                for name, path, ready, (width, height), full in SHOTS:
                    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
                    browser_sign_in(page, server.url, "group")
                    page.goto(server.url + path)
                    page.wait_for_selector(ready, state="attached")
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    target = args.out / f"screenshot-{name}.png"
                    page.screenshot(path=str(target), full_page=full)
                    print(f"已生成 {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                    page.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
