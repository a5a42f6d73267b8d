"""The June 2021 briefing on the sample data, read back with python-docx, and its numbers against `monitor pace`."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import docx
import pytest
from docx.document import Document as DocumentObject

from monitor.cli import main
from monitor.services.briefing import BriefingDocument
from tests.briefing.conftest import KNOWN_AT

NUMBER = re.compile(r"\d+(?:\.\d+)?")
SECTIONS = ("一、总体情况", "二、主要指标完成情况", "三、GDP核算支撑指标", "四、慢进指标", "五、下阶段预判")


def _read(document: BriefingDocument) -> DocumentObject:
    return docx.Document(io.BytesIO(document.content))


def _texts(doc: DocumentObject) -> list[str]:
    return [p.text for p in doc.paragraphs if p.text.strip()]


def _pace_json(url: str, period: str, capsys: pytest.CaptureFixture[str]) -> dict[str, dict[str, Any]]:
    capsys.readouterr()
    known = KNOWN_AT.isoformat()
    assert (
        main(["--db", url, "pace", "--period", period, "--known-at", known, "--no-forecast", "--format", "json"]) == 0
    )
    return {r["indicator"]: r for r in json.loads(capsys.readouterr().out)["rows"]}


def test_the_header_issue_number_sections_and_footer(june_docx: BriefingDocument) -> None:
    doc = _read(june_docx)
    texts = _texts(doc)
    assert texts[0] == "姑苏区经济运行简报"
    assert texts[1] == "2021年第6期"
    assert texts[2] == "区经济运行综合协调保障领导小组办公室\t2021年7月20日"
    assert texts[3].startswith("示例数据")
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == list(SECTIONS)
    assert "报送：区委、区政府领导。\n抄送：领导小组成员单位、各街道。" in texts
    assert june_docx.file_name == "姑苏区经济运行简报_2021年第6期_2021-06.docx"


def test_the_sentences_the_issue_asks_for(june_docx: BriefingDocument) -> None:
    texts = _texts(_read(june_docx))
    assert (
        "全区一般公共预算收入39.50亿元，同比增长16.1%，增速比1-5月回落3.5个百分点，"
        "高于全年目标（增长5%以上）11.1个百分点。"
    ) in texts
    new_jobs = next(t for t in texts if t.startswith("全区新增就业岗位"))
    assert new_jobs.startswith(
        "全区新增就业岗位19000个，同比下降23.5%，完成全年目标的38.0%，慢于序时进度12.0个百分点，"
    )
    assert new_jobs.endswith("列为慢进指标（责任单位：区人社局）。")
    income = next(t for t in texts if "城镇居民人均可支配收入35962元" in t)
    assert income.startswith("上半年，全区城镇居民人均可支配收入35962元，同比增长9.2%，")
    assert "低于地区生产总值增速1.5个百分点，列为慢进指标（责任单位：区人社局、区统计局）。" in income
    assert not any("增长-" in t or "增长−" in t for t in texts)


def test_the_overview_gives_the_two_year_average_and_rank(
    june_docx: BriefingDocument, briefing_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from monitor.domain.briefing import growth_phrase
    from monitor.domain.briefing.phrases import two_year_average

    june = _pace_json(briefing_db, "2021-06", capsys)
    before = _pace_json(briefing_db, "2020-06", capsys)
    overview = june_docx.briefing.sections[0].blocks[0].text  # type: ignore[union-attr]
    for code in ("gdp", "revenue", "fai", "retail_sales"):
        average = two_year_average(june[code]["growth"], before[code]["growth"])
        assert f"同比增长{june[code]['growth']:.1f}%，两年平均{growth_phrase(average)}" in overview
    assert "增速居10个对比地区第" in overview


def test_a_paragraph_for_every_indicator_of_the_set(june_docx: BriefingDocument) -> None:
    briefing = june_docx.briefing
    main_section = briefing.sections[1]
    about = [b.indicator for b in main_section.blocks if getattr(b, "indicator", None)]
    assert len(about) == 30
    assert len(set(about)) == 30


def test_the_slow_table_lists_every_red_indicator_with_its_note(june_docx: BriefingDocument) -> None:
    doc = _read(june_docx)
    slow = doc.tables[0]
    assert [c.text for c in slow.rows[0].cells] == [
        "指标",
        "完成",
        "序时",
        "差距（百分点）",
        "责任单位",
        "原因",
        "措施",
    ]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in slow.rows[1:]}
    assert set(rows) == {"城镇居民人均可支配收入", "新引进总部类企业数", "新增就业岗位"}
    assert rows["新增就业岗位"] == [
        "新增就业岗位",
        "38.0%",
        "50.0%",
        "-12.0",
        "区人社局",
        "上半年企业招聘需求回落",
        "7月起举办专场招聘会，加密岗位归集",
    ]
    assert rows["新引进总部类企业数"][4:] == ["区经科局", "未说明", "未说明"]


def test_three_annex_tables_and_the_charts(june_docx: BriefingDocument) -> None:
    doc = _read(june_docx)
    captions = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Caption"]
    assert [c for c in captions if c.startswith("附表")] == [
        "附表1 姑苏区主要经济指标完成情况表",
        "附表2 与对比地区主要指标增速及位次",
        "附表3 各街道主要指标增速及位次",
    ]
    annex1, annex2, annex3 = doc.tables[1:4]
    assert len(annex1.rows) == 31
    assert len(annex2.rows) == 11  # 姑苏区 and its nine peers
    assert annex3.rows[1].cells[0].text == "姑苏区（参照）"
    assert len(annex3.rows) == 10  # the district and its eight streets
    assert len(doc.inline_shapes) >= 2


def _allowed(row: dict[str, Any], before: dict[str, Any] | None) -> set[str]:
    """Every number a sentence on this row may print, formatted as the briefing formats them."""
    found = {str(m) for m in range(1, 13)} | {"25", "26", "100"}  # 1-6月, 第25周, 上年同期=100
    if row["value"] is not None:
        found |= {f"{row['value']:.2f}", f"{row['value']:.0f}", f"{row['value']:.1f}"}
    if row["target_value"] is not None:
        found |= {f"{abs(row['target_value']):g}", f"{row['target_value']:.0f}"}
    for key in ("growth", "gap_pp"):
        if row[key] is not None:
            found.add(f"{abs(row[key]):.1f}")
    if row["completion"] is not None:
        found.add(f"{100 * row['completion']:.1f}")
    if before is not None:
        for key in ("growth", "gap_pp"):
            if row[key] is not None and before.get(key) is not None:
                found.add(f"{abs(row[key] - before[key]):.1f}")
    return found


def test_every_number_matches_monitor_pace(
    june_docx: BriefingDocument, briefing_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    june = _pace_json(briefing_db, "2021-06", capsys)
    may = _pace_json(briefing_db, "2021-05", capsys)
    checked = 0
    for block in june_docx.briefing.sections[1].blocks:
        code = getattr(block, "indicator", None)
        if code is None:
            continue
        row = june[code]
        allowed = _allowed(row, may.get(code))
        numbers = NUMBER.findall(block.text.replace(row["unit"], ""))  # type: ignore[union-attr]  # 元/500克
        assert set(numbers) <= allowed, f"{block.text}: {set(numbers) - allowed} not from monitor pace"
        if row["growth"] is not None and round(row["growth"], 1) != 0:
            assert f"{abs(row['growth']):.1f}%" in block.text  # type: ignore[union-attr]
        checked += len(numbers)
    assert checked > 100
    annex = _read(june_docx).tables[1]
    names = {r["name"]: r for r in june.values()}
    for r in annex.rows[1:]:
        cells = [c.text for c in r.cells]
        row = names[cells[0]]
        if row["value"] is not None:
            assert NUMBER.findall(cells[2])[0] in {f"{row['value']:.2f}", f"{row['value']:.0f}", f"{row['value']:.1f}"}
        assert cells[3] == ("—" if row["growth"] is None else f"{row['growth']:.1f}")
        assert cells[5] == ("—" if row["completion"] is None else f"{100 * row['completion']:.1f}%")
        assert cells[7] == ("—" if row["gap_pp"] is None else f"{row['gap_pp']:+.1f}")


def test_the_same_inputs_give_the_same_bytes(june_docx: BriefingDocument, briefing_db: str, tmp_path: Any) -> None:
    from monitor.catalogue_file import load_catalogue
    from monitor.domain.periods import parse_period
    from monitor.services.briefing import make_briefing
    from monitor.settings import PROJECT_ROOT
    from monitor.storage.db import make_engine
    from tests.briefing.conftest import settings_for

    engine = make_engine(briefing_db)
    again = make_briefing(
        engine,
        load_catalogue(PROJECT_ROOT / "indicators.toml"),
        settings_for(briefing_db, tmp_path),
        parse_period("2021-06"),
        known_at=KNOWN_AT,
    )
    engine.dispose()
    assert again.content == june_docx.content
