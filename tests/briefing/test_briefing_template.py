"""The briefing's Word template: the shipped one follows GB/T 9704, an administrator's copy is used as given."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from monitor.documents.docx_writer import write_docx
from monitor.documents.template import DEFAULT_TEMPLATE
from monitor.errors import UsageError
from monitor.services.briefing import BriefingDocument


def _east_asian(document: docx.document.Document, style: str) -> str:
    fonts = document.styles[style].element.rPr.rFonts
    return str(fonts.get(qn("w:eastAsia")))


def _cm(length: int | None) -> float:
    """A length in cm to 0.01 (Word stores twips: 3 cm comes back as 1080135 EMU)."""
    return round((length or 0) / Cm(1), 2)


def test_the_shipped_template_is_a4_with_the_standard_margins_and_fonts() -> None:
    template = docx.Document(str(DEFAULT_TEMPLATE))
    section = template.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    sides = (section.left_margin, section.right_margin)
    assert [_cm(x) for x in (*sizes, *sides)] == [21.0, 29.7, 3.7, 3.5, 2.8, 2.6]
    assert _east_asian(template, "Title") == "方正小标宋简体"
    assert _east_asian(template, "Normal") == "仿宋_GB2312"


def test_an_edited_template_is_used(june_docx: BriefingDocument, tmp_path: Path) -> None:
    edited = docx.Document(str(DEFAULT_TEMPLATE))
    edited.styles["Normal"].element.rPr.rFonts.set(qn("w:eastAsia"), "楷体")
    edited.sections[0].left_margin = Cm(3.0)
    edited.add_paragraph("模板里的示例文字")
    path = tmp_path / "office.docx"
    edited.save(str(path))
    result = docx.Document(io.BytesIO(write_docx(june_docx.briefing, template=path)))
    assert _east_asian(result, "Normal") == "楷体"
    assert _cm(result.sections[0].left_margin) == 3.0
    texts = [p.text for p in result.paragraphs]
    assert "模板里的示例文字" not in texts
    assert texts[0] == "姑苏区经济运行简报"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("missing.docx", None, "不存在", id="missing"),
        pytest.param("broken.docx", b"not a zip", "不是有效的 Word", id="not-docx"),
    ],
)
def test_a_bad_template_is_named_in_chinese(
    june_docx: BriefingDocument, tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UsageError, match=message):
        write_docx(june_docx.briefing, template=path)
