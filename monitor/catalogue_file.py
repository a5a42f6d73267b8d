"""Reads the catalogue file: TOML decoding and the checks that need the system (time zones)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from monitor.domain.catalogue import Catalogue, CatalogueProblem, parse_catalogue
from monitor.errors import CatalogueInvalid, ConfigError


def load_catalogue(path: str | Path) -> Catalogue:
    """Load and validate the catalogue; raises ConfigError listing every problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"找不到指标目录文件 {path}（用 --config 或 MONITOR_CONFIG 指定）", str(path)) from None
    except OSError as exc:
        raise ConfigError(f"无法读取指标目录文件 {path}：{exc.strerror}", str(path)) from None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigError(f"指标目录文件 {path} 不是 UTF-8 编码，请用 UTF-8 保存", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        problem = CatalogueProblem("(TOML 语法)", f"TOML 语法错误：{exc}", "toml_syntax")
        raise ConfigError(f"指标目录文件 {path} 不是合法的 TOML", str(path), [problem]) from None
    problems: list[CatalogueProblem] = []
    try:
        catalogue = parse_catalogue(data)
    except CatalogueInvalid as exc:
        problems = list(exc.problems)
        catalogue = None
    tz = (data.get("meta") or {}).get("timezone", "Asia/Shanghai") if isinstance(data.get("meta"), dict) else None
    if isinstance(tz, str):
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(
                CatalogueProblem("meta.timezone", f"未知的时区“{tz}”（例如 Asia/Shanghai）", "bad_timezone")
            )
    if problems or catalogue is None:
        raise ConfigError(f"指标目录 {path} 有 {len(problems)} 处问题", str(path), problems)
    return catalogue
