"""Which text encoding a CSV is in, decided from its bytes alone (never from its name).

Excel and WPS on a Chinese Windows save CSV in GB18030/GBK; newer Excel offers "CSV UTF-8" with
a BOM; scripts write plain UTF-8. UTF-16 ("Unicode text") and binary files are refused with a
message saying how to save the file instead.
"""

from __future__ import annotations

import codecs
import re

from monitor.errors import ReadError

__all__ = ["check_text", "detect_encoding"]

SAVE_AS = "请在 Excel 中“另存为”CSV UTF-8（逗号分隔）或 Excel 工作簿（.xlsx）后重新发送"
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never inside a UTF-8 or GB18030 character
_TEXT_BYTES = bytes(b for b in range(256) if not _CONTROL.match(bytes([b])))


def detect_encoding(data: bytes) -> str:
    """utf-8-sig (BOM), utf-8 (strict decode works), else gb18030 (a superset of GBK and GB2312).

    Raises ReadError("unreadable_file") for UTF-16, NUL bytes, or bytes no encoding accepts.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReadError("unreadable_file", f"文件是 UTF-16 编码（Excel 的“Unicode 文本”）：{SAVE_AS}")
    if b"\x00" in data:
        raise ReadError(
            "unreadable_file", f"文件含有二进制内容（NUL 字节），不是 CSV 文本表格或 Excel 工作簿：{SAVE_AS}"
        )
    if data.isascii():  # ASCII is UTF-8, and telling so needs no decoded copy of the file
        return "utf-8"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(
            "unreadable_file",
            f"无法识别文件的文字编码（第 {exc.start + 1} 个字节起既不是 UTF-8 也不是 GB18030/GBK）：{SAVE_AS}",
        ) from None


def check_text(data: bytes) -> str:
    """The file's encoding, once its bytes are known to be text a spreadsheet could have written.

    Raises ReadError("unreadable_file") for undecodable bytes or control characters (binary junk).
    """
    encoding = detect_encoding(data)
    control = _CONTROL.search(data) if data.translate(None, _TEXT_BYTES) else None  # translate: one fast pass
    if control:
        line = data.count(b"\n", 0, control.start()) + 1
        raise ReadError(
            "unreadable_file",
            f"文件第 {line} 行含有控制字符（0x{control.group()[0]:02X}），不像是文本表格：{SAVE_AS}",
        )
    return encoding
