"""The states a scheduled job run and a digest send are recorded in (stored as their text values)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["JOB_STATUS_ZH", "JobStatus", "SendState"]


class JobStatus(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
    SKIPPED = "skipped"  # nothing to do (e.g. this week's digest was sent already)


JOB_STATUS_ZH: dict[str, str] = {
    JobStatus.RUNNING: "运行中",
    JobStatus.SUCCESS: "成功",
    JobStatus.FAILED: "失败",
    JobStatus.SKIPPED: "无需执行",
}


class SendState(StrEnum):
    SENDING = "sending"  # committed before the SMTP conversation: a process killed here resends once
    SENT = "sent"
    FAILED = "failed"
