"""The stored figures the alert rules read: newest period per series, revisions, figures of given imports.

Keyed by integers in the table (`storage.series_keys`), returned in codes as the rules expect.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

import numpy as np
import pandas as pd
from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from monitor.storage.fetch import fetch_frame
from monitor.storage.models import Observation
from monitor.storage.series_keys import decode_periods, load_keys, period_ends, year_filter

__all__ = ["current_of_imports", "latest_period_ends", "revisions_between"]

OBS = cast(Table, Observation.__table__)


def latest_period_ends(session: Session, regions: Sequence[str], years: Sequence[int]) -> pd.DataFrame:
    """Per series with a current figure in `years`: indicator, region, latest_end (Timestamp).

    One frequency per indicator, so the highest period key is the newest period.
    """
    keys = load_keys(session)
    stmt = (
        select(OBS.c.indicator_id, OBS.c.region_id, func.max(OBS.c.period_key))
        .where(OBS.c.known_to.is_(None), OBS.c.region_id.in_(keys.region_nums(regions)))
        .where(year_filter(OBS.c.period_key, years))
        .group_by(OBS.c.indicator_id, OBS.c.region_id)
    )
    rows = fetch_frame(session, stmt, {"indicator_id": "int", "region_id": "int", "key": "int"})
    indicator, region = keys.decode_codes(rows["indicator_id"], rows["region_id"])
    ends = pd.to_datetime(pd.Series(period_ends(rows["key"].tolist()), dtype=object))
    return pd.DataFrame({"indicator": indicator, "region": region, "latest_end": ends})


def revisions_between(session: Session, regions: Sequence[str], since: datetime, until: datetime) -> pd.DataFrame:
    """Each revision known in (since, until]: indicator, region, period, old_value, new_value, revised_at."""
    keys = load_keys(session)
    old, new = OBS.alias("old"), OBS.alias("new")
    stmt = (
        select(old.c.indicator_id, old.c.region_id, old.c.period_key, old.c.value, new.c.value, new.c.known_from)
        .join(
            new,
            (new.c.indicator_id == old.c.indicator_id)
            & (new.c.region_id == old.c.region_id)
            & (new.c.period_key == old.c.period_key)
            & (new.c.known_from == old.c.known_to),
        )
        .where(old.c.known_to > since, old.c.known_to <= until, old.c.region_id.in_(keys.region_nums(regions)))
    )
    rows = pd.DataFrame(
        session.execute(stmt).all(),
        columns=["indicator_id", "region_id", "key", "old_value", "new_value", "revised_at"],
    )
    indicator, region = keys.decode_codes(rows["indicator_id"], rows["region_id"])
    period = decode_periods(rows["key"])[0]
    frame = rows.drop(columns=["indicator_id", "region_id", "key"])
    frame.insert(0, "period", period)
    frame.insert(0, "region", region)
    frame.insert(0, "indicator", indicator)
    return frame.astype({"old_value": float, "new_value": float})


def current_of_imports(
    session: Session,
    import_ids: Sequence[int],
    indicators: Sequence[str],
    regions: Sequence[str],
    years: Sequence[int],
) -> pd.DataFrame:
    """Current figures of `indicators` × `regions` × `years` written by the given imports: indicator,
    region, period, year, value, yoy, import_id. The series are named so the look-up walks the
    current-version index (indicator, region, period) rather than every current figure."""
    keys = load_keys(session)
    stmt = select(OBS.c.indicator_id, OBS.c.region_id, OBS.c.period_key, OBS.c.value, OBS.c.yoy, OBS.c.import_id).where(
        OBS.c.known_to.is_(None),
        OBS.c.import_id.in_([int(i) for i in import_ids]),
        OBS.c.indicator_id.in_(keys.indicator_nums(indicators)),
        OBS.c.region_id.in_(keys.region_nums(regions)),
        year_filter(OBS.c.period_key, years),
    )
    kinds = {"indicator_id": "int", "region_id": "int", "key": "int", "value": "float", "yoy": "float"}
    rows = fetch_frame(session, stmt, kinds | {"import_id": "int"})
    indicator, region = keys.decode_codes(rows["indicator_id"], rows["region_id"])
    period, year, _ = decode_periods(rows["key"])
    return pd.DataFrame(
        {
            "indicator": indicator,
            "region": region,
            "period": period,
            "year": year.astype(np.int64),
            "value": rows["value"].astype(float),
            "yoy": rows["yoy"].astype(float),
            "import_id": rows["import_id"],
        }
    )
