"""`monitor import`, `imports` and `template` through the command line's entry point."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from monitor.cli import main
from tests.imports.conftest import csv_bytes, write_csv
from tests.test_cli import run

DONE_WHEN = [
    ["revenue", "姑苏区", "2021年1-5月", "335,600", "万元", "6.5%", ""],
    ["税收收入", "姑苏区", "2021年1-5月", "291,200", "万元", "19.2%", "快报"],
    ["general_expenditure", "姑苏区", "2021年1—5月", "4.10", "亿元", "-9.5%", ""],
]


@pytest.fixture
def db(db_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--db", db_url, "init"]) == 0
    capsys.readouterr()
    return db_url


def imported(capsys: pytest.CaptureFixture[str], db: str, *argv: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "--db", db, "import", *argv, "--format", "json")
    return code, json.loads(out)


def observations(capsys: pytest.CaptureFixture[str], db: str, indicator: str, *argv: str) -> list[dict]:
    code, out, _ = run(capsys, "--db", db, "observations", "--indicator", indicator, *argv, "--format", "json")
    assert code == 0
    return json.loads(out)["rows"]


def test_a_gb18030_department_csv_lands_with_the_right_values(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = tmp_path / "财政局.csv"
    path.write_bytes(csv_bytes(DONE_WHEN, title="姑苏区财政收支情况表（2021年1-5月）", encoding="gb18030"))
    code, doc = imported(capsys, db, str(path), "--department", "finance")
    assert code == 0
    [file] = doc["files"]
    assert file["status"] == "accepted"
    assert file["counts"] == {"inserted": 3, "revised": 0, "unchanged": 0}
    assert file["errors"] == []
    assert file["warnings"] == []
    assert file["file"] == str(path)
    [revenue] = observations(capsys, db, "revenue")
    assert (revenue["period"], revenue["value"], revenue["yoy"], revenue["unit"]) == ("2021-05", 33.56, 6.5, "亿元")
    assert revenue["source"] == str(path)
    assert revenue["channel"] == "cli"
    [tax] = observations(capsys, db, "tax_revenue")
    assert (tax["value"], tax["yoy"], tax["note"]) == (29.12, 19.2, "快报")
    assert observations(capsys, db, "general_expenditure")[0]["yoy"] == -9.5


def test_json_lists_each_file_with_status_counts_and_located_errors(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    good = write_csv(tmp_path, "good.csv", DONE_WHEN[:1])
    bad = write_csv(
        tmp_path, "bad.csv", [["revenue", "", "2021-05", "abc", "", "", ""], ["x", "", "2021-05", "1", "", "", ""]]
    )
    code, doc = imported(capsys, db, str(good), str(bad), str(good))
    assert code == 1  # one file was rejected
    assert [f["status"] for f in doc["files"]] == ["accepted", "rejected", "duplicate"]
    errors = doc["files"][1]["errors"]
    assert [(e["row"], e["column"], e["value"], e["code"]) for e in errors] == [
        (2, "数值", "abc", "bad_number"),
        (3, "指标代码", "x", "unknown_indicator"),
    ]
    assert all(set(e) == {"row", "column", "value", "code", "message"} for e in errors)
    assert set(doc["files"][0]) >= {"file", "status", "counts", "warnings", "errors"}
    assert doc["files"][2]["counts"] == {"inserted": 0, "revised": 0, "unchanged": 0}


def test_exit_status_is_zero_when_every_file_is_accepted_or_duplicate(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    good = write_csv(tmp_path, "good.csv", DONE_WHEN[:1])
    assert main(["--db", db, "import", str(good)]) == 0
    assert main(["--db", db, "import", str(good)]) == 0
    capsys.readouterr()


def test_table_output_is_a_chinese_summary_with_the_error_table(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    bad = write_csv(tmp_path, "bad.csv", [["revenue", "", "2021年13月", "1", "", "", ""]])
    code, out, err = run(capsys, "--db", db, "import", str(bad), "--department", "finance")
    assert code == 1
    assert "【已拒绝】" in out
    assert "区财政局" in out
    assert "未做任何更改" in out
    assert "行号" in out
    assert "错误代码" in out
    assert "bad_period" in out
    assert "2021年13月" in out
    assert "Traceback" not in out + err


def test_a_correction_is_a_revision_and_known_at_returns_the_old_value(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    imported(capsys, db, str(write_csv(tmp_path, "a.csv", DONE_WHEN[:1])))
    again_new_file = write_csv(tmp_path, "a2.csv", DONE_WHEN[:1], encoding="gb18030")
    assert imported(capsys, db, str(again_new_file))[1]["files"][0]["counts"]["unchanged"] == 1
    fixed = [["revenue", "姑苏区", "2021年1-5月", "336,500", "万元", "6.8%", "更正"]]
    _, doc = imported(capsys, db, str(write_csv(tmp_path, "b.csv", fixed)))
    assert doc["files"][0]["counts"] == {"inserted": 0, "revised": 1, "unchanged": 0}
    history = observations(capsys, db, "revenue", "--history")
    assert [r["value"] for r in history] == [33.56, 33.65]
    before_fix = history[0]["known_from"]  # a moment when only the first version was known
    assert [r["value"] for r in observations(capsys, db, "revenue", "--known-at", before_fix)] == [33.56]
    assert [r["value"] for r in observations(capsys, db, "revenue")] == [33.65]


def test_dry_run_prints_what_would_change_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "a.csv", DONE_WHEN)
    code, doc = imported(capsys, db, str(path), "--dry-run")
    assert code == 0
    assert doc["dry_run"] is True
    assert doc["files"][0]["counts"]["inserted"] == 3
    assert doc["files"][0]["import_id"] is None
    assert observations(capsys, db, "revenue") == []
    code, out, _ = run(capsys, "--db", db, "imports", "--format", "json")
    assert json.loads(out)["imports"] == []


def test_imports_lists_the_log_newest_first_and_shows_one_batch(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    good = write_csv(tmp_path, "good.csv", DONE_WHEN)
    bad = write_csv(tmp_path, "bad.csv", [["revenue", "", "2021-05", "-1", "", "", ""]])
    main(["--db", db, "import", str(good), "--department", "finance"])
    main(["--db", db, "import", str(bad), "--department", "finance"])
    capsys.readouterr()
    code, out, _ = run(capsys, "--db", db, "imports", "--format", "json")
    log = json.loads(out)["imports"]
    assert [(r["status"], r["department"], r["inserted"]) for r in log] == [
        ("rejected", "finance", 0),
        ("accepted", "finance", 3),
    ]
    assert log[0]["errors"][0]["code"] == "negative_not_allowed"
    assert len(log[1]["sha256"]) == 64
    code, out, _ = run(capsys, "--db", db, "imports")
    assert code == 0
    assert "已拒绝" in out
    assert "已接收" in out
    assert "区财政局" in out
    code, out, _ = run(capsys, "--db", db, "imports", "--id", str(log[0]["id"]))
    assert "negative_not_allowed" in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        pytest.param(["import", "no-such-file.csv"], "找不到文件", id="missing-file"),
        pytest.param(["import", "README.md", "--department", "ghost"], "ghost", id="unknown-department"),
        pytest.param(["template", "--department", "stats", "--period", "2021Q2"], "报告月份", id="period-not-a-month"),
        pytest.param(
            ["template", "--department", "stats", "--period", "2021-05", "--out", "t.txt"],
            ".xlsx",
            id="template-format",
        ),
        pytest.param(["inbox", "scan", "--dir", "no/such/inbox"], "不存在", id="missing-inbox"),
    ],
)
def test_usage_errors_are_one_chinese_line(
    capsys: pytest.CaptureFixture[str],
    db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    says: str,
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    code, _out, err = run(capsys, "--db", db, *argv)
    assert code == 1
    assert says in err
    assert "Traceback" not in err


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_the_department_template_round_trips(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"stats{suffix}"
    code, text, _ = run(
        capsys, "--db", db, "template", "--department", "stats", "--period", "2021-05", "--out", str(out)
    )
    assert code == 0
    assert str(out) in text
    filled = fill(out)
    code, doc = imported(capsys, db, str(filled), "--department", "stats")
    [result] = doc["files"]
    assert code == 0, result["errors"]
    assert result["status"] == "accepted", result["errors"]
    assert result["counts"]["inserted"] == 26  # every indicator 统计局 supplies (its `source`), not only those it leads
    assert result["warnings"] == []
    assert observations(capsys, db, "gdp")[0]["period"] == "2021-Q1"  # quarterly: the last quarter by May
    assert observations(capsys, db, "services_revenue")[0]["period"] == "2021-04"  # 错月: one month earlier
    assert observations(capsys, db, "industrial_va")[0]["yoy"] == 5.0


def fill(template: Path) -> Path:
    """A department filling the template in: values for levels, growth for every row."""
    if template.suffix == ".csv":
        lines = template.read_text(encoding="utf-8-sig").splitlines()
        rows = [line.split(",") for line in lines[2:]]
        for n, row in enumerate(rows):
            row[4] = "" if row[5] == "%" else str(100 + n)
            row[6] = "5"
        template.write_text("\n".join(lines[:2] + [",".join(r) for r in rows]) + "\n", encoding="utf-8-sig")
        return template
    book = openpyxl.load_workbook(template)
    sheet = book["数据"]
    assert [c.value for c in sheet[2]] == [
        "指标代码",
        "指标名称",
        "地区",
        "期别",
        "数值",
        "单位",
        "同比增长(%)",
        "备注",
    ]
    for n, row in enumerate(sheet.iter_rows(min_row=3)):
        row[4].value = None if row[5].value == "%" else 100 + n
        row[6].value = 5
    book.save(template)
    return template


def test_template_has_one_row_per_supplied_indicator_with_its_period(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out = tmp_path / "drc.csv"
    assert main(["--db", db, "template", "--department", "drc", "--period", "2021-05", "--out", str(out)]) == 0
    lines = out.read_bytes().decode("utf-8-sig").splitlines()
    assert "区发改局" in lines[0]
    assert lines[1].startswith("指标代码,指标名称,地区,期别")
    periods = {line.split(",")[0]: line.split(",")[3] for line in lines[2:]}
    assert periods == {
        # the figures drc supplies (`source`): not fai, which 统计局 compiles though drc leads it, nor the
        # power and turnover figures drc answers for but 供电公司 and 交通运输局 supply
        "key_project_investment": "2021年1-5月",
        "deposits": "2021年5月",
        "loans": "2021年5月",
        "pork_price": "2021年第21周",
        "vegetable_price": "2021年第21周",
        "insurance_premium": "2021年1-5月",
        "securities_turnover": "2021年一季度",
    }
    capsys.readouterr()


def test_imports_without_a_department_show_none_not_nan(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    main(["--db", db, "import", str(write_csv(tmp_path, "a.csv", DONE_WHEN[:1]))])
    capsys.readouterr()
    _, out, _ = run(capsys, "--db", db, "imports", "--format", "json")
    assert "NaN" not in out
    assert json.loads(out)["imports"][0]["department"] is None
    _, out, _ = run(capsys, "--db", db, "imports")
    assert "nan" not in out
