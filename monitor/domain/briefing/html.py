"""The briefing as one self-contained HTML page (the --format html view and the board's preview)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from monitor.domain.briefing.model import Briefing, Heading, Paragraph, Table

__all__ = ["render_html"]

_STYLE = (
    "body{font-family:'FangSong','仿宋','STFangsong','Noto Serif CJK SC',serif;font-size:16pt;line-height:1.6;"
    "max-width:210mm;margin:auto;padding:20mm 26mm;color:#000}"
    "h1{font-family:'FZXiaoBiaoSong-B05S','方正小标宋简体','Noto Serif CJK SC',serif;color:#c00;text-align:center;"
    "font-size:26pt;margin:0}"
    ".issue{text-align:center}.meta{display:flex;justify-content:space-between;border-bottom:2px solid #c00}"
    ".sample{color:#c00;font-weight:bold;text-align:center}"
    "h2{font-family:'SimHei','黑体','Noto Sans CJK SC',sans-serif;font-size:16pt}"
    "h3{font-family:'KaiTi','楷体','Noto Serif CJK SC',serif;font-size:16pt}"
    "p{text-indent:2em;margin:0}table{border-collapse:collapse;font-size:10.5pt;margin:8pt 0}"
    "td,th{border:1px solid #000;padding:2pt 4pt}caption{font-weight:bold}.footer{border-top:1px solid #000;"
    "border-bottom:1px solid #000;margin-top:2em;text-indent:0}"
)


def _table(t: Table) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in t.headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in t.rows)
    note = f'<p class="note">{escape(t.note)}</p>' if t.note else ""
    return f"<table><caption>{escape(t.title)}</caption><tr>{head}</tr>{body}</table>{note}"


def render_html(b: Briefing, images: Sequence[str] = ()) -> str:
    """A whole HTML document: 红头, 期号, sections, annex tables, the charts and the 报送/抄送 footer.

    `images` are the charts already drawn (data: URIs, one per `b.charts`, from the document writer).
    """
    out = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(b.title)} {escape(b.issue_line)}</title><style>{_STYLE}</style></head><body>",
        f'<h1>{escape(b.title)}</h1><p class="issue">{escape(b.issue_line)}</p>',
        f'<div class="meta"><span>{escape(b.office)}</span><span>{escape(b.date_text)}</span></div>',
    ]
    if b.sample_note:
        out.append(f'<p class="sample">{escape(b.sample_note)}</p>')
    for section in b.sections:
        out.append(f"<h2>{escape(section.heading)}</h2>")
        for block in section.blocks:
            if isinstance(block, Heading):
                out.append(f"<h3>{escape(block.text)}</h3>")
            elif isinstance(block, Paragraph):
                out.append(f"<p>{escape(block.text)}</p>")
            else:
                out.append(_table(block))
    for annex in b.annexes:
        out.append(_table(annex))
    for n, (chart, uri) in enumerate(zip(b.charts, images, strict=False), start=1):
        title = escape(f"附图{n} {chart.title}")
        out.append(
            f'<figure><img src="{escape(uri)}" alt="{title}" style="max-width:100%">'
            f"<figcaption>{title}</figcaption></figure>"
        )
    out.append('<p class="footer">' + "<br>".join(escape(line) for line in b.footer) + "</p></body></html>")
    return "".join(out)
