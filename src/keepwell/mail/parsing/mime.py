"""Walking the MIME tree within fixed limits: choosing the body and collecting attachments."""

from __future__ import annotations

import binascii
import hashlib
import html as html_lib
import mimetypes
import quopri
import re
from collections import Counter
from dataclasses import dataclass, field
from email import policy as email_policy
from email.message import Message
from email.parser import BytesParser

from .charsets import decode_bytes
from .headers import decode_header, decode_words
from .html import text_to_html
from .model import Attachment

MAX_DEPTH = 20
MAX_PARTS = 300
MAX_ATTACHMENTS = 100
MAX_FILENAME = 180

_PARSE = email_policy.compat32
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/]")
_UU_BEGIN = re.compile(rb"^begin +[0-7]{3,4} +(.+)$", re.M)
_UU_START = re.compile(r"^begin [0-7]{3,4} +\S[^\n]*$", re.M)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]{1,40})""", re.I
)
_BOUNDARY_LINE = re.compile(r"^--([^\s\"]{1,200}?)(?:--)?[ \t]*$", re.M)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")
_GENERATED_NAMES = {
    "message/delivery-status": "delivery-status.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "message/feedback-report": "feedback-report.txt",
    "text/rfc822-headers": "rfc822-headers.txt",
    "application/pgp-encrypted": "pgp-encrypted.txt",
    "application/pgp-signature": "signature.asc",
    "application/pkcs7-signature": "smime.p7s",
    "application/x-pkcs7-signature": "smime.p7s",
    "application/pkcs7-mime": "smime.p7m",
    "application/x-pkcs7-mime": "smime.p7m",
}
_EMBEDDED_MESSAGES = frozenset({"message/rfc822", "message/global", "message/news"})


@dataclass(slots=True)
class Segment:
    """A piece of body in document order: text, HTML (or both, from an alternative) or an image."""

    plain: str | None = None
    html: str | None = None
    image_cid: str | None = None


@dataclass(slots=True)
class Walk:
    """What the walk over a MIME tree found."""

    segments: list[Segment] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    has_delivery_status: bool = False
    report_types: list[str] = field(default_factory=list)
    first_charset: str | None = None


def content_type(part: Message) -> str:
    """The lower-cased type/subtype of a part (the RFC 2045 default when missing or invalid)."""
    try:
        ctype = part.get_content_type()
    except Exception:  # a broken header value must not abort the walk
        return "text/plain"
    ctype = ctype.strip().strip("\"'").lower()
    return ctype if re.fullmatch(r"[\w.+-]+/[\w.+-]+", ctype) else "application/octet-stream"


def _decode_param(value: object) -> str:
    if isinstance(value, tuple):
        # RFC 2231: (charset, language, percent-decoded text as Latin-1 code points)
        charset, _language, text = value
        try:
            data = str(text).encode("latin-1", "surrogateescape")
        except UnicodeEncodeError:
            data = str(text).encode("utf-8", "surrogateescape")
        return decode_bytes(data, charset or "utf-8")[0]
    return decode_words(str(value)).strip()


def params(part: Message, header: str = "content-type") -> dict[str, str]:
    """The decoded parameters of a header (RFC 2231 and, leniently, RFC 2047), by name."""
    try:
        pairs = part.get_params(header=header) or []
    except Exception:  # a broken header value must not abort the walk
        return {}
    found: dict[str, str] = {}
    for key, value in pairs[1:]:
        name = str(key).strip().lower()
        if name and name not in found:
            found[name] = _decode_param(value)
    return found


def param(part: Message, name: str, header: str = "content-type") -> str | None:
    """One decoded header parameter, or None."""
    return params(part, header).get(name) or None


def _filename(part: Message, type_params: dict[str, str]) -> str | None:
    return params(part, "content-disposition").get("filename") or type_params.get("name") or None


def _header_token(part: Message, name: str) -> str | None:
    try:
        value = part.get(name)
    except Exception:
        return None
    if value is None:
        return None
    token = str(value).split(";", 1)[0].strip().strip("\"'").lower()
    return token.split()[0] if token.split() else None


def _decode_base64(data: bytes) -> bytes:
    try:
        return binascii.a2b_base64(data)
    except binascii.Error:
        cleaned = _NOT_BASE64.sub(b"", data)
        if len(cleaned) % 4 == 1:
            cleaned = cleaned[:-1]
        return binascii.a2b_base64(cleaned + b"=" * (-len(cleaned) % 4))


def uudecode(data: bytes) -> tuple[bytes, str | None]:
    """Decode the first uuencoded block in ``data``; return the bytes and the announced name."""
    data = data.strip(b"\r\n")
    match = _UU_BEGIN.search(data)
    # Some senders put only the encoded lines into an x-uuencode part, without "begin".
    name = match.group(1).decode("utf-8", "replace").strip() if match else None
    lines = data[match.end() :].splitlines()[1:] if match else data.splitlines()
    out: list[bytes] = []
    for line in lines:
        stripped = line.rstrip(b"\r")
        if stripped.strip() == b"end":
            break
        if not stripped:
            continue
        try:
            out.append(binascii.a2b_uu(stripped))
        except binascii.Error:
            # Some encoders pad lines badly; decode just the bytes the length byte announces.
            count = (((stripped[0] - 32) & 63) * 4 + 5) // 3
            try:
                out.append(binascii.a2b_uu(stripped[:count]))
            except binascii.Error:
                break
    return b"".join(out), name


def _stored(part: Message) -> object:
    """The payload as the parser stored it: a list of parts, or text with 8-bit bytes kept.

    ``get_payload()`` would decode 8-bit text with the declared charset and errors="replace"
    (and raises for some broken charset names); the stored text keeps the original bytes as
    surrogate escapes.
    """
    return getattr(part, "_payload", None)


def payload_bytes(part: Message) -> tuple[bytes, str | None]:
    """Transfer-decode a leaf part; return the bytes and a uuencoded file name if any."""
    payload = _stored(part)
    if payload is None or isinstance(payload, list):
        return b"", None
    raw = str(payload).encode("utf-8", "surrogateescape")
    cte = _header_token(part, "content-transfer-encoding") or ""
    if cte == "base64":
        return _decode_base64(raw), None
    if cte in ("quoted-printable", "quoted_printable", "qp"):
        return quopri.decodestring(raw), None
    if cte in ("x-uuencode", "uuencode", "x-uue", "uue"):
        return uudecode(raw)
    return raw, None


def serialise_payload(message: Message) -> bytes:
    """Write what a parsed part carries (not its own headers) as bytes with LF line endings.

    Nested headers are written as received (the stdlib generator refolds them and raises on
    some broken ones), so the result is close to the original bytes.
    """
    out: list[bytes] = []
    _flatten_payload(message, out, 0)
    return b"".join(out).replace(b"\r\n", b"\n")


def _encode(text: object) -> bytes:
    return str(text).encode("utf-8", "surrogateescape")


def _flatten(message: Message, out: list[bytes], depth: int, block: bool = False) -> None:
    for name, value in message.raw_items():
        out.append(_encode(name) + b": " + _encode(value).rstrip(b"\r\n") + b"\n")
    if block and not _stored(message):
        return  # a header block of a delivery report has no body
    out.append(b"\n")
    _flatten_payload(message, out, depth)


def _flatten_payload(message: Message, out: list[bytes], depth: int) -> None:
    payload = _stored(message)
    if not isinstance(payload, list):
        out.append(_encode(payload or ""))
        return
    if depth >= MAX_DEPTH:
        return
    children = [child for child in payload if isinstance(child, Message)]
    if message.get_content_maintype() != "multipart":
        # message/rfc822 holds one message, message/delivery-status several header blocks.
        for index, child in enumerate(children):
            if index:
                out.append(b"\n")
            _flatten(child, out, depth + 1, block=len(children) > 1)
        return
    boundary = _encode(message.get_boundary() or "")
    if message.preamble is not None:
        out.append(_encode(message.preamble) + b"\n")
    for child in children:
        out.append(b"--" + boundary + b"\n")
        _flatten(child, out, depth + 1)
        out.append(b"\n")
    out.append(b"--" + boundary + b"--\n")
    if message.epilogue is not None:
        out.append(_encode(message.epilogue))


def safe_filename(name: str) -> str:
    """A file name without paths or control characters, of bounded length."""
    name = name.replace("\r", "").replace("\n", " ")
    # Only the last path component: "../../x" and "C:\\dir\\x" name the file "x".
    name = next((c for c in reversed(re.split(r"[/\\]", name)) if c.strip(" .")), "")
    name = _UNSAFE_NAME.sub("_", name).strip().strip(".")
    if len(name) > MAX_FILENAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_FILENAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_FILENAME]
    return name


def _generated_name(ctype: str, description: str | None) -> str:
    if ctype in _GENERATED_NAMES and not description:
        return _GENERATED_NAMES[ctype]
    ext = mimetypes.guess_extension(ctype) or (
        ".txt" if ctype.startswith(("text/", "message/")) else None
    )
    if description:
        name = safe_filename(description)
        if name:
            return name + (ext or "")
    maintype = ctype.split("/", 1)[0]
    stem = maintype if maintype in ("image", "audio", "video") else "attachment"
    return stem + (ext or ".bin")


def _content_id(part: Message) -> str | None:
    try:
        value = part.get("content-id")
    except Exception:
        return None
    if value is None:
        return None
    cid = decode_header(str(value)).strip().strip("<>").strip()
    return cid or None


def recover_boundary(part: Message) -> Message | None:
    """Re-parse a multipart part whose boundary parameter was lost, if one can be found."""
    payload = _stored(part)
    if not isinstance(payload, str) or len(payload) > 20_000_000:
        return None
    counts = Counter(_BOUNDARY_LINE.findall(payload))
    if not counts:
        return None
    boundary, seen = counts.most_common(1)[0]
    if seen < 2:
        return None
    ctype = content_type(part)
    head = f'Content-Type: {ctype}; boundary="{boundary}"\n\n'.encode("utf-8", "surrogateescape")
    body = payload.encode("utf-8", "surrogateescape")
    try:
        rebuilt = BytesParser(policy=_PARSE).parsebytes(head + body)
    except Exception:
        return None
    return rebuilt if rebuilt.is_multipart() else None


class Walker:
    """Walks one message's MIME tree, bounded in depth and number of parts."""

    def __init__(self, headers_only: bool = False) -> None:
        self.result = Walk()
        self._headers_only = headers_only
        self._parts = 0
        self._keys: set[tuple[str, str, str | None]] = set()
        self._notes: set[str] = set()

    def _defect(self, note: str) -> None:
        if note not in self._notes:
            self._notes.add(note)
            self.result.defects.append(note)

    def walk(self, part: Message, depth: int = 0, in_mixed: bool = False) -> list[Segment]:
        """Return the body segments of ``part``; attachments are collected on the way."""
        try:
            return self._walk(part, depth, in_mixed)
        except RecursionError:
            raise
        except Exception as error:  # one broken part must not cost the rest of the mail
            self._defect(f"a MIME part could not be read ({type(error).__name__})")
            return []

    def _walk(self, part: Message, depth: int, in_mixed: bool) -> list[Segment]:
        self._parts += 1
        if self._parts > MAX_PARTS:
            self._defect(f"more than {MAX_PARTS} MIME parts; the rest was ignored")
            return []
        if depth > MAX_DEPTH:
            self._defect(f"MIME nesting deeper than {MAX_DEPTH}; the rest was ignored")
            return []
        for defect in part.defects:
            self._defect(type(defect).__name__)
        ctype = content_type(part)
        payload = _stored(part)
        if self._headers_only:
            return self._leaf(part, "text/plain", in_mixed)
        if ctype in _EMBEDDED_MESSAGES or (
            ctype.startswith("message/") and isinstance(payload, list)
        ):
            self._attach_message(part, ctype)
            return []
        if ctype.startswith("multipart/"):
            if not isinstance(payload, list):
                rebuilt = recover_boundary(part)
                if rebuilt is None:
                    self._defect(
                        f"multipart repaired: {ctype} without usable boundary read as text"
                    )
                    return self._leaf(part, "text/plain", in_mixed)
                self._defect(f"multipart repaired: {ctype} boundary recovered from the body")
                part, payload = rebuilt, _stored(rebuilt)
            children = (
                [c for c in payload if isinstance(c, Message)] if isinstance(payload, list) else []
            )
            return self._multipart(part, ctype, children, depth)
        return self._leaf(part, ctype, in_mixed)

    def _multipart(
        self, part: Message, ctype: str, children: list[Message], depth: int
    ) -> list[Segment]:
        subtype = ctype.split("/", 1)[1]
        if subtype == "report":
            report_type = param(part, "report-type")
            if report_type:
                self.result.report_types.append(report_type.lower())
        if subtype == "alternative":
            return self._alternative(children, depth)
        if subtype == "encrypted":
            for child in children:
                self._attach_leaf_or_message(child)
            return []
        if subtype == "signed" and children:
            signed = self.walk(children[0], depth + 1, in_mixed=True)
            for child in children[1:]:
                self._attach_leaf_or_message(child)
            return signed
        segments: list[Segment] = []
        mixed = subtype != "related"
        for child in children:
            segments.extend(self.walk(child, depth + 1, in_mixed=mixed))
        return segments

    def _alternative(self, children: list[Message], depth: int) -> list[Segment]:
        options = [self.walk(c, depth + 1) for c in children]
        html_option = next(
            (o for o in reversed(options) if any(s.html is not None for s in o)), None
        )
        # Some mailers send an empty text alternative; the HTML then has to provide the text.
        plain_option = next(
            (
                o
                for o in options
                if o
                and all(s.html is None and s.plain is not None for s in o)
                and any((s.plain or "").strip() for s in o)
            ),
            None,
        )
        if html_option is not None and plain_option is not None:
            plain = "".join(s.plain or "" for s in plain_option)
            return [Segment(plain=plain, html=segments_html(html_option))]
        if html_option is not None:
            return html_option
        if plain_option is not None:
            return plain_option
        return next((o for o in options if o), [])

    def _leaf(self, part: Message, ctype: str, in_mixed: bool) -> list[Segment]:
        disposition = _header_token(part, "content-disposition")
        type_params = params(part)
        filename = _filename(part, type_params)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            return self._text(part, ctype, type_params.get("charset"))
        attachment = self._attach(part, ctype, disposition, filename)
        if (
            attachment is not None
            and in_mixed
            and attachment.inline
            and attachment.content_id
            and ctype.startswith("image/")
        ):
            return [Segment(image_cid=attachment.content_id)]
        return []

    def _text(self, part: Message, ctype: str, charset: str | None) -> list[Segment]:
        data, _ = payload_bytes(part)
        if ctype == "text/html" and not charset:
            match = _META_CHARSET.search(data[:4096])
            charset = match.group(1).decode("ascii") if match else None
        if charset and self.result.first_charset is None:
            self.result.first_charset = charset
        text, note = decode_bytes(data, charset)
        if note:
            self._defect(f"{ctype}: {note}")
        text = text.replace("\r\n", "\n")
        if ctype == "text/html":
            return [Segment(html=text)]
        self._extract_uuencoded(text)
        return [Segment(plain=text)]

    def _extract_uuencoded(self, text: str) -> None:
        """Offer uuencoded files inside a text body as attachments (the text stays as sent)."""
        if "begin " not in text:
            return
        position = 0
        for _ in range(MAX_ATTACHMENTS):
            match = _UU_START.search(text, position)
            if match is None:
                break
            end = text.find("\nend", match.end())
            if end < 0:
                break
            position = end + 4
            block = text[match.start() : position] + "\n"
            data, name = uudecode(block.encode("utf-8", "surrogateescape"))
            if not data:
                continue
            filename = safe_filename(name or "") or "attachment.bin"
            guessed = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            self._add(filename, guessed, data, None, False)
            self._defect("uuencoded file in the text body; also offered as an attachment")

    def _attach_leaf_or_message(self, part: object) -> None:
        if not isinstance(part, Message):
            return
        ctype = content_type(part)
        if isinstance(_stored(part), list):
            if ctype.startswith("message/"):
                self._attach_message(part, ctype)
            else:
                self._attach(part, ctype, "attachment", None, serialised=True)
            return
        disposition = _header_token(part, "content-disposition")
        self._attach(part, ctype, disposition, _filename(part, params(part)))

    def _attach_message(self, part: Message, ctype: str) -> None:
        payload = _stored(part)
        if ctype == "message/delivery-status":
            self.result.has_delivery_status = True
        filename = _filename(part, params(part))
        if isinstance(payload, list):
            if ctype in _EMBEDDED_MESSAGES and payload and isinstance(payload[0], Message):
                subject = decode_header(str(payload[0].get("subject") or "")).strip()
                if subject:
                    filename = subject + ".eml"
            data = serialise_payload(part)
        else:
            data, _ = payload_bytes(part)
        if ctype in _EMBEDDED_MESSAGES and not filename:
            filename = "message.eml"
        self._attach(part, ctype, _header_token(part, "content-disposition"), filename, data=data)

    def _attach(
        self,
        part: Message,
        ctype: str,
        disposition: str | None,
        filename: str | None,
        data: bytes | None = None,
        serialised: bool = False,
    ) -> Attachment | None:
        uu_name = None
        if data is None:
            data, uu_name = (serialise_payload(part), None) if serialised else payload_bytes(part)
            cte = _header_token(part, "content-transfer-encoding") or ""
            if ctype.startswith(("text/", "message/")) and cte != "base64":
                data = data.replace(b"\r\n", b"\n")
        cid = _content_id(part)
        inline = disposition == "inline" or (disposition is None and cid is not None)
        try:
            description = decode_header(str(part.get("content-description") or "")).strip()
        except Exception:
            description = ""
        name = safe_filename(filename or uu_name or "") or _generated_name(
            ctype, description[:80] or None
        )
        return self._add(name, ctype, data, cid, inline)

    def _add(
        self, name: str, ctype: str, data: bytes, cid: str | None, inline: bool
    ) -> Attachment | None:
        digest = hashlib.sha256(data).hexdigest()
        key = (digest, name, cid)
        if key in self._keys:
            return None
        if len(self.result.attachments) >= MAX_ATTACHMENTS:
            self._defect(f"more than {MAX_ATTACHMENTS} attachments; the rest was ignored")
            return None
        self._keys.add(key)
        attachment = Attachment(
            filename=name,
            content_type=ctype,
            size=len(data),
            sha256=digest,
            content_id=cid,
            inline=inline,
            payload=data,
        )
        self.result.attachments.append(attachment)
        return attachment


def segments_html(segments: list[Segment]) -> str:
    """Join body segments as HTML: text is escaped, images become cid: references."""
    out: list[str] = []
    for segment in segments:
        if segment.html is not None:
            out.append(segment.html)
        elif segment.plain is not None:
            out.append(text_to_html(segment.plain))
        elif segment.image_cid is not None:
            out.append(f'<img src="cid:{html_lib.escape(segment.image_cid, quote=True)}">')
    return "".join(out)


def walk_message(message: Message, headers_only: bool = False) -> Walk:
    """Walk a parsed message (its body as one text part when ``headers_only``)."""
    walker = Walker(headers_only)
    walker.result.segments = walker.walk(message)
    return walker.result
