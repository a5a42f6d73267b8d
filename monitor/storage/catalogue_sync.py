"""Mirror the catalogue into the database, idempotently, saying what changed.

Departments, regions and indicators that leave the catalogue are marked inactive, never deleted:
figures that refer to them are kept. Membership and targets are replaced to match the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import count
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.domain.catalogue import Catalogue, target_record
from monitor.storage import models as m

Row = dict[str, Any]


def _department_rows(c: Catalogue) -> list[Row]:
    return [
        {"code": d.code, "name": d.name, "role": d.role, "email": d.email, "external": d.external, "active": True}
        for d in c.departments.values()
    ]


def _region_rows(c: Catalogue) -> list[Row]:
    return [
        {"code": r.code, "name": r.name, "kind": r.kind.value, "parent": r.parent, "active": True}
        for r in c.regions.values()
    ]


def _indicator_rows(c: Catalogue) -> list[Row]:
    return [
        {
            "code": i.code,
            "name": i.name,
            "unit": i.unit,
            "frequency": i.frequency.value,
            "measure": i.measure.value,
            "direction": i.direction.value,
            "growth_basis": i.growth_basis.value,
            "lag_months": i.lag_months,
            "first_month": i.first_month,
            "due_day": i.due_day,
            "note": i.note,
            "source": i.supplier,
            "regions": [k.value for k in i.regions],
            "position": pos,
            "active": True,
        }
        for pos, i in enumerate(c.indicators.values())
    ]


def _indicator_department_rows(c: Catalogue) -> list[Row]:
    return [
        {"indicator": i.code, "department": d, "position": pos}
        for i in c.indicators.values()
        for pos, d in enumerate(i.departments)
    ]


def _set_rows(c: Catalogue) -> list[Row]:
    return [{"code": s.code, "name": s.name, "position": pos} for pos, s in enumerate(c.sets.values())]


def _category_rows(c: Catalogue) -> list[Row]:
    return [
        {"set_code": s.code, "code": cat.code, "name": cat.name, "position": pos}
        for s in c.sets.values()
        for pos, cat in enumerate(s.categories)
    ]


def _member_rows(c: Catalogue) -> list[Row]:
    rows = []
    for s in c.sets.values():
        pos = 0
        for cat in s.categories:
            for code in cat.indicators:
                rows.append({"set_code": s.code, "indicator": code, "category_code": cat.code, "position": pos})
                pos += 1
    return rows


def _target_rows(c: Catalogue) -> list[Row]:
    return [target_record(t) for t in c.targets]


# (model, key columns, rows, label, soft delete?) in foreign-key order
_TABLES: list[tuple[type[m.Base], tuple[str, ...], Callable[[Catalogue], list[Row]], str, bool]] = [
    (m.Department, ("code",), _department_rows, "责任单位", True),
    (m.Region, ("code",), _region_rows, "地区", True),
    (m.Indicator, ("code",), _indicator_rows, "指标", True),
    (m.IndicatorDepartment, ("indicator", "department"), _indicator_department_rows, "指标责任单位", False),
    (m.IndicatorSet, ("code",), _set_rows, "指标体系", False),
    (m.Category, ("set_code", "code"), _category_rows, "分类", False),
    (m.CategoryMember, ("set_code", "indicator"), _member_rows, "分类成员", False),
    (m.Target, ("year", "region", "indicator"), _target_rows, "目标", False),
]


def _key_text(key: Iterable[Any]) -> str:
    return "/".join(str(k) for k in key)


def _numbering(session: Session, model: type[m.Base]) -> Iterator[int] | None:
    """Next free numbers of a table whose rows key observations (`num`, never reused), else None."""
    column = getattr(model, "num", None)
    if column is None:
        return None
    return count(int(session.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1)


def sync_catalogue(session: Session, catalogue: Catalogue) -> list[str]:
    """Make the catalogue tables match `catalogue`; returns one Chinese line per change (none when equal)."""
    changes: list[str] = []
    deletions: list[list[Any]] = []
    for model, key_cols, build, label, soft in _TABLES:
        wanted = {tuple(r[k] for k in key_cols): r for r in build(catalogue)}
        existing = {tuple(getattr(o, k) for k in key_cols): o for o in session.scalars(select(model))}
        added, changed = [], []
        numbered = _numbering(session, model)
        for key, row in wanted.items():
            obj = existing.get(key)
            if obj is None:
                session.add(model(**row, **({"num": next(numbered)} if numbered else {})))
                added.append(_key_text(key))
                continue
            diffs = [
                f"{col}: {getattr(obj, col)!r} → {value!r}" for col, value in row.items() if getattr(obj, col) != value
            ]
            if diffs:
                for col, value in row.items():
                    setattr(obj, col, value)
                changed.append(f"{_key_text(key)}（{'；'.join(diffs)}）")
        gone = [key for key in existing if key not in wanted]
        if added:
            changes.append(f"新增{label} {len(added)} 项：{'、'.join(added[:12])}{' 等' if len(added) > 12 else ''}")
        changes.extend(f"更新{label} {text}" for text in changed)
        if soft:
            retired = [k for k in gone if getattr(existing[k], "active", False)]
            for key in retired:
                existing[key].active = False  # type: ignore[attr-defined]
            if retired:
                changes.append(f"停用{label}（保留其历史数据）：{'、'.join(_key_text(k) for k in retired)}")
        elif gone:
            deletions.append([existing[k] for k in gone])
            changes.append(f"删除{label} {len(gone)} 项：{'、'.join(_key_text(k) for k in gone[:12])}")
        session.flush()
    for objects in reversed(deletions):  # children before parents
        for obj in objects:
            session.delete(obj)
        session.flush()
    return changes
