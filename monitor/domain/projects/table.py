"""What a reader found in a project file: text cells under canonical fields, not yet interpreted. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["ProjectTable"]


@dataclass(frozen=True)
class ProjectTable:
    """`kind` is "register" or "weekly"; `frame` has a `row` column (the row a spreadsheet shows) and text
    cells under the fields of `monitor.domain.projects.fields`; `headers` maps a field to its header as
    written; `units` the money unit of each money field (from its header or a 单位：万元 line)."""

    kind: str
    frame: pd.DataFrame
    headers: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
