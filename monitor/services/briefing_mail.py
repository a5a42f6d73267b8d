"""The monthly briefing job: write the report month's 简报 under var/briefings/ and email it to the group.

Sent at most once per report month, through the digest ledger (`digest_sends`, key = the report
month such as 2021-06, recipient `briefing:group`): committed as `sending` before the SMTP
conversation and `sent` after it, so a run killed in between sends again next time and a failed
send is retried by the next run. The .docx is always attached; the PDF too when LibreOffice is
installed (its absence is said in the result, not an error).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from monitor.domain.catalogue import Catalogue
from monitor.domain.periods import Period
from monitor.errors import MailError, UsageError
from monitor.mail import OutboxMailer, SmtpMailer, attach, build_message
from monitor.services.briefing import BriefingDocument, make_briefing, render_briefing, write_briefing
from monitor.services.clock import local_now
from monitor.services.pace import current_report_month
from monitor.settings import Settings
from monitor.storage import alerts as ledger
from monitor.storage.db import transaction

__all__ = ["BRIEFING_RECIPIENT", "BriefingSendResult", "briefing_message_text", "send_briefing"]

BRIEFING_RECIPIENT = "briefing:group"


@dataclass
class BriefingSendResult:
    report_month: str
    files: list[Path] = field(default_factory=list)
    sent: bool = False
    skipped: str = ""
    notes: list[str] = field(default_factory=list)


def briefing_message_text(document: BriefingDocument, report_month: Period, board_url: str) -> tuple[str, str, str]:
    """(subject, text, html) of the email that carries the briefing."""
    b = document.briefing
    subject = f"【经济运行监测】{b.title}{b.issue_line}（{report_month.label_zh()}）"
    if b.sample_note:
        subject = "【示例数据】" + subject
    lines = [
        "各位领导、各成员单位：",
        f"附件为{b.title}{b.issue_line}（{report_month.label_zh()}），由{b.office}编制，{b.date_text}。",
        *(["注意：" + b.sample_note] if b.sample_note else []),
        f"查看看板：{board_url}",
    ]
    html = "".join(f"<p>{line}</p>" for line in lines)
    return subject, "\n".join(lines), f'<html><body style="font-family:sans-serif">{html}</body></html>'


def send_briefing(
    engine: Engine,
    catalogue: Catalogue,
    settings: Settings,
    as_of: datetime,
    *,
    force: bool = False,
    say: Callable[[str], None] = lambda _: None,
    now: Callable[[], datetime] | None = None,
) -> BriefingSendResult:
    """Write the briefing of the month the board opens at (as of `as_of`) and email it to the group once."""
    if settings.smtp_problem:
        raise UsageError(settings.smtp_problem)
    clock = now or (lambda: local_now(catalogue.meta.timezone))
    with transaction(engine) as session:
        month = current_report_month(session, as_of.date())
    result = BriefingSendResult(str(month))
    folder = settings.var_dir / "briefings"
    document = make_briefing(engine, catalogue, settings, month, fmt="docx", issued_on=as_of.date())
    result.files.append(write_briefing(document, folder))
    attachments = [document]
    if shutil.which(settings.soffice):
        pdf = render_briefing(document.briefing, "pdf", settings)
        attachments.append(BriefingDocument(document.briefing, "pdf", pdf, document.file_name[:-4] + "pdf"))
        result.files.append(write_briefing(attachments[-1], folder))
    else:
        result.notes.append("未安装 LibreOffice：只附 .docx，不附 PDF")
    group = tuple(catalogue.notify.group)
    if not group:
        result.skipped = "目录中没有领导小组邮箱（[notify] group）：简报已写出，未发送"
        return result
    board_url = settings.board_link(catalogue.notify.board_url)
    subject, text, html = briefing_message_text(document, month, board_url)
    sender = settings.smtp.sender if settings.smtp else "monitor@localhost"
    message = build_message(
        sender=sender, to=group, subject=subject, text=text, html=html, when=clock(), sender_name=catalogue.meta.title
    )
    for item in attachments:
        attach(message, item.file_name, item.content, item.media_type)
    with transaction(engine) as session:
        claimed = ledger.claim_send(session, str(month), BRIEFING_RECIPIENT, list(group), subject, clock(), force)
    if not claimed:
        result.skipped = f"{month} 的简报已发送过，跳过"
        return result
    sample = bool(document.briefing.sample_note)  # sample data is never sent: the outbox folder only
    mailer = SmtpMailer(settings.smtp) if settings.smtp and not sample else OutboxMailer(settings.var_dir / "outbox")
    try:
        mailer.send(message, f"briefing_{month}.eml")
    except MailError as exc:
        with transaction(engine) as session:
            ledger.finish_send(session, str(month), BRIEFING_RECIPIENT, clock(), str(exc))
        raise
    with transaction(engine) as session:
        ledger.finish_send(session, str(month), BRIEFING_RECIPIENT, clock(), None)
    result.sent = True
    say(f"{subject}：" + ("示例数据，只写入发件箱文件夹" if sample else f"已发送给 {'、'.join(group)}"))
    return result
