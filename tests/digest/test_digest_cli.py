"""`monitor digest --dry-run` on the sample data writes one .eml per recipient and records nothing."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest

from monitor.cli import main
from monitor.storage.alerts import read_alerts, read_sends
from monitor.storage.db import make_engine, transaction

DEPARTMENTS = ("stats", "drc", "econ", "hrss", "housing", "land", "culture")  # those with items (调查队 and the
# postal regulator are sources, not 责任单位, since the 2021 catalogue changes; 教体文旅委 answers for 规上文化企业)


def test_dry_run_writes_the_group_and_each_department_with_items(
    sqlite_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outbox = tmp_path / "outbox"
    code = main(["--db", sqlite_sample_url, "digest", "--as-of", "2021-07-19", "--dry-run", "--outbox", str(outbox)])
    assert code == 0
    files = sorted(p.name for p in outbox.glob("*.eml"))
    assert files == sorted(["2021-W29_group.eml"] + [f"2021-W29_department-{d}.eml" for d in DEPARTMENTS])
    assert "共 8 封（未发送、未记录）" in capsys.readouterr().out
    group = email.message_from_bytes((outbox / "2021-W29_group.eml").read_bytes(), policy=email.policy.default)
    assert group["Subject"] == "【示例数据】【经济运行监测】2021年第29周预警周报：红灯15项、黄灯16项"  # 37 before
    engine = make_engine(sqlite_sample_url)
    with transaction(engine) as session:
        assert read_alerts(session).empty
        assert read_sends(session).empty
    engine.dispose()


def test_real_run_without_smtp_host_writes_to_the_outbox_and_records(
    sqlite_sample_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MONITOR_SMTP_HOST", raising=False)
    monkeypatch.setenv("MONITOR_VAR_DIR", str(tmp_path / "var"))
    assert main(["--db", sqlite_sample_url, "digest", "--as-of", "2021-07-19"]) == 0
    assert len(list((tmp_path / "var" / "outbox").glob("*.eml"))) == 8
    assert "已发送 8 封" in capsys.readouterr().out
    assert main(["--db", sqlite_sample_url, "digest", "--as-of", "2021-07-19"]) == 0
    assert "已发送 0 封，跳过 8 封" in capsys.readouterr().out
