"""The board over plain HTTP, as a hand-crafted client would talk to it: no session, wrong role, foreign origin.

Every callback is discovered from the app's own callback map (`/_dash-dependencies`), never from a
hand list, and posted with values that would change data if the server let them through.
"""

from __future__ import annotations

import base64
import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from monitor.domain.catalogue import Catalogue
from tests.board.accounts import ACCOUNTS, HttpClient
from tests.board.files import good_template_file
from tests.browser import BoardServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # a board process on the shared sample database

CALLBACK = "/_dash-update-component"


def query(board: BoardServer, sql: str, **params: Any) -> list[Any]:
    engine = create_engine(board.db_url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text(sql), params).all())
    finally:
        engine.dispose()


def written(board: BoardServer) -> tuple[int, ...]:
    """What a state-changing callback would change: figures, imports, acknowledgements, alert events."""
    return tuple(
        int(query(board, sql)[0][0])
        for sql in (
            "SELECT COUNT(*) FROM observations",
            "SELECT COUNT(*) FROM imports",
            "SELECT COUNT(*) FROM alerts WHERE acknowledged_by IS NOT NULL",
            "SELECT COUNT(*) FROM alert_events",
        )
    )


def callback_map(board: BoardServer) -> list[dict[str, Any]]:
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    status, _, raw = admin.request("/_dash-dependencies")
    assert status == 200
    return [c for c in json.loads(raw) if not c.get("clientside_function")]


def split_output(output: str) -> list[dict[str, str]]:
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]


def stats_alert(board: BoardServer, catalogue: Catalogue) -> int:
    """An active alert whose indicator 区统计局 leads and 区财政局 neither leads nor co-leads."""
    for alert_id, code in query(board, "SELECT id, indicator FROM alerts WHERE state <> 'resolved' ORDER BY id"):
        departments = catalogue.indicators[code].departments
        if "stats" in departments and "finance" not in departments:
            return int(alert_id)
    raise AssertionError("the sample has no active 区统计局 alert")


@pytest.fixture(scope="module")
def crafted(board: BoardServer, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Values that change data when a callback accepts them: a good file, a click, an alert to acknowledge."""
    file = good_template_file(catalogue, tmp_path_factory.mktemp("crafted"))
    return {
        "contents": "data:text/csv;base64," + base64.b64encode(file.read_bytes()).decode(),
        "filename": file.name,
        "n_clicks": 1,
        "import-department.value": "hrss",
        "selectedRows": [{"id": stats_alert(board, catalogue)}],
        "alerts-note.value": "伪造的说明",
    }


def body_of(callback: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    def value(item: dict[str, str]) -> Any:
        key = f"{item['id']}.{item['property']}"
        return values.get(key, values.get(item["property"]))

    outputs = split_output(callback["output"])
    return {
        "output": callback["output"],
        "outputs": outputs if callback["output"].startswith("..") else outputs[0],
        "inputs": [{**i, "value": value(i)} for i in callback["inputs"]],
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in callback["inputs"]],
        "state": [{**s, "value": value(s)} for s in callback["state"]],
    }


def test_every_callback_without_a_session_answers_401_and_writes_nothing(
    board: BoardServer, crafted: dict[str, Any]
) -> None:
    callbacks = callback_map(board)
    assert len(callbacks) >= 10
    before = written(board)
    anonymous = HttpClient(board.url)
    for callback in callbacks:
        status, answer = anonymous.post_json(CALLBACK, body_of(callback, crafted))
        assert status == 401, callback["output"]
        assert "登录" in answer["message"]
    assert written(board) == before


def test_a_viewer_changes_nothing_through_any_callback(board: BoardServer, crafted: dict[str, Any]) -> None:
    viewer = HttpClient(board.url)
    assert viewer.sign_in("viewer") == 200
    before = written(board)
    refused = []
    for callback in callback_map(board):
        status, answer = viewer.post_json(CALLBACK, body_of(callback, crafted))
        assert status in (200, 204, 403), (callback["output"], status, answer)
        if status == 403:
            assert "没有权限" in answer["message"]
            refused.append(callback["output"])
    assert written(board) == before
    assert any("import-result" in o for o in refused)  # the upload
    assert any("alerts-message" in o for o in refused)  # the acknowledgement


def test_a_reporter_crafting_requests_by_hand_is_refused(
    board: BoardServer, catalogue: Catalogue, crafted: dict[str, Any]
) -> None:
    finance = HttpClient(board.url)
    assert finance.sign_in("finance") == 200
    callbacks = {c["output"]: c for c in callback_map(board)}
    upload = next(c for o, c in callbacks.items() if "import-result" in o)
    ack = next(c for o, c in callbacks.items() if "alerts-message" in o)
    before = written(board)
    status, answer = finance.post_json(CALLBACK, body_of(upload, {**crafted, "import-department.value": "stats"}))
    assert status == 403
    assert "区财政局" in answer["message"]
    status, answer = finance.post_json(CALLBACK, body_of(ack, crafted))
    assert status == 403
    assert "只能确认本单位" in answer["message"]
    assert written(board) == before
    denied = query(board, "SELECT action FROM audit_log WHERE username = 'finance' AND outcome = 'denied'")
    assert {"upload", "acknowledge"} <= {row[0] for row in denied}


def test_a_foreign_origin_or_none_is_refused_even_with_a_session(board: BoardServer, crafted: dict[str, Any]) -> None:
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    ack = next(c for c in callback_map(board) if "alerts-message" in c["output"])
    before = written(board)
    for origin in ("http://evil.example", None):
        status, answer = admin.post_json(CALLBACK, body_of(ack, crafted), origin=origin)
        assert status == 403
        assert "跨站" in answer["message"]
    assert written(board) == before
    form = b"username=admin&password=x"
    status, _, _ = admin.request("/login", form, {"Origin": "http://evil.example"})
    assert status == 403


@pytest.mark.parametrize("path", ["/", "/indicators", "/alerts", "/imports", "/ranking", "/indicator/gdp", "/audit"])
def test_security_headers_on_every_page(board: BoardServer, path: str) -> None:
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    status, headers, _ = admin.request(path)
    assert status == 200
    check_headers(headers)


def check_headers(headers: dict[str, str]) -> None:
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]
    assert "waitress" not in headers.get("Server", "").lower()


def test_headers_also_on_the_sign_in_page_assets_and_refusals(board: BoardServer) -> None:
    anonymous = HttpClient(board.url)
    for path in ("/login", "/assets/board.css", "/no-such-page"):
        _, headers, _ = anonymous.request(path)
        check_headers(headers)
    status, headers, _ = anonymous.request(CALLBACK, b"{}", {"Origin": board.url})
    assert status == 401
    check_headers(headers)


def max_age(headers: dict[str, str]) -> int:
    directives = [d.strip() for d in headers.get("Cache-Control", "").split(",")]
    if "no-cache" in directives or "no-store" in directives:
        return 0
    return max((int(d.split("=", 1)[1]) for d in directives if d.startswith("max-age=")), default=0)


def test_the_pages_assets_are_kept_by_the_browser_not_asked_again_on_every_load(board: BoardServer) -> None:
    """Each page names its CSS and scripts with their file's time (?m=): the browser keeps them, so a page load
    starts without a round trip per file; the same file without the time is asked again as before."""
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    _, _, page = admin.request("/")
    named = sorted(set(re.findall(r'"(/assets/[^"?]+\?m=[0-9.]+)"', page.decode())))
    assert any("board.css" in p for p in named)
    assert any("session.js" in p for p in named)
    for path in named:
        status, headers, _ = admin.request(path)
        assert status == 200
        assert max_age(headers) >= 86400, (path, headers.get("Cache-Control"))
        check_headers(headers)
    _, headers, _ = admin.request("/assets/board.css")
    assert max_age(headers) == 0


def test_a_session_cookie_is_httponly_samesite_and_renewed_at_sign_in(board: BoardServer) -> None:
    client = HttpClient(board.url)
    client.request("/login")
    assert client.sign_in("admin") == 200
    first = {c.name: c for c in client.jar}["monitor_session"]
    assert first.has_nonstandard_attr("HttpOnly")
    assert first.get_nonstandard_attr("SameSite") == "Lax"
    assert client.sign_in("admin") == 200
    second = {c.name: c for c in client.jar}["monitor_session"]
    assert second.value != first.value


def test_malformed_requests_answer_4xx(board: BoardServer, crafted: dict[str, Any]) -> None:
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    headers = {"Origin": board.url, "Content-Type": "application/json"}
    assert admin.request(CALLBACK, b"{not json", headers)[0] == 400
    assert admin.request(CALLBACK, b"{}", headers)[0] == 400
    assert admin.request(CALLBACK, b'{"output": "nothing.children", "inputs": []}', headers)[0] in (400, 404)
    ack = next(c for c in callback_map(board) if "alerts-message" in c["output"])
    status, _ = admin.post_json(CALLBACK, body_of(ack, {**crafted, "selectedRows": [{"id": "1 OR 1=1"}]}))
    assert status == 400
    for path in (
        "/assets/../monitor.db",
        "/assets/%2e%2e/%2e%2e/pyproject.toml",
        "/_dash-component-suites/../x",
        "/_dash-component-suites/dash/no-such-file.js",
        "/assets/no-such-file.css",
    ):
        assert 400 <= admin.request(path)[0] < 500, path


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_a_200_mb_body_is_refused_before_it_is_read(board: BoardServer) -> None:
    admin = HttpClient(board.url)
    assert admin.sign_in("admin") == 200
    cookie = "; ".join(f"{c.name}={c.value}" for c in admin.jar)
    size = 200 * 1024 * 1024
    rss_before = rss_mb(board.process.pid)
    head = (
        f"POST {CALLBACK} HTTP/1.1\r\nHost: 127.0.0.1:{board.port}\r\nOrigin: {board.url}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    )
    chunk, sent, answer = b"x" * (1024 * 1024), 0, b""
    with socket.create_connection(("127.0.0.1", board.port), timeout=60) as sock:
        sock.sendall(head.encode())
        sock.settimeout(5)
        try:  # the cap is judged from Content-Length: the answer may come before any body is sent
            answer = sock.recv(4096)
        except TimeoutError:
            sock.settimeout(60)
            try:
                while sent < size:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except OSError:  # the server closed the connection: it refused the body
                pass
            try:
                answer = sock.recv(4096)
            except OSError:  # reset after its answer: the answer itself may be lost with the reset
                answer = b"HTTP/1.1 413 (connection reset after refusing)"
    assert answer.decode("latin-1").startswith("HTTP/1.1 413"), answer[:200]
    assert sent < size  # the server stopped reading long before the end
    assert board.process.poll() is None  # refused, not crashed
    # the body was never buffered: the board (its caches filled by the tests before) grew by far less
    # than the 200 MB it was sent
    assert rss_mb(board.process.pid) - rss_before < 30


def test_lockout_after_five_failures_then_the_right_password_is_refused(board: BoardServer) -> None:
    client = HttpClient(board.url)
    for _ in range(5):
        assert client.sign_in("locked", "wrong-password-1") == 401
    assert client.sign_in("locked", ACCOUNTS["locked"].password) == 401
    status, _, page = client.request("/")
    assert "/login" in page.decode() or status in (302, 200)
    actions = [r[0] for r in query(board, "SELECT action FROM audit_log WHERE username = 'locked' ORDER BY id")]
    assert actions.count("sign_in_failed") == 6
    assert "lockout" in actions


def test_sign_in_upload_and_sign_out_are_audited_with_the_file_hash(
    board: BoardServer, crafted: dict[str, Any]
) -> None:
    hrss = HttpClient(board.url)
    assert hrss.sign_in("hrss") == 200
    upload = next(c for c in callback_map(board) if "import-result" in c["output"])
    status, answer = hrss.post_json(CALLBACK, body_of(upload, crafted))
    assert status == 200
    assert "已接收" in json.dumps(answer, ensure_ascii=False)
    status, _, _ = hrss.request("/logout", b"", {"Origin": board.url})
    assert status == 200  # redirected to the 登录 page
    assert hrss.request("/_dash-layout")[0] == 401
    rows = query(
        board,
        "SELECT action, object, outcome, role, department, remote_addr, detail FROM audit_log "
        "WHERE username = 'hrss' ORDER BY id",
    )
    actions = [r[0] for r in rows]
    assert actions[-3:] == ["sign_in", "upload", "sign_out"]
    _, name, outcome, role, department, address, detail = rows[-2]
    assert (name, outcome, role, department, address) == (
        crafted["filename"],
        "success",
        "reporter",
        "hrss",
        "127.0.0.1",
    )
    detail = json.loads(detail) if isinstance(detail, str) else detail
    assert len(detail["sha256"]) == 64
    assert detail["status"] == "accepted"
    assert isinstance(detail["import_id"], int)
