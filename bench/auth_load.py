"""20 clients against the board at once, with sign-in and without it, in the same run.

    .venv/bin/python bench/auth_load.py [--clients 20] [--requests 25]

Builds the sample database (`monitor init`, `monitor demo`, `monitor forecast refresh`), makes one
account per client, then starts two boards on it, each in its own process on waitress with 8
threads as `monitor serve` does: the board as shipped (every request needs a session), and the
same board built without sign-in (`create_app(require_sign_in=False)`, which only this benchmark
uses). The clients (threads, each with its own cookie jar) first all sign in at once (the shipped
board only; timed apart: Argon2 is meant to cost), then all post `--requests` callbacks in a loop:
the cockpit content and the indicator detail for a street, as the browser does when a selector
changes. Printed per board: throughput (callbacks per second over the callback phase) and latency
p50/p95; and the ratios.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load_client import cockpit_change, detail_change  # noqa: E402

from tests.browser import free_port  # noqa: E402

STREETS = ["gusu", *[f"gusu.{s}" for s in ("pingjiang", "canglang", "jinchang", "shuangta", "huqiu")]]


def password(i: int) -> str:
    return f"load-Pass-{i:02d}"


def build(directory: Path, clients: int) -> str:
    from monitor.catalogue_file import load_catalogue
    from monitor.domain.access import Role
    from monitor.services.accounts import add_user
    from monitor.storage.db import make_engine

    url = f"sqlite:///{directory / 'sample.db'}"
    for step in (["init"], ["demo"], ["forecast", "refresh"]):
        subprocess.run([sys.executable, "-m", "monitor", "--db", url, *step], cwd=ROOT, check=True, capture_output=True)
    engine = make_engine(url)
    catalogue = load_catalogue(ROOT / "indicators.toml")
    for i in range(clients):
        add_user(engine, catalogue, f"load{i:02d}", Role.VIEWER, password(i))
    engine.dispose()
    return url


def serve_open(db_url: str, port: int) -> None:
    """The same board without sign-in, on the same server settings as `monitor serve`."""
    import waitress

    from dash_app.app import create_app
    from dash_app.board_state import warm_up
    from monitor.settings import load_settings

    settings = load_settings().with_overrides(database_url=db_url)
    app = create_app(settings, require_sign_in=False)
    warm_up()
    waitress.serve(app.server, host="127.0.0.1", port=port, threads=8, _quiet=True)


def start(args: list[str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server {args} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):
                return process
        except urllib.error.HTTPError:
            return process  # the board without sign-in has no /login: it answers, so it is up
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server {args} did not start")


def bodies() -> list[dict[str, object]]:
    return [cockpit_change("gusu"), *(detail_change("new_jobs", street) for street in STREETS)]


def signed_in_opener(base: str, index: int, sign_in: bool, out: list[float]) -> urllib.request.OpenerDirector:
    """A client with its own cookie jar, signed in when the board needs it (the time it took appended to `out`)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    if sign_in:
        form = urllib.parse.urlencode({"username": f"load{index:02d}", "password": password(index)}).encode()
        started = time.perf_counter()
        with opener.open(urllib.request.Request(base + "/login", data=form, headers={"Origin": base})) as answer:
            answer.read()
        out.append(time.perf_counter() - started)
    return opener


def client(base: str, opener: urllib.request.OpenerDirector, index: int, n: int, out: list[float]) -> None:
    work = bodies()
    for k in range(n):
        body = json.dumps(work[(index + k) % len(work)]).encode()
        request = urllib.request.Request(
            base + "/_dash-update-component",
            data=body,
            headers={"Content-Type": "application/json", "Origin": base},
        )
        started = time.perf_counter()
        with opener.open(request, timeout=300) as answer:
            payload = answer.read()
        out.append(time.perf_counter() - started)
        if answer.status != 200 or b"response" not in payload:
            raise RuntimeError(f"callback answered {answer.status}: {payload[:200]!r}")


def in_threads(targets: list[tuple[Callable[..., None], tuple[Any, ...]]]) -> float:
    threads = [threading.Thread(target=t, args=a) for t, a in targets]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def load(base: str, clients: int, n: int, sign_in: bool) -> dict[str, float]:
    """All clients sign in at once (timed apart), then all post their callbacks at once (timed)."""
    logins: list[float] = []
    openers: list[urllib.request.OpenerDirector | None] = [None] * clients

    def open_one(i: int) -> None:
        openers[i] = signed_in_opener(base, i, sign_in, logins)

    in_threads([(open_one, (i,)) for i in range(clients)])
    calls: list[float] = []
    wall = in_threads([(client, (base, openers[i], i, n, calls)) for i in range(clients)])
    if len(calls) != clients * n:
        raise RuntimeError(f"{clients * n - len(calls)} callbacks failed")
    result = {
        "throughput": len(calls) / wall,
        "p50": 1000 * statistics.median(calls),
        "p95": 1000 * pct(calls, 0.95),
    }
    if logins:
        result |= {"sign_in_p50": 1000 * statistics.median(logins), "sign_in_p95": 1000 * pct(logins, 0.95)}
    return result


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = build(Path(tmp), args.clients)
        print(f"sample database and {args.clients} accounts ready; {args.clients} clients × {args.requests} callbacks")
        results = {}
        for label, sign_in in (("without sign-in", False), ("with sign-in", True)):
            port = free_port()
            if sign_in:
                command = [sys.executable, "-m", "monitor", "--db", db_url, "serve", "--port", str(port)]
            else:
                command = [sys.executable, str(Path(__file__).resolve()), "--serve-open", db_url, str(port)]
            process = start(command, port)
            try:
                base = f"http://127.0.0.1:{port}"
                load(base, 2, 3, sign_in)  # warm the caches of both boards alike
                results[label] = load(base, args.clients, args.requests, sign_in)
            finally:
                process.terminate()
                process.wait(timeout=30)
            r = results[label]
            extra = f"   sign-in p50 {r['sign_in_p50']:.0f} ms p95 {r['sign_in_p95']:.0f} ms" if sign_in else ""
            print(
                f"{label:<16} {r['throughput']:6.1f} callbacks/s"
                f"   p50 {r['p50']:6.0f} ms   p95 {r['p95']:6.0f} ms{extra}"
            )
        a, b = results["with sign-in"], results["without sign-in"]
        print(
            f"ratio with/without: throughput {a['throughput'] / b['throughput']:.2f}x, "
            f"p50 {a['p50'] / b['p50']:.2f}x, p95 {a['p95'] / b['p95']:.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="callbacks per client")
    parser.add_argument("--serve-open", nargs=2, metavar=("DB_URL", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_open:
        serve_open(args.serve_open[0], int(args.serve_open[1]))
        return 0
    run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
