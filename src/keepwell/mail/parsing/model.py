"""The result types of the mail parser and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file carried by a mail (including inline images and attached mails)."""

    filename: str
    content_type: str
    size: int
    sha256: str
    content_id: str | None  # without the angle brackets
    inline: bool
    payload: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class ParsedMail:
    """Everything the desk needs from one inbound mail; built by ``parse_message``.

    Message ids (``message_id``, ``in_reply_to``, ``references``) never carry angle brackets.
    Header strings are unfolded and decoded; address headers are re-formatted canonically
    (display names quoted where needed, bare addresses without angle brackets).
    ``from_email`` is the first sender found in From, Reply-To, Return-Path, Sender (a real
    address wins). ``body_text`` is always set (rendered from the HTML when the mail has no
    text part); ``reply_text`` is its new part without quoted history, forwarded headers or
    signature. ``is_auto_reply`` marks any automatic response (RFC 3834, out-of-office,
    read receipts and bounces alike: never answer it automatically); ``is_bounce`` the
    delivery reports among them; ``is_bulk`` list and bulk mail.
    """

    from_header: str
    from_email: str
    from_display_name: str
    to: str
    cc: str
    reply_to: str
    to_addresses: list[str]
    cc_addresses: list[str]
    reply_to_addresses: list[str]
    subject: str
    date: datetime | None
    message_id: str | None
    in_reply_to: str | None
    references: list[str]
    content_type: str  # "text/plain" or "text/html": the kind of part the body came from
    body_text: str
    body_html: str | None  # sanitised
    reply_text: str
    attachments: list[Attachment]
    is_auto_reply: bool
    is_bounce: bool
    is_bulk: bool
    auto_submitted: str | None
    defects: list[str]
    headers: dict[str, list[str]]  # lower-cased name -> decoded values, in mail order

    def header(self, name: str) -> str | None:
        """Return the first decoded value of a header (case-insensitive), or None."""
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def header_all(self, name: str) -> list[str]:
        """Return every decoded value of a header (case-insensitive), in mail order."""
        return list(self.headers.get(name.lower(), ()))

    @property
    def x_keepwell_ref(self) -> str | None:
        """The desk's own reference header, if the mail answers one of our mails."""
        value = self.header("x-keepwell-ref")
        return value.strip() if value else None


def to_json_dict(parsed: ParsedMail) -> dict[str, Any]:
    """Return the JSON form used by ``keepwell mail parse FILE --json``."""
    return {
        "from": parsed.from_header,
        "from_email": parsed.from_email,
        "from_display_name": parsed.from_display_name,
        "to": parsed.to,
        "cc": parsed.cc,
        "reply_to": parsed.reply_to,
        "subject": parsed.subject,
        "date": parsed.date.isoformat() if parsed.date else None,
        "message_id": parsed.message_id,
        "in_reply_to": parsed.in_reply_to,
        "references": list(parsed.references),
        "content_type": parsed.content_type,
        "body_text": parsed.body_text,
        "body_html": parsed.body_html,
        "reply_text": parsed.reply_text,
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "content_id": a.content_id,
                "inline": a.inline,
            }
            for a in parsed.attachments
        ],
        "is_auto_reply": parsed.is_auto_reply,
        "is_bounce": parsed.is_bounce,
        "defects": list(parsed.defects),
    }
