"""One file = one transaction: it lands whole and exactly once, or is rejected changing nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.errors import UsageError
from monitor.readers import ReadLimits
from monitor.services.imports import ImportRequest, ImportResult, ImportStatus, import_file
from monitor.storage.db import transaction
from monitor.storage.observations import WriteCounts, read_observations
from tests.imports.conftest import TODAY, import_rows, snapshot, write_csv

T0 = datetime(2021, 6, 18, 2, 0, tzinfo=UTC)


def load(engine: Engine, catalogue: Catalogue, path: Path, **kw: object) -> ImportResult:
    display_name = kw.pop("display_name", None)
    request = ImportRequest(today=TODAY, **kw)  # type: ignore[arg-type]
    return import_file(engine, catalogue, path, request, display_name=display_name)  # type: ignore[arg-type]


def current(engine: Engine, **kw: object) -> dict[tuple[str, str], tuple[float, float]]:
    with transaction(engine) as session:
        frame = read_observations(session, **kw)  # type: ignore[arg-type]
    return {(r.indicator, r.period): (r.value, r.yoy) for r in frame.itertuples()}


@pytest.mark.parametrize(
    ("name", "department", "figures"),
    [
        pytest.param("stats_2021-05.xlsx", "stats", 5, id="stats-workbook"),
        pytest.param("finance_2021-05_gb18030.csv", "finance", 4, id="finance-gb18030-csv"),
        pytest.param("econ_wide_2021.xlsx", "econ", 12, id="econ-wide-layout"),
    ],
)
def test_department_samples_import_cleanly(
    synced_engine: Engine, catalogue: Catalogue, samples: Path, name: str, department: str, figures: int
) -> None:
    result = load(synced_engine, catalogue, samples / name, department=department)
    assert result.status is ImportStatus.ACCEPTED, result.errors()
    assert result.counts == WriteCounts(inserted=figures)
    assert result.warning_count == 0
    [row] = import_rows(synced_engine)
    assert (row.status, row.department, row.channel, row.inserted) == ("accepted", department, "cli", figures)
    assert row.sha256 == result.sha256
    assert len(row.sha256) == 64
    assert len(snapshot(synced_engine)) == figures


def test_sample_values_land_converted(synced_engine: Engine, catalogue: Catalogue, samples: Path) -> None:
    load(synced_engine, catalogue, samples / "stats_2021-05.xlsx", department="stats")
    load(synced_engine, catalogue, samples / "finance_2021-05_gb18030.csv", department="finance")
    got = current(synced_engine)
    assert got[("industrial_output", "2021-05")] == (pytest.approx(61.23456), 18.2)  # 612345.6 万元 -> 亿元
    assert got[("services_revenue", "2021-04")][0] == 156.78  # 错月: 1-4月 in the May report
    assert got[("revenue", "2021-05")] == (33.56, 17.8)
    assert got[("general_expenditure", "2021-05")] == (4.1, -9.5)
    va = got[("industrial_va", "2021-05")]
    assert va[1] == 15.4
    assert va[0] != va[0]


def test_a_rejected_file_lists_every_error_and_changes_nothing(
    synced_engine: Engine, catalogue: Catalogue, samples: Path, tmp_path: Path
) -> None:
    load(synced_engine, catalogue, samples / "finance_2021-05_gb18030.csv", department="finance")
    before = snapshot(synced_engine)
    bad = write_csv(
        tmp_path,
        "bad.csv",
        [
            ["revenue", "", "2021-06", "36.0", "亿元", "16", ""],  # fine on its own
            ["revenue", "", "2021-05", "35.0", "亿元", "17.8", ""],  # a correction, fine on its own
            ["bogus", "", "2021-06", "1", "", "", ""],
            ["tax_revenue", "", "2021年13月", "12", "", "", ""],
            ["tax_revenue", "", "2021-06", "abc", "", "", ""],
            ["tax_revenue", "", "2021-04", "1", "美元", "", ""],
            ["gdp", "", "2021-Q2", "400", "", "", ""],
        ],
        title="有错的文件",
    )
    result = load(synced_engine, catalogue, bad, department="finance")
    assert result.status is ImportStatus.REJECTED
    assert [(e.row, e.code) for e in result.errors()] == [
        (5, "unknown_indicator"),
        (6, "bad_period"),
        (7, "bad_number"),
        (8, "unit_mismatch"),
        (9, "not_responsible"),
    ]
    assert snapshot(synced_engine) == before
    rejected = import_rows(synced_engine)[-1]
    assert rejected.status == "rejected"
    assert rejected.inserted == 0
    assert [e["code"] for e in rejected.errors] == [e.code for e in result.errors()]
    assert rejected.errors[0] == {
        "row": 5,
        "column": "指标代码",
        "value": "bogus",
        "code": "unknown_indicator",
        "message": result.errors()[0].message,
    }


def test_the_same_bytes_twice_are_a_duplicate(synced_engine: Engine, catalogue: Catalogue, samples: Path) -> None:
    first = load(synced_engine, catalogue, samples / "stats_2021-05.xlsx", department="stats")
    before = snapshot(synced_engine)
    again = load(synced_engine, catalogue, samples / "stats_2021-05.xlsx", department="stats")
    assert again.status is ImportStatus.DUPLICATE
    assert again.counts == WriteCounts()
    assert f"第 {first.import_id} 批" in again.message
    assert snapshot(synced_engine) == before
    assert [r.status for r in import_rows(synced_engine)] == ["accepted", "duplicate"]


def test_the_same_figures_in_a_new_file_change_nothing(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = [
        ["revenue", "", "2021-05", "33.56", "", "17.8", ""],
        ["tax_revenue", "", "2021-05", "29.12", "", "19.2", ""],
    ]
    load(synced_engine, catalogue, write_csv(tmp_path, "a.csv", rows))
    before = snapshot(synced_engine)
    converted = [
        ["revenue", "姑苏区", "2021年1-5月", "335,600", "万元", "17.8%", ""],
        ["税收收入", "gusu", "202105", "291200", "万元", "19.2", ""],
    ]
    result = load(synced_engine, catalogue, write_csv(tmp_path, "b.csv", converted, encoding="gb18030"))
    assert result.status is ImportStatus.ACCEPTED
    assert result.counts == WriteCounts(unchanged=2)
    assert snapshot(synced_engine) == before


def test_a_corrected_figure_is_a_revision_and_the_old_value_stays_known(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    load(
        synced_engine,
        catalogue,
        write_csv(tmp_path, "a.csv", [["revenue", "", "2021-05", "33.56", "", "17.8", ""]]),
        now=T0,
    )
    later = T0 + timedelta(days=3)
    fixed = load(
        synced_engine,
        catalogue,
        write_csv(tmp_path, "b.csv", [["revenue", "", "2021-05", "33.65", "", "17.9", "更正"]]),
        now=later,
    )
    assert fixed.counts == WriteCounts(revised=1)
    assert current(synced_engine) == {("revenue", "2021-05"): (33.65, 17.9)}
    assert current(synced_engine, known_at=later - timedelta(seconds=1)) == {("revenue", "2021-05"): (33.56, 17.8)}
    with transaction(synced_engine) as session:
        history = read_observations(session, history=True)
    assert list(history["source"]) == ["a.csv", "b.csv"]
    assert list(history["note"].fillna("")) == ["", "更正"]


def test_warnings_do_not_reject_and_are_stored_with_the_import(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    load(synced_engine, catalogue, write_csv(tmp_path, "a.csv", [["revenue", "", "2021-04", "27.0", "", "12", ""]]))
    result = load(
        synced_engine, catalogue, write_csv(tmp_path, "b.csv", [["revenue", "", "2021-05", "26.0", "", "40", ""]])
    )
    assert result.status is ImportStatus.ACCEPTED
    assert result.counts == WriteCounts(inserted=1)
    assert [w.code for w in result.warnings()] == ["cumulative_decrease", "growth_jump"]
    stored = import_rows(synced_engine)[-1]
    assert [w["code"] for w in stored.warnings] == ["cumulative_decrease", "growth_jump"]
    assert stored.errors == []
    assert "2 条警告" in stored.message


def test_dry_run_reports_what_would_change_and_writes_nothing(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    load(synced_engine, catalogue, write_csv(tmp_path, "a.csv", [["revenue", "", "2021-04", "27.0", "", "12", ""]]))
    before, imports = snapshot(synced_engine), len(import_rows(synced_engine))
    rows = [["revenue", "", "2021-04", "27.5", "", "12", ""], ["revenue", "", "2021-05", "33.0", "", "14", ""]]
    result = load(synced_engine, catalogue, write_csv(tmp_path, "b.csv", rows), dry_run=True)
    assert result.status is ImportStatus.ACCEPTED
    assert result.dry_run
    assert result.counts == WriteCounts(inserted=1, revised=1)
    assert result.import_id is None
    rejected = load(
        synced_engine, catalogue, write_csv(tmp_path, "c.csv", [["x", "", "2021-05", "1", "", "", ""]]), dry_run=True
    )
    assert rejected.status is ImportStatus.REJECTED
    assert snapshot(synced_engine) == before
    assert len(import_rows(synced_engine)) == imports


def test_without_a_department_responsibility_is_not_checked_and_the_log_says_so(
    synced_engine: Engine, catalogue: Catalogue, samples: Path
) -> None:
    result = load(synced_engine, catalogue, samples / "stats_2021-05.xlsx")
    assert result.status is ImportStatus.ACCEPTED
    assert "未指定责任单位" in result.message
    assert import_rows(synced_engine)[0].department is None


def test_an_unknown_department_is_a_usage_error(synced_engine: Engine, catalogue: Catalogue, samples: Path) -> None:
    with pytest.raises(UsageError, match="ghost"):
        load(synced_engine, catalogue, samples / "stats_2021-05.xlsx", department="ghost")
    assert import_rows(synced_engine) == []


def test_a_file_over_the_limit_is_rejected_before_it_is_read(
    synced_engine: Engine, catalogue: Catalogue, samples: Path
) -> None:
    result = load(synced_engine, catalogue, samples / "stats_2021-05.xlsx", limits=ReadLimits(max_file_bytes=1000))
    assert result.status is ImportStatus.REJECTED
    assert [e.code for e in result.errors()] == ["too_large"]
    assert result.sha256 is None
    assert snapshot(synced_engine) == []


def test_many_errors_are_all_counted_and_the_first_thousand_listed(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    rows = [["nope", "", "2021-05", str(i), "", "", ""] for i in range(1500)]
    result = load(synced_engine, catalogue, write_csv(tmp_path, "many.csv", rows))
    assert result.error_count == 1500
    assert len(result.errors()) == 1000
    stored = import_rows(synced_engine)[-1]
    assert len(stored.errors) == 1000
    assert "1500 处错误" in stored.message


def test_notes_with_tabs_newlines_and_backslashes_round_trip(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path
) -> None:
    note = "快报\t初步数\n第二行\\备注"
    rows = [["revenue", "", f"2021-{m:02d}", str(10 + m), "", "", note] for m in range(1, 6)]
    assert load(synced_engine, catalogue, write_csv(tmp_path, "n.csv", rows)).counts == WriteCounts(inserted=5)
    with transaction(synced_engine) as session:
        assert set(read_observations(session)["note"]) == {note}
