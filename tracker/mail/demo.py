"""Demo agency mail for `tracker mail-demo`: a few messages about the demo requests, appended over IMAP to the
configured mailbox, so a new user sees the fetch file them (and leave one in Unsorted mail).

Each message has a fixed Message-ID (its part in the demo, and this installation's random part), so running
`tracker mail-demo` again appends copies that the fetch recognises and stores nothing twice."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app
from sqlalchemy import select

from tracker.core.clock import now_utc
from tracker.core.errors import NotFound
from tracker.core.installation import message_id_part
from tracker.extensions import db
from tracker.mail.addresses import mailbox_address, reply_address
from tracker.mail.imap import Mailbox, MailboxError, Settings
from tracker.requests.models import TrackingNumber

ICE = '"ICE FOIA Office" <ice-foia@ice.dhs.gov>'
# The demo requests' numbers (tracker/demo.py): the request whose time ICE extends, the one still awaiting the
# final response that a reporter forwards, and the appeal ICE acknowledges.
EXTENDED = "2026-ICFO-00881"
AWAITING = "2026-ICFO-00640"
APPEALED = "2026-ICAP-00112"


def _message(role: str, sender: str, to: str, subject: str, body: str, *, days_ago: int,
             attachment: bytes | None = None, attachment_name: str = "") -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Date"] = format_datetime(now_utc() - timedelta(days=days_ago, hours=3))
    domain = sender.rsplit("@", 1)[1].rstrip(">")
    msg["Message-ID"] = f"<demo.{role}.{message_id_part()}@{domain}>"
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="application", subtype="pdf", filename=attachment_name)
    return msg.as_bytes()


def _letter_pdf(text: str) -> bytes:
    from weasyprint import HTML

    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line)
    return HTML(string=f"<h2>U.S. Immigration and Customs Enforcement</h2>{paragraphs}").write_pdf()


def demo_messages() -> list[bytes]:
    """The demo's messages for the demo requests found in the database, and a newsletter. Raises NotFound when
    none of the demo requests is there (`tracker seed-demo` was not run). Makes the installation's random part
    on first use: the caller commits it before appending, so the next run's Message-IDs are the same."""
    mailbox = mailbox_address() or "foia@newsroom.example"
    found = {t.number: t for t in db.session.scalars(select(TrackingNumber).where(
        TrackingNumber.number.in_([EXTENDED, AWAITING, APPEALED])))}
    if not found:
        raise NotFound("The demo requests are not in the database: run `tracker seed-demo` first.")
    out = []
    extended = found.get(EXTENDED)
    if extended is not None:
        out.append(_message(f"extension.{EXTENDED}", ICE,
                            reply_address(extended.request.reply_token, mailbox) or mailbox,
                            f"FOIA {EXTENDED}: extension of time",
                            f"Your request {EXTENDED} involves unusual circumstances: the records must be "
                            "collected from the Office of Professional Responsibility field office in Denver. "
                            "Pursuant to 5 U.S.C. 552(a)(6)(B)(i), ICE extends the time to respond by 10 working "
                            "days.\n\nICE FOIA Office", days_ago=1))
    if AWAITING in found:
        letter = (f"RE: ICE FOIA Case Number {AWAITING}\nThis is the final response to your request. Of 52 pages "
                  "located, 37 pages are released in part and 15 pages are withheld in full under Exemptions "
                  "(b)(6), (b)(7)(C) and (b)(7)(E).\nYou may appeal within 90 working days of the date of this "
                  "letter.")
        body = (f"Forwarding the final letter, it came to my own address.\n\n---------- Forwarded message "
                f"---------\nFrom: ICE FOIA Office <ice-foia@ice.dhs.gov>\nDate: "
                f"{format_datetime(now_utc() - timedelta(days=2))}\nSubject: Final Response {AWAITING}\n"
                f"To: Lee Reporter <lee.reporter@gmail.com>\n\nPlease see the attached final response.\n")
        out.append(_message(f"final-response.{AWAITING}", '"Lee Reporter" <reporter2@newsroom.example>', mailbox,
                            f"Fwd: Final Response {AWAITING}", body, days_ago=1,
                            attachment=_letter_pdf(letter), attachment_name=f"{AWAITING} Final Response.pdf"))
    if APPEALED in found:
        out.append(_message(f"appeal-acknowledgment.{APPEALED}", '"ICE FOIA Appeals" <ice-foia-appeals@ice.dhs.gov>',
                            mailbox, f"Appeal {APPEALED} received",
                            "This acknowledges receipt of your administrative appeal, which has been assigned "
                            f"number {APPEALED}.\n\nICE Office of the Principal Legal Advisor", days_ago=3))
    out.append(_message("newsletter", '"FOIA Weekly" <news@foiaweekly.example>', mailbox, "This week in FOIA",
                        "Court rulings and agency backlogs this week.", days_ago=0))
    return out


def append_messages(messages: list[bytes]) -> int:
    """IMAP APPEND each message to the configured folder; how many."""
    box = Mailbox(Settings.from_config(current_app.config))
    try:
        box.connect()  # inside: a refused login still logs out
        for raw in messages:
            status, data = box.append(raw)
            if status != "OK":  # no such folder, over quota
                raise MailboxError(f"The IMAP server refused the demo messages ({status} {data!r}).")
    finally:
        box.close()
    return len(messages)
