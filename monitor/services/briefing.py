"""The monthly 经济运行简报: gather pace, the previous month, peers, streets and alert notes, then write it.

Every number comes from `services.pace.pace_report`, the code path of `monitor pace`; the text is
built by the pure `domain.briefing`; the writers in `monitor.documents` lay it out as .docx (and
PDF through LibreOffice) or HTML. Same period, region, 期号 and `known_at`: the same document.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from monitor.domain.alerts import Rule
from monitor.domain.briefing import Briefing, BriefingInputs, build_briefing, render_html
from monitor.domain.catalogue import Catalogue, RegionKind
from monitor.domain.pace import PACE_COLUMNS
from monitor.domain.periods import Period
from monitor.errors import UsageError
from monitor.services.alerts import list_alerts
from monitor.services.clock import effective_today
from monitor.services.pace import pace_report
from monitor.settings import Settings
from monitor.storage.db import transaction

__all__ = [
    "FORMATS",
    "BriefingDocument",
    "acknowledgement_notes",
    "briefing_file_name",
    "briefing_inputs",
    "make_briefing",
    "render_briefing",
    "write_briefing",
]

FORMATS = ("docx", "pdf", "html")
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
}
_PACE_RULES = (Rule.PACE_RED.value, Rule.PACE_YELLOW.value)


@dataclass(frozen=True)
class BriefingDocument:
    """A rendered briefing: its content, the bytes of one format and a file name for them."""

    briefing: Briefing
    format: str
    content: bytes
    file_name: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def briefing_file_name(briefing: Briefing, report_month: Period, fmt: str) -> str:
    """姑苏区经济运行简报_2021年第6期_2021-06.docx."""
    return f"{briefing.title}_{briefing.issue_line}_{report_month}.{fmt}"


def acknowledgement_notes(
    session: Session, catalogue: Catalogue, region: str, year: int, known_at: datetime | None
) -> dict[str, str]:
    """Indicator -> the newest 说明 a department gave on its pace alert of the year (as known at `known_at`)."""
    alerts = list_alerts(session, status="all", region=region, catalogue=catalogue)
    alerts = alerts[alerts["rule"].isin(_PACE_RULES) & (alerts["year"] == year) & alerts["note"].notna()]
    alerts = alerts[alerts["acknowledged_at"].notna()]
    if known_at is not None and not alerts.empty:
        stamps = pd.to_datetime(alerts["acknowledged_at"], utc=True)
        alerts = alerts[stamps <= pd.Timestamp(known_at).tz_convert("UTC")]
    alerts = alerts.assign(_at=pd.to_datetime(alerts["acknowledged_at"], utc=True)).sort_values(["_at", "id"])
    return {str(r["indicator"]): str(r["note"]) for r in alerts.to_dict("records")}


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=list(PACE_COLUMNS))


def briefing_inputs(
    session: Session,
    catalogue: Catalogue,
    report_month: Period,
    *,
    region: str,
    issue_no: int | None = None,
    issued_on: date,
    sample: bool,
    known_at: datetime | None = None,
    fit_missing: bool = True,
) -> BriefingInputs:
    """Read everything a briefing needs (pace of the month and the one before, gdp34, peers, streets, notes)."""
    if region not in catalogue.regions:
        raise UsageError(f"未知的地区代码“{region}”（monitor catalog show 可列出全部地区）")
    if issue_no is not None and issue_no < 1:
        raise UsageError(f"期号须为正整数，现为 {issue_no}")

    def rows(month: Period, regions: list[str], set_code: str = "ops30", forecast: bool = False) -> pd.DataFrame:
        return pace_report(
            session,
            catalogue,
            month,
            regions=regions,
            set_code=set_code,
            known_at=known_at,
            forecast=forecast,
            fit_missing=fit_missing,
        ).rows

    pace = rows(report_month, [region], forecast=True)
    previous = rows(report_month.shift(-1), [region]) if report_month.number > 1 else _empty()
    kind = catalogue.regions[region].kind
    peers = [region, *(c for c, r in catalogue.regions.items() if r.kind is RegionKind.PEER)]
    streets = [region, *(c for c, r in catalogue.regions.items() if r.kind is RegionKind.STREET and r.parent == region)]
    district = kind is RegionKind.DISTRICT
    return BriefingInputs(
        region=region,
        report_month=report_month,
        issue_no=issue_no or report_month.number,
        issued_on=issued_on,
        sample=sample,
        pace=pace,
        previous=previous,
        gdp34=rows(report_month, [region], "gdp34") if "gdp34" in catalogue.sets else _empty(),
        peers=rows(report_month, peers) if district and len(peers) > 1 else pace,
        streets=rows(report_month, streets) if district and len(streets) > 1 else pace,
        notes=acknowledgement_notes(session, catalogue, region, report_month.year, known_at),
        last_year=rows(report_month.same_period_last_year(), [region]),
    )


def render_briefing(briefing: Briefing, fmt: str, settings: Settings) -> bytes:
    """The briefing as .docx, PDF (LibreOffice headless) or HTML bytes; UsageError for another format."""
    if fmt not in FORMATS:
        raise UsageError(f"未知的简报格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if fmt == "html":
        from monitor.documents.charts import chart_png

        images = ["data:image/png;base64," + base64.b64encode(chart_png(c)).decode("ascii") for c in briefing.charts]
        return render_html(briefing, images).encode("utf-8")
    from monitor.documents.docx_writer import write_docx

    docx = write_docx(briefing, template=settings.briefing_template)
    if fmt == "docx":
        return docx
    from monitor.documents.pdf import docx_to_pdf

    return docx_to_pdf(docx, soffice=settings.soffice, timeout=settings.soffice_timeout)


def make_briefing(
    engine: Engine,
    catalogue: Catalogue,
    settings: Settings,
    report_month: Period,
    *,
    region: str | None = None,
    fmt: str = "docx",
    issue_no: int | None = None,
    known_at: datetime | None = None,
    issued_on: date | None = None,
    fit_missing: bool = True,
) -> BriefingDocument:
    """Build and render one briefing. The date printed is `issued_on`, else the day of `known_at`, else today."""
    if fmt not in FORMATS:
        raise UsageError(f"未知的简报格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    place = region or catalogue.meta.default_region
    tz = ZoneInfo(catalogue.meta.timezone)
    with transaction(engine) as session:
        today = effective_today(session, catalogue.meta.timezone)
        day = issued_on or (known_at.astimezone(tz).date() if known_at is not None else today.date)
        inputs = briefing_inputs(
            session,
            catalogue,
            report_month,
            region=place,
            issue_no=issue_no,
            issued_on=day,
            sample=today.is_sample,
            known_at=known_at,
            fit_missing=fit_missing,
        )
    briefing = build_briefing(inputs, catalogue)
    content = render_briefing(briefing, fmt, settings)
    return BriefingDocument(briefing, fmt, content, briefing_file_name(briefing, report_month, fmt))


def write_briefing(document: BriefingDocument, folder: Path) -> Path:
    """Write a rendered briefing into `folder` (created), whole or not at all; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / document.file_name
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(document.content)
    partial.replace(path)
    return path
