"""A corpus of bad files: each is rejected with its own clear error and changes no figure.

The files are generated here (the 50 MB one once per session, in a temporary folder), so the
corpus documents itself: each case says what is wrong with the file and which code it must get.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.services.imports import MAX_FILE_BYTES, ImportRequest, ImportStatus, import_file
from tests.imports.conftest import TODAY, csv_bytes, import_rows, snapshot, write_xlsx

FINANCE = ImportRequest(today=TODAY, department="finance")

OK = ["revenue", "", "2021-05", "33.56", "", "17.8", ""]


def rows_csv(*rows: list[str], **kw: object) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "bad.csv"
        path.write_bytes(csv_bytes([OK, *rows], title="姑苏区报表", **kw))  # type: ignore[arg-type]
        return path

    return build


def raw_bytes(data: bytes, name: str = "bad.csv") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return build


def xlsx(rows: list[list[object]], **kw: object) -> Callable[[Path], Path]:
    return lambda folder: write_xlsx(folder, "bad.xlsx", [OK, *rows], **kw)  # type: ignore[arg-type]


def empty_sheet(folder: Path) -> Path:
    path = folder / "empty.xlsx"
    openpyxl.Workbook().save(path)
    return path


def blank_values_sheet(folder: Path) -> Path:
    return write_xlsx(folder, "blank.xlsx", [["revenue", "", "2021-05", None, "", None, ""]])


def truncated_xlsx(folder: Path) -> Path:
    good = write_xlsx(folder, "good.xlsx", [OK])
    path = folder / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[:400])
    return path


def zip_without_workbook(folder: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    path = folder / "fake.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture(scope="session")
def fifty_megabytes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MAX_FILE_BYTES + 1 bytes of a valid repeated row: too large, whatever its content."""
    path = tmp_path_factory.mktemp("large") / "large.csv"
    line = b"revenue,gusu,2021-05,33.56,,17.8,\r\n"
    with path.open("wb") as out:
        out.write(b"indicator,region,period,value,unit,yoy,note\r\n")
        block = line * (1 << 14)
        while out.tell() + len(block) <= MAX_FILE_BYTES:
            out.write(block)
        out.write(b"x" * (MAX_FILE_BYTES + 1 - out.tell()))
    assert path.stat().st_size == MAX_FILE_BYTES + 1
    return path


CORPUS: list = [
    pytest.param(
        rows_csv(["no_such_indicator", "", "2021-05", "1", "", "", ""]), "unknown_indicator", id="unknown-indicator"
    ),
    pytest.param(
        rows_csv(["tax_revenue", "月球区", "2021-05", "1", "", "", ""]), "unknown_region", id="unknown-region"
    ),
    pytest.param(rows_csv(["tax_revenue", "", "2021年13月", "1", "", "", ""]), "bad_period", id="month-13"),
    pytest.param(rows_csv(["tax_revenue", "", "2021年0月", "1", "", "", ""]), "bad_period", id="month-0"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-09", "1", "", "", ""]), "future_period", id="future-period"),
    pytest.param(rows_csv(["fai", "", "2021年1月", "9", "", "", ""]), "before_first_period", id="january-of-1-2月"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "三十", "", "", ""]), "bad_number", id="number-in-words"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "1e308", "", "", ""]), "bad_number", id="1e308"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "NaN", "", "", ""]), "bad_number", id="NaN"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "inf", "", "", ""]), "bad_number", id="inf"),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "29.1", "", "19.2%%", ""]), "bad_number", id="growth-typo"),
    pytest.param(
        rows_csv(["tax_revenue", "", "2021-05", "-29.1", "", "", ""]), "negative_not_allowed", id="negative-amount"
    ),
    pytest.param(rows_csv(["tax_revenue", "", "2021-05", "29.1", "万美元", "", ""]), "unit_mismatch", id="wrong-unit"),
    pytest.param(
        rows_csv(["revenue", "", "2021-05", "33.65", "", "17.8", ""]),
        "conflicting_duplicate",
        id="conflicting-duplicate",
    ),
    pytest.param(rows_csv(["gdp", "", "2021-Q1", "180", "", "", ""]), "not_responsible", id="not-responsible"),
    pytest.param(
        rows_csv(["tax_revenue", "", "2021-05", "1", "", "", '=HYPERLINK("http://evil","点击")']),
        "formula_not_allowed",
        id="formula-like-note",
    ),
    pytest.param(rows_csv(header=["指标代码", "数值", "同比增长(%)"]), "missing_column", id="no-period-column"),
    pytest.param(rows_csv(header=["指标代码", "期别", "数值", "累计值"]), "ambiguous_column", id="two-value-columns"),
    pytest.param(raw_bytes(b""), "empty_file", id="zero-bytes"),
    pytest.param(raw_bytes("指标代码,期别,数值\r\n".encode()), "empty_file", id="header-only"),
    pytest.param(raw_bytes("姑苏区报表\r\n数据另附\r\n".encode()), "missing_column", id="title-without-header"),
    pytest.param(raw_bytes(bytes(range(256)) * 64), "unreadable_file", id="binary-junk-named-csv"),
    pytest.param(
        raw_bytes("指标代码,期别,数值\r\nrevenue,2021-05,1\r\n".encode("utf-16")), "unreadable_file", id="utf16"
    ),
    pytest.param(
        raw_bytes("指标代码,期别,数值\r\n".encode("gb18030") + b"\x81\x30\xff\xff\r\n"),
        "unreadable_file",
        id="broken-gb18030",
    ),
    pytest.param(
        raw_bytes("指标代码,期别,数值\r\nrevenue,2021-05,1\x07\r\n".encode()),
        "unreadable_file",
        id="control-characters",
    ),
    pytest.param(
        raw_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls"), "unreadable_file", id="old-xls"
    ),
    pytest.param(truncated_xlsx, "unreadable_file", id="truncated-xlsx"),
    pytest.param(zip_without_workbook, "unreadable_file", id="zip-that-is-no-workbook"),
    pytest.param(empty_sheet, "empty_file", id="empty-sheet"),
    pytest.param(blank_values_sheet, "empty_file", id="sheet-without-numbers"),
    pytest.param(xlsx([["tax_revenue", "", "2021-05", "=B2*2", "", "", ""]]), "bad_number", id="uncalculated-formula"),
    pytest.param(
        xlsx(
            [["revenue", "税收收入", "2021-06", 36, "", "", ""]],
            header=["指标代码", "指标名称", "期别", "数值", "单位", "同比增长(%)", "备注"],
        ),
        "unknown_indicator",
        id="code-and-name-disagree",
    ),
    pytest.param(
        rows_csv(["industrial_va", "", "2021-05", "12", "", "15.4", ""]),
        "bad_number",
        id="growth-only-indicator-with-a-value",
    ),
]


@pytest.mark.parametrize(("build", "code"), CORPUS)
def test_each_bad_file_gives_its_error_and_changes_nothing(
    synced_engine: Engine, catalogue: Catalogue, samples: Path, tmp_path: Path, build: Callable[[Path], Path], code: str
) -> None:
    import_file(synced_engine, catalogue, samples / "finance_2021-05_gb18030.csv", FINANCE)
    before = snapshot(synced_engine)
    result = import_file(synced_engine, catalogue, build(tmp_path), FINANCE)
    assert result.status is ImportStatus.REJECTED
    assert code in {e.code for e in result.errors()}, [(e.code, e.message) for e in result.errors()]
    for error in result.errors():
        assert error.message
        assert "请" in error.message
    assert snapshot(synced_engine) == before
    assert import_rows(synced_engine)[-1].status == "rejected"


def test_a_fifty_megabyte_file_is_too_large(synced_engine: Engine, catalogue: Catalogue, fifty_megabytes: Path) -> None:
    result = import_file(synced_engine, catalogue, fifty_megabytes, ImportRequest(today=TODAY))
    assert result.status is ImportStatus.REJECTED
    assert [(e.row, e.code) for e in result.errors()] == [(None, "too_large")]
    assert "50 MB" in result.errors()[0].message
    assert "拆分" in result.errors()[0].message
    assert snapshot(synced_engine) == []


def test_the_corpus_covers_every_hard_error_code() -> None:
    from monitor.domain.validation import WARNING_CODES, Code

    covered = {p.values[1] for p in CORPUS} | {"too_large"}
    assert covered == {c.value for c in Code} - {c.value for c in WARNING_CODES}
    assert len(CORPUS) + 1 >= 25
