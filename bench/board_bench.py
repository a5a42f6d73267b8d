"""The board in Chromium: cockpit load and the indicator-detail callback against an empty Dash page.

    .venv/bin/python bench/board_bench.py                 # sample data and 3,000 regions
    .venv/bin/python bench/board_bench.py --regions 300   # a smaller synthetic catalogue

For each data set a board runs in its own process (waitress, as `monitor serve`): the sample
data (`monitor demo`) and the synthetic county-level data of bench/pace_bench.py (N regions ×
55 indicators × 2016-2021, loaded with its generator). In the same run an empty Dash page (one
div, same server) is the floor. Playwright drives /usr/bin/chromium and prints, over --loads
navigations after one warm-up load (browser cache warm, as for a person coming back):

  cockpit   navigation until the cockpit's cards are in the page;
  floor     navigation until the empty page's div is in the page;
  detail    navigation to /indicator/new_jobs until its four charts are drawn;
  callback  the indicator-detail callback (POST /_dash-update-component, the region selector
            changed), cold (a region not shown before) and warm (the same region again);

with p50/p95 and the ratios cockpit / floor (target p95 within 2x on the sample data).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import PERIOD, detail_change  # noqa: E402

from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

BENCH_USER, BENCH_PASSWORD = "bench", "bench-Pass-2026"


def add_bench_user(url: str) -> None:
    """The account the benchmark signs in with (every page of the board needs a session)."""
    from monitor.catalogue_file import load_catalogue
    from monitor.domain.access import Role
    from monitor.services.accounts import add_user
    from monitor.storage.db import make_engine

    engine = make_engine(url)
    add_user(engine, load_catalogue(ROOT / "indicators.toml"), BENCH_USER, Role.GROUP, BENCH_PASSWORD)
    engine.dispose()


def sign_in(page: Any, url: str) -> None:
    page.goto(url + "/login")
    page.fill("#login-username", BENCH_USER)
    page.fill("#login-password", BENCH_PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda u: "/login" not in u)


def cookie_header(page: Any) -> str:
    return "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())


def serve_floor(port: int) -> None:
    """An empty Dash page on the same WSGI server: the floor every page load pays."""
    import waitress
    from dash import Dash, html

    app = Dash(__name__, title="floor", update_title="")
    app.layout = html.Div("空白页", id="ready")
    waitress.serve(app.server, host="127.0.0.1", port=port, threads=8, _quiet=True)


def serve_synthetic(db_url: str, regions: int, port: int) -> None:
    """The board on the synthetic database, with the catalogue of bench/pace_bench.py (targets for every region)."""
    import waitress
    from pace_bench import bench_catalogue

    from dash_app.app import create_app
    from dash_app.board_state import warm_up
    from monitor.settings import Settings

    full, _ = bench_catalogue(regions)
    app = create_app(Settings(db_url, ROOT / "indicators.toml", Path(tempfile.gettempdir())), catalogue=full)
    warm_up()
    waitress.serve(app.server, host="127.0.0.1", port=port, threads=8, _quiet=True)


def build_synthetic(directory: Path, regions: int) -> str:
    from pace_bench import synthetic_database

    url = f"sqlite:///{directory / 'synthetic.db'}"
    engine, _, rows, load_s = synthetic_database(url, regions)
    engine.dispose()
    add_bench_user(url)
    print(f"[{regions} regions] {rows:,} synthetic figures loaded in {load_s:.0f} s", flush=True)
    return url


def build_sample(directory: Path) -> str:
    url = f"sqlite:///{directory / 'sample.db'}"
    for step in (["init"], ["demo"]):
        subprocess.run([sys.executable, "-m", "monitor", "--db", url, *step], cwd=ROOT, check=True, capture_output=True)
    add_bench_user(url)
    return url


def start(args: list[str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([*args, str(port)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5):  # the board sends this to its 登录 page
                return process, url
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server {args} did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def loads(page: Any, url: str, ready: str, n: int) -> list[float]:
    """Seconds from navigation until `ready` is in the page, n times after one warm-up."""
    times = []
    for i in range(n + 1):
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(ready, state="attached", timeout=120_000)
        if i:
            times.append(time.perf_counter() - started)
    return times


def callback_times(url: str, regions: list[str], cookie: str) -> tuple[list[float], list[float]]:
    """The detail callback over HTTP: cold (each region once) and warm (the first region again)."""

    def call(region: str) -> float:
        body = detail_change("new_jobs", region)
        request = urllib.request.Request(
            url + "/_dash-update-component",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Origin": url, "Cookie": cookie},
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as response:
            payload = response.read()
        elapsed = time.perf_counter() - started
        if b"detail-growth" not in payload:
            raise RuntimeError(f"detail callback for {region} returned no charts: {payload[:300]!r}")
        return elapsed

    cold = [call(r) for r in regions]
    warm = [call(regions[0]) for _ in regions]
    return cold, warm


def line(name: str, values: list[float]) -> str:
    return f"{name:<28} p50 {1000 * statistics.median(values):7.0f} ms   p95 {1000 * pct(values, 0.95):7.0f} ms"


def measure(label: str, board: str, floor: str, regions: list[str], n: int, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    floor_t = loads(page, floor + "/", "#ready", n)
    sign_in(page, board)
    cockpit_t = loads(page, f"{board}/?period={PERIOD}", "#cockpit-cards .card", n)
    detail_t = loads(page, f"{board}/indicator/new_jobs?period={PERIOD}", "#detail-flows .main-svg .cartesianlayer", n)
    cookie = cookie_header(page)
    page.close()
    cold, warm = callback_times(board, regions, cookie)
    print(f"[{label}] {n} loads each, Chromium {browser.version}")
    print(f"[{label}] " + line("empty Dash page (floor)", floor_t))
    print(f"[{label}] " + line("cockpit cards drawn", cockpit_t))
    print(f"[{label}] " + line("detail page charts drawn", detail_t))
    print(f"[{label}] " + line(f"detail callback, cold ×{len(cold)}", cold))
    print(f"[{label}] " + line("detail callback, warm", warm))
    ratio50 = statistics.median(cockpit_t) / statistics.median(floor_t)
    ratio95 = pct(cockpit_t, 0.95) / pct(floor_t, 0.95)
    target = "target p95 ≤ 2x on the sample data"
    print(f"[{label}] ratio cockpit / floor: p50 {ratio50:.2f}x, p95 {ratio95:.2f}x ({target})")


def run(args: argparse.Namespace) -> None:
    from playwright.sync_api import sync_playwright

    me = [sys.executable, str(Path(__file__).resolve())]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        floor, floor_url = start([*me, "--serve-floor"])
        try:
            sample_db = build_sample(Path(tmp))
            board, url = start([sys.executable, "-m", "monitor", "--db", sample_db, "serve", "--port"])
            try:
                streets = ["gusu", *[f"gusu.{s}" for s in ("pingjiang", "canglang", "jinchang", "shuangta", "huqiu")]]
                measure("sample data", url, floor_url, streets, args.loads, browser)
            finally:
                stop(board)
            if args.regions:
                synthetic_db = build_synthetic(Path(tmp), args.regions)
                board, url = start([*me, "--serve-synthetic", synthetic_db, str(args.regions)])
                try:
                    codes = [f"c{i:04d}" for i in range(1, min(args.regions, 10) + 1)]
                    measure(f"{args.regions} regions", url, floor_url, codes, args.loads, browser)
                finally:
                    stop(board)
        finally:
            stop(floor)
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=20, help="measured page loads per page (default 20)")
    parser.add_argument("--regions", type=int, default=3000, help="synthetic regions (0: sample data only)")
    parser.add_argument("--serve-floor", nargs=1, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--serve-synthetic", nargs=3, metavar=("DB", "REGIONS", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_floor:
        serve_floor(int(args.serve_floor[0]))
    elif args.serve_synthetic:
        db, regions, port = args.serve_synthetic
        serve_synthetic(db, int(regions), int(port))
    else:
        run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
