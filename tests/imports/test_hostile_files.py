"""Hostile files: bombs, huge sheets, odd names and links are refused or reported, and nothing changes.

The bombs are built here (tests/imports/hostile.py). Their time and memory are measured by
bench/hostile_bench.py; the tests check what bounds them: the refusal happens in the zip/bytes
pre-scan, before openpyxl parses anything, and a whole CLI run stays under 300 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.readers import ReadLimits, read_table
from monitor.readers.limits import MIB
from monitor.services.imports import ImportRequest, ImportStatus, import_bytes, import_file
from monitor.settings import PROJECT_ROOT
from tests.imports.conftest import TODAY, csv_bytes, snapshot, write_xlsx
from tests.imports.hostile import inflating_workbook, many_rows_workbook, workbook_with_sheet, write

FINANCE = ImportRequest(today=TODAY, department="finance")
OK = ["revenue", "", "2021-05", "33.56", "", "17.8", ""]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """A workbook that inflates to 300 MB (the limit is 200 MB)."""
    return inflating_workbook(300)


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    """1,000,000 data rows with no <dimension> (so the rows must be counted)."""
    return many_rows_workbook(1_000_000)


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if openpyxl is asked to parse the workbook: the refusal must come first."""

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("openpyxl was asked to parse a workbook that the pre-scan should have refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def _only_error(result: object) -> tuple[str, str]:
    errors = result.errors()  # type: ignore[attr-defined]
    assert len(errors) == 1, [(e.code, e.message) for e in errors]
    return errors[0].code, errors[0].message


@pytest.mark.usefixtures("no_parsing")
def test_an_inflating_workbook_is_refused_from_the_zip_directory(
    synced_engine: Engine, catalogue: Catalogue, bomb: bytes
) -> None:
    assert len(bomb) < 2 * MIB
    result = import_bytes(synced_engine, catalogue, bomb, "bomb.xlsx", FINANCE)
    assert result.status is ImportStatus.REJECTED
    code, message = _only_error(result)
    assert code == "too_large"
    assert "解压后有 300 MB" in message
    assert "200 MB 的上限" in message
    assert "请" in message
    assert snapshot(synced_engine) == []


@pytest.mark.usefixtures("no_parsing")
def test_a_million_row_workbook_is_refused_while_its_rows_are_counted(
    synced_engine: Engine, catalogue: Catalogue, million_rows: bytes
) -> None:
    result = import_bytes(synced_engine, catalogue, million_rows, "rows.xlsx", FINANCE)
    code, message = _only_error(result)
    assert code == "too_large"
    assert "200,000 行的上限" in message
    assert "拆分" in message
    assert snapshot(synced_engine) == []


@pytest.mark.usefixtures("no_parsing")
@pytest.mark.parametrize(
    ("dimension", "expected"),
    [("A1:C1000001", "200,000 行的上限"), ("A1:ZZ10", "702 列，超过 500 列的上限")],
)
def test_a_sheet_that_declares_its_size_is_refused_at_once(dimension: str, expected: str) -> None:
    with pytest.raises(Exception, match=expected) as caught:
        read_table(many_rows_workbook(3, dimension=dimension))
    assert getattr(caught.value, "code", None) == "too_large"


def test_the_limits_are_settings(synced_engine: Engine, catalogue: Catalogue) -> None:
    rows = [["revenue", "", f"2021-0{m}", str(30 + m), "", "10", ""] for m in range(1, 6)]
    small = ImportRequest(today=TODAY, department="finance", limits=ReadLimits(max_rows=3))
    code, message = _only_error(import_bytes(synced_engine, catalogue, csv_bytes(rows), "a.csv", small))
    assert (code, "3 行的上限" in message) == ("too_large", True)
    long_line = csv_bytes([[*OK[:6], "说明" * 200]])
    narrow = ImportRequest(today=TODAY, department="finance", limits=ReadLimits(max_line_chars=500))
    code, message = _only_error(import_bytes(synced_engine, catalogue, long_line, "b.csv", narrow))
    assert code == "too_large"
    assert "第 2 行" in message
    assert "500 个字符的上限" in message
    assert import_bytes(synced_engine, catalogue, csv_bytes(rows), "a.csv", FINANCE).status is ImportStatus.ACCEPTED


def test_a_workbook_under_the_limits_still_imports(synced_engine: Engine, catalogue: Catalogue, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "ok.xlsx", [OK])
    result = import_file(synced_engine, catalogue, path, FINANCE)
    assert result.status is ImportStatus.ACCEPTED, result.errors()
    assert result.counts.inserted == 1


def test_external_links_and_macros_are_warned_about(synced_engine: Engine, catalogue: Catalogue) -> None:
    sheet = [
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\x8c\x87\xe6\xa0\x87\xe4\xbb\xa3\xe7\xa0\x81</t></is></c>'
        b'<c r="B1" t="inlineStr"><is><t>\xe6\x9c\x9f\xe5\x88\xab</t></is></c>'
        b'<c r="C1" t="inlineStr"><is><t>\xe6\x95\xb0\xe5\x80\xbc</t></is></c></row>'
        b'<row r="2"><c r="A2" t="inlineStr"><is><t>revenue</t></is></c>'
        b'<c r="B2" t="inlineStr"><is><t>2021-05</t></is></c><c r="C2"><v>33.56</v></c></row>'
        b"</sheetData></worksheet>"
    ]
    data = workbook_with_sheet(
        sheet, extra={"xl/externalLinks/externalLink1.xml": b"<externalLink/>", "xl/vbaProject.bin": b"\0" * 64}
    )
    result = import_bytes(synced_engine, catalogue, data, "linked.xlsx", FINANCE)
    assert result.status is ImportStatus.ACCEPTED, [(e.code, e.message) for e in result.errors()]
    warnings = {w.code: w.message for w in result.warnings()}
    assert "断开链接" in warnings["external_links"]
    assert "宏不会被运行" in warnings["macros"]


def test_an_unclosed_quote_is_named_with_its_line(synced_engine: Engine, catalogue: Catalogue) -> None:
    data = '指标代码,期别,数值\nrevenue,2021-04,31\n"revenue,2021-05,33.56\nrevenue,2021-06,40\n'.encode()
    code, message = _only_error(import_bytes(synced_engine, catalogue, data, "q.csv", FINANCE))
    assert code == "unreadable_file"
    assert "第 3 行有一个没有结束的英文引号" in message


def test_an_excel_date_serial_in_the_period_column_says_which_month(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    data = "指标代码,期别,数值\nrevenue,44317,33.56\n".encode()
    code, message = _only_error(import_bytes(synced_engine, catalogue, data, "d.csv", FINANCE))
    assert code == "bad_period"
    assert "Excel 的日期序号（代表 2021-05-01" in message
    assert "2021-05" in message


def test_a_cumulative_figure_above_the_next_stored_one_is_warned_about(
    synced_engine: Engine, catalogue: Catalogue
) -> None:
    june = csv_bytes([["retail_above", "", "2021-06", "201.28", "", "20.3", ""]])
    assert import_bytes(synced_engine, catalogue, june, "june.csv", ImportRequest(today=TODAY)).error_count == 0
    may = csv_bytes([["retail_above", "", "2021-05", "210.5", "", "21.0", ""]])
    result = import_bytes(synced_engine, catalogue, may, "may.csv", ImportRequest(today=TODAY))
    assert result.status is ImportStatus.ACCEPTED
    above = [w for w in result.warnings() if w.code == "cumulative_above_next"]
    assert len(above) == 1
    assert "高于下一期（2021-06）已有的 201.28" in above[0].message


_PEAK = (
    "import atexit, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            sys.stderr.write('\\nPEAK_KB ' + line.split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "from monitor.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def _cli_peak(tmp_path: Path, *argv: str) -> tuple[int, str, int]:
    """Run the CLI in a child process: its exit code, stderr, and its own peak memory in MB.

    The peak is the child's VmHWM, read as it exits: rusage's maxrss would count the pytest process
    the child was forked from, which can be larger than the whole CLI run.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    done = subprocess.run(
        [sys.executable, "-c", _PEAK, "--db", f"sqlite:///{tmp_path / 'm.db'}", *argv],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")]
    assert len(peaks) == 1, done.stderr[-2000:]
    return done.returncode, done.stderr, peaks[0] // 1024


@pytest.mark.slow
def test_the_cli_refuses_both_bombs_within_300_mb(tmp_path: Path, bomb: bytes, million_rows: bytes) -> None:
    assert _cli_peak(tmp_path, "init")[0] == 0
    ballast = bytearray(400 * 1024 * 1024)  # a big parent process must not inflate the child's figure
    ballast[::4096] = b"x" * len(ballast[::4096])
    for name, data in (("bomb.xlsx", bomb), ("rows.xlsx", million_rows)):
        code, err, peak = _cli_peak(tmp_path, "import", str(write(tmp_path, name, data)))
        assert code == 1
        assert "Traceback" not in err
        assert peak < 300, f"{name}: {peak} MB"
    del ballast


def test_the_inbox_rejects_bombs_and_reports_odd_entries_but_imports_the_rest(
    synced_engine: Engine, catalogue: Catalogue, tmp_path: Path, bomb: bytes, samples: Path
) -> None:
    from monitor.services.inbox import scan_inbox

    root = tmp_path / "var" / "inbox"
    finance = root / "finance"
    (finance / "子文件夹").mkdir(parents=True)
    (finance / "子文件夹" / "藏起来的.csv").write_bytes(csv_bytes([OK]))
    outside = tmp_path / "outside.csv"
    outside.write_bytes(csv_bytes([OK]))
    (finance / "链接.csv").symlink_to(outside)
    long_name = "财" * 80 + ".csv"  # 243 bytes in UTF-8: the old claim name passed 255
    (finance / long_name).write_bytes((samples / "finance_2021-05_gb18030.csv").read_bytes())
    (finance / "换行\n名.csv").write_bytes(csv_bytes([["revenue", "", "2021-04", "27.5", "", "15.0", ""]]))
    write(finance, "bomb.xlsx", bomb)

    report = scan_inbox(synced_engine, catalogue, root, today=TODAY, settle_seconds=0)

    outcome = {i.source.name: i.result.status for i in report.items}
    assert outcome == {
        long_name: ImportStatus.ACCEPTED,
        "换行\n名.csv": ImportStatus.ACCEPTED,
        "bomb.xlsx": ImportStatus.REJECTED,
    }
    assert {i.result.file for i in report.items} >= {"换行\\x0a名.csv"}  # stored and shown escaped
    left = {p.name: why for p, why in report.left}
    assert "符号链接" in left["链接.csv"]
    assert "子文件夹" in left["子文件夹"]
    assert outside.exists()
    assert (finance / "链接.csv").is_symlink()
    assert sorted(p.name for p in finance.iterdir()) == ["子文件夹", "链接.csv"]
