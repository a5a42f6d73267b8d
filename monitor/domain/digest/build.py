"""The digest emails: content first, then its text and HTML parts (content never imports a renderer). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd

from monitor.domain.catalogue import Catalogue
from monitor.domain.digest.content import DigestMessage, HeadlineRow, RevisionRow, digest_contents
from monitor.domain.digest.html import render_html
from monitor.domain.digest.text import render_text

__all__ = ["build_digests"]


def build_digests(
    alerts: pd.DataFrame,
    headline: Sequence[HeadlineRow],
    revisions: Sequence[RevisionRow],
    catalogue: Catalogue,
    *,
    as_of: date,
    report_month: str,
    sample: bool = False,
    board_url: str | None = None,
) -> list[DigestMessage]:
    """The group digest and one per department with items (all departments when configured).

    `board_url` is the board's public address (a setting) when set, else the catalogue's `[notify] board_url`.
    """
    built = digest_contents(alerts, headline, revisions, catalogue, as_of=as_of, report_month=report_month)
    contents = [(key, to, replace(c, sample=sample, board_url=board_url or c.board_url)) for key, to, c in built]
    return [DigestMessage(key, to, c, render_text(c), render_html(c)) for key, to, c in contents]
