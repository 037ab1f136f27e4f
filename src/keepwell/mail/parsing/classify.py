"""Recognising machine-generated mail: auto-replies, bounces and bulk or list mail."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_REPLY_PREFIX = r"^[\s\W]{0,3}(?:(?:re|aw|fw|fwd|wg|sv|vs|antw)\s*:\s*)*[\s\[(]{0,3}"
_AUTO_REPLY_SUBJECT = re.compile(
    _REPLY_PREFIX
    + r"(?:out\s+of\s+(?:the\s+)?office|automatic\s+reply|auto(?:matic)?[-\s]?(?:reply|response|"
    r"answer|responder)|autoreply|autoresponse|abwesenheitsnotiz|automatische\s+antwort|"
    r"r[ée]ponse\s+automatique|absence\s+du\s+bureau|respuesta\s+autom[áa]tica|"
    r"fuera\s+de\s+la\s+oficina|risposta\s+automatica|automatisch\s+antwoord|autosvar|"
    r"automatisk\s+svar|odpowied[źz]\s+automatyczna|automatick[áa]\s+odpov[ěe]d|автоответ|"
    r"vacation\s+(?:reply|notice)|away\s+from\s+(?:the\s+)?office)\b",
    re.I,
)
_BOUNCE_SUBJECT = re.compile(
    _REPLY_PREFIX
    + r"(?:undeliver(?:ed|able)|delivery\s+status\s+notification|mail\s+delivery\s+(?:failed|"
    r"failure|system)|returned\s+mail|failure\s+notice|delivery\s+(?:failure|has\s+failed|"
    r"notification)|message\s+not\s+delivered|non[-\s]?remis|unzustellbar|nicht\s+zustellbar|"
    r"benachrichtung\s+zum|mail\s+system\s+error|could\s+not\s+send\s+message|"
    r"returned\s+to\s+sender|delayed\s+mail|warning:\s+message)",
    re.I,
)
_DAEMON_SENDERS = frozenset(
    {"mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon", "postmaster", "mail.daemon"}
)
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list"})
_AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-autoreply-from", "x-mail-autoreply")


@dataclass(frozen=True, slots=True)
class Classification:
    """Flags describing how a mail was produced."""

    is_auto_reply: bool
    is_bounce: bool
    is_bulk: bool
    auto_submitted: str | None


def classify(
    header: Callable[[str], str | None],
    subject: str,
    from_email: str,
    has_delivery_status: bool,
    report_types: list[str],
) -> Classification:
    """Classify a mail from its headers (``header(name)`` returns the first value) and structure."""
    auto_submitted = header("auto-submitted")
    auto_value = (auto_submitted or "").split(";", 1)[0].strip().lower()
    precedence = (header("precedence") or "").strip().lower()
    sender_local = from_email.rsplit("@", 1)[0].strip().strip('"').lower()
    return_path = (header("return-path") or "").strip()
    null_sender = return_path in ("<>", "") and header("return-path") is not None

    is_bounce = (
        has_delivery_status
        or "delivery-status" in report_types
        or sender_local in _DAEMON_SENDERS
        or (bool(_BOUNCE_SUBJECT.search(subject)) and (null_sender or bool(auto_value)))
    )
    is_auto_reply = (
        is_bounce
        or bool(report_types)
        or (bool(auto_value) and auto_value != "no")
        or any(header(name) is not None for name in _AUTO_HEADERS)
        or precedence in ("auto_reply", "auto-reply")
        or bool(_AUTO_REPLY_SUBJECT.search(subject))
    )
    is_bulk = (
        precedence in _BULK_PRECEDENCE
        or header("list-id") is not None
        or header("list-unsubscribe") is not None
    )
    return Classification(
        is_auto_reply=is_auto_reply,
        is_bounce=is_bounce,
        is_bulk=is_bulk,
        auto_submitted=auto_submitted.strip() if auto_submitted is not None else None,
    )
