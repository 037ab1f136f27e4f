"""Tolerant decoding of header fields: encoded words, address lists, message ids and dates."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from .charsets import decode_bytes, decode_header_bytes

# Encoded text may not contain "?" (RFC 2047), but broken mailers put spaces in it, so spaces
# are allowed; the length bound keeps an unterminated word from swallowing the whole header.
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,75})\?([QqBb])\?([^?]{0,4000}?)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_LINE_BREAK = re.compile(r"\r?\n|\r")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_WS = re.compile(r"\s+")
_SURROGATES = re.compile("[\udc80-\udcff]")

# Longest header value worth decoding; the flanker corpus has a 210 KB header.
MAX_HEADER_CHARS = 100_000


def unfold(value: str) -> str:
    """Undo header folding (RFC 5322 2.2.3: remove the CRLF, keep the whitespace)."""
    if len(value) > MAX_HEADER_CHARS:
        value = value[:MAX_HEADER_CHARS]
    return _LINE_BREAK.sub("", _FOLD.sub("", value))


def decode_8bit(value: str, hint: str | None = None, guess: bool = True) -> str:
    """Decode raw 8-bit bytes that the stdlib parser kept as surrogate escapes."""
    if value.isascii() or not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    return decode_header_bytes(data, hint, guess)


def _word_bytes(encoding: str, text: str) -> bytes:
    raw = text.encode("utf-8", "surrogateescape")
    if encoding in "Qq":
        return _QP_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw.replace(b"_", b" "))
    cleaned = _NOT_BASE64.sub("", text.split("=", 1)[0])
    if len(cleaned) % 4 == 1:
        cleaned = cleaned[:-1]
    cleaned += "=" * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned)
    except (binascii.Error, ValueError):
        return b""


def decode_words(value: str, hint: str | None = None, guess: bool = True) -> str:
    """Decode RFC 2047 encoded words leniently, also inside quoted strings and broken ones."""
    if "=?" not in value:
        return decode_8bit(value, hint, guess)
    # Plain text stays str; encoded words become [charset, bytes] to be decoded at the end.
    pieces: list[str | tuple[str, bytearray]] = []
    pos = 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        previous = pieces[-1] if pieces else None
        # Whitespace between two encoded words is not part of the text (RFC 2047 6.2).
        if gap and not (gap.isspace() and isinstance(previous, tuple)):
            pieces.append(decode_8bit(gap, hint, guess))
            previous = None
        charset = match.group(1)
        data = _word_bytes(match.group(2), match.group(3))
        if isinstance(previous, tuple) and previous[0].lower() == charset.lower():
            # Senders split multi-byte characters across words; decode the joined bytes.
            previous[1].extend(data)
        else:
            pieces.append((charset, bytearray(data)))
        pos = match.end()
    if pos < len(value):
        pieces.append(decode_8bit(value[pos:], hint, guess))
    return "".join(
        piece if isinstance(piece, str) else decode_bytes(bytes(piece[1]), piece[0])[0]
        for piece in pieces
    )


def decode_header(value: str | None, hint: str | None = None, guess: bool = True) -> str:
    """Unfold and decode one raw header value to text (``guess``: detect unlabelled 8-bit)."""
    if not value:
        return ""
    if value.isascii() and "=?" not in value and "\n" not in value and "\r" not in value:
        return value.strip()
    # Whitespace around the raw value is not content (inside an encoded word it would be).
    return decode_words(unfold(value).strip(), hint, guess)


# --- addresses -------------------------------------------------------------------------------

_ADDRESS_TOKEN = re.compile(
    r"""
      "(?:[^"\\]|\\.)*"?              # quoted string (maybe unterminated)
    | \((?:[^()\\]|\\.|\([^()]*\))*\)? # comment, one level of nesting
    | =\?[^?\s]{1,75}\?[QqBb]\?[^?]{0,4000}?\?=   # encoded word
    | <[^<>]*>?                        # angle address
    | [,;:]
    | \s+
    | [^"(<,;:\s=]+
    | .
    """,
    re.VERBOSE | re.DOTALL,
)
_NEEDS_QUOTES = re.compile(r'[()<>\[\]:;@\\,."]|[^\x20-\x7e]')
_LOCAL_DOMAIN = re.compile(r"[^\s@<>]+@[^\s@<>]+")


@dataclass(frozen=True, slots=True)
class Address:
    """One mailbox of an address list, decoded."""

    display_name: str
    address: str
    comment: str
    text: str  # the mailbox formatted back as a decoded header string


def _tokens(value: str) -> list[str]:
    return _ADDRESS_TOKEN.findall(value)


def _split_list(tokens: list[str]) -> list[list[str]]:
    pieces: list[list[str]] = [[]]
    for item in tokens:
        if item == ",":
            pieces.append([])
        else:
            pieces[-1].append(item)
    return [piece for piece in pieces if "".join(piece).strip()]


def _unquote(token: str) -> str:
    inner = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
    return re.sub(r"\\(.)", r"\1", inner)


def _phrase(tokens: list[str], hint: str | None) -> str:
    parts: list[str] = []
    last_encoded = False
    for token in tokens:
        if token.isspace():
            parts.append(" ")
            continue
        encoded = token.startswith("=?") and bool(_ENCODED_WORD.fullmatch(token))
        if encoded and last_encoded and parts and parts[-1] == " ":
            parts.pop()
        if token.startswith('"'):
            parts.append(decode_words(_unquote(token), hint))
        else:
            parts.append(decode_words(token, hint))
        last_encoded = encoded
    return _WS.sub(" ", "".join(parts)).strip()


def _format_name(name: str) -> str:
    if _NEEDS_QUOTES.search(name):
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return name


def _parse_mailbox(tokens: list[str], hint: str | None) -> Address:
    raw_text = _WS.sub(" ", decode_words("".join(tokens), hint)).strip()
    # A group label ("undisclosed-recipients:") or a trailing ";" carries no mailbox.
    if ":" in tokens and not any(t.startswith("<") for t in tokens[: tokens.index(":")]):
        tokens = tokens[tokens.index(":") + 1 :]
    tokens = [t for t in tokens if t != ";"]
    comments = [t for t in tokens if t.startswith("(")]
    comment = " ".join(decode_words(c[1:-1] if c.endswith(")") else c[1:], hint) for c in comments)
    angles = [i for i, t in enumerate(tokens) if t.startswith("<")]
    if angles:
        index = angles[-1]
        inner = tokens[index][1:].removesuffix(">").strip()
        address = decode_8bit(inner.removeprefix("mailto:"), hint).strip()
        name = _phrase([t for t in tokens[:index] if not t.startswith("(")], hint)
        text = f"{_format_name(name)} <{address}>" if name else address
        comment_text = " ".join(decode_words(c, hint) for c in comments)
        if comment_text:
            text = f"{text} {comment_text}"
        return Address(name, address, comment, text)
    plain = [t for t in tokens if not t.startswith("(")]
    address = decode_8bit("".join(plain), hint).strip()
    return Address("", address, comment, raw_text)


def parse_addresses(value: str | None, hint: str | None = None) -> list[Address]:
    """Parse an address-list header leniently; never raises."""
    if not value:
        return []
    return [_parse_mailbox(piece, hint) for piece in _split_list(_tokens(unfold(value)))]


def format_addresses(addresses: list[Address]) -> str:
    """Format parsed addresses back into one decoded header string."""
    return ", ".join(a.text for a in addresses if a.text)


def display_name_of(address: Address) -> str:
    """The human name of a mailbox: its display name, else its comment."""
    name = address.display_name or address.comment
    return name.replace('"', "").strip().strip("'").strip()


def email_addresses(addresses: list[Address]) -> list[str]:
    """Lower-cased addresses that look like local@domain, in order, without duplicates."""
    seen: dict[str, None] = {}
    for item in addresses:
        # RFC 5321 caps an address at 254 characters; the cap keeps the search linear.
        match = _LOCAL_DOMAIN.search(item.address[:320])
        if match:
            seen.setdefault(match.group(0).lower().strip("."), None)
    return list(seen)


# --- message ids and dates -------------------------------------------------------------------

_MSG_ID = re.compile(r"<([^<>\s]{1,998})>")
MAX_REFERENCES = 500


def message_ids(value: str | None) -> list[str]:
    """Message ids of an id-list header, without angle brackets, in order, without duplicates."""
    if not value:
        return []
    text = decode_8bit(unfold(value))
    found = _MSG_ID.findall(text)
    if not found:
        found = [t.strip("<>") for t in re.split(r"[\s,]+", text) if "@" in t]
    seen: dict[str, None] = {}
    for item in found:
        if item:
            seen.setdefault(item, None)
        if len(seen) >= MAX_REFERENCES:
            break
    return list(seen)


def parse_date(value: str | None) -> datetime | None:
    """Parse a Date header to an aware datetime; unknown zones count as UTC; None if invalid."""
    if not value:
        return None
    text = _WS.sub(" ", decode_8bit(unfold(value))).strip()
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
