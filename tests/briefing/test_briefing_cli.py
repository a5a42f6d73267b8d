"""`monitor briefing` through its entry point: .docx by default, HTML by extension, clear errors."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from monitor.cli import main


def test_the_command_writes_the_docx_and_html(
    briefing_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "简报.docx"
    assert main(["--db", briefing_db, "briefing", "--period", "2021-06", "--issue-no", "7", "--out", str(out)]) == 0
    said = capsys.readouterr()
    assert f"已写出 {out}（姑苏区经济运行简报 2021年第7期，docx" in said.out
    assert "示例数据" in said.err
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert texts[:2] == ["姑苏区经济运行简报", "2021年第7期"]
    page = tmp_path / "b.html"
    assert main(["--db", briefing_db, "briefing", "--period", "2021-06", "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<h1>姑苏区经济运行简报</h1>" in html
    assert "附表1 姑苏区主要经济指标完成情况表" in html
    assert html.count('<img src="data:image/png;base64,') >= 2


def test_without_out_it_lands_under_var_briefings(
    briefing_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_VAR_DIR", str(tmp_path / "var"))
    assert main(["--db", briefing_db, "briefing", "--period", "2021-06", "--format", "html"]) == 0
    written = list((tmp_path / "var" / "briefings").glob("*.html"))
    assert [p.name for p in written] == ["姑苏区经济运行简报_2021年第6期_2021-06.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--out", "b.txt"], "扩展名无法识别", id="bad-extension"),
        pytest.param(["--region", "nowhere", "--format", "html"], "未知的地区代码“nowhere”", id="bad-region"),
        pytest.param(["--issue-no", "0", "--format", "html"], "期号须为正整数", id="bad-issue"),
    ],
)
def test_mistakes_get_one_chinese_line(
    briefing_db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["--db", briefing_db, "briefing", "--period", "2021-06", *args]) == 1
    assert message in capsys.readouterr().err
