"""``parse_message``: raw RFC 5322 bytes in, a ``ParsedMail`` out, whatever the bytes are.

The MIME tree is parsed by the standard library with the ``compat32`` policy: the feed parser
is the same as with ``policy.default``, but ``policy.default`` runs its structured header
parser on every Content-Type while parsing, which made parsing about eight times slower and
raises on some broken headers. Header values are therefore decoded by this package's own
tolerant decoder (``headers.py``).
"""

from __future__ import annotations

import re
from email import policy as email_policy
from email.errors import CloseBoundaryNotFoundDefect
from email.message import Message
from email.parser import BytesParser

from .classify import classify
from .headers import (
    Address,
    decode_header,
    display_name_of,
    email_addresses,
    format_addresses,
    message_ids,
    parse_addresses,
    parse_date,
)
from .html import (
    html_to_text,
    quote_marked_lines,
    sanitize_html,
    strip_quote_markers,
)
from .mime import Segment, param, segments_html, walk_message
from .model import ParsedMail
from .reply import extract_reply

MAX_HEADERS = 1000
_SENDER_HEADERS = ("from", "reply-to", "return-path", "sender")


def _as_bytes(raw: object) -> bytes:
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, bytearray | memoryview):
        return bytes(raw)
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _trim_leading(raw: bytes, defects: list[str]) -> bytes:
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    # Leading blank lines would end the header block before it starts.
    while start < len(raw):
        end = raw.find(b"\n", start)
        line = raw[start:] if end < 0 else raw[start:end]
        if line.strip():
            break
        start = len(raw) if end < 0 else end + 1
    if start:
        defects.append("leading blank lines or byte order mark before the headers")
    return raw[start:]


_HEADER_FIELD = re.compile(rb"^[!-9;-~]{1,200}[ \t]*:")
_BLANK_LINE = re.compile(rb"\r?\n\r?\n")
_MAX_HEADER_BLOCK = 2_000_000


def _repair_header_block(raw: bytes, defects: list[str]) -> bytes:
    """Fold stray lines inside the header block into the previous field, drop junk before it.

    The stdlib ends the header block at the first line that is neither a field nor a
    continuation, losing every field after it (e.g. From, To and Subject after an unindented
    base64 continuation). The block really ends at the first empty line.
    """
    match = _BLANK_LINE.search(raw, 0, _MAX_HEADER_BLOCK)
    end = match.start() if match else min(len(raw), _MAX_HEADER_BLOCK)
    lines = raw[:end].split(b"\n")
    fields = [i for i, line in enumerate(lines) if _HEADER_FIELD.match(line)]
    # One "Word:" line in a text is no header block; repairs need at least two fields.
    if len(fields) < 2:
        return raw
    first = 1 if lines[0].startswith(b"From ") else 0
    leading = fields[0] - first
    if 0 < leading <= 5:
        defects.append("header block repaired: text before it was ignored")
        del lines[first : fields[0]]
        fields = [i - leading for i in fields]
    field_set = set(fields)
    stray = [
        i
        for i in range(first + 1, fields[-1])
        if lines[i][:1] not in (b" ", b"\t") and lines[i].strip() and i not in field_set
    ]
    if not stray and not leading:
        return raw
    if stray:
        defects.append(
            "header block repaired: lines without a field name joined to the field above"
        )
        for i in stray:
            lines[i] = b" " + lines[i]
    return b"\n".join(lines) + raw[end:]


def _parse_tree(raw: bytes, defects: list[str]) -> tuple[Message, bool]:
    """Parse the MIME tree; returns the message and whether only its headers were parsed."""
    parser = BytesParser(policy=email_policy.compat32)
    try:
        message = parser.parsebytes(raw)
    except RecursionError:
        # The stdlib feed parser recurses once per nesting level.
        defects.append("MIME nesting too deep to parse; the body is kept as raw text")
        return parser.parsebytes(raw, headersonly=True), True
    if any(isinstance(d, CloseBoundaryNotFoundDefect) for d in message.defects):
        # At the end of a truncated multipart the stdlib drops the last line break of the
        # last part, although no boundary claims it.
        newline = b"\r\n" if raw.endswith(b"\r\n") else b"\n"
        if raw.endswith(b"\n"):
            message = parser.parsebytes(raw + newline)
    return message, False


def _raw_headers(message: Message) -> dict[str, list[str]]:
    """Header values as received (folded, 8-bit kept as surrogate escapes), by lower-case name."""
    raw: dict[str, list[str]] = {}
    for count, (name, value) in enumerate(message.raw_items()):
        if count >= MAX_HEADERS:
            break
        raw.setdefault(str(name).strip().lower(), []).append(str(value))
    return raw


def _decoded_headers(raw: dict[str, list[str]], hint: str | None) -> dict[str, list[str]]:
    decoded: dict[str, list[str]] = {}
    for name, values in raw.items():
        out = decoded[name] = []
        for value in values:
            try:
                # Charset detection costs milliseconds; only the subject gets it (see _parse).
                out.append(decode_header(value, hint, guess=False))
            except Exception:  # keep the field readable even if a decoder breaks on it
                out.append(value.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
    return decoded


def _addresses(raw: dict[str, list[str]], name: str, hint: str | None) -> list[Address]:
    found: list[Address] = []
    for value in raw.get(name, ()):
        found.extend(parse_addresses(value, hint))
    return found


def _from_addresses(raw: dict[str, list[str]], hint: str | None) -> list[Address]:
    # Spam sometimes carries several From fields; the first with a real address wins.
    values = [parse_addresses(v, hint) for v in raw.get("from", ())]
    for addresses in values:
        if any("@" in a.address for a in addresses):
            return addresses
    return values[0] if values else []


def _sender(
    raw: dict[str, list[str]], from_addresses: list[Address], hint: str | None
) -> Address | None:
    """The first sender found in From, Reply-To, Return-Path, Sender; a real address wins."""
    candidates: list[Address] = []
    for name in _SENDER_HEADERS:
        addresses = from_addresses if name == "from" else _addresses(raw, name, hint)
        candidates.extend(a for a in addresses if a.address)
    return next((a for a in candidates if "@" in a.address), candidates[0] if candidates else None)


def _sender_names(sender: Address | None) -> list[str]:
    """The sender's display name and first name, for recognising a sign-off."""
    if sender is None:
        return []
    name = display_name_of(sender)
    if "," in name:  # "Doe, Jane"
        name = " ".join(reversed([p.strip() for p in name.split(",", 1)]))
    first = name.split()[0] if name.split() else ""
    return [n for n in (name, first) if len(n) >= 2]


def _body(segments: list[Segment]) -> tuple[str, str, str | None, str]:
    """Assemble (content_type, body_text, body_html, reply source text) from body segments."""
    has_html = any(s.html is not None for s in segments)
    has_images = any(s.image_cid is not None for s in segments)
    has_plain = any(s.plain is not None for s in segments)
    if not has_html and not (has_images and has_plain):
        text = "".join(s.plain or "" for s in segments)
        return "text/plain", text, None, text
    body_html = sanitize_html(segments_html(segments))
    if all(s.plain is not None for s in segments if s.html is not None) and has_plain:
        text = "".join(s.plain or "" for s in segments)
        return "text/html", text, body_html, text
    rendered = html_to_text(body_html, mark_quotes=True)
    return "text/html", strip_quote_markers(rendered), body_html, quote_marked_lines(rendered)


def _parse(raw: bytes) -> ParsedMail:
    defects: list[str] = []
    raw = _repair_header_block(_trim_leading(raw, defects), defects)
    message, headers_only = _parse_tree(raw, defects)
    walk = walk_message(message, headers_only)
    defects.extend(walk.defects)
    raw_headers = _raw_headers(message)
    # Unlabelled 8-bit header bytes are most likely in the charset the body declares.
    hint = param(message, "charset") if "content-type" in raw_headers else None
    hint = hint or walk.first_charset

    headers = _decoded_headers(raw_headers, hint)
    from_addresses = _from_addresses(raw_headers, hint)
    to_addresses = _addresses(raw_headers, "to", hint)
    cc_addresses = _addresses(raw_headers, "cc", hint)
    reply_to_addresses = _addresses(raw_headers, "reply-to", hint)
    sender = _sender(raw_headers, from_addresses, hint)
    subject = ""
    if "subject" in raw_headers:
        subject = headers["subject"][0] = decode_header(raw_headers["subject"][0], hint)
    date = parse_date(raw_headers["date"][0]) if "date" in raw_headers else None
    if "date" in raw_headers and date is None:
        defects.append("invalid Date header")

    ctype, body_text, body_html, reply_source = _body(walk.segments)

    def header(name: str) -> str | None:
        values = headers.get(name)
        return values[0] if values else None

    from_email = sender.address if sender else ""
    flags = classify(header, subject, from_email, walk.has_delivery_status, walk.report_types)
    ids = message_ids(header("message-id"))
    in_reply_to = message_ids(header("in-reply-to"))
    return ParsedMail(
        from_header=format_addresses(from_addresses),
        from_email=from_email,
        from_display_name=display_name_of(sender) if sender else "",
        to=format_addresses(to_addresses),
        cc=format_addresses(cc_addresses),
        reply_to=format_addresses(reply_to_addresses),
        to_addresses=email_addresses(to_addresses),
        cc_addresses=email_addresses(cc_addresses),
        reply_to_addresses=email_addresses(reply_to_addresses),
        subject=subject,
        date=date,
        message_id=ids[0] if ids else (header("message-id") or "").strip() or None,
        in_reply_to=in_reply_to[0] if in_reply_to else None,
        references=message_ids(header("references")),
        content_type=ctype,
        body_text=body_text,
        body_html=body_html,
        reply_text=extract_reply(reply_source, _sender_names(sender)),
        attachments=walk.attachments,
        is_auto_reply=flags.is_auto_reply,
        is_bounce=flags.is_bounce,
        is_bulk=flags.is_bulk,
        auto_submitted=flags.auto_submitted,
        defects=_dedupe(defects),
        headers=headers,
    )


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _failed(raw: bytes, error: BaseException) -> ParsedMail:
    text = raw.decode("utf-8", "replace")
    return ParsedMail(
        from_header="",
        from_email="",
        from_display_name="",
        to="",
        cc="",
        reply_to="",
        to_addresses=[],
        cc_addresses=[],
        reply_to_addresses=[],
        subject="",
        date=None,
        message_id=None,
        in_reply_to=None,
        references=[],
        content_type="text/plain",
        body_text=text,
        body_html=None,
        reply_text=text.strip(),
        attachments=[],
        is_auto_reply=False,
        is_bounce=False,
        is_bulk=False,
        auto_submitted=None,
        defects=[f"unparseable mail: {type(error).__name__}: {error}"[:300]],
        headers={},
    )


def parse_message(raw: bytes) -> ParsedMail:
    """Parse raw mail bytes; never raises: problems are reported in ``defects``."""
    data = _as_bytes(raw)
    try:
        return _parse(data)
    except Exception as error:  # the last line of defence: whatever the bytes, return a result
        return _failed(data, error)
