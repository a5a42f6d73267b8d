"""Collecting the problems of a catalogue while it is parsed, so that every one is reported at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from monitor.domain.catalogue.model import CatalogueProblem

__all__ = ["Collector", "entry_key"]

E = TypeVar("E", bound=StrEnum)


class Collector:
    """Collects problems while parsing so that every one of them is reported at once."""

    def __init__(self) -> None:
        self.problems: list[CatalogueProblem] = []

    def add(self, key: str, message: str, code: str = "invalid") -> None:
        self.problems.append(CatalogueProblem(key, message, code))

    def text(self, entry: Mapping[str, Any], name: str, key: str, required: bool = True) -> str:
        value = entry.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(f"{key}.{name}", f"缺少必填项 {name}", "missing_field")
            return ""
        if not isinstance(value, str):
            self.add(f"{key}.{name}", f"{name} 应为文本，现为 {value!r}", "bad_type")
            return ""
        return value.strip()

    def integer(self, entry: Mapping[str, Any], name: str, key: str, lo: int, hi: int) -> int:
        value = entry.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(f"{key}.{name}", f"{name} 应为 {lo}-{hi} 之间的整数，现为 {value!r}", "bad_type")
            return lo
        if not lo <= value <= hi:
            self.add(f"{key}.{name}", f"{name} 应在 {lo}-{hi} 之间，现为 {value}", "out_of_range")
        return value

    def number(self, entry: Mapping[str, Any], name: str, key: str, default: float | None) -> float | None:
        value = entry.get(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(f"{key}.{name}", f"{name} 应为数字，现为 {value!r}", "bad_type")
            return default
        return float(value)

    def enum(self, entry: Mapping[str, Any], name: str, key: str, kind: type[E], what: str) -> E | None:
        value = entry.get(name)
        try:
            return kind(str(value)) if isinstance(value, str) else kind(value)  # type: ignore[arg-type]
        except ValueError:
            allowed = "、".join(m.value for m in kind)
            self.add(f"{key}.{name}", f"未知的{what}“{value}”，可选：{allowed}", f"unknown_{name}")
            return None

    def table_list(self, data: Mapping[str, Any], name: str) -> list[Mapping[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            self.add(name, f"{name} 应写成 [[{name}]] 表数组", "bad_type")
            return []
        return value

    def unique(self, seen: set[Any], value: Any, key: str, what: str) -> None:
        if value in seen:
            self.add(key, f"{what}“{value}”重复定义", "duplicate_code")
        seen.add(value)

    def unknown_keys(self, entry: Mapping[str, Any], allowed: Iterable[str], key: str) -> None:
        for extra in sorted(set(entry) - set(allowed)):
            self.add(f"{key}.{extra}", f"未知字段 {extra}（拼写错误？）", "unknown_key")


def entry_key(section: str, index: int, entry: Mapping[str, Any]) -> str:
    code = entry.get("code")
    return f"{section}[{index}] {code}" if isinstance(code, str) and code else f"{section}[{index}]"
