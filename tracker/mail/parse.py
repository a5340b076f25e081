"""An email's bytes into what the tracker needs: senders, dates, ids, text, HTML, attachments, a forward's
original. Never raises on bad mail: what it could not read becomes a note in plain words.

Parsed with the standard `email` package (policy=default). Headers that break the policy's parser (bad
encoded words, raw 8-bit bytes, broken address lists) are read again leniently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache

from tracker.core.clock import newsroom_zone
from tracker.documents.text import html_to_text

MAX_FORWARD_DEPTH = 5


class _Policy(EmailPolicy):
    """policy.default, except that a header is parsed once per message part rather than on every read: the
    walk reads each part's Content-Type and Content-Disposition several times, and the standard policy parses
    them anew each time (a third of the parse). Header objects are immutable, so a shared one is safe."""

    def header_fetch_parse(self, name, value):
        if hasattr(value, "name"):
            return value
        return _parsed_header(self, name, value)


@lru_cache(maxsize=512)
def _parsed_header(policy_: EmailPolicy, name: str, value: str):
    return EmailPolicy.header_fetch_parse(policy_, name, value)


POLICY = _Policy()


@dataclass
class Part:
    """One attachment: its name as sent, its type, its bytes (None when refused for its size)."""

    name: str
    content_type: str
    size: int
    data: bytes | None
    refused: str = ""  # why it was not kept, in plain words


@dataclass
class Parsed:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_address: str = ""
    from_name: str = ""
    to: str = ""  # To, as written
    cc: str = ""
    delivered_to: list[str] = field(default_factory=list)  # Delivered-To, X-Original-To, Envelope-To
    subject: str = ""
    date: datetime | None = None  # UTC
    text: str = ""
    html: str = ""
    attachments: list[Part] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    authentication_failed: str = ""  # "dmarc", "spf" or "dkim" when the receiving server says it failed
    bulk: bool = False  # a newsletter or mailing list (List-Unsubscribe, Precedence: bulk)
    forwarded: Parsed | None = None  # the original of a forward, recovered from an attachment or the text
    # The HTML's text, made once: the fetch reads an HTML-only message's body four or five times (threading,
    # its batch's look-ups, storing, reading the letter), and each made it again with the HTML parser.
    _html_text: tuple[str, str] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def recipients(self) -> str:
        return ", ".join(x for x in (self.to, self.cc) if x)

    @property
    def body(self) -> str:
        """The text, or the text of the HTML when the message has only HTML."""
        if self.text or not self.html:
            return self.text or ""
        if self._html_text is None or self._html_text[0] is not self.html:  # made again if the HTML changes
            self._html_text = (self.html, html_to_text(self.html))
        return self._html_text[1]


_RAW_BYTES = re.compile("[\udc80-\udcff]")  # how the parser keeps 8-bit bytes it could not decode


def clean(value: str) -> str:
    """Text fit for the database: raw 8-bit bytes read as UTF-8 (or Windows-1252), no NUL."""
    if _RAW_BYTES.search(value):
        raw = value.encode("utf-8", "surrogateescape")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", errors="replace")
    return value.replace("\x00", "")


def _header(msg: Message, name: str, notes: list[str]) -> str:
    try:
        value = msg.get(name)
        return clean(str(value)) if value is not None else ""
    except Exception:  # noqa: BLE001  (the policy's header parser can raise anything on hostile input)
        raw = msg.get_all(name, failobj=[None])[0] if hasattr(msg, "get_all") else None
        raw_text = getattr(raw, "_original", None) or str(raw or "")
        notes.append(f"The {name} header is malformed; it is shown as sent.")
        try:
            return clean(str(make_header(decode_header(raw_text))))
        except Exception:  # noqa: BLE001
            return clean(raw_text)


def _plain(msg: Message, name: str, notes: list[str]) -> str:
    """A header that is plain ASCII with no encoded word, as sent (unfolded as the policy unfolds it), without
    the cost of the policy's parser; any other through it (_header). For such a header the parser's text is
    the same (its parse tree reads back as the text it parsed), or, for Date, the same instant."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            if isinstance(value, str) and value.isascii() and "=?" not in value:
                return clean(value.replace("\r", "").replace("\n", ""))
            break
    return _header(msg, name, notes)


@lru_cache(maxsize=512)
def _sender(value: str) -> tuple[str, str]:
    """parseaddr of a From header, kept for the next message from the same sender (an agency writes from one
    address; the address parser is slow, a tenth of the parse)."""
    return parseaddr(value)


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _date(value: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return loose_date(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


_LOOSE_FORMATS = ("%a, %b %d, %Y at %I:%M %p", "%A, %B %d, %Y %I:%M %p", "%A, %B %d, %Y at %I:%M %p",
                  "%a, %b %d, %Y, %I:%M %p", "%B %d, %Y %I:%M %p", "%m/%d/%Y %I:%M %p", "%m/%d/%Y %I:%M:%S %p",
                  "%A, %B %d, %Y %I:%M:%S %p", "%Y-%m-%d %H:%M")


def loose_date(value: str) -> datetime | None:
    """Dates as mail programs write them in a forward's header block (Gmail: "Mon, Jan 12, 2026 at 10:03 AM",
    Outlook: "Monday, January 12, 2026 10:03 AM"). Taken as the newsroom's time when no zone is given."""
    text = " ".join(value.replace("\u202f", " ").split())
    try:
        found = parsedate_to_datetime(text)
        if found is not None:
            return (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone(UTC)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _LOOSE_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=newsroom_zone()).astimezone(UTC)
        except ValueError:
            continue
    return None


def _decode_part(part: Message, notes: list[str]) -> str:
    """A text part's content, whatever its declared charset says."""
    if part.get_param("charset") is None:
        data = part.get_payload(decode=True) or b""
        if not data.isascii():  # 8-bit text with no charset: UTF-8 if it is, else the usual Windows-1252
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
                notes.append("A text part has no charset; it was read as Windows-1252.")
            return text.replace("\x00", "").replace("\r\n", "\n")
    try:
        return clean(part.get_content()).replace("\r\n", "\n")
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError) as exc:
        data = part.get_payload(decode=True) or b""
        charset = part.get_content_charset() or "none"
        notes.append(f"A text part declares the charset {charset!r}, which could not be used "
                     f"({type(exc).__name__}); it was read as UTF-8 or Windows-1252.")
        try:
            return data.decode("utf-8").replace("\x00", "")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace").replace("\x00", "")


def _filename(part: Message, notes: list[str]) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001
        notes.append("An attachment's name could not be read.")
        name = ""
    return clean(str(name))


def parse(raw: bytes, *, max_attachment: int, depth: int = 0) -> Parsed:
    """Read a raw message. Attachments larger than `max_attachment` bytes are listed but not kept."""
    out = Parsed()
    try:
        msg: EmailMessage = BytesParser(policy=POLICY).parsebytes(raw)
    except Exception as exc:  # noqa: BLE001
        out.notes.append(f"The message could not be parsed ({type(exc).__name__}); only the raw file is kept.")
        return out
    for defect in getattr(msg, "defects", [])[:3]:
        out.notes.append(f"The message is malformed: {type(defect).__name__}.")
    notes = out.notes
    out.message_id = (_ids(_plain(msg, "Message-ID", notes)) or [""])[0][:998]
    out.in_reply_to = _ids(_header(msg, "In-Reply-To", notes))
    out.references = _ids(_header(msg, "References", notes))
    sender = _header(msg, "From", notes)
    name, address = _sender(sender)
    out.from_name, out.from_address = clean(name)[:300], clean(address).lower()[:320]
    if not out.from_address and "@" in sender:
        found = re.search(r"[\w.+-]+@[\w.-]+", sender)
        out.from_address = found.group(0).lower() if found else ""
    out.to = _header(msg, "To", notes)
    out.cc = _header(msg, "Cc", notes)
    for name in ("Delivered-To", "X-Original-To", "Envelope-To"):
        out.delivered_to += [clean(str(v)) for v in (msg.get_all(name) or []) if v]
    out.subject = " ".join(_plain(msg, "Subject", notes).split())[:500]
    out.date = _date(_plain(msg, "Date", notes))
    auth = " ".join(_header(msg, name, notes) for name in ("Authentication-Results", "ARC-Authentication-Results"))
    for check in ("dmarc", "spf", "dkim"):
        if re.search(rf"\b{check}=(fail|softfail)\b", auth, re.IGNORECASE):
            out.authentication_failed = check
            break
    out.bulk = bool(msg.get("List-Unsubscribe")) or _header(msg, "Precedence", notes).lower() in ("bulk", "list")
    _walk(msg, out, max_attachment=max_attachment, depth=depth)
    if out.forwarded is None and depth < MAX_FORWARD_DEPTH:
        out.forwarded = inline_forward(out.body, depth=depth + 1)
    return out


def _walk(msg: Message, out: Parsed, *, max_attachment: int, depth: int) -> None:
    for part in _leaves(msg):
        ctype = part.get_content_type()
        try:
            disposition = part.get_content_disposition()
        except Exception:  # noqa: BLE001
            disposition = None
        name = _filename(part, out.notes)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not name:
            text = _decode_part(part, out.notes)
            if ctype == "text/plain" and not out.text:
                out.text = text
            elif ctype == "text/html" and not out.html:
                out.html = text
            continue
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            out.notes.append(f"The attachment {name or ctype} could not be decoded.")
            continue
        label = name or f"attachment.{ctype.split('/')[-1][:10]}"
        if len(data) > max_attachment:
            size_mb = len(data) / (1024 * 1024)
            refused = (f"Not kept: {size_mb:.0f} MB is over the {max_attachment // (1024 * 1024)} MB limit for "
                       "attachments. It is still inside the original message (.eml).")
            out.notes.append(f"The attachment “{label}” ({size_mb:.0f} MB) was not kept: it is over the "
                             f"{max_attachment // (1024 * 1024)} MB limit. The original message (.eml) has it.")
            out.attachments.append(Part(label, ctype, len(data), None, refused))
        else:
            out.attachments.append(Part(label, ctype, len(data), data))
    if depth >= MAX_FORWARD_DEPTH:
        return
    for part in _leaves(msg, messages=True):
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if inner is None:
                continue
            try:
                inner_bytes = inner.as_bytes(policy=policy.default.clone(linesep="\r\n"))
            except Exception:  # noqa: BLE001
                try:
                    inner_bytes = inner.as_bytes(policy=policy.compat32)
                except Exception:  # noqa: BLE001
                    out.notes.append("An attached message could not be read.")
                    continue
            out.forwarded = parse(inner_bytes, max_attachment=max_attachment, depth=depth + 1)
            return


def _leaves(msg: Message, *, messages: bool = False):
    """The parts of a message that are not containers, without going into attached messages (those are
    forwarded originals, read on their own); with messages=True, the attached messages themselves."""
    stack = [msg]
    while stack:
        part = stack.pop(0)
        is_message = part is not msg and part.get_content_maintype() == "message"
        if is_message:
            if messages:
                yield part
            continue
        if part.is_multipart():
            payload = part.get_payload()
            stack[0:0] = payload if isinstance(payload, list) else []
        elif not messages:
            yield part


_MARKERS = re.compile(
    r"^[ >]*(?:-{5,} ?Forwarded message ?-{5,}|-{3,} ?Original Message ?-{3,}|Begin forwarded message:"
    r"|_{20,})\s*$", re.IGNORECASE | re.MULTILINE)
_FIELD = re.compile(r"^[ >*]*(From|Sent|Date|To|Cc|Subject)\s*:\s*\**\s*(.*)$", re.IGNORECASE)


def inline_forward(body: str, *, depth: int) -> Parsed | None:
    """The original of a forward written into the body: Gmail's "Forwarded message", Outlook's "Original
    Message" or its line of underscores, Apple Mail's "Begin forwarded message". Nested forwards recurse."""
    if depth > MAX_FORWARD_DEPTH or not body:
        return None
    match = _MARKERS.search(body)
    if match is None:
        return None
    lines = body[match.end():].lstrip("\r\n").splitlines()
    fields: dict[str, str] = {}
    index = 0
    last = ""
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            if fields:
                index += 1
                break
            index += 1
            continue
        found = _FIELD.match(line)
        if found:
            last = found.group(1).lower()
            fields.setdefault(last, found.group(2).strip())
        elif last and line.startswith((" ", "\t")):
            fields[last] += " " + line.strip()
        else:
            break
        index += 1
    if "from" not in fields:
        return None
    original = Parsed()
    name, address = parseaddr(fields["from"].replace("[mailto:", "<").replace("]", ">"))
    if not address:
        found = re.search(r"[\w.+-]+@[\w.-]+", fields["from"])
        address = found.group(0) if found else ""
    original.from_name, original.from_address = clean(name)[:300], clean(address).lower()[:320]
    original.subject = " ".join(fields.get("subject", "").split())[:500]
    original.to = fields.get("to", "")
    original.cc = fields.get("cc", "")
    original.date = loose_date(fields.get("date") or fields.get("sent") or "")
    original.text = "\n".join(line[2:] if line.startswith("> ") else line for line in lines[index:]).strip()
    original.forwarded = inline_forward(original.text, depth=depth + 1)
    return original


def addresses(value: str) -> list[str]:
    return [a.lower() for _, a in getaddresses([value]) if a]
