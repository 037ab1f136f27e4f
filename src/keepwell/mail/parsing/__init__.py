"""Inbound mail parsing: raw RFC 5322 bytes to a ``ParsedMail`` (pure Python, no Django).

``parse_message(raw)`` never raises; problems end up in ``ParsedMail.defects``. Modules:
``core`` (orchestration), ``mime`` (tree walk, body choice, attachments), ``headers``
(encoded words, addresses, ids, dates), ``charsets``, ``html`` (nh3 sanitising, inscriptis
text, cid: links), ``reply`` (quote and signature stripping), ``classify`` (auto-reply,
bounce and bulk flags), ``model`` (result types, JSON form).
"""

from .core import parse_message
from .html import rewrite_cid_links, sanitize_html
from .model import Attachment, ParsedMail, to_json_dict
from .reply import extract_reply

__all__ = [
    "Attachment",
    "ParsedMail",
    "extract_reply",
    "parse_message",
    "rewrite_cid_links",
    "sanitize_html",
    "to_json_dict",
]
