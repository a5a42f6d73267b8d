"""What became of one imported file: its status, counts and every error and warning (JSON for the CLI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

from monitor.domain.validation import Issue, IssueSeverity, file_issue, issue_list
from monitor.storage.bulk_write import WriteCounts

__all__ = ["LISTED_ISSUES", "STATUS_ZH", "ImportResult", "ImportStatus"]

LISTED_ISSUES = 1000
"""Errors and warnings stored with an import row and printed, each; the totals are always given."""


class ImportStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


STATUS_ZH = {ImportStatus.ACCEPTED: "已接收", ImportStatus.REJECTED: "已拒绝", ImportStatus.DUPLICATE: "重复"}


@dataclass(frozen=True)
class ImportResult:
    """What became of one file. `issues` holds every error and warning (errors first in file order)."""

    file: str
    status: ImportStatus
    counts: WriteCounts = field(default_factory=WriteCounts)
    issues: pd.DataFrame = field(default_factory=lambda: file_issue("", "").iloc[:0])
    import_id: int | None = None
    sha256: str | None = None
    department: str | None = None
    message: str = ""
    dry_run: bool = False
    figures: int = 0

    def _of(self, severity: IssueSeverity) -> pd.DataFrame:
        return self.issues[self.issues["severity"] == severity.value]

    @property
    def error_count(self) -> int:
        return len(self._of(IssueSeverity.ERROR))

    @property
    def warning_count(self) -> int:
        return len(self._of(IssueSeverity.WARNING))

    def errors(self, limit: int | None = LISTED_ISSUES) -> list[Issue]:
        return issue_list(self._of(IssueSeverity.ERROR), limit)

    def warnings(self, limit: int | None = LISTED_ISSUES) -> list[Issue]:
        return issue_list(self._of(IssueSeverity.WARNING), limit)

    def as_json(self) -> dict[str, Any]:
        """The per-file JSON of `monitor import --format json`."""
        return {
            "file": self.file,
            "status": self.status.value,
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "department": self.department,
            "sha256": self.sha256,
            "counts": {
                "inserted": self.counts.inserted,
                "revised": self.counts.revised,
                "unchanged": self.counts.unchanged,
            },
            "warning_count": self.warning_count,
            "error_count": self.error_count,
            "warnings": [i.as_dict() for i in self.warnings()],
            "errors": [i.as_dict() for i in self.errors()],
            "message": self.message,
        }
