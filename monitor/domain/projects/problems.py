"""The 项目服务清单 state table: 已提交 → 已会办 → 已解决, and 超期 when past its 办结时限. Pure.

Source (苏州 三项机制): "分类汇总项目单位提出的资源要素、金融支持、用工保障、物流运输、原料供应、前期报批等方面的
需求和问题，形成项目服务清单…实行责任化推进"; and its 即时会办制度: "以项目服务清单为基础，实行“马上会办”".
超期 is not stored: it is how an open problem shows once `today` is past its due date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from monitor.errors import InvalidTransition

__all__ = ["STATE_ZH", "ProblemState", "next_state", "shown_states"]


class ProblemState(StrEnum):
    SUBMITTED = "submitted"
    COORDINATED = "coordinated"
    SOLVED = "solved"
    OVERDUE = "overdue"  # shown only: an open problem past its 办结时限


STATE_ZH = {
    ProblemState.SUBMITTED: "已提交",
    ProblemState.COORDINATED: "已会办",
    ProblemState.SOLVED: "已解决",
    ProblemState.OVERDUE: "超期",
}
_ALLOWED = {
    ProblemState.SUBMITTED: {ProblemState.COORDINATED, ProblemState.SOLVED},
    ProblemState.COORDINATED: {ProblemState.SOLVED},
    ProblemState.SOLVED: {ProblemState.SUBMITTED},  # reopened: the problem came back
}


def next_state(current: str, target: str, note: str) -> ProblemState:
    """The state a change leads to; InvalidTransition (Chinese) for a step the table does not allow."""
    try:
        now, goal = ProblemState(current), ProblemState(target)
    except ValueError:
        raise InvalidTransition(f"未知的状态“{target}”：应为 已会办（coordinated）或 已解决（solved）") from None
    if goal is ProblemState.OVERDUE:
        raise InvalidTransition("“超期”由办结时限自动判定，不能手工设置")
    if goal not in _ALLOWED[now]:
        raise InvalidTransition(f"问题当前为“{STATE_ZH[now]}”，不能改为“{STATE_ZH[goal]}”")
    if goal is ProblemState.SOLVED and not note.strip():
        raise InvalidTransition("标记为已解决时须填写办理结果（答复内容）")
    return goal


def shown_states(problems: pd.DataFrame, today: date) -> pd.DataFrame:
    """`problems` with `shown` (the state as the board and digest show it) and `days_overdue`."""
    out = problems.copy()
    open_ = out["state"] != ProblemState.SOLVED.value
    late = open_ & out["due_on"].map(lambda d: d is not None and d < today).astype(bool)
    out["shown"] = np.where(late, ProblemState.OVERDUE.value, out["state"])
    out["days_overdue"] = [(today - d).days if flag else 0 for d, flag in zip(out["due_on"], late, strict=True)]
    return out
