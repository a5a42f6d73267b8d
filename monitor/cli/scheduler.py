"""`monitor scheduler` runs the timed jobs (one active scheduler per database); `monitor jobs` lists their runs."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
from typing import Any

import pandas as pd

from monitor.cli.arguments import Subcommands, add_command
from monitor.cli.context import Context
from monitor.cli.output import note, say
from monitor.domain.run_states import JOB_STATUS_ZH
from monitor.formatting import text_table

STATUS_ZH = JOB_STATUS_ZH


def cmd_scheduler(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.scheduler import job_specs, run_scheduler

    ctx.ready_engine()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for spec in job_specs(ctx.settings, ctx.catalogue):
        note(f"任务 {spec.id}：{spec.trigger}")
    stop = threading.Event()

    def finish(signum: int, _frame: Any) -> None:
        note("收到停止信号：等待正在执行的任务结束后退出")
        stop.set()

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGINT, finish)
    run_scheduler(ctx.settings, stop, on_state=note)
    note("调度进程已停止")
    return 0


def _when(value: Any, ctx: Context) -> str:
    return (
        "" if value is None or pd.isna(value) else pd.Timestamp(value).tz_convert(ctx.tz).strftime("%Y-%m-%d %H:%M:%S")
    )


def cmd_jobs(ctx: Context, args: argparse.Namespace) -> int:
    from monitor.jobs import JOB_NAMES, list_job_runs

    runs = list_job_runs(ctx.ready_engine(), limit=args.limit, job=args.job)
    if runs.empty:
        say("还没有任务运行记录（monitor scheduler 或 monitor run 启动调度后会记录每一次运行）")
        return 0
    body = [
        [
            row["id"],
            f"{row['job']}（{JOB_NAMES.get(row['job'], '')}）",
            _when(row["started_at"], ctx),
            _when(row["finished_at"], ctx),
            STATUS_ZH.get(row["status"], row["status"]),
            row["error"] or "",
        ]
        for row in runs.to_dict("records")
    ]
    say(text_table(["编号", "任务", "开始", "结束", "状态", "错误"], body, [True]))
    return 0


def register(sub: Subcommands) -> None:
    add_command(sub, "scheduler", cmd_scheduler, "运行定时任务（收件箱扫描、预警评估、每周预警周报），Ctrl-C 停止")
    jobs = add_command(sub, "jobs", cmd_jobs, "列出定时任务的运行记录（最新在前）")
    jobs.add_argument("--limit", type=int, default=30, help="最多列出多少条（默认 30）")
    jobs.add_argument("--job", help="只列出某个任务：inbox_scan、alerts、alerts_after_import、digest、digest_catchup")
