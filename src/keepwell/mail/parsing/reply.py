"""Telling the new text of a reply from quoted history, forwarded headers and signatures.

Every line is classified (empty, quoted, delimiter, mobile signature, attribution marker,
header block, text); the reply is then cut at the first delimiter and at the first embedded
message, keeping inline answers between quotes. Attribution lines ("On ... wrote:") are also
recognised with the multilingual patterns of mail-parser-reply. Lines are never re-indented,
so formatting survives.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mailparser_reply.constants import MAIL_LANGUAGES

MAX_LINES = 3000
_MAX_MARKER_CHARS = 400
_MAX_MARKER_LINES = 5
_MAX_DEPTH = 4
# A text tail shorter than this after a quote is a sign-off, not an inline answer.
_SHORT_TAIL = 7
# Lines of a closing "Thanks,\nJane" paragraph are at most this long.
_MAX_SIGNOFF_CHARS = 30

EMPTY, QUOTE, DELIMITER, SIGNATURE, MARKER, TEXT = "e", "q", "d", "s", "m", "t"

_QUOTE = re.compile(r"^[ \t]*(?:>|[A-Za-z]{1,10}>(?=[ \t]|$))")
_DELIMITER = re.compile(r"^[ \t]*(?:(?:[-_=+~#*][ \t]*){2,}|[—ᐧ])[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)")
_SIG_DASH = re.compile(r"^-[^\W\d_][\w.' ]{0,40}$")

_SEPARATOR_PHRASES = (
    r"original message|original nachricht|urspr(?:ü|ue)ngliche nachricht|originalnachricht|"
    r"message d'origine|message original|mensaje original|messaggio originale|"
    r"oorspronkelijk bericht|origineel bericht|oprindelig meddelelse|opprinnelig melding|"
    r"ursprungligt meddelande|alkuperäinen viesti|wiadomość oryginalna|oryginalna wiadomość|"
    r"původní zpráva|pôvodná správa|исходное сообщение|eredeti üzenet|mensagem original|"
    r"αρχικό μήνυμα|orijinal mesaj|原始邮件|原始郵件|元のメッセージ|"
    r"forwarded message|forwarded by .{1,80}|weitergeleitete nachricht|message transféré|"
    r"message transmis|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|"
    r"videresendt (?:meddelelse|melding)|vidarebefordrat meddelande|przekazana wiadomość|"
    r"wiadomość przekazana|přeposlaná zpráva|пересылаемое сообщение|переслане повідомлення|"
    r"továbbított üzenet|mensagem encaminhada|转发的邮件|転送されたメッセージ|"
    r"reply message|reply separator|begin forwarded message|"
    r"anfang der weitergeleiteten nachricht|début du message (?:réexpédié|transféré)|"
    r"inicio del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht"
)
# Applied to stripped lines only: leading and trailing whitespace runs next to the decoration
# classes would make the matching quadratic.
_SEPARATOR = re.compile(rf"^[-_=*<>\[ ]*(?:{_SEPARATOR_PHRASES})[-_=*<>\] ]*[:：]?$", re.I)
_MAX_SEPARATOR_CHARS = 100

_FROM_NAMES = (
    r"from|von|de|da|van|från|fra|od|от|від|feladó|kimden|apo|发件人|寄件者|差出人|보낸 사람"
)
_OTHER_NAMES = (
    r"sent|to|cc|bcc|subject|date|reply-to|organi[sz]ation|gesendet|an|betreff|datum|kopie|"
    r"antwort an|envoyé|à|a|objet|para|enviado|asunto|fecha|inviato|oggetto|data|risposta|"
    r"verzonden|aan|onderwerp|skickat|till|ämne|kopia|sendt|til|emne|kopi|wysłano|do|temat|"
    r"dw|odesláno|komu|předmět|kopie|отправлено|кому|тема|дата|копия|надіслано|elküldve|"
    r"címzett|tárgy|gönderildi|kime|konu|发送时间|收件人|主题|抄送|日期|寄件日期|收件者|主旨|"
    r"送信日時|宛先|件名|받는 사람|제목|보낸 날짜"
)
_HEADER_LINE = re.compile(
    rf"^[ \t]*[*_]{{0,2}}(?:(?P<from>{_FROM_NAMES})|(?P<other>{_OTHER_NAMES}))"
    r"[*_]{0,2}[ \t]*[:：]",
    re.I,
)

_VERBS = re.compile(
    r"\b(?:wrote|writes|has written|schrieb|geschrieben|a écrit|écrit|escribió|escreveu|"
    r"ha scritto|scrisse|schreef|geschreven|skrev|kirjoitti|napisał|napisała|napsal|"
    r"написал|написала|написав|пише|írta|yazdı|έγραψε|napisao|je napisal|rašė|rakstīja|"
    r"kirjutas|a scris|pisze|menulis|ha escrit|đã viết)|"
    r"写道|寫道|書きました|のメッセージ|님이 작성",
    re.I,
)
_DATE = re.compile(
    r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[:.]\d{2}\b|\d{1,2}\.?\s+\w{3,}\.?,?\s+\d{2,4}|"
    r"\b\w{3,}\.?\s+\d{1,2},?\s+\d{4}|\d{4}年"
)
_EMAIL = re.compile(r"[^\s@<>()\"]+@[^\s@<>()\"]+")

# Applied to stripped lines of at most _MAX_SIGNATURE_CHARS characters.
_MAX_SIGNATURE_CHARS = 120
_MOBILE_SIGNATURE = re.compile(
    r"""^[(<\[]*[ \t]?(?:
      (?:sent|envoyé|enviado|inviato|gesendet|verzonden|verstuurd|skickat|sendt|lähetetty|
         wysłane|wysłano|odesláno|отправлено|надіслано)
        [ \t]+(?:from|with|via|using|by|depuis|de|avec|desde|con|do|da|dal|von|vom|mit|aus|
               vanaf|van|met|från|med|fra|z|ze|с|з)\b
        (?:[ \t]+\S+){1,6}?
        (?:[.,!]?[ \t]*(?:please[ \t]+)?(?:excuse|pardon|sorry|apologies)\b.{0,60})?
    | (?:get|download)[ \t]+\[?outlook[ \t]+for[ \t]+\S{1,80}
    | von[ \t]+meinem[ \t]+.{1,50}?[ \t]+gesendet
    | diese[ \t]+nachricht[ \t]+wurde[ \t]+von[ \t]+meinem[ \t]+.{1,60}?[ \t]+gesendet
    | (?:\S{1,30}[ \t]+)?from[ \t]+(?:my[ \t]+)?(?:mobile|phone|iphone|ipad|android|blackberry|cell)
        (?:[ \t]+\S+){0,2}
    | (?:從|从)我的[ \t]*.{1,20}?[ \t]*(?:傳送|发送)
    | .{1,20}から送信
    )[.!]?[)>\]]*$""",
    re.I | re.X,
)


@lru_cache(maxsize=1)
def _language_patterns() -> tuple[re.Pattern[str], ...]:
    patterns = []
    for rules in MAIL_LANGUAGES.values():
        source = rules.get("wrote_header")
        if isinstance(source, str) and source:
            patterns.append(re.compile(source, re.I))
    return tuple(patterns)


def _is_quote(line: str) -> bool:
    return bool(_QUOTE.match(line))


def _ends_like_marker(line: str) -> bool:
    return line.rstrip().endswith((":", "：", ">", "--"))


class _Lines:
    """Lines with per-line facts computed once (a line is tested for many joined spans)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._facts: dict[int, tuple[bool, bool, bool]] = {}

    def facts(self, index: int) -> tuple[bool, bool, bool]:
        """(mentions a date, has an address, has a "wrote" verb) for one line."""
        found = self._facts.get(index)
        if found is None:
            line = self.lines[index]
            found = (bool(_DATE.search(line)), bool(_EMAIL.search(line)), bool(_VERBS.search(line)))
            self._facts[index] = found
        return found


def _is_attribution(text: _Lines, first: int, end: int, quote_follows: bool) -> bool:
    """Decide whether lines first..end, joined, introduce an embedded or quoted message."""
    facts = [text.facts(i) for i in range(first, end + 1)]
    dated = any(f[0] for f in facts)
    email = any(f[1] for f in facts)
    verb = any(f[2] for f in facts)
    last = text.lines[end].rstrip()
    ends_colon = last.endswith((":", "："))
    if verb and (ends_colon or last.endswith("--")) and (dated or email):
        return True
    if ends_colon:
        joined = " ".join(part.strip() for part in text.lines[first : end + 1] if part.strip())
        # mail-parser-reply's patterns all need a verb, except the Japanese date form; they
        # also backtrack quadratically, so long lines are not offered.
        if (
            (verb or "年" in joined)
            and len(joined) <= 250
            and any(p.match(joined) for p in _language_patterns())
        ):
            return True
    if not quote_follows:
        return False
    if verb and ends_colon:
        return True
    return dated and email and last.endswith((":", "：", ">"))


def _header_block_end(lines: list[str], kinds: list[str], start: int) -> int | None:
    """If a block of forwarded-message headers starts at ``start``, return its last line."""
    names: set[str] = set()
    has_from = False
    end = None
    index = start
    continuation = 0
    if not _HEADER_LINE.match(lines[start]):
        return None
    while index < len(lines) and index < start + 12:
        if kinds[index] in (QUOTE, DELIMITER):
            break
        line = lines[index]
        match = _HEADER_LINE.match(line)
        if match:
            name = (match.group("from") or match.group("other") or "").lower()
            has_from = has_from or bool(match.group("from"))
            names.add(name)
            end = index
            continuation = 0
        elif line.strip() and end is not None and continuation < 2:
            continuation += 1
            end = index
        else:
            break
        index += 1
    if end is not None and has_from and len(names) >= 3:
        return end
    return None


def _classify(lines: list[str]) -> tuple[list[str], list[tuple[int, int]]]:
    """Classify lines; return the kinds and the (start, end) spans of embedded-message markers."""
    kinds: list[str] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
            kinds.append(TEXT)
        elif fenced:
            kinds.append(TEXT)
        elif not line.strip():
            kinds.append(EMPTY)
        elif _is_quote(line):
            kinds.append(QUOTE)
        elif _DELIMITER.match(line):
            kinds.append(DELIMITER)
        elif len(line) <= _MAX_SIGNATURE_CHARS and _MOBILE_SIGNATURE.match(line.strip()):
            kinds.append(SIGNATURE)
        else:
            kinds.append(TEXT)
    spans: list[tuple[int, int]] = []
    last_end = -1
    text = _Lines(lines)
    for index in range(len(lines)):
        if index <= last_end or kinds[index] in (EMPTY, DELIMITER, SIGNATURE):
            continue
        span = _marker_at(text, kinds, index, last_end + 1)
        if span is None:
            continue
        first, end = span
        following = end + 1
        if following < len(lines) and not lines[following].strip():
            following += 1
        block_end = _header_block_end(lines, kinds, following) if following < len(lines) else None
        end = block_end if block_end is not None else end
        spans.append((first, end))
        for position in range(first, end + 1):
            kinds[position] = MARKER
        last_end = end
    return kinds, spans


def _next_is_quote(lines: list[str], kinds: list[str], after: int) -> bool:
    for index in range(after + 1, min(len(lines), after + 4)):
        if kinds[index] != EMPTY:
            return kinds[index] == QUOTE or lines[index].lstrip().startswith("|")
    return False


def _marker_at(text: _Lines, kinds: list[str], end: int, floor: int) -> tuple[int, int] | None:
    """The span of an embedded-message marker whose last line is ``end``, if there is one."""
    lines = text.lines
    line = lines[end]
    if len(line) > _MAX_MARKER_CHARS:
        return None
    if kinds[end] == TEXT:
        stripped = line.strip()
        if len(stripped) <= _MAX_SEPARATOR_CHARS and _SEPARATOR.match(stripped):
            return end, end
        block_end = _header_block_end(lines, kinds, end)
        if block_end is not None:
            return end, block_end
    if not _ends_like_marker(line):
        return None
    if kinds[end] == QUOTE and len(line.strip()) > 12:
        return None
    quote_follows = _next_is_quote(lines, kinds, end)
    if not quote_follows and not line.rstrip().endswith((":", "：", "--")):
        return None  # only a following quote makes a line ending in ">" an attribution
    for first in range(max(floor, end - _MAX_MARKER_LINES + 1), end + 1):
        if kinds[first] != TEXT or len(lines[first]) > _MAX_MARKER_CHARS:
            continue
        dated, email, _verb = text.facts(first)
        if not (dated or email) or not _joinable(lines, kinds, first, end):
            continue
        if sum(len(part) for part in lines[first : end + 1]) > _MAX_MARKER_CHARS:
            continue
        if _is_attribution(text, first, end, quote_follows):
            return first, end
    return None


_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|[!?:：…])$")


def _joinable(lines: list[str], kinds: list[str], first: int, end: int) -> bool:
    """Whether lines first..end can be one attribution broken over several lines."""
    for index in range(first, end):
        line = lines[index].rstrip()
        if kinds[index] in (QUOTE, DELIMITER, SIGNATURE):
            return False
        if not line:
            if not lines[index + 1].lstrip().startswith("<"):
                return False
            continue
        if _SENTENCE_END.search(line):
            return False
    return True


def _has_text(kinds: list[str]) -> bool:
    return any(kind in (TEXT, QUOTE) for kind in kinds)


def _runs(kinds: list[str]) -> list[str]:
    """Collapse kinds to the sequence of quote/text runs, ignoring empty and signature lines."""
    runs: list[str] = []
    for kind in kinds:
        if kind in (QUOTE, TEXT) and (not runs or runs[-1] != kind):
            runs.append(kind)
    return runs


def _extract(lines: list[str], depth: int) -> list[str]:
    kinds, spans = _classify(lines)
    if DELIMITER in kinds:
        cut = kinds.index(DELIMITER)
        lines, kinds = lines[:cut], kinds[:cut]
        spans = [span for span in spans if span[0] < cut]
    if not spans:
        return _finish(lines, kinds)
    start, end = spans[0]
    before_lines, before_kinds = lines[:start], kinds[:start]
    after_lines, after_kinds = lines[end + 1 :], kinds[end + 1 :]
    next_span = next((s for s in spans[1:]), None)
    if next_span is not None:
        stop = next_span[0] - end - 1
        after_lines, after_kinds = after_lines[:stop], after_kinds[:stop]
    runs = _runs(after_kinds)
    if _has_text(before_kinds):
        tail = sum(1 for kind in after_kinds if kind == TEXT)
        inline = QUOTE in runs and TEXT in runs[runs.index(QUOTE) :]
        if inline and (runs.count(QUOTE) > 1 or tail >= _SHORT_TAIL):
            return _finish(before_lines + after_lines, before_kinds + after_kinds)
        return _finish(before_lines, before_kinds)
    # Nothing above the marker: a bottom-posted reply, an inline answer or a forward.
    if runs == [QUOTE, TEXT]:
        first_text = after_kinds.index(TEXT)
        return _finish(after_lines[first_text:], after_kinds[first_text:])
    if QUOTE in runs and TEXT in runs:
        return _finish(after_lines, after_kinds)
    if QUOTE not in runs and depth < _MAX_DEPTH:
        return _extract(lines[end + 1 :], depth + 1)
    return []


def _finish(lines: list[str], kinds: list[str]) -> list[str]:
    kept = [(line, kind) for line, kind in zip(lines, kinds, strict=True) if kind != SIGNATURE]
    kept = [(line, kind) for line, kind in kept if kind != MARKER]
    # A quote that ends the message after some text is the history being answered.
    last = len(kept)
    while last > 0 and kept[last - 1][1] in (QUOTE, EMPTY):
        last -= 1
    if any(kind == TEXT for _, kind in kept[:last]):
        kept = kept[:last]
    out = [line for line, _ in kept]
    _drop_dash_signature(out)
    while out and not out[-1].strip():
        out.pop()
    while out and not out[0].strip():
        out.pop(0)
    return out


def _last_paragraph(lines: list[str]) -> tuple[int, int]:
    end = len(lines)
    while end > 0 and not lines[end - 1].strip():
        end -= 1
    start = end
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return start, end


def _drop_dash_signature(lines: list[str]) -> None:
    """Remove a closing "-Name" paragraph (a sign-off, not a list item: no space after "-")."""
    start, end = _last_paragraph(lines)
    if 0 < start < end and end - start <= 3 and _SIG_DASH.match(lines[start].strip()):
        del lines[start:]


def _name_key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _drop_name_signoff(lines: list[str], names: list[str]) -> None:
    """Remove a closing paragraph of short lines, one of which is just the sender's name."""
    keys = {_name_key(name) for name in names} - {""}
    start, end = _last_paragraph(lines)
    if not keys or not 0 < start < end or end - start > 3:
        return
    paragraph = lines[start:end]
    if all(len(line.strip()) <= _MAX_SIGNOFF_CHARS for line in paragraph) and any(
        _name_key(line) in keys for line in paragraph
    ):
        del lines[start:]


def extract_reply(text: str, sender_names: list[str] | None = None) -> str:
    """Return the new text of a reply: no quoted history, forwarded headers or signature.

    ``sender_names`` (e.g. "Jane Doe", "Jane") let a closing "Thanks,\\nJane" go as well.
    """
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = normalized.split("\n")
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
    result = _extract(lines, 0)
    if sender_names:
        _drop_name_signoff(result, sender_names)
    # Trailing blanks are invisible and differ between mail programs.
    reply = "\n".join(line.rstrip() for line in result).rstrip()
    if reply.strip():
        return reply
    return normalized.strip()
