"""The board's cache of computed reports and pages, shared by all its worker processes (diskcache on disk).

One board instance (a `monitor serve`, whatever its number of workers) owns one folder under
var/board/; the workers it forks open the same folder, so a page computed by one worker is read
by the others. Keys are built by the callers from what a value depends on: the data key of the
snapshot (data version, alert version, catalogue, date) and the arguments. Nothing is ever
invalidated by hand: an import or an alert change moves the data key, so the next request
computes afresh, and entries of old keys age out (size limit, expiry).

Per-user content is kept apart automatically: while a value is computed, any look at the
signed-in person (dash_app.auth.current_principal calls `note_audience`) marks it, and such a
value is stored under the person's own key, the generic key holding only a marker that says so.
A computation that failed and showed an error box instead (`do_not_store`) is not stored.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import secrets
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import diskcache
from plotly.basedatatypes import BaseFigure

__all__ = [
    "SharedCache",
    "do_not_store",
    "instance_folder",
    "note_audience",
    "remove_stale_folders",
]

T = TypeVar("T")
PER_AUDIENCE = "\x00per-audience"  # the generic key's value when the real one is per person
EXPIRE_SECONDS = 2 * 24 * 3600  # entries of an old data key go at the latest after two days
_MISSING = object()


@dataclass
class _Computation:
    audience: bool = False  # the signed-in person was looked at
    failed: bool = False  # an error box was shown instead of the content


_local = threading.local()


def _stack() -> list[_Computation]:
    stack: list[_Computation] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


def note_audience() -> None:
    """The value being computed depends on who is signed in (every computation in progress on this thread)."""
    for c in _stack():
        c.audience = True


def do_not_store() -> None:
    """The value being computed is an error message, not the content: keep it out of the cache."""
    for c in _stack():
        c.failed = True


class _Pickler(pickle.Pickler):
    """Plotly figures go in as plain dicts: read back, a figure object would validate every property again
    (far slower than the page it belongs to); Dash sends both alike."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseFigure):
            return dict, (obj.to_dict(),)
        return NotImplemented


def _dumps(value: Any) -> bytes:
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    return out.getvalue()


def _text_key(parts: object) -> str:
    return json.dumps(parts, default=str, ensure_ascii=False, separators=(",", ":"))


class SharedCache:
    """get-or-compute over a diskcache folder; `audience()` names the signed-in person (None outside a request)."""

    def __init__(self, folder: Path, size_mb: float, audience: Callable[[], str | None]) -> None:
        self.folder = folder
        self._store = diskcache.Cache(str(folder), size_limit=int(size_mb * 1024 * 1024), timeout=60)
        self._audience = audience
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _lock(self, key: str) -> threading.Lock:
        """One computation per key at a time in this process (the others wait and read its result)."""
        with self._locks_guard:
            if len(self._locks) > 4096:
                self._locks = {k: v for k, v in self._locks.items() if v.locked()}
            return self._locks.setdefault(key, threading.Lock())

    def _get(self, key: str) -> Any:
        raw = self._store.get(key, default=None)
        return _MISSING if raw is None else pickle.loads(raw)

    def _set(self, key: str, value: Any) -> None:
        self._store.set(key, _dumps(value), expire=EXPIRE_SECONDS)

    def _read(self, key: str) -> Any:
        found = self._get(key)
        if isinstance(found, str) and found == PER_AUDIENCE:
            note_audience()
            who = self._audience()
            return _MISSING if who is None else self._get(_text_key([key, who]))
        return found

    def cached(self, key: object, compute: Callable[[], T]) -> T:
        """The value stored for `key` (or for `key` and the signed-in person), else `compute()` stored."""
        text = _text_key(key)
        found = self._read(text)
        if found is not _MISSING:
            return found  # type: ignore[no-any-return]
        with self._lock(text):
            found = self._read(text)
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
            stack = _stack()
            stack.append(_Computation())
            try:
                value = compute()
            finally:
                done = stack.pop()
            self._store_value(text, value, done)
        return value

    def _store_value(self, text: str, value: Any, done: _Computation) -> None:
        if done.failed:
            do_not_store()
            return
        if not done.audience:
            self._set(text, value)
            return
        note_audience()  # the computation around this one depends on the person too
        who = self._audience()
        if who is None:
            return
        self._set(text, PER_AUDIENCE)
        self._set(_text_key([text, who]), value)

    def clear(self) -> None:
        self._store.clear()

    def close(self) -> None:
        """Close this process's connection (before a fork: each worker opens its own)."""
        self._store.close()

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def instance_folder(var_dir: Path) -> Path:
    """A new folder for one board instance: var/board/instance-<pid of the serving process>-<random>."""
    return var_dir / "board" / f"instance-{os.getpid()}-{secrets.token_hex(4)}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_folders(var_dir: Path) -> None:
    """Folders of board instances that are no longer running (a killed board leaves its folder behind)."""
    root = var_dir / "board"
    if not root.is_dir():
        return
    for folder in root.glob("instance-*"):
        pid = folder.name.removeprefix("instance-").split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
