"""The weekly email's wording: gaps in 百分点, and indicators by their Chinese names only (never a code)."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest

from monitor.catalogue_file import load_catalogue
from monitor.cli import main
from monitor.settings import PROJECT_ROOT


@pytest.fixture
def outbox(sqlite_sample_url: str, tmp_path: Path) -> Path:
    folder = tmp_path / "outbox"
    argv = ["--db", sqlite_sample_url, "digest", "--as-of", "2021-07-19", "--dry-run", "--outbox", str(folder)]
    assert main(argv) == 0
    return folder


def parts(path: Path) -> tuple[str, str, str]:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None
    assert html is not None
    return str(msg["Subject"]), text.get_content(), html.get_content()


def test_the_headline_gaps_are_in_百分点(outbox: Path) -> None:
    _, text, html = parts(outbox / "2021-W29_group.eml")
    gdp = next(line for line in text.splitlines() if line.strip().startswith("地区生产总值"))
    assert "差距 +4.7个百分点" in gdp
    jobs = next(line for line in text.splitlines() if line.strip().startswith("新增就业岗位"))
    assert "差距 -12.0个百分点" in jobs
    assert "差距(百分点)" in html
    assert re.search(r"差距 [+-]\d+\.\d(?!个百分点)", text) is None


def test_no_indicator_code_appears_in_any_email(outbox: Path) -> None:
    codes = set(load_catalogue(PROJECT_ROOT / "indicators.toml").indicators)
    for path in sorted(outbox.glob("*.eml")):
        for part in parts(path):
            words = set(re.findall(r"[A-Za-z][A-Za-z0-9_]+", part))
            assert words & codes == set(), path.name
