"""Demo agency mail for `tracker mail-demo`: a few messages about the demo requests, appended over IMAP to the
configured mailbox, so a new user sees the fetch file them (and leave one in Unsorted mail)."""

from __future__ import annotations

import contextlib
import imaplib
import secrets
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app
from sqlalchemy import select

from tracker.core.clock import now_utc
from tracker.extensions import db
from tracker.mail.addresses import mailbox_address, reply_address
from tracker.mail.imap import MailboxError, Settings
from tracker.requests.models import TrackingNumber

ICE = '"ICE FOIA Office" <ice-foia@ice.dhs.gov>'


def _message(sender: str, to: str, subject: str, body: str, *, days_ago: int, attachment: bytes | None = None,
             attachment_name: str = "") -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(now_utc() - timedelta(days=days_ago, hours=3))
    msg["Message-ID"] = f"<demo.{secrets.token_hex(8)}@ice.dhs.gov>"
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=attachment_name)
    return msg.as_bytes()


def _letter_pdf(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    return HTML(string=f"<h2>U.S. Immigration and Customs Enforcement</h2>{paragraphs}").write_pdf()


def demo_messages() -> list[bytes]:
    mailbox = mailbox_address() or "foia@newsroom.example"
    numbers = {t.number: t for t in db.session.scalars(select(TrackingNumber))}
    out = []
    death = numbers.get("2026-ICFO-00881")
    if death is not None:
        out.append(_message(ICE, reply_address(death.request.reply_token, mailbox) or mailbox,
                            "FOIA 2026-ICFO-00881: extension of time",
                            "Your request 2026-ICFO-00881 involves unusual circumstances: the records must be "
                            "collected from the Office of Professional Responsibility field office in Denver. "
                            "Pursuant to 5 U.S.C. 552(a)(6)(B)(i), ICE extends the time to respond by 10 working "
                            "days.\n\nICE FOIA Office", days_ago=1))
    dallas = numbers.get("2026-ICFO-00213")
    if dallas is not None:
        letter = ("RE: ICE FOIA Case Number 2026-ICFO-00213\nThis is the final response to your request. Of 45 "
                  "pages located, 14 pages are released in part and 31 pages are withheld in full under "
                  "Exemptions (b)(6) and (b)(7)(C).\nYou may appeal within 90 days of the date of this letter.")
        body = (f"Forwarding the final letter, it came to my own address.\n\n---------- Forwarded message "
                f"---------\nFrom: ICE FOIA Office <ice-foia@ice.dhs.gov>\nDate: "
                f"{format_datetime(now_utc() - timedelta(days=2))}\nSubject: Final Response 2026-ICFO-00213\n"
                f"To: Lee Reporter <lee.reporter@gmail.com>\n\nPlease see the attached final response.\n")
        out.append(_message('"Lee Reporter" <reporter2@newsroom.example>', mailbox,
                            "Fwd: Final Response 2026-ICFO-00213", body, days_ago=1,
                            attachment=_letter_pdf(letter), attachment_name="2026-ICFO-00213 Final Response.pdf"))
    kallas = numbers.get("2026-ICAP-00112")
    if kallas is not None:
        out.append(_message('"ICE FOIA Appeals" <ice-foia-appeals@ice.dhs.gov>', mailbox,
                            "Appeal 2026-ICAP-00112 received",
                            "This acknowledges receipt of your administrative appeal, which has been assigned "
                            "number 2026-ICAP-00112.\n\nICE Office of the Principal Legal Advisor", days_ago=3))
    out.append(_message('"FOIA Weekly" <news@foiaweekly.example>', mailbox, "This week in FOIA",
                        "Court rulings and agency backlogs this week.", days_ago=0))
    return out


def append_demo_messages() -> int:
    settings = Settings.from_config(current_app.config)
    messages = demo_messages()
    try:
        client = (imaplib.IMAP4_SSL if settings.ssl else imaplib.IMAP4)(settings.host, settings.port,
                                                                       timeout=settings.timeout)
    except OSError as exc:
        raise MailboxError(f"Could not connect to the IMAP server {settings.host}:{settings.port} ({exc}).") from exc
    try:
        client.login(settings.user, settings.password)
        for raw in messages:
            client.append(settings.folder, None, None, raw)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailboxError(f"The IMAP server refused the demo messages ({exc}).") from exc
    finally:
        with contextlib.suppress(Exception):
            client.logout()
    return len(messages)
