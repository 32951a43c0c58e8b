"""E-mail: ``.eml`` messages and ``.mbox`` archives (the standard library's ``email``).

A message's text is its header block (From, To, Cc, Date, Subject) followed by its body (the
plain part, or the HTML part as text), so "who wrote about…" finds the sender and the
citation shows it. The subject is the title and the ``Date`` header the date, so messages join
timelines and ``--since``. Attachments come back as ``Attachment``s; the loader reads each
as a document of its own (``letter.eml/report.pdf``).
"""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from assistant.ingest.converted import Attachment, Converted
from assistant.ingest.html import convert_html
from assistant.markings.detect import marking_fields

MAX_MESSAGES = 100_000
"""Messages read from one mbox."""
_ENVELOPE = re.compile(rb"(?:\A|\n)From ")
_QUOTED_FROM = re.compile(rb"(?m)^>(>*From )")  # mboxrd: a body line "From …" was written ">From …"
_HEADERS = ("From", "To", "Cc", "Date", "Subject")


def split_mbox(raw: bytes) -> list[bytes]:
    """The messages of an mbox, each without its ``From `` envelope line, in file order."""
    starts = [m.start() + (1 if raw[m.start():m.start() + 1] == b"\n" else 0) for m in _ENVELOPE.finditer(raw)]
    messages = []
    for i, start in enumerate(starts[:MAX_MESSAGES]):
        end = starts[i + 1] if i + 1 < len(starts) else len(raw)
        block = raw[start:end]
        newline = block.find(b"\n")
        messages.append(_QUOTED_FROM.sub(rb"\1", block[newline + 1 :]) if newline != -1 else b"")
    return messages


def convert_message(raw: bytes) -> Converted:
    """One message: header block and body as text, attachments kept for the loader."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    header_lines = []
    for name in _HEADERS:
        value = _header(message, name)
        if value:
            header_lines.append(f"{name}: {value}")
    body = _body(message)
    text = "\n".join(header_lines) + ("\n\n" + body if body else "")
    subject = _header(message, "Subject")
    headers = {name: _header(message, name) for name in dict.fromkeys(message.keys())}
    return Converted(text, subject or "(no subject)", _date(message), _header(message, "From") or None,
                     attachments=_attachments(message), metadata=marking_fields(headers))


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a malformed header is left out, not the message
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _date(message: EmailMessage) -> str | None:
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # unknown charset, broken transfer encoding
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return convert_html(content.encode("utf-8")).text
    return content.replace("\r\n", "\n").strip()


def _attachments(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            raw = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
            name = name or "forwarded.eml"
        else:
            payload = part.get_payload(decode=True)
            raw = payload if isinstance(payload, bytes) else b""
        if name and raw:
            found.append(Attachment(_safe_name(name), raw))
    return found


def _safe_name(name: str) -> str:
    """An attachment's name as the last part of a document id: no folders, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:120] or "attachment"
