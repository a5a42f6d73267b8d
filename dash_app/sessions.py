"""Server-side sign-in sessions of one board process: a random id per sign-in, idle timeout, revocation.

The browser's (signed, HttpOnly) cookie carries only the session id; this table says whose it is
and when it was last used. Signing in always makes a new id (the old one is dropped), signing out
or a disabled user ends it at once, and an id unused for `idle` is gone. A board restart signs
everyone out. Times are passed in (the board asks the one clock).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["SessionTable"]


@dataclass
class _Entry:
    user_id: int
    last_seen: datetime


class SessionTable:
    """Session id -> (user id, last seen), safe for the WSGI server's threads."""

    def __init__(self, idle: timedelta) -> None:
        self.idle = idle
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def open(self, user_id: int, now: datetime) -> str:
        sid = secrets.token_urlsafe(32)
        with self._lock:
            self._drop_idle(now)
            self._entries[sid] = _Entry(user_id, now)
        return sid

    def touch(self, sid: str, now: datetime) -> tuple[int | None, bool]:
        """The user id of a live session (its idle clock restarted), and whether it just expired."""
        with self._lock:
            entry = self._entries.get(sid)
            if entry is None:
                return None, False
            if now - entry.last_seen > self.idle:
                del self._entries[sid]
                return entry.user_id, True
            entry.last_seen = now
            return entry.user_id, False

    def close(self, sid: str) -> None:
        with self._lock:
            self._entries.pop(sid, None)

    def _drop_idle(self, now: datetime) -> None:
        for sid in [s for s, e in self._entries.items() if now - e.last_seen > self.idle]:
            del self._entries[sid]
