"""The text of a raw email (.eml): an uploaded message, or the original of one the mailbox filed.

Page 1 is the message as a person reads it: From, To, Cc, Date and Subject, the list of attachments, then the
body (the text/plain part, or the HTML part as text), and the same for messages forwarded inside it. PDFs
attached to it are read by the caller as the pages that follow. Only the standard library's parser runs here,
leniently: a header that cannot be decoded is kept as it came, and nothing in the message is ever opened or
run. Messages nested deeper than MAX_DEPTH, and parts past MAX_PARTS, are left out and the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from tracker.documents.text import decode, html_to_text

HEADERS = ("From", "To", "Cc", "Date", "Subject")
MAX_DEPTH = 3  # messages forwarded inside messages
MAX_PARTS = 200  # MIME parts looked at in one message


@dataclass
class Attached:
    name: str
    data: bytes


@dataclass
class MessageText:
    text: str = ""
    pdfs: list[Attached] = field(default_factory=list)  # attached PDFs, in the order they appear
    notes: list[str] = field(default_factory=list)  # what was left out, and why


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, TypeError, IndexError, AttributeError):  # a header the parser cannot model
        value = msg.get_all(name, failobj=[None])[0] if hasattr(msg, "get_all") else None
    return " ".join(str(value or "").split())


def _part_text(part: EmailMessage) -> str:
    """A text part's words: decoded with its charset (or UTF-8, then Latin-1), HTML made plain."""
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or ""
    try:
        text = data.decode(charset) if charset else decode(data)
    except (LookupError, UnicodeDecodeError):
        text = decode(data)
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def _name(part: EmailMessage) -> str:
    try:
        return part.get_filename() or ""
    except (ValueError, TypeError, IndexError, AttributeError):
        return ""


def _is_pdf(part: EmailMessage) -> bool:
    return part.get_content_type() == "application/pdf" or _name(part).lower().endswith(".pdf")


def parse_message(data: bytes) -> MessageText:
    """The message's text for page 1, and its attached PDFs."""
    out = MessageText()
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # noqa: BLE001  (a stranger's bytes: any parser failure is "unreadable")
        out.notes.append(f"the message could not be parsed ({type(exc).__name__})")
        return out
    budget = [MAX_PARTS]
    out.text = _message_text(msg, out, depth=0, budget=budget)
    if budget[0] < 0:
        out.notes.append(f"only the first {MAX_PARTS} parts of the message were read")
    return out


def _message_text(msg: EmailMessage, out: MessageText, *, depth: int, budget: list[int]) -> str:
    lines = [f"{name}: {value}" for name in HEADERS if (value := _header(msg, name))]
    body, attachments, forwarded = "", [], []
    for part in _leaves(msg, budget):
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if not isinstance(inner, EmailMessage):
                continue
            if depth + 1 > MAX_DEPTH:
                out.notes.append(f"messages forwarded more than {MAX_DEPTH} deep were not read")
                continue
            forwarded.append(_message_text(inner, out, depth=depth + 1, budget=budget))
            continue
        name = _name(part)
        if name or part.get_content_disposition() == "attachment":
            attachments.append(name or part.get_content_type())
            if _is_pdf(part):
                out.pdfs.append(Attached(name or "attachment.pdf", part.get_payload(decode=True) or b""))
            continue
        if part.get_content_maintype() == "text" and not body:
            body = _part_text(part)
    if attachments:
        lines.append("Attachments: " + ", ".join(attachments))
    parts = ["\n".join(lines), body.strip(), *(f"Forwarded message:\n{text}" for text in forwarded)]
    return "\n\n".join(p for p in parts if p)


def _leaves(msg: EmailMessage, budget: list[int]):
    """The message's parts that are not multipart containers, in order; an attached message is one leaf. For
    multipart/alternative only the plain part (or the HTML one when there is none) is a leaf."""
    stack = [msg]
    while stack:
        part = stack.pop(0)
        budget[0] -= 1
        if budget[0] < 0:
            return
        if part.get_content_maintype() == "multipart":
            children = list(part.iter_parts())
            if part.get_content_subtype() == "alternative":
                plain = [c for c in children if c.get_content_type() == "text/plain"]
                children = plain[:1] or children[-1:]
            stack[:0] = children
        else:
            yield part
