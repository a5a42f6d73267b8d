"""The shipped Word template of the briefing (GB/T 9704 practice), and how it is made.

The layout lives in `briefing_template.docx` beside this module: styles Normal (仿宋 三号), Title
(方正小标宋简体, red, the 红头), Heading 1 (黑体), Heading 2 (楷体), Caption, Table Grid; A4 with
the standard 公文 margins. An administrator may edit that file (or a copy named by
MONITOR_BRIEFING_TEMPLATE) in Word; `make_template` regenerates the shipped one:

    python -m monitor.documents.template
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle

__all__ = ["DEFAULT_TEMPLATE", "EAST_ASIAN_FONTS", "make_template", "set_east_asian"]

DEFAULT_TEMPLATE = Path(__file__).with_name("briefing_template.docx")
EAST_ASIAN_FONTS = {
    "Normal": ("仿宋_GB2312", "仿宋", 16),
    "Title": ("方正小标宋简体", "小标宋", 26),
    "Heading 1": ("黑体", "SimHei", 16),
    "Heading 2": ("楷体_GB2312", "楷体", 16),
    "Caption": ("黑体", "SimHei", 12),
}
"""Style -> (font, fallback named in the style's alternate slot, size in pt). Machines without the
named 公文 fonts (LibreOffice on Linux) substitute a CJK font that covers the text (Noto CJK)."""


def set_east_asian(style: ParagraphStyle, font: str, fallback: str, size: int) -> None:
    """Latin text in Times New Roman, Chinese in `font` (the `fallback` named as the alternate)."""
    style.font.name = "Times New Roman"
    style.font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:hint"), "eastAsia")
    style.font.color.rgb = RGBColor(0, 0, 0)
    if style.element.find(qn("w:altName")) is None:
        style.element.append(style.element.makeelement(qn("w:altName"), {qn("w:val"): fallback}))


def _restyle(doc: DocumentObject) -> None:
    for name, (font, fallback, size) in EAST_ASIAN_FONTS.items():
        style = doc.styles[name]
        assert isinstance(style, ParagraphStyle)
        set_east_asian(style, font, fallback, size)
        style.font.bold = name in ("Heading 1",)
        style.font.italic = False
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), Pt(28)
        if name == "Normal":
            fmt.first_line_indent = Pt(32)  # two characters of 三号
        if name == "Title":
            style.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(40)
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)
        if name.startswith("Heading"):
            fmt.first_line_indent = Pt(32)
            fmt.keep_with_next = True


def make_template(path: Path = DEFAULT_TEMPLATE) -> Path:
    """Write the default template: the restyled styles, A4, margins 3.7/3.5/2.8/2.6 cm, no body text."""
    doc = Document()
    _restyle(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.save(str(path))
    return path


if __name__ == "__main__":
    print(make_template())
