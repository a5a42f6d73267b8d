"""The board finishes Dash's first-request setup before it serves: the Content-Security-Policy a worker
fixes on its first answer already lists every inline script its pages carry (the policy was once fixed
by a request that raced Dash's page-router setup, and the browser then blocked Dash's own script)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from dash_app.app import create_app
from monitor.domain.catalogue import Catalogue
from monitor.settings import PROJECT_ROOT, Settings
from monitor.storage.catalogue_sync import sync_catalogue
from monitor.storage.db import make_engine, migrate, transaction


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def test_the_policy_known_before_any_request_covers_every_inline_script_of_the_page(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    engine = make_engine(url)
    migrate(engine)
    with transaction(engine) as session:
        sync_catalogue(session, catalogue)
    engine.dispose()
    app = create_app(Settings(database_url=url, config_path=PROJECT_ROOT / "indicators.toml", var_dir=tmp_path))
    before_any_request = set(app.csp_hashes())
    answer = app.server.test_client().get("/login")  # the first request: Dash's before-request hooks run
    assert answer.status_code == 200
    with app.server.test_request_context("/"):
        page = app.index()
    executed = re.sub(r"<!--.*?-->", "", page, flags=re.S)  # Internet Explorer's conditional comment runs nowhere
    inline = re.findall(
        r"<script(?: id=\"_dash-renderer\" type=\"application/javascript\")?>(.*?)</script>", executed, flags=re.S
    )
    assert len(inline) == 2  # the page router's clientside title script and the renderer
    assert {_hash(script) for script in inline} <= before_any_request
    assert all(h in answer.headers["Content-Security-Policy"] for h in map(_hash, inline))
