"""A scheduler killed with SIGKILL while the weekly digest is being sent, then restarted.

Every recipient ends up with exactly one digest for the week, except at most the one whose send
was in flight at the kill (it may get a second copy: its ledger row was still `sending`).
"""

from __future__ import annotations

import signal
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from monitor.domain.digest import digest_week, week_key
from monitor.storage.alerts import read_sends
from monitor.storage.db import make_engine, transaction
from tests.alerts.sample_db import as_real_figures
from tests.digest.smtp_sink import SmtpSink
from tests.scheduler.processes import digest_due_at, environment, job_runs, start, stop, wait_for

# The sample data is never sent: its figures are relabelled real, so "today" is the real date and
# the digest is this week's, to the group and every department with items (counted from the ledger).
WEEK = week_key(digest_week(datetime.now(ZoneInfo("Asia/Shanghai")).date()))


def _all_sent(url: str) -> bool:
    sends = _sends(url)
    return len(sends) > 0 and set(sends["state"]) == {"sent"} and not _running(url)


def _running(url: str) -> bool:
    runs = job_runs(url)
    return bool((runs["status"] == "running").any())


def _sends(url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(url)
    try:
        with transaction(engine) as session:
            return read_sends(session, WEEK)
    finally:
        engine.dispose()


@pytest.mark.slow
def test_sigkill_mid_send_then_restart_sends_each_recipient_once(sqlite_sample_url: str, tmp_path: Path) -> None:
    as_real_figures(sqlite_sample_url)
    sink = SmtpSink(tmp_path / "received", delay=0.6).start()
    try:
        due = datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(seconds=10)
        config = digest_due_at(tmp_path, due, catchup_minutes=600)
        env = environment(
            sqlite_sample_url,
            config,
            tmp_path / "var",
            MONITOR_SMTP_HOST="127.0.0.1",
            MONITOR_SMTP_PORT=str(sink.port),
            MONITOR_SMTP_SECURITY="none",
        )
        first = start(env, tmp_path / "first.log", "scheduler")
        wait_for(lambda: len(sink.messages()) >= 3, 60, "three digests to arrive")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        delivered_before_kill = len(sink.messages())
        claimed = _sends(sqlite_sample_url)
        assert (claimed["state"] != "sent").any() or len(claimed) < 3, "the kill must land mid-send"
        runs = job_runs(sqlite_sample_url)
        assert list(runs.loc[runs["job"] == "digest", "status"]) == ["running"]  # left behind by the kill

        second = start(env, tmp_path / "second.log", "scheduler")
        try:
            wait_for(lambda: _all_sent(sqlite_sample_url), 90, "the restarted scheduler to finish the week's digest")
        finally:
            assert stop(second) == 0
        per_recipient = Counter(m["To"] for m in sink.messages())
        recipients = len(_sends(sqlite_sample_url))
        assert recipients >= 3
        assert delivered_before_kill < recipients
        assert len(per_recipient) == recipients
        twice = [to for to, n in per_recipient.items() if n > 1]
        assert len(twice) <= 1, per_recipient
        assert all(n <= 2 for n in per_recipient.values()), per_recipient
        runs = job_runs(sqlite_sample_url)
        digest_runs = runs[runs["job"].isin(["digest", "digest_catchup"]) & (runs["status"] != "skipped")]
        digest_runs = digest_runs.sort_values("id")
        assert list(zip(digest_runs["job"], digest_runs["status"], strict=True)) == [
            ("digest", "failed"),  # interrupted by the kill, marked so by the process that took over
            ("digest_catchup", "success"),
        ]
        assert "进程中断" in digest_runs.iloc[0]["error"]
    finally:
        sink.stop()
