"""Turning bytes in a declared, undeclared or wrongly declared charset into text."""

from __future__ import annotations

import codecs
from functools import lru_cache

import charset_normalizer

# Labels Python does not know, and labels whose superset is what mail programs really send
# (the WHATWG encoding standard makes the same substitutions for the web).
_ALIASES: dict[str, str] = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "windows-874": "cp874",
    "x-windows-874": "cp874",
    "iso-8859-8-i": "iso8859-8",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "x-windows-949": "cp949",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
    "utf8": "utf-8",
    "x-utf8": "utf-8",
}

# Labels that say nothing about the bytes.
_UNKNOWN = frozenset(
    {
        "",
        "unknown-8bit",
        "x-unknown",
        "unknown",
        "8bit",
        "7bit",
        "x-user-defined",
        "default",
        "charset",
        "none",
        "us",
        "binary",
    }
)

# Python codecs that are text encodings but must never be applied to untrusted mail: UTF-7 is a
# known script-injection vector and is not supported by browsers either, the others are not
# charsets at all.
_FORBIDDEN = frozenset(
    {
        "utf-7",
        "unicode_escape",
        "raw_unicode_escape",
        "idna",
        "punycode",
        "undefined",
        "unicode_internal",
        "mbcs",
        "oem",
        "palmos",
    }
)

_STATEFUL_ASCII = frozenset(
    {
        "iso2022_jp",
        "iso2022_jp_1",
        "iso2022_jp_2",
        "iso2022_jp_2004",
        "iso2022_jp_3",
        "iso2022_jp_ext",
        "iso2022_kr",
        "hz",
    }
)

# When a CJK charset does not decode, the extensions its mailers use in practice are tried.
# Also the mislabellings seen in practice (Shift_JIS sent as ISO-2022-JP) and the supersets.
_FALLBACKS: dict[str, tuple[str, ...]] = {
    "iso2022_jp": (
        "iso2022_jp_ext",
        "iso2022_jp_2",
        "iso2022_jp_2004",
        "iso2022_jp_3",
        "cp932",
        "euc_jis_2004",
    ),
    "euc_jp": ("euc_jis_2004", "cp932"),
    "cp932": ("shift_jis_2004", "euc_jis_2004"),
    "big5hkscs": ("cp950",),
    "cp949": ("johab",),
}

_SINGLE_BYTE_LATIN = frozenset(
    {
        "cp1252",
        "iso8859-15",
        "iso8859-2",
        "cp1250",
        "iso8859-9",
        "cp1254",
        "mac-roman",
        "iso8859-3",
        "iso8859-4",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-16",
        "cp1257",
        "cp850",
        "cp437",
        "latin-1",
        "iso8859-1",
    }
)


@lru_cache(maxsize=256)
def codec_name(charset: str | None) -> str | None:
    """Return the Python codec for a MIME charset label, or None when unknown or unusable."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").strip().lower()
    # RFC 2231 language suffix ("utf-8*de") and stray junk after the label.
    label = label.split("*", 1)[0].split(";", 1)[0].strip()
    if label in _UNKNOWN or len(label) > 40 or not label.isascii():
        return None
    label = _ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _FORBIDDEN:
        return None
    return info.name


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _windows_1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: read bytes that are not UTF-8 as windows-1252 (as browsers do)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return bytes(chunk).decode("cp1252", "replace"), error.end


_MIXED = "keepwell-utf8-then-cp1252"
codecs.register_error(_MIXED, _windows_1252_bytes)


def _looks_like_utf8(data: bytes) -> bool:
    """True when the bytes are UTF-8 mixed with some single-byte text (a common template bug).

    Real single-byte text practically never contains valid multi-byte UTF-8 sequences.
    """
    text = data.decode("utf-8", "surrogateescape")
    broken = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    wide = sum(1 for ch in text if ord(ch) > 0x7F) - broken
    return wide > 0 and broken <= wide


def detect(data: bytes) -> str | None:
    """Guess the charset of bytes with charset-normalizer; None when it has no idea."""
    try:
        best = charset_normalizer.from_bytes(data[:65536], steps=5, chunk_size=512).best()
    except Exception:  # the detector is third-party code fed with hostile bytes
        return None
    if best is None:
        return None
    return codec_name(best.encoding)


def decode_bytes(data: bytes, charset: str | None = None) -> tuple[str, str | None]:
    """Decode bytes declared as ``charset``; return the text and a defect note (or None)."""
    if not data:
        return "", None
    codec = codec_name(charset)
    if data.isascii() and codec not in _STATEFUL_ASCII:
        return data.decode("ascii"), None
    if codec is not None and codec != "ascii":
        if codec in _SINGLE_BYTE_LATIN:
            # A single-byte charset decodes anything, so a mislabelled UTF-8 part would become
            # mojibake; real Latin text is practically never valid multi-byte UTF-8.
            text = _try(data, "utf-8")
            if text is not None:
                return text, f"part declared as {charset!r} is UTF-8"
        text = _decode_declared(data, codec)
        if text is not None:
            return text, None
        if codec == "cp1252":
            # The five bytes cp1252 leaves undefined are mapped like browsers do.
            return data.decode("latin-1"), None
    text = _try(data, "utf-8")
    if text is not None:
        if codec is None and charset and charset.strip().lower() not in _UNKNOWN:
            return text, f"unknown charset {charset!r}, decoded as UTF-8"
        return text, None
    note = f"charset {charset!r} does not fit the data" if charset else "undeclared 8-bit data"
    if codec in ("utf-8", None) and _looks_like_utf8(data):
        return data.decode("utf-8", _MIXED), note + "; bytes outside UTF-8 read as windows-1252"
    guessed = detect(data)
    if guessed is not None:
        text = _try(data, guessed)
        if text is not None:
            return text, f"{note}; detected {guessed}"
    if codec is not None:
        return data.decode(codec, "replace"), note + "; undecodable bytes replaced"
    return data.decode("cp1252", "replace"), note + "; decoded as windows-1252"


def decode_header_bytes(data: bytes, hint: str | None = None, guess: bool = True) -> str:
    """Decode raw 8-bit header bytes: UTF-8 (RFC 6532), a multi-byte hint, a guess, the hint."""
    text = _try(data, "utf-8")
    if text is not None:
        return text
    codec = codec_name(hint)
    if codec is not None and codec != "ascii" and codec not in _SINGLE_BYTE_LATIN:
        text = _decode_declared(data, codec)
        if text is not None:
            return text
    # Detection is unreliable on a few bytes (it calls "Müller" Urdu), so short values skip it.
    guessed = detect(data) if guess and len(data) >= 20 else None
    if guessed is not None:
        text = _try(data, guessed)
        if text is not None:
            return text
    if codec is not None and codec != "ascii":
        text = _try(data, codec)
        if text is not None:
            return text
    return data.decode("cp1252", "replace")


def _decode_declared(data: bytes, codec: str) -> str | None:
    text = _try(data, codec)
    if text is not None:
        return text
    for alternative in _FALLBACKS.get(codec, ()):
        text = _try(data, alternative)
        if text is not None:
            return text
    return None
