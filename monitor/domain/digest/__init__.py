"""The weekly alert digest: its content per recipient, then its text and HTML parts.

Pure: no database, files, clock or network. Import from here; the modules inside are private.
"""

from __future__ import annotations

from monitor.domain.digest.build import build_digests
from monitor.domain.digest.content import (
    DigestItem,
    DigestMessage,
    HeadlineRow,
    OverdueRow,
    RevisionRow,
    digest_week,
    overdue_rows,
    week_key,
)
from monitor.domain.digest.html import render_html
from monitor.domain.digest.text import render_text

__all__ = [
    "DigestItem",
    "DigestMessage",
    "HeadlineRow",
    "OverdueRow",
    "RevisionRow",
    "build_digests",
    "digest_week",
    "overdue_rows",
    "render_html",
    "render_text",
    "week_key",
]
