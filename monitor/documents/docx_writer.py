"""The briefing as a Word document (python-docx) on the briefing template: 红头, sections, tables, charts.

The bytes are stable: core properties take the briefing's date, and the zip entries a fixed time,
so the same briefing gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from monitor.documents.charts import chart_png
from monitor.documents.template import DEFAULT_TEMPLATE
from monitor.domain.briefing import Briefing, Heading, Paragraph, Table
from monitor.errors import UsageError

__all__ = ["write_docx"]

RED = RGBColor(0xC0, 0x00, 0x00)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _border(paragraph: DocxParagraph, where: str, colour: str = "C00000", size: int = 18) -> None:
    """A rule under (or over) a paragraph: the red line of the 红头, the lines around 报送/抄送."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:  # schema order: pBdr comes before shd, tabs, spacing, ind, jc …
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    edge = OxmlElement(f"w:{where}")
    for key, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", colour)):
        edge.set(qn(f"w:{key}"), value)
    borders.append(edge)


def _plain(paragraph: DocxParagraph, *, center: bool = False) -> DocxParagraph:
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _header(doc: DocumentObject, b: Briefing) -> None:
    doc.add_paragraph(b.title, style="Title")
    _plain(doc.add_paragraph(b.issue_line), center=True)
    meta = _plain(doc.add_paragraph())
    page = doc.sections[0]
    width = int(page.page_width or Cm(21.0)) - int(page.left_margin or 0) - int(page.right_margin or 0)
    meta.paragraph_format.tab_stops.add_tab_stop(Emu(width), WD_TAB_ALIGNMENT.RIGHT)
    meta.add_run(f"{b.office}\t{b.date_text}")
    _border(meta, "bottom")
    if b.sample_note:
        run = _plain(doc.add_paragraph(), center=True).add_run(b.sample_note)
        run.bold, run.font.color.rgb = True, RED


def _usable_width(doc: DocumentObject) -> int:
    """The text width of the last section (portrait body or landscape annexes), in EMU."""
    section = doc.sections[-1]
    return int(section.page_width or Cm(21.0)) - int(section.left_margin or 0) - int(section.right_margin or 0)


def _widths(table: Any, total: int) -> None:
    """The first column (the indicator's name) twice as wide as the others, the table as wide as the text."""
    n = len(table.columns)
    unit = total // (n + 1)
    for i, column in enumerate(table.columns):  # the grid LibreOffice lays out by
        column.width = Emu(unit * (2 if i == 0 else 1))
    for row in table.rows:  # the cell widths Word lays out by
        for i, cell in enumerate(row.cells):
            cell.width = Emu(unit * (2 if i == 0 else 1))


def _table(doc: DocumentObject, t: Table, size: float = 10.5) -> None:
    caption = _plain(doc.add_paragraph(t.title, style="Caption"), center=True)
    caption.paragraph_format.space_before = Pt(6)
    table = doc.add_table(rows=1, cols=len(t.headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row_cells, values, bold in [(table.rows[0].cells, t.headers, True)] + [
        (table.add_row().cells, r, False) for r in t.rows
    ]:
        for cell, value in zip(row_cells, values, strict=True):
            paragraph = _plain(cell.paragraphs[0])
            paragraph.paragraph_format.line_spacing = 1.0
            run = paragraph.add_run(value)
            run.font.size, run.bold = Pt(size), bold
    table.autofit = False
    _widths(table, _usable_width(doc))
    if t.note:
        note = _plain(doc.add_paragraph())
        run = note.add_run(f"注：{t.note}")
        run.font.size = Pt(10.5)


def _body(doc: DocumentObject, b: Briefing) -> None:
    for section in b.sections:
        doc.add_paragraph(section.heading, style="Heading 1")
        for block in section.blocks:
            if isinstance(block, Heading):
                doc.add_paragraph(block.text, style="Heading 2")
            elif isinstance(block, Paragraph):
                doc.add_paragraph(block.text)
            else:
                _table(doc, block, size=10.5)
    closing = _plain(doc.add_paragraph())
    closing.paragraph_format.space_before = Pt(24)
    _border(closing, "top", "000000", 8)
    _border(closing, "bottom", "000000", 8)
    for n, line in enumerate(b.footer):
        if n:
            closing.add_run().add_break()
        run = closing.add_run(line)
        run.font.size = Pt(14)


def _annexes(doc: DocumentObject, b: Briefing) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for n, annex in enumerate(b.annexes):
        if n:
            doc.add_page_break()
        _table(doc, annex, size=9)
    for n, chart in enumerate(b.charts, start=1):
        doc.add_page_break()
        _plain(doc.add_paragraph(f"附图{n} {chart.title}", style="Caption"), center=True)
        picture = _plain(doc.add_paragraph(), center=True)
        picture.paragraph_format.line_spacing = 1.0  # the body's exact 28 pt would clip the image to one line
        picture.add_run().add_picture(io.BytesIO(chart_png(chart)), height=Cm(11.5))


def _page_numbers(doc: DocumentObject) -> None:
    """A centred page number in the footer (the later sections link to the first one's footer)."""
    for section in doc.sections[:1]:
        paragraph = section.footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        paragraph._p.append(field)


def _stable_zip(data: bytes) -> bytes:
    """The same package with every entry dated _ZIP_TIME, in the same order: equal content, equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(
                zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME), src.read(info.filename), zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


def write_docx(briefing: Briefing, template: Path | None = None) -> bytes:
    """The .docx bytes of a briefing, laid out on `template` (default: the shipped GB/T 9704 one)."""
    path = template or DEFAULT_TEMPLATE
    if not path.is_file():
        raise UsageError(f"简报模板 {path} 不存在：请检查 MONITOR_BRIEFING_TEMPLATE")
    try:
        doc = Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a file that is not a .docx
        raise UsageError(f"简报模板 {path} 不是有效的 Word（.docx）文件：{exc}") from None
    body = doc.element.body
    for child in list(body):  # a template may carry sample text: the briefing replaces it
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _header(doc, briefing)
    _body(doc, briefing)
    _annexes(doc, briefing)
    _page_numbers(doc)
    props = doc.core_properties
    stamp = datetime.strptime(briefing.date_text, "%Y年%m月%d日")
    props.title, props.subject = f"{briefing.title} {briefing.issue_line}", briefing.office
    props.author = props.last_modified_by = briefing.office
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _stable_zip(buf.getvalue())
