"""Server-side sign-in sessions of one board: a random id per sign-in, idle timeout, revocation.

The browser's (signed, HttpOnly) cookie carries only the session id; this table says whose it is
and when it was last used. Signing in always makes a new id (the old one is dropped), signing out
or a disabled user ends it at once, and an id unused for `idle` is gone. The table lives in the
board instance's folder (diskcache), so every worker process of the board knows every session; a
board restart starts a new folder and so signs everyone out. Times are passed in (the board asks
the one clock).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path

import diskcache

__all__ = ["SessionTable"]


class SessionTable:
    """Session id -> (user id, last seen), safe for the server's threads and worker processes."""

    def __init__(self, idle: timedelta, folder: Path) -> None:
        self.idle = idle
        # no eviction: a session ends by sign-out, idleness or its expiry (twice the idle time), never for space
        self._store = diskcache.Cache(str(folder), eviction_policy="none", timeout=60)
        self._expire = max(2 * idle.total_seconds(), 60.0)

    def open(self, user_id: int, now: datetime) -> str:
        sid = secrets.token_urlsafe(32)
        self._store.set(sid, (user_id, now.timestamp()), expire=self._expire)
        self._store.cull()
        return sid

    def touch(self, sid: str, now: datetime) -> tuple[int | None, bool]:
        """The user id of a live session (its idle clock restarted), and whether it just expired.

        A session used again within a twentieth of the idle time (at most 5 s) is not written again:
        one page load makes several requests, and each write is a disk write shared by the workers.
        """
        entry = self._store.get(sid)
        if entry is None:
            return None, False
        if 0 <= now.timestamp() - entry[1] < min(self.idle.total_seconds() / 20, 5.0):
            return int(entry[0]), False
        with self._store.transact():
            entry = self._store.get(sid)
            if entry is None:
                return None, False
            user_id, last_seen = entry
            if now.timestamp() - last_seen > self.idle.total_seconds():
                self._store.delete(sid)
                return int(user_id), True
            self._store.set(sid, (user_id, now.timestamp()), expire=self._expire)
            return int(user_id), False

    def close(self, sid: str) -> None:
        self._store.delete(sid)

    def release(self) -> None:
        """Close this process's connection (before a fork: each worker opens its own)."""
        self._store.close()
