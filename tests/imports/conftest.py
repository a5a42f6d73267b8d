"""Factories for department files (CSV in any encoding, XLSX with title rows) and database snapshots."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, select

from monitor.domain.catalogue import Catalogue, Measure
from monitor.domain.periods import Frequency
from monitor.storage.db import transaction
from monitor.storage.models import Import, Observation

DATA = Path(__file__).parent / "data"
TODAY = date(2021, 7, 20)
HEADER = ["指标代码", "地区", "期别", "数值", "单位", "同比增长(%)", "备注"]


def csv_bytes(
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = None,
    encoding: str = "utf-8",
) -> bytes:
    """A CSV as Excel would save it: an optional title line, the header, the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if title is not None:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue().encode(encoding)


def write_csv(folder: Path, name: str, rows: Sequence[Sequence[object]], **kw: object) -> Path:
    path = folder / name
    path.write_bytes(csv_bytes(rows, **kw))  # type: ignore[arg-type]
    return path


def write_xlsx(
    folder: Path,
    name: str,
    rows: Sequence[Sequence[object]],
    *,
    header: Sequence[str] = HEADER,
    title: str | None = "姑苏区主要经济指标",
    sheet: str = "Sheet1",
) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    if title is not None:
        ws.append([title])
        ws.append([])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = folder / name
    book.save(path)
    return path


def snapshot(engine: Engine) -> list[tuple]:
    """Every observation row, every column: "byte-for-byte unchanged" compares these."""
    with transaction(engine) as session:
        table = Observation.__table__
        order = [table.c.indicator_id, table.c.region_id, table.c.period_key, table.c.known_from]
        return [tuple(r) for r in session.execute(select(table).order_by(*order)).all()]


def import_rows(engine: Engine) -> list[Import]:
    with transaction(engine) as session:
        return list(session.execute(select(Import).order_by(Import.id)).scalars())


def big_frame(catalogue: Catalogue, rows: int, *, value_scale: float = 1.0) -> pd.DataFrame:
    """A valid canonical long table of `rows` figures: monthly cumulative indicators × regions × months,
    rising within each year and growing 5% a year (no warnings), ending 2021-06."""
    indicators = [
        i
        for i in catalogue.indicators.values()
        if i.frequency is Frequency.MONTHLY and i.measure is Measure.CUMULATIVE and i.first_month == 1
    ]
    regions = list(catalogue.regions)
    months = -(-rows // (len(indicators) * len(regions)))
    end = 2021 * 12 + 5
    index = np.arange(end - months + 1, end + 1)
    years, numbers = index // 12, index % 12 + 1
    grid = pd.MultiIndex.from_product([[i.code for i in indicators], regions, range(months)]).to_frame(index=False)
    grid.columns = ["indicator", "region", "k"]
    grid = grid.head(rows)
    y, m = years[grid["k"]], numbers[grid["k"]]
    base = 100.0 + (pd.factorize(grid["indicator"])[0] * 7 + pd.factorize(grid["region"])[0]) % 50
    value = np.round(value_scale * base * 1.05 ** (y - 2000) * m / 12, 2)
    return pd.DataFrame(
        {
            "indicator": grid["indicator"],
            "region": grid["region"],
            "period": [f"{a}-{b:02d}" for a, b in zip(y, m, strict=True)],
            "value": value,
            "yoy": 5.0,
        }
    )


@pytest.fixture
def samples() -> Path:
    return DATA
