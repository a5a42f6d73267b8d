"""The board under load: N signed-in clients for S seconds, on waitress (1 process) and gunicorn (2+ workers).

    .venv/bin/python bench/load_bench.py                          # 20 clients × 60 s, waitress then gunicorn ×2
    .venv/bin/python bench/load_bench.py --seconds 20 --workers 2 3
    .venv/bin/python bench/load_bench.py --regions 3000           # and the cockpit at 3,000 regions vs an empty page

Builds the sample database (`monitor init`, `demo`, `forecast refresh`, `alerts evaluate`) and one
account per client, then for each server (`monitor serve --workers 1` is waitress, `--workers N`
gunicorn) starts it in a child process on a loopback port, signs every client in at once (Argon2,
timed apart), and lets the clients (threads, each with its own cookies) load pages for `--seconds`
(and at most `--max-requests` requests each) as the browser does: the page itself, /_dash-layout,
/_dash-dependencies and the page router's callback, and for the cockpit and the detail page also a
selector-change callback. Printed per server: requests per second, p50, p95, errors, and p50/p95 of
the detail page's router callback for `/indicator/gdp`.

With `--regions N` the board also serves the synthetic data of bench/pace_bench.py (N regions), and
one client at a time loads the cockpit page (all its requests) and an empty Dash page on the same
kind of server: the cockpit's p95 over the empty page's p95 is printed (target ≤ 2×).
Only 127.0.0.1 is ever contacted; every phase is bounded by --seconds and --max-requests.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import (  # noqa: E402
    PAGES,
    Client,
    Stats,
    page_load,
    start_server,
    stop_server,
    summary,
)

from tests.browser import free_port  # noqa: E402

PASSWORD = "load-Pass-2026"


def build_sample(directory: Path, clients: int) -> str:
    from monitor.catalogue_file import load_catalogue
    from monitor.domain.access import Role
    from monitor.services.accounts import add_user
    from monitor.storage.db import make_engine

    url = f"sqlite:///{directory / 'sample.db'}"
    for step in (["init"], ["demo"], ["forecast", "refresh"], ["alerts", "evaluate"]):
        subprocess.run([sys.executable, "-m", "monitor", "--db", url, *step], cwd=ROOT, check=True, capture_output=True)
    engine = make_engine(url)
    catalogue = load_catalogue(ROOT / "indicators.toml")
    for i in range(clients):
        add_user(engine, catalogue, f"load{i:02d}", Role.GROUP, PASSWORD)
    engine.dispose()
    return url


def run_clients(base: str, clients: int, seconds: float, max_requests: int) -> tuple[Stats, float]:
    """All clients sign in at once, then load pages until `seconds` pass or `max_requests` are sent each."""
    signed = [Client(base) for _ in range(clients)]
    sign_ins = Stats()
    threads = [
        threading.Thread(target=c.sign_in, args=(f"load{i:02d}", PASSWORD, sign_ins)) for i, c in enumerate(signed)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stats = Stats()
    deadline = time.monotonic() + seconds

    def work(index: int, client: Client) -> None:
        k = index
        while time.monotonic() < deadline and client.sent < max_requests:
            page_load(client, PAGES[k % len(PAGES)], stats)
            k += 1

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(signed)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    print(f"    sign-in of {clients} clients at once: {summary(sign_ins.all, sign_ins.errors)}", flush=True)
    return stats, wall


def load_phase(db_url: str, workers: int, args: argparse.Namespace, var_dir: Path) -> None:
    port = free_port()
    env = {**os.environ, "MONITOR_VAR_DIR": str(var_dir)}
    command = [sys.executable, "-m", "monitor", "--db", db_url, "serve", "--port", str(port)]
    if workers > 0:
        command += ["--workers", str(workers)]
    label = "waitress, 1 process" if workers <= 1 else f"gunicorn, {workers} workers"
    process = start_server(command, port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        warm = Client(base)
        warm.sign_in("load00", PASSWORD, Stats())
        for page in PAGES:  # every page once, as after a restart the first visitor does
            page_load(warm, page, Stats())
        stats, wall = run_clients(base, args.clients, args.seconds, args.max_requests)
    finally:
        stop_server(process)
    total = len(stats.all) + stats.errors
    rate = total / wall
    print(f"[{label}] {args.clients} clients, {wall:.0f} s: {rate:.1f} req/s, {summary(stats.all, stats.errors)}")
    if stats.errors:
        print(f"[{label}]   first error: {stats.first_error}")
    gdp = stats.by_name.get("router /indicator/gdp", [])
    if gdp:
        print(f"[{label}]   /indicator/gdp router callback: {summary(gdp, 0)}")
    for name in sorted(stats.by_name):
        if name.startswith("router"):
            print(f"[{label}]   {name:<34} {summary(stats.by_name[name], 0)}")
    sys.stdout.flush()


def regions_phase(regions: int, workers: int, args: argparse.Namespace, directory: Path) -> None:
    from board_bench import build_synthetic
    from load_client import floor_times, single_page_times

    db_url = build_synthetic(directory, regions)
    me = [sys.executable, str(ROOT / "bench" / "load_serve.py")]
    env = {**os.environ, "MONITOR_VAR_DIR": str(directory / "var-synthetic")}
    board_port, floor_port = free_port(), free_port()
    board = start_server([*me, "synthetic", db_url, str(regions), str(workers), str(board_port)], board_port, env)
    try:
        floor = start_server([*me, "floor", "-", "0", str(workers), str(floor_port)], floor_port, env)
        try:
            cockpit = single_page_times(f"http://127.0.0.1:{board_port}", args.loads)
            empty = floor_times(f"http://127.0.0.1:{floor_port}", args.loads)
        finally:
            stop_server(floor)
    finally:
        stop_server(board)
    label = f"{regions} regions, {'waitress' if workers <= 1 else f'gunicorn ×{workers}'}"
    print(f"[{label}] cockpit page (all its requests), {args.loads} loads: {summary(cockpit, 0)}")
    print(f"[{label}] empty Dash page (same server kind):  {summary(empty, 0)}")
    ratio = sorted(cockpit)[int(0.95 * (len(cockpit) - 1))] / sorted(empty)[int(0.95 * (len(empty) - 1))]
    print(f"[{label}] ratio cockpit / empty page p95: {ratio:.2f}x (target ≤ 2x)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each load phase (default 60)")
    parser.add_argument("--max-requests", type=int, default=5000, help="requests per client at most (default 5000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="1 = waitress; N > 1 = gunicorn")
    parser.add_argument("--regions", type=int, default=0, help="synthetic regions for the cockpit/empty ratio")
    parser.add_argument("--loads", type=int, default=40, help="cockpit and empty page loads at --regions")
    args = parser.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = build_sample(Path(tmp), args.clients)
        print(f"sample database and {args.clients} accounts ready", flush=True)
        for workers in args.workers:
            load_phase(db_url, workers, args, Path(tmp) / f"var-{workers}")
            print(f"    load average now {os.getloadavg()[0]:.2f}", flush=True)
        if args.regions:
            regions_phase(args.regions, max(args.workers), args, Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
