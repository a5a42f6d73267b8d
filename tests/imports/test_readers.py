"""Readers turn whatever departments send into text cells under canonical fields, or a clean ReadError."""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pytest

from monitor.errors import ReadError
from monitor.readers import read_table
from monitor.readers.encoding import detect_encoding
from monitor.readers.layout import header_field
from tests.imports.conftest import csv_bytes, write_xlsx

ROWS = [["revenue", "姑苏区", "2021年1-5月", "335,600", "万元", "17.8%", ""]]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("指标,数值\n".encode(), "utf-8", id="plain-utf8"),
        pytest.param(codecs.BOM_UTF8 + "指标,数值\n".encode(), "utf-8-sig", id="utf8-with-bom"),
        pytest.param("指标,数值\n".encode("gb18030"), "gb18030", id="gb18030"),
        pytest.param("指标,数值\n".encode("gbk"), "gb18030", id="gbk-is-read-as-gb18030"),
        pytest.param(b"indicator,value\n", "utf-8", id="ascii"),
    ],
)
def test_encoding_is_decided_from_the_bytes(data: bytes, expected: str) -> None:
    assert detect_encoding(data) == expected


@pytest.mark.parametrize(
    ("data", "says"),
    [
        pytest.param("指标,数值\n".encode("utf-16"), "UTF-16", id="utf16-with-bom"),
        pytest.param("指标,数值\n".encode("utf-16-le"), "NUL", id="utf16-without-bom"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00", "NUL", id="binary"),
        pytest.param(b"\xff\xfe\xfd\x80\x81 not text", "UTF-16", id="junk-starting-like-utf16"),
        pytest.param(b"\x81\x30\x81", "GB18030", id="bytes-no-encoding-accepts"),
    ],
)
def test_unreadable_bytes_are_refused_with_how_to_save_them(data: bytes, says: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_table(data)
    assert caught.value.code == "unreadable_file"
    assert says in str(caught.value)
    assert "另存为" in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_with_a_title_row_reads_the_same_in_every_encoding(encoding: str) -> None:
    table = read_table(csv_bytes(ROWS, title="姑苏区财政收支情况表（2021年1-5月）", encoding=encoding))
    assert table.layout == "long"
    assert table.frame.to_dict("records") == [
        {
            "row": 3,
            "indicator": "revenue",
            "region": "姑苏区",
            "period": "2021年1-5月",
            "value": "335,600",
            "unit": "万元",
            "yoy": "17.8%",
            "note": "",
        }
    ]
    assert table.headers["yoy"] == "同比增长(%)"


@pytest.mark.parametrize(
    ("header", "field", "unit"),
    [
        pytest.param("指标代码", "indicator", None, id="code"),
        pytest.param("Indicator", "indicator", None, id="english-any-case"),
        pytest.param("指 标 名 称", "indicator_name", None, id="stray-spaces"),
        pytest.param("期别", "period", None, id="period"),
        pytest.param("报告期", "period", None, id="period-alias"),
        pytest.param("累计值", "value", None, id="value-alias"),
        pytest.param("期末余额", "value", None, id="balance"),
        pytest.param("数值（万元）", "value", "万元", id="unit-in-full-width-brackets"),
        pytest.param("数值(亿元)", "value", "亿元", id="unit-in-brackets"),
        pytest.param("同比增长(%)", "yoy", None, id="yoy"),
        pytest.param("同比增长（％）", "yoy", None, id="yoy-full-width"),
        pytest.param("增速%", "yoy", None, id="yoy-percent-suffix"),
        pytest.param("累计增速", "yoy", None, id="cumulative-growth"),
        pytest.param("ｙｏｙ", "yoy", None, id="full-width-latin"),
        pytest.param("备注", "note", None, id="note"),
        pytest.param("序号", None, None, id="unknown-column-ignored"),
        pytest.param("", None, None, id="blank"),
    ],
)
def test_header_aliases(header: str, field: str | None, unit: str | None) -> None:
    assert header_field(header) == (field, unit)


def test_header_is_found_below_title_rows_and_a_unit_line() -> None:
    lines = ["姑苏区主要经济指标", "单位：万元", "", "指标,期别,数值", "revenue,2021-05,335600", "", "fai,2021-05,95"]
    table = read_table("\r\n".join(lines).encode())
    assert table.value_unit == "万元"
    assert list(table.frame["row"]) == [5, 6, 7]  # the rows a spreadsheet shows, the blank one included
    assert list(table.frame["indicator"]) == ["revenue", "", "fai"]


def test_no_header_in_the_first_rows_is_a_missing_column() -> None:
    with pytest.raises(ReadError) as caught:
        read_table("只是一段文字\n没有表头\n".encode())
    assert caught.value.code == "missing_column"
    assert "表头" in str(caught.value)


def test_two_columns_meaning_the_same_is_ambiguous() -> None:
    with pytest.raises(ReadError) as caught:
        read_table("指标,期别,数值,累计值\nrevenue,2021-05,1,2\n".encode())
    assert caught.value.code == "ambiguous_column"
    assert "数值" in str(caught.value)
    assert "累计值" in str(caught.value)


def test_code_and_name_columns_are_both_kept() -> None:
    table = read_table("指标名称,指标代码,期别,数值\n一般公共预算收入,revenue,2021-05,33\n".encode())
    assert table.frame.loc[0, "indicator"] == "revenue"
    assert table.frame.loc[0, "indicator_name"] == "一般公共预算收入"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters_excel_uses(delimiter: str) -> None:
    table = read_table(
        delimiter.join(["指标", "期别", "数值"]).encode() + b"\nrevenue" + (delimiter * 2).encode() + b"1\n"
    )
    assert table.frame.loc[0, "value"] == "1"


def test_ragged_rows_are_padded_and_cells_right_of_the_header_ignored() -> None:
    table = read_table("指标,期别,数值\nrevenue,2021-05\nrevenue,2021-04,30,extra,cells\n".encode())
    assert list(table.frame["value"]) == ["", "30"]


def test_wide_layout_becomes_one_cell_per_period(samples: Path) -> None:
    table = read_table((samples / "econ_wide_2021.xlsx").read_bytes())
    assert table.layout == "wide"
    first = table.frame[table.frame["indicator"] == "社会消费品零售总额"]
    assert list(first["period"]) == ["2021年1-2月", "2021年1-3月", "2021年1-4月", "2021年1-5月"]
    assert list(first["value"]) == ["148.2", "226.9", "305.7", "386.4"]
    assert set(first["row"]) == {3}


def test_xlsx_merged_title_blank_row_and_footnote(samples: Path) -> None:
    table = read_table((samples / "stats_2021-05.xlsx").read_bytes())
    assert table.headers["indicator"] == "指标名称"
    assert list(table.frame["row"]) == [4, 5, 6, 7, 8, 9, 10]
    assert table.frame.loc[0, "value"] == "612345.6"
    assert table.frame.loc[4, "yoy"] == "—"


def test_xlsx_prefers_the_sheet_named_data(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "two.xlsx", [["revenue", "", "2021-05", 1, "", "", ""]])
    book = openpyxl.load_workbook(path)
    other = book.create_sheet("数据", 0)
    other.append(["指标", "期别", "数值"])
    other.append(["tax_revenue", "2021-05", 2])
    book.move_sheet("数据", offset=1)  # not the first sheet
    book.save(path)
    assert read_table(path.read_bytes()).frame.loc[0, "indicator"] == "tax_revenue"


def test_xlsx_dates_in_cells_are_months(tmp_path: Path) -> None:
    from datetime import datetime

    path = write_xlsx(tmp_path, "d.xlsx", [["revenue", "", datetime(2021, 5, 1), 33.5, "", 12, ""]])
    frame = read_table(path.read_bytes()).frame
    assert (frame.loc[0, "period"], frame.loc[0, "value"], frame.loc[0, "yoy"]) == ("2021-05", "33.5", "12")


def test_a_formula_excel_never_calculated_is_passed_on_as_its_text(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path, "f.xlsx", [["revenue", "", "2021-05", "=SUM(1,2)", "", "", ""]])
    assert read_table(path.read_bytes()).frame.loc[0, "value"] == "=SUM(1,2)"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"", "empty_file", id="zero-bytes"),
        pytest.param(b"   \r\n\r\n", "empty_file", id="only-blank-lines"),
        pytest.param(b"PK\x03\x04 this is no zip", "unreadable_file", id="broken-xlsx"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unreadable_file", id="old-xls"),
    ],
)
def test_files_that_are_no_table(data: bytes, code: str) -> None:
    with pytest.raises(ReadError) as caught:
        read_table(data)
    assert caught.value.code == code


def test_an_empty_sheet_is_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ReadError) as caught:
        read_table(path.read_bytes())
    assert caught.value.code == "empty_file"
