"""Users of the board: add, list, change password, disable/enable, and sign-in with lockout.

Passwords are hashed with Argon2id (argon2-cffi) and never stored, logged or echoed in clear. A
disabled user keeps its row so the audit trail and acknowledgements keep naming it. Sign-in counts
failures in a row: `lockout_attempts` of them lock the account for `lockout_minutes`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from monitor.domain.access import ROLE_ZH, Principal, Role, password_problem
from monitor.domain.catalogue import Catalogue
from monitor.errors import UsageError
from monitor.services.clock import utc_now
from monitor.settings import AuthSettings
from monitor.storage.db import transaction
from monitor.storage.models import User

__all__ = [
    "SignIn",
    "add_user",
    "authenticate",
    "count_users",
    "disable_demo_accounts",
    "ensure_demo_accounts",
    "generated_password",
    "list_users",
    "load_principal",
    "principal_of",
    "set_active",
    "set_password",
]

_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("not-a-password-0")  # unknown names cost the same time as known ones
USER_COLUMNS = [
    "username",
    "display_name",
    "role",
    "department",
    "active",
    "is_demo",
    "locked_until",
    "last_sign_in_at",
]


@dataclass(frozen=True)
class SignIn:
    """The outcome of one sign-in attempt: the principal, or why not (Chinese) and whether it locked the account."""

    principal: Principal | None
    user_id: int | None
    message: str
    locked_now: bool = False
    known_user: bool = False


def generated_password() -> str:
    """A random password that meets the rule (letters and digits, 14 characters)."""
    while True:
        candidate = (
            secrets.token_urlsafe(10)[:12] + secrets.choice("abcdefghjkmnpqrstuvwxyz") + str(secrets.randbelow(10))
        )
        if password_problem(candidate) is None:
            return candidate


def _check_name(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or any(c.isspace() or c in "<>\"'&/\\" for c in name):
        raise UsageError(f"用户名“{username}”无效：1-64 个字符，不含空格和 < > \" ' & / \\")
    return name


def principal_of(user: User) -> Principal:
    return Principal(user.username, user.display_name, Role(user.role), user.department)


def add_user(
    engine: Engine,
    catalogue: Catalogue,
    username: str,
    role: Role,
    password: str,
    *,
    department: str | None = None,
    display_name: str | None = None,
    is_demo: bool = False,
) -> Principal:
    """Create a user; UsageError (Chinese) for a taken name, a weak password or a department not fitting the role."""
    name = _check_name(username)
    if role is Role.REPORTER and not department:
        raise UsageError(
            f"{ROLE_ZH[role]}必须绑定一个责任单位：加 --department 代码，可选：{'、'.join(catalogue.departments)}"
        )
    if role is not Role.REPORTER and department:
        raise UsageError(f"只有部门填报员绑定责任单位；{ROLE_ZH[role]}不加 --department")
    if department and department not in catalogue.departments:
        raise UsageError(f"未知的责任单位代码“{department}”，可选：{'、'.join(catalogue.departments)}")
    problem = password_problem(password)
    if problem:
        raise UsageError(f"密码不符合要求：{problem}")
    now = utc_now()
    with transaction(engine) as session:
        if session.scalar(select(User.id).where(User.username == name)) is not None:
            raise UsageError(f"用户“{name}”已存在（monitor users list 查看全部用户）")
        user = User(
            username=name,
            display_name=(display_name or name).strip()[:200],
            role=role.value,
            department=department,
            password_hash=_HASHER.hash(password),
            active=True,
            is_demo=is_demo,
            failed_attempts=0,
            created_at=now,
            password_changed_at=now,
        )
        session.add(user)
        session.flush()
        return principal_of(user)


def _user(session: Session, username: str) -> User:
    found = session.scalar(select(User).where(User.username == username.strip()))
    if found is None:
        raise UsageError(f"没有用户“{username}”（monitor users list 查看全部用户）")
    return found


def set_password(engine: Engine, username: str, password: str) -> None:
    """Give a user a new password (also lifts a lockout); UsageError for an unknown user or a weak password."""
    problem = password_problem(password)
    if problem:
        raise UsageError(f"密码不符合要求：{problem}")
    with transaction(engine) as session:
        user = _user(session, username)
        user.password_hash = _HASHER.hash(password)
        user.password_changed_at = utc_now()
        user.failed_attempts = 0
        user.locked_until = None


def set_active(engine: Engine, username: str, active: bool) -> None:
    """Disable (history kept, sign-in refused, sessions end at their next request) or enable a user."""
    with transaction(engine) as session:
        user = _user(session, username)
        user.active = active
        user.failed_attempts = 0
        user.locked_until = None


def list_users(engine: Engine) -> pd.DataFrame:
    """Every user (never the hash), by name; columns USER_COLUMNS."""
    with transaction(engine) as session:
        rows = session.execute(select(*(getattr(User, c) for c in USER_COLUMNS)).order_by(User.username)).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=USER_COLUMNS)


def count_users(engine: Engine, *, active_only: bool = True) -> int:
    query = select(func.count(User.id))
    if active_only:
        query = query.where(User.active.is_(True))
    with transaction(engine) as session:
        return int(session.scalar(query) or 0)


def load_principal(engine: Engine, user_id: int) -> Principal | None:
    """The principal of an active user by id (the board's session lookup), None when gone or disabled."""
    with transaction(engine) as session:
        user = session.get(User, user_id)
        return principal_of(user) if user is not None and user.active else None


def _verify(hashed: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(hashed, password))
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    engine: Engine, username: str, password: str, limits: AuthSettings, now: datetime | None = None
) -> SignIn:
    """Check a name and password, counting failures; a locked or disabled account is refused even with the right one."""
    moment = now or utc_now()
    refused = "用户名或密码错误"
    with transaction(engine) as session:
        user = session.scalar(select(User).where(User.username == username.strip())) if username.strip() else None
        if user is None:
            _verify(_DUMMY_HASH, password)
            return SignIn(None, None, refused)
        if user.locked_until is not None and user.locked_until > moment:
            return SignIn(None, user.id, _locked_message(user.locked_until, limits), known_user=True)
        if not _verify(user.password_hash, password):
            user.failed_attempts = (user.failed_attempts or 0) + 1
            if user.failed_attempts >= limits.lockout_attempts:
                user.failed_attempts = 0
                user.locked_until = moment + timedelta(minutes=limits.lockout_minutes)
                return SignIn(
                    None, user.id, _locked_message(user.locked_until, limits), locked_now=True, known_user=True
                )
            left = limits.lockout_attempts - user.failed_attempts
            return SignIn(None, user.id, f"{refused}（再错 {left} 次账户将被锁定）", known_user=True)
        if not user.active:
            return SignIn(None, user.id, "该账户已停用，请联系管理员", known_user=True)
        user.failed_attempts = 0
        user.locked_until = None
        user.last_sign_in_at = moment
        return SignIn(principal_of(user), user.id, "登录成功", known_user=True)


def _locked_message(until: datetime, limits: AuthSettings) -> str:
    minutes = limits.lockout_minutes
    shown = f"{minutes:g}"
    return (
        f"连续 {limits.lockout_attempts} 次密码错误，账户已锁定 {shown} 分钟"
        f"（至 {until.strftime('%H:%M')} UTC），请稍后再试或联系管理员重置密码"
    )


DEMO_ACCOUNTS: tuple[tuple[str, Role, str | None, str], ...] = (
    ("demo_admin", Role.ADMIN, None, "示例管理员"),
    ("demo_group", Role.GROUP, None, "示例领导小组成员"),
    ("demo_stats", Role.REPORTER, "stats", "示例填报员（区统计局）"),
    ("demo_finance", Role.REPORTER, "finance", "示例填报员（区财政局）"),
    ("demo_viewer", Role.VIEWER, None, "示例只读用户"),
)


def ensure_demo_accounts(engine: Engine, catalogue: Catalogue) -> list[tuple[Principal, str]]:
    """On sample data only: the labelled demo accounts, each with a password generated now (shown once).

    An account already there gets a new password and is enabled again; the passwords are never stored in clear.
    """
    out: list[tuple[Principal, str]] = []
    for username, role, department, name in DEMO_ACCOUNTS:
        if department is not None and department not in catalogue.departments:
            continue
        password = generated_password()
        with transaction(engine) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is not None and not user.is_demo:
                continue  # a real account of that name: leave it alone
            if user is not None:
                user.password_hash = _HASHER.hash(password)
                user.password_changed_at = utc_now()
                user.active, user.failed_attempts, user.locked_until = True, 0, None
                out.append((principal_of(user), password))
                continue
        principal = add_user(
            engine, catalogue, username, role, password, department=department, display_name=name, is_demo=True
        )
        out.append((principal, password))
    return out


def disable_demo_accounts(engine: Engine) -> int:
    """Real data arrived: the demo accounts can no longer sign in (their history stays). Returns how many."""
    with transaction(engine) as session:
        users = list(session.scalars(select(User).where(User.is_demo.is_(True), User.active.is_(True))))
        for user in users:
            user.active = False
        return len(users)
