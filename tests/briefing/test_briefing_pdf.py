"""The briefing as PDF through LibreOffice (one conversion per run), read back with pdftotext and pdffonts.

Page 1 is rendered to PNG with pdftoppm and kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from monitor.documents.pdf import docx_to_pdf
from monitor.errors import UsageError
from monitor.services.briefing import BriefingDocument
from monitor.settings import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "test-artifacts"
_PDF: dict[str, Any] = {}


def _need(program: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (CI installs libreoffice-writer-nogui and poppler-utils)")


@pytest.fixture(scope="module")
def june_pdf(june_docx: BriefingDocument, tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need("soffice")
    _need("pdftotext")
    if "path" not in _PDF:
        path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
        path.write_bytes(docx_to_pdf(june_docx.content, timeout=300))
        _PDF["path"] = path
    return Path(_PDF["path"])


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout


def test_the_pdf_carries_the_title_and_the_first_sentence(june_pdf: Path, june_docx: BriefingDocument) -> None:
    assert june_pdf.read_bytes().startswith(b"%PDF")
    text = "".join(_run("pdftotext", "-layout", str(june_pdf), "-").split())
    assert "姑苏区经济运行简报" in text
    assert "2021年第6期" in text
    first = june_docx.briefing.sections[0].blocks[0].text  # type: ignore[union-attr]
    assert "".join(first.split()) in text  # pdftotext inserts spaces between Chinese and Latin digits
    assert "示例数据" in text


def test_the_pdf_embeds_a_cjk_font(june_pdf: Path) -> None:
    fonts = _run("pdffonts", str(june_pdf))
    lines = [line for line in fonts.splitlines()[2:] if line.strip()]
    cjk = [line for line in lines if "CJK" in line or "Hei" in line or "Song" in line or "Fang" in line]
    assert cjk, f"no CJK font in the PDF: {fonts}"
    assert all(" yes " in line for line in cjk)  # embedded, so no tofu boxes on another machine


def test_page_one_renders_to_an_image(june_pdf: Path) -> None:
    _need("pdftoppm")
    ARTIFACTS.mkdir(exist_ok=True)
    prefix = ARTIFACTS / "briefing-page"
    _run("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(june_pdf), str(prefix))
    pages = sorted(ARTIFACTS.glob("briefing-page-*.png"))
    assert len(pages) >= 2
    assert pages[0].stat().st_size > 10_000


def test_without_libreoffice_the_message_says_how_to_install_it(june_docx: BriefingDocument) -> None:
    with pytest.raises(UsageError) as caught:
        docx_to_pdf(june_docx.content, soffice="no-such-soffice-program")
    message = str(caught.value)
    assert "未找到 LibreOffice" in message
    assert "libreoffice-writer-nogui" in message
