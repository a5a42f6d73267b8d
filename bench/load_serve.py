"""Servers of bench/load_bench.py: the board on the synthetic data, or an empty Dash page, on waitress or gunicorn.

    load_serve.py synthetic DB_URL REGIONS WORKERS PORT
    load_serve.py floor - 0 WORKERS PORT

Both are served exactly as `monitor serve` serves the board (monitor.cli.board_server), so the
cockpit and the empty page pay the same server costs.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from monitor.cli.board_server import ServeOptions, serve_wsgi  # noqa: E402


def main(argv: list[str]) -> int:
    kind, db_url, regions, workers, port = argv
    options = ServeOptions("127.0.0.1", int(port), int(workers), 8, 60 * 1024 * 1024)
    if kind == "floor":
        from dash import Dash, html

        app = Dash(__name__, title="floor", update_title="")
        app.layout = html.Div("空白页", id="ready")
        with app.server.test_request_context("/"):  # as dash_app.app.prepare_for_workers does for the board
            app._setup_server()
            app.index()
        serve_wsgi(app.server, options, lambda: None, lambda: None)
        return 0
    from pace_bench import bench_catalogue

    from dash_app.app import before_fork, create_app, prepare_for_workers
    from dash_app.board_state import board, warm_up
    from monitor.settings import Settings

    full, _ = bench_catalogue(int(regions))
    var_dir = Path(tempfile.mkdtemp(prefix="load-serve-"))
    app = create_app(Settings(db_url, ROOT / "indicators.toml", var_dir), catalogue=full)
    warm_up()
    prepare_for_workers(app)
    try:
        serve_wsgi(app.server, options, lambda: None, before_fork)
    finally:
        board().cache.remove()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
