"""`monitor users` and `monitor audit` through the entry point, and the sign-in rules of the accounts service."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from monitor.cli import main
from monitor.domain.access import Role, password_problem, role_from_text
from monitor.domain.catalogue import Catalogue
from monitor.services import accounts
from monitor.settings import PROJECT_ROOT, AuthSettings
from monitor.storage.db import make_engine, transaction
from monitor.storage.models import User

CONFIG = str(PROJECT_ROOT / "indicators.toml")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'monitor.db'}"
    assert main(["--db", url, "--config", CONFIG, "init"]) == 0
    return url


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str, *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(["--db", db, "--config", CONFIG, *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short1", "至少 8"),
        ("onlyletters", "字母和数字"),
        ("12345678", "字母和数字"),
        (" abc12345", "空格"),
        ("abc12345", None),
    ],
    ids=["short", "letters-only", "digits-only", "leading-space", "good"],
)
def test_the_password_rule(password: str, problem: str | None) -> None:
    found = password_problem(password)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_roles_by_code_or_chinese_name() -> None:
    assert role_from_text("部门填报员") is Role.REPORTER
    assert role_from_text("ADMIN") is Role.ADMIN
    with pytest.raises(ValueError, match="可选"):
        role_from_text("boss")


def test_users_add_list_passwd_disable_enable_and_the_audit(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    assert (
        run(
            capsys,
            monkeypatch,
            db,
            "users",
            "add",
            "wang",
            "--role",
            "reporter",
            "--department",
            "stats",
            "--display-name",
            "王五",
            "--password-stdin",
            stdin="secret123\n",
        )[0]
        == 0
    )
    code, _, err = run(
        capsys, monkeypatch, db, "users", "add", "wang", "--role", "viewer", "--password-stdin", stdin="secret123\n"
    )
    assert code == 1
    assert "已存在" in err
    code, _, err = run(
        capsys, monkeypatch, db, "users", "add", "li", "--role", "reporter", "--password-stdin", stdin="secret123\n"
    )
    assert code == 1
    assert "必须绑定一个责任单位" in err
    code, _, err = run(
        capsys, monkeypatch, db, "users", "add", "li", "--role", "viewer", "--password-stdin", stdin="short\n"
    )
    assert code == 1
    assert "密码不符合要求" in err
    code, out, _ = run(capsys, monkeypatch, db, "users", "list")
    assert code == 0
    assert "wang" in out
    assert "区统计局" in out
    assert "部门填报员" in out
    assert "secret123" not in out
    assert run(capsys, monkeypatch, db, "users", "passwd", "wang", "--password-stdin", stdin="newpass456\n")[0] == 0
    assert run(capsys, monkeypatch, db, "users", "disable", "wang")[0] == 0
    assert "停用" in run(capsys, monkeypatch, db, "users", "list")[1]
    assert run(capsys, monkeypatch, db, "users", "enable", "wang")[0] == 0
    engine = make_engine(db)
    with transaction(engine) as session:
        user = session.scalars(select(User).where(User.username == "wang")).one()
        assert user.password_hash.startswith("$argon2id$")
        assert "newpass456" not in user.password_hash
    code, out, _ = run(capsys, monkeypatch, db, "audit", "--format", "json")
    rows = json.loads(out)["rows"]
    actions = [(r["action"], r["object"], r["outcome"]) for r in rows]
    assert ("user_add", "wang", "success") in actions
    assert ("user_add", "li", "failure") in actions
    assert ("user_passwd", "wang", "success") in actions
    assert ("user_disable", "wang", "success") in actions
    assert ("user_enable", "wang", "success") in actions
    assert all("newpass456" not in json.dumps(r, ensure_ascii=False) for r in rows)
    code, out, _ = run(capsys, monkeypatch, db, "audit", "--format", "csv", "--user", "wang")
    assert out.startswith("\ufeff")  # like every CSV the product writes: Excel opens it as UTF-8
    table = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert table[0][:3] == ["编号", "时间", "用户"]
    assert run(capsys, monkeypatch, db, "audit", "--since", "2999-01-01")[1].strip() == "没有符合条件的审计记录"


def test_an_audit_csv_is_formula_safe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    run(capsys, monkeypatch, db, "users", "disable", '=HYPERLINK("http://x")')
    out = run(capsys, monkeypatch, db, "audit", "--format", "csv")[1]
    assert "'=HYPERLINK" in out


def test_sign_in_locks_after_the_set_failures_and_unlocks_after_the_set_minutes(db: str, catalogue: Catalogue) -> None:
    engine = make_engine(db)
    accounts.add_user(engine, catalogue, "zhao", Role.VIEWER, "right1234")
    limits = AuthSettings(lockout_attempts=3, lockout_minutes=15)
    start = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert accounts.authenticate(engine, "zhao", "wrong1234", limits, start).message.endswith(
        "（再错 2 次账户将被锁定）"
    )
    accounts.authenticate(engine, "zhao", "wrong1234", limits, start)
    third = accounts.authenticate(engine, "zhao", "wrong1234", limits, start)
    assert third.locked_now
    assert "已锁定 15 分钟" in third.message
    assert accounts.authenticate(engine, "zhao", "right1234", limits, start + timedelta(minutes=14)).principal is None
    later = accounts.authenticate(engine, "zhao", "right1234", limits, start + timedelta(minutes=16))
    assert later.principal is not None
    assert later.principal.role is Role.VIEWER
    assert accounts.authenticate(engine, "nobody", "right1234", limits, start).message == "用户名或密码错误"
    accounts.set_active(engine, "zhao", False)
    assert "停用" in accounts.authenticate(engine, "zhao", "right1234", limits, start + timedelta(minutes=20)).message


def test_demo_accounts_get_fresh_passwords_and_are_disabled_once_real_data_arrives(
    db: str, catalogue: Catalogue
) -> None:
    engine = make_engine(db)
    first = dict((p.username, pw) for p, pw in accounts.ensure_demo_accounts(engine, catalogue))
    assert {"demo_admin", "demo_stats", "demo_finance", "demo_viewer", "demo_group"} <= set(first)
    assert all(password_problem(pw) is None for pw in first.values())
    second = dict((p.username, pw) for p, pw in accounts.ensure_demo_accounts(engine, catalogue))
    assert second["demo_admin"] != first["demo_admin"]
    limits = AuthSettings()
    assert accounts.authenticate(engine, "demo_admin", first["demo_admin"], limits).principal is None
    assert accounts.authenticate(engine, "demo_admin", second["demo_admin"], limits).principal is not None
    assert accounts.disable_demo_accounts(engine) == 5
    assert accounts.count_users(engine) == 0
