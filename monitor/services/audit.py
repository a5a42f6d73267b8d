"""The security audit trail: append a row for every sign-in, upload, acknowledgement, user change, sync and send.

Rows are only ever inserted (no update, no delete anywhere in the product). Each row names the
actor (user, role, department), the remote address, the action, its object and the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from monitor.domain.access import Principal
from monitor.services.clock import utc_now
from monitor.storage.db import transaction
from monitor.storage.models import AuditEntry

__all__ = [
    "ACTION_ZH",
    "AUDIT_COLUMNS",
    "CLI_ACTOR",
    "OUTCOME_ZH",
    "Actor",
    "read_audit",
    "record",
]

ACTION_ZH = {
    "sign_in": "登录",
    "sign_in_failed": "登录失败",
    "lockout": "账户锁定",
    "sign_out": "退出登录",
    "session_expired": "会话超时",
    "upload": "上传数据",
    "acknowledge": "确认预警",
    "user_add": "新增用户",
    "user_passwd": "修改密码",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "catalogue_sync": "同步指标目录",
    "digest_send": "发送周报",
    "forbidden": "越权操作",
}
OUTCOME_ZH = {"success": "成功", "failure": "失败", "denied": "拒绝"}
AUDIT_COLUMNS = ["id", "at", "username", "role", "department", "remote_addr", "action", "object", "outcome", "detail"]


@dataclass(frozen=True)
class Actor:
    """Who acted and from where: a signed-in principal, the operator's command line, or an unknown visitor."""

    username: str | None
    role: str | None = None
    department: str | None = None
    remote_addr: str | None = None

    @classmethod
    def of(cls, principal: Principal, remote_addr: str | None) -> Actor:
        return cls(principal.username, principal.role.value, principal.department, remote_addr)


CLI_ACTOR = Actor("（命令行）", "operator", None, "local")


def record(
    engine: Engine,
    actor: Actor,
    action: str,
    obj: str,
    outcome: str,
    detail: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> None:
    """Append one audit row in its own transaction (so a refused action is recorded although it wrote nothing)."""
    with transaction(engine) as session:
        session.add(
            AuditEntry(
                at=now or utc_now(),
                username=(actor.username or "")[:64] or None,
                role=actor.role,
                department=actor.department,
                remote_addr=(actor.remote_addr or "")[:64] or None,
                action=action,
                object=obj,
                outcome=outcome,
                detail=detail or {},
            )
        )


def read_audit(
    engine: Engine, username: str | None = None, since: datetime | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Audit rows, newest first, optionally of one user and from a moment on (columns AUDIT_COLUMNS)."""
    query = select(*(getattr(AuditEntry, c) for c in AUDIT_COLUMNS)).order_by(AuditEntry.id.desc())
    if username:
        query = query.where(AuditEntry.username == username)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if limit:
        query = query.limit(limit)
    with transaction(engine) as session:
        rows = session.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=AUDIT_COLUMNS)
