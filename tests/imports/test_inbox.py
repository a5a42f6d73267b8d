"""The inbox imports each finished file once, files it by outcome and explains rejections in Excel."""

from __future__ import annotations

import csv
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.services.imports import ImportStatus
from monitor.services.inbox import InboxReport, scan_inbox
from tests.imports.conftest import TODAY, import_rows, snapshot, write_csv

NOW = datetime(2021, 7, 20, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
DAY = "2021-07-20"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "var" / "inbox"
    for department in ("finance", "stats"):
        (root / department).mkdir(parents=True)
    return root


def scan(engine: Engine, catalogue: Catalogue, root: Path, **kw: object) -> InboxReport:
    options: dict = {"today": TODAY, "now": NOW, "settle_seconds": 0} | kw
    return scan_inbox(engine, catalogue, root, **options)


def test_files_are_imported_and_moved_by_outcome(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path, samples: Path
) -> None:
    good = inbox / "finance" / "财政局5月.csv"
    good.write_bytes((samples / "finance_2021-05_gb18030.csv").read_bytes())
    write_csv(inbox / "finance", "又一份.csv", [["revenue", "", "2021-05", "33.56", "", "17.8", ""]])
    write_csv(inbox / "stats", "错误.csv", [["gdp", "", "2021-13", "1", "", "", '=HYPERLINK("x")']])
    report = scan(synced_engine, catalogue, inbox)
    outcome = {i.source.name: (i.result.status, i.department) for i in report.items}
    assert outcome == {
        "财政局5月.csv": (ImportStatus.ACCEPTED, "finance"),
        "又一份.csv": (ImportStatus.ACCEPTED, "finance"),
        "错误.csv": (ImportStatus.REJECTED, "stats"),
    }
    archive, rejected = inbox.parent / "archive" / DAY, inbox.parent / "rejected" / DAY
    assert sorted(p.name for p in archive.iterdir()) == ["又一份.csv", "财政局5月.csv"]
    assert sorted(p.name for p in rejected.iterdir()) == ["错误.csv", "错误.csv.errors.csv"]
    assert not any((inbox / "finance").iterdir())
    assert not any((inbox / "stats").iterdir())
    assert [r.channel for r in import_rows(synced_engine)] == ["inbox"] * 3
    assert not report.ok


def test_the_error_report_opens_in_excel_with_chinese_headers(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path
) -> None:
    write_csv(inbox / "stats", "错误.csv", [["gdp", "", "2021-13", "1", "", "", '=HYPERLINK("x")']])
    [item] = scan(synced_engine, catalogue, inbox).items
    assert item.report is not None
    assert item.report.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(item.report.open(encoding="utf-8-sig")))
    assert rows[0] == ["行号", "列", "值", "错误代码", "说明", "级别"]
    by_code = {r[3]: r for r in rows[1:]}
    assert by_code["bad_period"][:3] == ["2", "期别", "2021-13"]
    assert by_code["bad_period"][5] == "错误"
    assert by_code["formula_not_allowed"][2] == '\'=HYPERLINK("x")'  # shown as text, never run by Excel


def test_a_duplicate_goes_to_the_archive_and_changes_nothing(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path, samples: Path
) -> None:
    data = (samples / "finance_2021-05_gb18030.csv").read_bytes()
    (inbox / "finance" / "a.csv").write_bytes(data)
    scan(synced_engine, catalogue, inbox)
    before = snapshot(synced_engine)
    (inbox / "finance" / "a.csv").write_bytes(data)  # sent again under the same name
    [item] = scan(synced_engine, catalogue, inbox).items
    assert item.result.status is ImportStatus.DUPLICATE
    assert item.moved_to.parent == inbox.parent / "archive" / DAY
    assert item.moved_to.name == "a (2).csv"
    assert snapshot(synced_engine) == before


@pytest.mark.parametrize("name", ["~$报表.xlsx", ".~lock.报表.xlsx#", "报表.csv.part", "下载.crdownload", "报表.tmp"])
def test_temporary_and_lock_files_are_left_alone(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path, name: str
) -> None:
    path = inbox / "finance" / name
    path.write_bytes(b"revenue,2021-05,1\n")
    report = scan(synced_engine, catalogue, inbox)
    assert report.items == []
    assert path.exists()
    assert import_rows(synced_engine) == []


def test_a_file_still_growing_is_left_for_the_next_scan(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path
) -> None:
    growing = write_csv(inbox / "finance", "写入中.csv", [["revenue", "", "2021-05", "33.56", "", "", ""]])

    def keep_writing(_: float) -> None:  # between the two looks, the sender appends a line
        with growing.open("ab") as out:
            out.write(b"tax_revenue,,2021-05,29.12,,,\r\n")

    report = scan(synced_engine, catalogue, inbox, settle_seconds=1.0, sleep=keep_writing)
    assert report.items == []
    assert growing.exists()
    assert [why for _, why in report.left] == ["文件仍在写入（大小或修改时间在变化），下次再导入"]
    [item] = scan(synced_engine, catalogue, inbox).items  # finished now
    assert item.result.counts.inserted == 2


def test_folders_that_are_no_department_are_reported_and_skipped(
    synced_engine: Engine, catalogue: Catalogue, inbox: Path
) -> None:
    (inbox / "unknown").mkdir()
    write_csv(inbox / "unknown", "x.csv", [["revenue", "", "2021-05", "1", "", "", ""]])
    write_csv(inbox, "loose.csv", [["revenue", "", "2021-05", "1", "", "", ""]])
    report = scan(synced_engine, catalogue, inbox)
    assert report.items == []
    assert [p.name for p in report.unknown_folders] == ["unknown"]
    assert [(p.name, "责任单位文件夹" in why) for p, why in report.left] == [("loose.csv", True)]


def test_two_scans_at_once_import_each_file_once(synced_engine: Engine, catalogue: Catalogue, inbox: Path) -> None:
    for n in range(8):
        write_csv(inbox / "finance", f"f{n}.csv", [["revenue", "", f"2020-{n + 1:02d}", str(10 + n), "", "", ""]])
    reports: list[InboxReport] = []
    start = threading.Barrier(2)

    def one_scan() -> None:
        start.wait()
        reports.append(scan(synced_engine, catalogue, inbox))

    threads = [threading.Thread(target=one_scan) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    names = sorted(i.source.name for r in reports for i in r.items)
    assert names == [f"f{n}.csv" for n in range(8)]  # each file imported by exactly one scan
    assert sorted(r.status for r in import_rows(synced_engine)) == ["accepted"] * 8
    assert len(snapshot(synced_engine)) == 8


def test_cli_inbox_scan_reports_each_file(capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path) -> None:
    from monitor.cli import main
    from tests.test_cli import run

    assert main(["--db", db_url, "init"]) == 0
    root = tmp_path / "inbox"
    (root / "finance").mkdir(parents=True)
    write_csv(root / "finance", "ok.csv", [["revenue", "", "2021-05", "33.56", "", "", ""]])
    write_csv(root / "finance", "bad.csv", [["revenue", "", "2021-05", "x", "", "", ""]])
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db_url, "inbox", "scan", "--dir", str(root), "--settle", "0")
    assert code == 1  # a rejected file: someone has to look at it
    assert "【已接收】ok.csv" in out
    assert "【已拒绝】bad.csv" in out
    assert "errors.csv" in out
    assert (tmp_path / "rejected").is_dir()
    assert (tmp_path / "archive").is_dir()
