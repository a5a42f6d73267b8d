"""Builders of hostile department files, made by the tests themselves (no bomb is checked in)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl

from tests.imports.conftest import HEADER

SHEET = "xl/worksheets/sheet1.xml"
_NS = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def _base_workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_with_sheet(sheet_parts: Iterable[bytes], *, extra: dict[str, bytes] | None = None) -> bytes:
    """A valid openpyxl workbook whose first sheet is replaced by the streamed XML `sheet_parts`."""
    source = zipfile.ZipFile(io.BytesIO(_base_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, source.read(info.filename))
        with target.open(SHEET, "w", force_zip64=True) as sheet:
            for part in sheet_parts:
                sheet.write(part)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def inflating_workbook(megabytes: int) -> bytes:
    """A few MB that inflate to `megabytes` MB of XML (whitespace inside the sheet)."""

    def parts() -> Iterable[bytes]:
        yield _NS + b"<sheetData>"
        block = b" " * (1 << 20)
        for _ in range(megabytes):
            yield block
        yield b"</sheetData></worksheet>"

    return workbook_with_sheet(parts())


def _row(n: int) -> bytes:
    return (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>revenue</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>2021-05</t></is></c><c r="C%d"><v>1.5</v></c></row>' % (n, n, n, n)
    )


def many_rows_workbook(rows: int, *, dimension: str | None = None) -> bytes:
    """A sheet of `rows` data rows under a header, optionally with a <dimension> that says its size."""

    def parts() -> Iterable[bytes]:
        yield _NS
        if dimension:
            yield b'<dimension ref="%s"/>' % dimension.encode()
        yield (
            b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>\xe6\x8c\x87\xe6\xa0\x87\xe4\xbb\xa3\xe7\xa0\x81'
            b'</t></is></c><c r="B1" t="inlineStr"><is><t>\xe6\x9c\x9f\xe5\x88\xab</t></is></c>'
            b'<c r="C1" t="inlineStr"><is><t>\xe6\x95\xb0\xe5\x80\xbc</t></is></c></row>'
        )
        for start in range(2, rows + 2, 10_000):
            yield b"".join(_row(n) for n in range(start, min(start + 10_000, rows + 2)))
        yield b"</sheetData></worksheet>"

    return workbook_with_sheet(parts())


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
