"""Profile of the detail page's router callback (`/indicator/gdp`), through the board's whole request path.

    .venv/bin/python bench/profile_detail.py [--db sqlite:///var/monitor.db] [--top 15]

Signs in with the Flask test client (no network) and posts the page router's callback for
/indicator/gdp as the browser does: first computed (the cache folder is new) and then `--calls`
times read from the shared cache, each under cProfile; prints the mean time of both and the top
entries by cumulative time. Without --db it builds the sample database in a temporary folder.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BODY = {
    "output": ".._pages_content.children..._pages_store.data..",
    "outputs": [{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    "inputs": [
        {"id": "_pages_location", "property": "pathname", "value": "/indicator/gdp"},
        {"id": "_pages_location", "property": "search", "value": ""},
    ],
    "changedPropIds": ["_pages_location.pathname", "_pages_location.search"],
}


def profiled(client: object, calls: int, top: int, label: str) -> None:
    profile = cProfile.Profile()
    started = time.perf_counter()
    for _ in range(calls):
        profile.enable()
        answer = client.post(  # type: ignore[attr-defined]
            "/_dash-update-component",
            data=json.dumps(BODY),
            headers={"Content-Type": "application/json", "Origin": "http://localhost"},
        )
        profile.disable()
        if answer.status_code != 200 or "detail-growth" not in answer.get_data(as_text=True):
            raise RuntimeError(f"the detail page did not answer: {answer.status_code} {answer.get_data()[:300]!r}")
    mean = 1000 * (time.perf_counter() - started) / calls
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
    print(f"== {label}: {calls} calls, {mean:.1f} ms each (under cProfile)")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip()))


def main(argv: list[str] | None = None) -> int:
    from load_bench import PASSWORD, build_sample

    from dash_app.app import create_app
    from dash_app.board_state import board, warm_up
    from monitor.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a board database with the account load00 (default: a new sample database)")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or build_sample(Path(tmp), 1)
        settings = load_settings().with_overrides(database_url=url)
        settings = dataclasses.replace(settings, var_dir=Path(tmp) / "var")
        app = create_app(settings)
        warm_up()
        client = app.server.test_client()
        form = {"username": "load00", "password": PASSWORD, "next": "/"}
        client.post("/login", data=form, headers={"Origin": "http://localhost"})
        profiled(client, 1, args.top, "computed (first request of a data version)")
        profiled(client, args.calls, args.top, "read from the shared cache")
        board().cache.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
