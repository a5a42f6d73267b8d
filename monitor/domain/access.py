"""Who may do what on the board: roles and the permission rules, as pure functions.

The board (and any other adapter that acts for a signed-in person) asks these functions on the
server for every action; hiding a button is never the check. Pure: no session, database or clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "ROLE_ZH",
    "Principal",
    "Role",
    "may_acknowledge",
    "may_handle_problem",
    "may_manage_users",
    "may_read_audit",
    "may_upload_for",
    "password_problem",
    "role_from_text",
]

PASSWORD_MIN_LENGTH = 8


class Role(StrEnum):
    ADMIN = "admin"  # 管理员: users and every action
    GROUP = "group"  # 领导小组: sees everything, acts for any department
    REPORTER = "reporter"  # 部门填报员: bound to one department, acts only for it
    VIEWER = "viewer"  # 只读


ROLE_ZH: dict[Role, str] = {
    Role.ADMIN: "管理员",
    Role.GROUP: "领导小组",
    Role.REPORTER: "部门填报员",
    Role.VIEWER: "只读",
}


@dataclass(frozen=True)
class Principal:
    """The signed-in person an action belongs to; `department` is set for reporters only."""

    username: str
    display_name: str
    role: Role
    department: str | None = None

    @property
    def acts_for_all(self) -> bool:
        return self.role in (Role.ADMIN, Role.GROUP)


def may_upload_for(principal: Principal, department: str) -> bool:
    """Upload a department's figures: the group and admins for any department, a reporter for its own."""
    if principal.acts_for_all:
        return True
    return principal.role is Role.REPORTER and principal.department == department


def may_acknowledge(principal: Principal, indicator_departments: Iterable[str]) -> bool:
    """Acknowledge an alert: the group and admins any; a reporter one whose indicator its department (co-)leads."""
    if principal.acts_for_all:
        return True
    return principal.role is Role.REPORTER and principal.department in set(indicator_departments)


def may_handle_problem(principal: Principal, assigned_department: str) -> bool:
    """Change a 项目服务清单 problem: the group and admins any; a reporter those assigned to its department."""
    if principal.acts_for_all:
        return True
    return principal.role is Role.REPORTER and principal.department == assigned_department


def may_manage_users(principal: Principal) -> bool:
    return principal.role is Role.ADMIN


def may_read_audit(principal: Principal) -> bool:
    return principal.role is Role.ADMIN


def role_from_text(text: str) -> Role:
    """A role from its code (admin, group, reporter, viewer) or its Chinese name; ValueError names the choices."""
    cleaned = text.strip()
    for role in Role:
        if cleaned.lower() == role.value or cleaned == ROLE_ZH[role]:
            return role
    choices = "、".join(f"{r.value}（{ROLE_ZH[r]}）" for r in Role)
    raise ValueError(f"角色“{text}”无效，可选：{choices}")


def password_problem(password: str) -> str | None:
    """Why a new password is refused (Chinese), or None: at least 8 characters with letters and digits."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"密码至少 {PASSWORD_MIN_LENGTH} 个字符"
    if not any(c.isascii() and c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        return "密码须同时包含字母和数字"
    if password != password.strip():
        return "密码首尾不能是空格"
    return None
