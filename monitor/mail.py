"""Email: build a MIME message from a digest, send it by SMTP or write it as an .eml file.

Mailer          the one method services call: send(message)
SmtpMailer      STARTTLS, SSL or plain SMTP (MONITOR_SMTP_*), one connection per message
OutboxMailer    writes <folder>/<name>.eml: dry runs, and real runs without an SMTP server
"""

from __future__ import annotations

import re
import smtplib
import ssl
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from monitor.errors import MailError
from monitor.settings import SmtpSettings

__all__ = ["MailError", "Mailer", "OutboxMailer", "SmtpMailer", "attach", "build_message", "eml_name"]

SMTP_TIMEOUT = 60.0


class Mailer(Protocol):
    def send(self, message: EmailMessage, name: str) -> str:
        """Deliver one message; returns where it went (server or file). Raises MailError."""
        ...


def build_message(
    *, sender: str, to: tuple[str, ...], subject: str, text: str, html: str, when: datetime, sender_name: str = ""
) -> EmailMessage:
    """A multipart/alternative message (plain text, then HTML), UTF-8, Chinese subject RFC 2047-encoded."""
    msg = EmailMessage()
    msg["From"] = Address(display_name=sender_name, addr_spec=sender) if sender_name else sender
    msg["To"] = ", ".join(to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] if "@" in sender else "localhost")
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def attach(message: EmailMessage, name: str, data: bytes, media_type: str) -> EmailMessage:
    """Add a file (the briefing's .docx or PDF) to a message; its Chinese name is RFC 2231-encoded."""
    maintype, _, subtype = media_type.split(";")[0].strip().partition("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def eml_name(week: str, recipient: str) -> str:
    """A file name for one (week, recipient): 2021-W29_department-stats.eml."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{week}_{recipient}") + ".eml"


class OutboxMailer:
    """Writes each message as an .eml file (opens in Outlook, Foxmail and Thunderbird)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage, name: str) -> str:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            path = self.folder / name
            partial = path.with_suffix(".eml.part")
            partial.write_bytes(bytes(message))
            partial.replace(path)  # a reader never sees half a file
        except OSError as exc:
            raise MailError(f"无法写入 {self.folder / name}：{exc.strerror}") from None
        return str(path)


class SmtpMailer:
    """Sends through an SMTP server; every failure becomes a MailError naming server and recipient."""

    def __init__(self, settings: SmtpSettings, timeout: float = SMTP_TIMEOUT):
        self.settings = settings
        self.timeout = timeout

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "ssl":
            return smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout, context=ssl.create_default_context())
        smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        if s.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp

    def send(self, message: EmailMessage, name: str) -> str:
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            with self._connect() as smtp:
                if s.user:
                    smtp.login(s.user, s.password)
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError:
            raise MailError(
                f"邮件服务器 {where} 拒绝登录（用户 {s.user}）：请检查 MONITOR_SMTP_USER/PASSWORD"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise MailError(f"邮件服务器 {where} 不支持 STARTTLS：请设置 MONITOR_SMTP_SECURITY=ssl 或 none") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"发送到 {message['To']} 失败（服务器 {where}）：{exc}") from None
        return where
