"""示例数据 for 重点工作任务督办: monthly reports of the 2021 tasks for January to June. Deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["sample_task_reports"]


def sample_task_reports(tasks: pd.DataFrame, seed: int = 2021) -> pd.DataFrame:
    """task, period, value, text, completed: most tasks near 序时, some behind, a few not reported in June."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, task in enumerate(tasks[tasks["year"] == 2021].to_dict("records")):
        pace = 0.7 if i % 5 == 1 else rng.uniform(0.95, 1.3)
        last = 5 if i % 7 == 3 else 6  # 未报 in June
        for month in range(1, last + 1):
            if task["goal_kind"] == "节点":
                value = float(sum(1 for m in task["milestones"] if m["date"] <= f"2021-{month:02d}-31"))
                value -= 1.0 if month == 6 and i % 2 else 0.0
            elif task["goal_value"] is None:
                value = None
            elif task["goal_kind"] == "达到":
                value = round(float(task["goal_value"]) * min(1.0, 0.8 + 0.03 * month * pace), 1)
            else:
                value = round(float(task["goal_value"]) * min(1.0, pace * month / 12), 1)
            rows.append([task["code"], f"2021-{month:02d}", value, f"{month}月按计划推进（示例数据）", False])
    return pd.DataFrame(rows, columns=["task", "period", "value", "text", "completed"])
