"""Upload files for the board tests: a good one from the department template, bad ones shaped like real files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import month
from monitor.services.templates import template_frame, template_title, write_template
from monitor.settings import PROJECT_ROOT

SAMPLES = PROJECT_ROOT / "tests" / "imports" / "data"  # copies of the department files shaped like real ones
BAD_SAMPLE = SAMPLES / "finance_2021-05_gb18030.csv"
"""区财政局's file: sent as 区人社局 (hrss) it is rejected, every row not_responsible."""


def good_template_file(catalogue: Catalogue, directory: Path) -> Path:
    """区人社局's template for 2021-06 filled in: 新增就业岗位 30,000 (60% of 50,000: ahead of 序时 50%)."""
    frame = template_frame(catalogue, "hrss", month(2021, 6))
    values = {"new_jobs": (30000, 18.5), "graduate_jobs": (5200, -13.9)}
    frame["数值"] = [values.get(c, (None, None))[0] for c in frame["指标代码"]]  # other rows stay blank: skipped
    frame["同比增长(%)"] = [values.get(c, (None, None))[1] for c in frame["指标代码"]]
    return write_template(frame, template_title(catalogue, "hrss", month(2021, 6)), directory / "人社局_2021年6月.csv")


def bad_template_file(catalogue: Catalogue, directory: Path) -> Path:
    """The same template with an unreadable number and an unknown indicator: rejected, two errors at least."""
    frame = template_frame(catalogue, "hrss", month(2021, 6))
    frame["数值"] = ["三万", *[5200] * (len(frame) - 1)]
    frame.loc[len(frame)] = ["no_such_indicator", "没有的指标", "姑苏区", "2021年1-6月", 1, "个", None, None]
    return write_template(frame, template_title(catalogue, "hrss", month(2021, 6)), directory / "有错误的报表.csv")


def count_rows(db_url: str, table: str) -> int:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()
