"""The weekly digest: evaluate alerts, build one email per recipient, send each at most once per week.

Delivery bound: each (week, recipient) row of `digest_sends` is committed as `sending` before the
SMTP conversation and as `sent` (or `failed`) right after it. A process killed between the two
leaves that one row at `sending`; the next run sends it again, so that one recipient may get the
digest twice. Every other recipient gets it exactly once. Failed sends are retried by the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine

from monitor.domain.alerts import recent_revisions
from monitor.domain.catalogue import Catalogue
from monitor.domain.digest import DigestMessage, HeadlineRow, RevisionRow, build_digests, digest_week, week_key
from monitor.domain.pace import STATUS_ZH
from monitor.domain.periods import parse_period
from monitor.domain.run_states import SendState
from monitor.errors import MailError, UsageError
from monitor.formatting import format_growth, format_pp, format_value, period_label
from monitor.mail import Mailer, OutboxMailer, SmtpMailer, build_message, eml_name
from monitor.services.alerts import (
    AlertInputs,
    EvaluationResult,
    alert_inputs,
    evaluate_alerts,
    list_alerts,
    preview_alerts,
)
from monitor.services.audit import CLI_ACTOR, record
from monitor.services.clock import effective_today, local_now
from monitor.services.forecasts import district_regions
from monitor.services.pace import target_text
from monitor.settings import Settings
from monitor.storage import alerts as store
from monitor.storage.db import transaction

__all__ = [
    "HEADLINE_INDICATORS",
    "DigestResult",
    "build_weekly_digests",
    "headline_rows",
    "send_digest",
    "unsent_recipients",
]

HEADLINE_INDICATORS = ("gdp", "revenue", "fai", "retail_sales")
"""Always in the group's headline table (GDP, 一般公共预算收入, 固投, 社零), then every indicator with a target."""


@dataclass
class DigestResult:
    week: str
    dry_run: bool
    messages: list[DigestMessage]
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    evaluation: EvaluationResult | None = None


def headline_rows(pace: pd.DataFrame, catalogue: Catalogue) -> list[HeadlineRow]:
    """The group's headline table from the district's pace rows, formatted as the board formats them."""
    district = pace[pace["region"] == catalogue.meta.default_region]
    wanted = [c for c in HEADLINE_INDICATORS if c in catalogue.indicators]
    wanted += [c for c in district.loc[district["target_kind"].notna(), "indicator"] if c not in wanted]
    by_code = {row["indicator"]: row for row in district.to_dict("records")}
    rows = []
    for code in wanted:
        row = by_code.get(code)
        if row is None:
            continue
        ind = catalogue.indicators[code]
        has_target = row["target_kind"] is not None and not pd.isna(row["target_kind"])
        status = str(row["status"])
        rows.append(
            HeadlineRow(
                name=ind.name,
                period=period_label(parse_period(row["period"]), ind),
                value="未报"
                if pd.isna(row["value"]) and pd.isna(row["growth"])
                else f"{format_value(row['value'], ind.unit)}{'' if pd.isna(row['value']) else ind.unit}",
                growth=format_growth(row["growth"]),
                target=target_text(row, catalogue) if has_target else "—",
                gap=format_pp(row["gap_pp"]),
                status=status,
                status_text=STATUS_ZH.get(status, status) if has_target or status != "grey" else "无目标",
            )
        )
    return rows


def _revision_rows(inputs: AlertInputs, catalogue: Catalogue, as_of: datetime) -> list[RevisionRow]:
    """Revisions known in the seven days up to as_of that moved a figure by more than the threshold."""
    moment = pd.Timestamp(as_of)
    week = recent_revisions(
        inputs.revisions, moment - pd.Timedelta(days=7), moment, catalogue.alerts.revision_threshold_pct
    )
    tz = ZoneInfo(catalogue.meta.timezone)
    rows = []
    for r in week.to_dict("records"):
        ind = catalogue.indicators.get(r["indicator"])
        if ind is None:
            continue
        change = f"{format_value(r['old_value'], ind.unit)} → {format_value(r['new_value'], ind.unit)}{ind.unit}"
        rows.append(
            RevisionRow(
                indicator=ind.name,
                region=catalogue.regions[r["region"]].name if r["region"] in catalogue.regions else r["region"],
                period=period_label(parse_period(r["period"]), ind),
                change=f"{change}（{r['change_pct']:+.1f}%）",
                revised_on=pd.Timestamp(r["revised_at"]).tz_convert(tz).date().isoformat(),
                departments=ind.departments,
            )
        )
    return rows


def build_weekly_digests(
    engine: Engine,
    catalogue: Catalogue,
    as_of: datetime,
    *,
    record: bool,
    forecast: bool = True,
    regions: list[str] | None = None,
    board_url: str | None = None,
) -> tuple[list[DigestMessage], EvaluationResult | None]:
    """Evaluate alerts at as_of (written when `record`, else previewed in memory) and build the emails."""
    places = regions if regions is not None else district_regions(catalogue)
    with transaction(engine) as session:
        inputs = alert_inputs(session, catalogue, as_of, regions=places, forecast=forecast)
    evaluation = None
    if record:
        evaluation = evaluate_alerts(engine, catalogue, as_of, regions=places, inputs=inputs)
        with transaction(engine) as session:
            alerts = list_alerts(session, status="active", catalogue=catalogue)
        alerts = alerts[alerts["region"].isin(places)]
    else:
        with transaction(engine) as session:
            alerts = preview_alerts(session, catalogue, inputs, as_of, places)
    local = as_of.astimezone(ZoneInfo(catalogue.meta.timezone)).date()
    with transaction(engine) as session:
        sample = effective_today(session, catalogue.meta.timezone).is_sample
    messages = build_digests(
        alerts,
        headline_rows(inputs.pace, catalogue),
        _revision_rows(inputs, catalogue, as_of),
        catalogue,
        as_of=local,
        report_month=inputs.report_month.label_zh(),
        sample=sample,
        board_url=board_url,
    )
    return messages, evaluation


def _mailer(settings: Settings, outbox: Path | None, dry_run: bool, sample: bool) -> tuple[Mailer, str]:
    """SMTP when configured; the outbox folder for a dry run, without SMTP, and always on sample data."""
    folder = outbox or settings.var_dir / "outbox"
    if sample and not dry_run:
        return OutboxMailer(folder), f"示例数据：只写入 {folder}，不发送"
    if dry_run or settings.smtp is None:
        if not dry_run and settings.smtp_problem:
            raise UsageError(settings.smtp_problem)
        return OutboxMailer(folder), f"写入 {folder}"
    return SmtpMailer(settings.smtp), f"经 {settings.smtp.host}:{settings.smtp.port} 发送"


def send_digest(
    engine: Engine,
    catalogue: Catalogue,
    settings: Settings,
    as_of: datetime,
    *,
    dry_run: bool = False,
    outbox: Path | None = None,
    force: bool = False,
    say: Callable[[str], None] = lambda _: None,
    now: Callable[[], datetime] | None = None,
) -> DigestResult:
    """Send this week's digests. `dry_run` writes .eml files to the outbox and records nothing."""
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    if settings.smtp_problem and not dry_run:
        raise UsageError(settings.smtp_problem)
    clock = now or (lambda: local_now(catalogue.meta.timezone))
    local = as_of.astimezone(ZoneInfo(catalogue.meta.timezone)).date()
    week = week_key(digest_week(local))
    messages, evaluation = build_weekly_digests(
        engine, catalogue, as_of, record=not dry_run, board_url=settings.board_link(catalogue.notify.board_url)
    )
    result = DigestResult(week=week, dry_run=dry_run, messages=messages, evaluation=evaluation)
    mailer, how = _mailer(settings, outbox, dry_run, any(m.content.sample for m in messages))
    say(f"{week} 预警周报：{len(messages)} 封（{how}）")
    sender = settings.smtp.sender if settings.smtp else "monitor@localhost"
    for m in messages:
        if not m.addresses:
            say(f"  跳过 {m.recipient}：目录中没有邮箱地址（在 indicators.toml 中填写 email 或 [notify] group）")
            result.skipped.append(m.recipient)
            continue
        message = build_message(
            sender=sender,
            to=m.addresses,
            subject=m.subject,
            text=m.text,
            html=m.html,
            when=clock(),
            sender_name=catalogue.meta.title,
        )
        name = eml_name(week, m.recipient)
        if dry_run:
            result.written.append(mailer.send(message, name))
            continue
        with transaction(engine) as session:
            claimed = store.claim_send(session, week, m.recipient, list(m.addresses), m.subject, clock(), force)
        if not claimed:
            result.skipped.append(m.recipient)
            say(f"  {m.recipient}：本周已发送，跳过（--force 可重发）")
            continue
        try:
            where = mailer.send(message, name)
        except MailError as exc:
            with transaction(engine) as session:
                store.finish_send(session, week, m.recipient, clock(), str(exc))
            result.failed.append((m.recipient, str(exc)))
            record(engine, CLI_ACTOR, "digest_send", f"{week} {m.recipient}", "failure", {"error": str(exc)})
            say(f"  {m.recipient}：发送失败，下次运行时重试：{exc}")
            continue
        with transaction(engine) as session:
            store.finish_send(session, week, m.recipient, clock(), None)
        result.sent.append(m.recipient)
        record(engine, CLI_ACTOR, "digest_send", f"{week} {m.recipient}", "success", {"to": list(m.addresses)})
        if isinstance(mailer, OutboxMailer):
            result.written.append(where)
        say(f"  {m.recipient}（{'、'.join(m.addresses)}）：{m.subject}")
    return result


def unsent_recipients(engine: Engine, week: str) -> list[str]:
    """Recipients of a week's digest whose send failed or was interrupted (state other than sent)."""
    with transaction(engine) as session:
        sends = store.read_sends(session, week)
    return list(sends.loc[sends["state"] != SendState.SENT, "recipient"])
