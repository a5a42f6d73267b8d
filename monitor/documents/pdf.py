"""PDF through LibreOffice headless (`soffice --convert-to pdf`), with a Chinese message when it is missing."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from monitor.errors import UsageError

__all__ = ["SOFFICE_MISSING", "docx_to_pdf"]

SOFFICE_MISSING = (
    "未找到 LibreOffice（{program}），无法生成 PDF 简报：请安装 LibreOffice "
    "（Debian/Ubuntu：apt-get install libreoffice-writer-nogui fonts-noto-cjk），"
    "或用 MONITOR_SOFFICE 指定 soffice 的路径；也可先生成 .docx（--format docx）"
)


def docx_to_pdf(docx: bytes, *, soffice: str = "soffice", timeout: float = 120.0) -> bytes:
    """Convert .docx bytes to PDF bytes in a private profile and folder; UsageError in Chinese on failure."""
    program = shutil.which(soffice)
    if program is None:
        raise UsageError(SOFFICE_MISSING.format(program=soffice))
    with tempfile.TemporaryDirectory(prefix="monitor-briefing-") as tmp:
        folder = Path(tmp)
        source = folder / "briefing.docx"
        source.write_bytes(docx)
        profile = (folder / "profile").as_uri()  # its own profile: runs beside an open LibreOffice
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise UsageError(
                f"LibreOffice 转换 PDF 超过 {timeout:g} 秒未完成，已停止（可调大 MONITOR_SOFFICE_TIMEOUT）"
            ) from None
        target = folder / "briefing.pdf"
        if done.returncode != 0 or not target.is_file():
            detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["无输出"]
            raise UsageError(f"LibreOffice 未能把简报转换为 PDF（退出码 {done.returncode}）：{detail[0]}")
        return target.read_bytes()
