"""Load the synthetic sample data through the same write path as real imports."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import parse_period
from monitor.errors import UsageError
from monitor.sample_data import generate_sample
from monitor.services.clock import utc_now
from monitor.services.project_demo import load_project_demo
from monitor.services.tasks import TASKS_FILE
from monitor.settings import PROJECT_ROOT
from monitor.storage.db import transaction
from monitor.storage.meta import SAMPLE_TODAY, has_observations, set_meta
from monitor.storage.models import Import
from monitor.storage.observations import WriteCounts, record_observations

SAMPLE_FILE_NAME = "示例数据（monitor demo 生成的模拟数据，非官方统计）"


@dataclass(frozen=True)
class DemoResult:
    rows: int
    counts: WriteCounts
    seconds: float
    today: str
    import_id: int


def with_period_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `year` and `period_end` derived from canonical period text (parsed once per distinct period)."""
    periods = {text: parse_period(text) for text in frame["period"].unique()}
    out = frame.copy()
    out["year"] = out["period"].map(lambda p: periods[p].year)
    out["period_end"] = out["period"].map(lambda p: periods[p].end_date())
    return out


def load_demo(engine: Engine, catalogue: Catalogue, tasks_file: Path | None = None) -> DemoResult:
    """Write the sample data (2016-01 to 2021-06) as one transaction; refuses a database with real data."""
    started = time.perf_counter()
    tasks_file = tasks_file or PROJECT_ROOT / TASKS_FILE
    with transaction(engine) as session:
        if has_observations(session, real_only=True):
            raise UsageError("数据库中已有正式数据，不能再载入示例数据（示例数据只用于演示和测试，请换一个空数据库）")
    sample = generate_sample(catalogue)
    frame = with_period_columns(sample.observations)
    with transaction(engine) as session:
        now = utc_now()
        batch = Import(
            file_name=SAMPLE_FILE_NAME,
            sha256=None,
            department=None,
            channel="demo",
            status="accepted",
            started_at=now,
            is_sample=True,
            warnings=[],
            errors=[],
            message=f"示例数据，自带“当前日期” {sample.today.isoformat()}",
        )
        session.add(batch)
        session.flush()
        counts = record_observations(session, frame, import_id=batch.id, is_sample=True)
        batch.inserted, batch.revised, batch.unchanged = counts.inserted, counts.revised, counts.unchanged
        batch.finished_at = utc_now()
        load_project_demo(session, catalogue, import_id=batch.id, now=now, tasks_file=tasks_file)
        set_meta(session, SAMPLE_TODAY, sample.today.isoformat())
        import_id = batch.id
    return DemoResult(len(frame), counts, time.perf_counter() - started, sample.today.isoformat(), import_id)


def database_is_empty(engine: Engine) -> bool:
    with transaction(engine) as session:
        return not has_observations(session)
