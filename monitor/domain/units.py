"""Units departments report in, and conversion between units of the same family (万元 -> 亿元).

Conversion is strict: only units in the table convert, and only within a family, so a figure in
万美元 can never silently become 亿元. Pure: works on floats, pandas Series and numpy arrays alike.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, TypeVar, cast

from monitor.errors import UnitError

__all__ = [
    "FAMILIES",
    "KNOWN_UNITS",
    "UnitError",
    "convert",
    "factor",
    "family",
    "is_known",
    "normalise_unit",
]

# family -> {unit: how many base units one unit is}
FAMILIES: dict[str, dict[str, int]] = {
    "currency": {"元": 1, "万元": 10**4, "亿元": 10**8},
    "count": {"个": 1, "万个": 10**4},
    "enterprises": {"家": 1},
    "people": {"人": 1, "万人": 10**4},
    "area": {"平方米": 1, "万平方米": 10**4},
    "energy": {"千瓦时": 1, "万千瓦时": 10**4, "亿千瓦时": 10**8},
    "usd": {"美元": 1, "万美元": 10**4, "亿美元": 10**8},
    "freight": {"吨公里": 1, "万吨公里": 10**4},
    "passenger": {"人公里": 1, "万人公里": 10**4},
    "percent": {"%": 1},
    "index": {"上年同期=100": 1},
    "price": {"元/500克": 1},
}
_FAMILY_OF = {unit: name for name, units in FAMILIES.items() for unit in units}
_FACTOR = {unit: f for units in FAMILIES.values() for unit, f in units.items()}
KNOWN_UNITS: frozenset[str] = frozenset(_FAMILY_OF)

V = TypeVar("V")


def normalise_unit(text: object) -> str | None:
    """Unit text as written, minus width and spacing differences (NFKC: ％ -> %, ／ -> /); None when blank.

    Unknown units are returned too: the caller decides with ``is_known`` whether that is an error.
    """
    if text is None:
        return None
    try:
        if text != text:  # NaN, NaT
            return None
    except TypeError:  # pd.NA
        return None
    clean = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))
    return clean or None


def is_known(unit: str) -> bool:
    """Whether the unit (after normalisation) is in the unit table."""
    return normalise_unit(unit) in KNOWN_UNITS


def family(unit: str) -> str:
    """The family a unit belongs to ("currency" for 万元); UnitError for a unit not in the table."""
    clean = normalise_unit(unit)
    if clean is None:
        raise UnitError("单位为空：请填写单位，或留空整列以使用指标的默认单位")
    if clean not in _FAMILY_OF:
        raise UnitError(f"无法识别的单位“{clean}”：请改用 {'、'.join(_FAMILY_OF)} 之一")
    return _FAMILY_OF[clean]


def _ratio(from_unit: str, to_unit: str) -> tuple[int, int]:
    """(multiplier, divisor), both exact integers, so one float operation gives the rounded result."""
    source, target = family(from_unit), family(to_unit)
    if source != target:
        raise UnitError(
            f"单位“{normalise_unit(from_unit)}”不能换算为“{normalise_unit(to_unit)}”：两者不是同类单位，"
            "请按指标单位填报或改正单位列"
        )
    f_from, f_to = _FACTOR[str(normalise_unit(from_unit))], _FACTOR[str(normalise_unit(to_unit))]
    return (f_from // f_to, 1) if f_from >= f_to else (1, f_to // f_from)


def factor(from_unit: str, to_unit: str) -> float:
    """Multiply a value in ``from_unit`` by this to express it in ``to_unit`` (万元 -> 亿元: 1e-4)."""
    multiplier, divisor = _ratio(from_unit, to_unit)
    return multiplier / divisor


def convert(value: V, from_unit: str, to_unit: str) -> V:
    """Convert a float, Series or ndarray; returns the same kind. None stays None.

    Converting to a larger unit divides by an exact power of ten, so 12345 万元 is exactly 1.2345 亿元.
    """
    multiplier, divisor = _ratio(from_unit, to_unit)
    if value is None:
        return value
    number: Any = value
    return cast(V, number * float(multiplier) if divisor == 1 else number / float(divisor))
