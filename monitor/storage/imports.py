"""The `imports` table: one row per file offered for loading, whatever became of it.

Duplicate detection rests on the partial unique index `uq_imports_accepted_sha256` (one accepted
row per sha256), so two processes importing the same bytes at once cannot both land them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from monitor.storage.models import Import

__all__ = ["IMPORT_COLUMNS", "add_import", "find_accepted", "is_duplicate_violation", "list_imports", "lock_imports"]

_LOCK_KEY = 7_202_105  # any constant: the advisory lock that serialises imports on PostgreSQL

IMPORT_COLUMNS = [
    "id",
    "file_name",
    "sha256",
    "department",
    "channel",
    "status",
    "started_at",
    "finished_at",
    "inserted",
    "revised",
    "unchanged",
    "warnings",
    "errors",
    "is_sample",
    "message",
]


def lock_imports(session: Session) -> None:
    """Serialise importing transactions so each compares against what the previous one committed.

    PostgreSQL: a transaction-level advisory lock (released at commit or rollback). SQLite allows one
    writer at a time already: the import row, written first, takes the database's write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def find_accepted(session: Session, sha256: str) -> Import | None:
    """The accepted import of these exact bytes, if any."""
    stmt = select(Import).where(Import.sha256 == sha256, Import.status == "accepted").limit(1)
    return session.execute(stmt).scalar_one_or_none()


def add_import(session: Session, **fields: Any) -> Import:
    """Insert an imports row and return it with its id (flushed, not committed)."""
    row = Import(**fields)
    session.add(row)
    session.flush()
    return row


def is_duplicate_violation(exc: IntegrityError) -> bool:
    """Whether an IntegrityError is the accepted-sha256 unique index (another process won the race)."""
    message = str(exc.orig)
    return "uq_imports_accepted_sha256" in message or "imports.sha256" in message


def list_imports(session: Session, limit: int | None = None, status: str | None = None) -> pd.DataFrame:
    """The import log, newest first."""
    t = Import.__table__
    stmt = select(*(t.c[c] for c in IMPORT_COLUMNS)).order_by(t.c.id.desc())
    if status:
        stmt = stmt.where(t.c.status == status)
    if limit:
        stmt = stmt.limit(limit)
    return pd.DataFrame(session.execute(stmt).all(), columns=IMPORT_COLUMNS)


def finish(row: Import, finished_at: datetime, **fields: Any) -> None:
    """Record the outcome on an imports row."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.finished_at = finished_at
