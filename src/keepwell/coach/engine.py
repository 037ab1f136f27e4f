"""Reply coach: reviews an agent's draft reply and returns findings. Pure: no Django."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import ModuleType
from zoneinfo import ZoneInfo

from keepwell.coach import rules_en
from keepwell.commitments import promises
from keepwell.commitments.businesstime import (
    BusinessCalendar,
    add_business,
    end_of_business_day,
)

DEAD_END = "dead-end"
VAGUE_PROMISE = "vague-promise"
BLAME = "blame"
PERSONAL_PROBLEMS = "personal-problems"
DECLINE_WITHOUT_ALTERNATIVE = "decline-without-alternative"
UNANSWERED_QUESTION = "unanswered-question"
LENGTH_PREFERENCE = "length-preference"
PROMISE_DETECTED = "promise-detected"
CODES: tuple[str, ...] = (
    DEAD_END,
    VAGUE_PROMISE,
    BLAME,
    PERSONAL_PROBLEMS,
    DECLINE_WITHOUT_ALTERNATIVE,
    UNANSWERED_QUESTION,
    LENGTH_PREFERENCE,
    PROMISE_DETECTED,
)
# Informational codes: not a problem with the reply.
INFORMATIONAL_CODES: frozenset[str] = frozenset({PROMISE_DETECTED})


@dataclass(frozen=True)
class ReviewContext:
    """What the coach knows besides the draft: the conversation, the customer and the clock.

    `prefers` is the customer's detail level ("brief", "standard" or "detailed"); `now` must be
    timezone-aware (the current time if omitted); `alternatives` are offers or partners a
    refusal could suggest instead.
    """

    customer_message: str | None = None
    prefers: str | None = None
    now: datetime | None = None
    calendar: BusinessCalendar | None = None
    alternatives: Sequence[str] = ()
    language: str = "en"


@dataclass(frozen=True)
class Finding:
    """One observation about the reply, with the span it concerns and a suggested fix.

    `start`/`end` index the reply text (an unanswered question has an empty span at the end of
    the reply, where the answer would go); `data` carries code-specific details such as the
    ISO due time of a detected promise.
    """

    code: str
    message: str
    start: int
    end: int
    suggestion: str
    data: dict[str, str] | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence (or a line without end punctuation) and its span in the text."""

    start: int
    end: int
    text: str


_FLAGS = re.IGNORECASE | re.MULTILINE
_CASED = "(?-i:"


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


@dataclass(frozen=True)
class _Text:
    """A text and its lower-case twin with the same offsets; most patterns run on the twin."""

    original: str
    lower: str

    @classmethod
    def of(cls, text: str) -> _Text:
        lower = text.lower()
        if len(lower) != len(text):  # a few characters lower-case to two ("İ")
            lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        return cls(text, lower)

    def masked(self, spans: Iterable[tuple[int, int]]) -> _Text:
        """The same text with the spans blanked out."""
        original, lower = list(self.original), list(self.lower)
        for start, end in spans:
            original[start:end] = lower[start:end] = " " * (end - start)
        return _Text("".join(original), "".join(lower))


class _Matcher:
    """Families of patterns, compiled for speed into one pass over the text.

    Matching without IGNORECASE on a lower-cased twin, and skipping at once the positions where
    no word-initial pattern can start, is several times faster than one case-insensitive
    alternation. The family of each match is found afterwards (matches are rare), so the pass
    needs no groups. The few patterns that need case (names) run on the original text.
    """

    def __init__(self, families: Mapping[str, Sequence[str]]) -> None:
        patterns = [p for family in families.values() for p in family]
        self._plain = self._build([p for p in patterns if _CASED not in p])
        cased = [p for p in patterns if _CASED in p]
        self._cased = _compile(cased) if cased else None
        self._families = (
            [
                (kind, self._build([p for p in family if _CASED not in p]), _compile(family))
                for kind, family in families.items()
            ]
            if len(families) > 1
            else []
        )
        self._only = next(iter(families), "")

    @staticmethod
    def _build(patterns: Sequence[str]) -> re.Pattern[str] | None:
        words = [f"(?:{p})" for p in patterns if p.startswith(r"\b")]
        parts = [f"(?:{p})" for p in patterns if not p.startswith(r"\b")]
        if words:
            # One look-ahead for all word-initial patterns: most positions fail it at once.
            parts.insert(0, r"(?=[\w'£$€])(?:" + "|".join(words) + ")")
        return re.compile("|".join(parts), re.MULTILINE) if parts else None

    @classmethod
    def single(cls, patterns: Sequence[str]) -> _Matcher:
        """A matcher for one family."""
        return cls({"": patterns})

    def finditer(self, text: _Text) -> list[tuple[re.Match[str], str]]:
        """Non-overlapping matches (plain and cased patterns apart), each with its family."""
        found: list[re.Match[str]] = []
        if self._plain is not None:
            found += self._plain.finditer(text.lower)
        if self._cased is not None:
            found += self._cased.finditer(text.original)
            found.sort(key=lambda m: m.start())
        return [(m, self._family(m, text)) for m in found]

    def _family(self, match: re.Match[str], text: _Text) -> str:
        for kind, plain, any_case in self._families:
            if match.string is text.lower:
                if plain is not None and plain.match(text.lower, match.start()):
                    return kind
            elif any_case.match(text.original, match.start()):
                return kind
        return self._only

    def search(self, text: _Text) -> bool:
        """Whether any pattern of the families matches somewhere in the text."""
        if self._plain is not None and self._plain.search(text.lower):
            return True
        return self._cased is not None and self._cased.search(text.original) is not None


class CompiledRules:
    """A language module's patterns, compiled once."""

    def __init__(self, module: ModuleType) -> None:
        self.abbreviations: frozenset[str] = module.ABBREVIATIONS
        self.greeting = re.compile(module.GREETING_LINE, _FLAGS)
        self.sign_off = re.compile(module.SIGN_OFF_LINE, _FLAGS)
        self.generic_closers = _Matcher.single(module.GENERIC_CLOSERS)
        self.next_step = _Matcher.single(module.NEXT_STEP_PATTERNS)
        self.alternative_turn = re.compile(module.ALTERNATIVE_TURN, _FLAGS)
        self.not_an_alternative = re.compile(module.NOT_AN_ALTERNATIVE, _FLAGS)
        self.dead_ends = _Matcher({kind: patterns for kind, patterns, _ in module.DEAD_END_RULES})
        self.dead_end_steps: dict[str, str] = {
            kind: template for kind, _, template in module.DEAD_END_RULES
        }
        self.decline = _Matcher.single(module.DECLINE_PATTERNS)
        self.decline_sentence = _compile(module.DECLINE_SENTENCE_PATTERNS)
        self.decline_guard = re.compile(module.DECLINE_GUARD, _FLAGS)
        self.blame = _Matcher({kind: patterns for kind, patterns, _, _ in module.BLAME_RULES})
        self.blame_advice: dict[str, tuple[str, str]] = {
            kind: (message, suggestion) for kind, _, message, suggestion in module.BLAME_RULES
        }
        self.personal = _Matcher.single(module.PERSONAL_PATTERNS)
        self.quote_start = re.compile(module.QUOTE_START, _FLAGS)
        self.indirect_question = re.compile(module.INDIRECT_QUESTION, _FLAGS)
        self.question_joiner = re.compile(module.QUESTION_JOINER, _FLAGS)
        self.rhetorical = _compile(module.RHETORICAL_QUESTIONS)
        self.interrogative = re.compile(module.INTERROGATIVE, _FLAGS)
        self.question_kinds: dict[str, tuple[re.Pattern[str], re.Pattern[str], bool]] = {
            name: (re.compile(question, _FLAGS), re.compile(cue, _FLAGS), required)
            for name, question, cue, required in module.QUESTION_KINDS
        }
        self.yes_no_question = re.compile(module.YES_NO_QUESTION, _FLAGS)
        self.polarity_start = re.compile(module.POLARITY_START, _FLAGS)
        self.negation = re.compile(module.NEGATION, _FLAGS)
        self.affirmative = re.compile(module.AFFIRMATIVE, _FLAGS)
        self.answers_all = re.compile(module.ANSWERS_ALL, _FLAGS)
        self.courtesy = re.compile(module.COURTESY_CLAUSE, _FLAGS)
        self.clause_break = re.compile(module.CLAUSE_BREAK, _FLAGS)
        self.deferral = _Matcher.single(module.DEFERRAL_PATTERNS)
        self.stopwords: frozenset[str] = module.STOPWORDS
        self.negative_prefixes: tuple[str, ...] = module.NEGATIVE_PREFIXES
        self.stem: Callable[[str], str] = module.stem
        self.synonyms, self.synonym_phrases = _synonym_tables(module.SYNONYMS, self)
        self.vague_time = re.compile(module.VAGUE_TIME_WORDS, _FLAGS)
        self.messages: dict[str, str] = module.MESSAGES
        self.length_preferences: dict[str, tuple[int | None, int | None]] = (
            module.LENGTH_PREFERENCES
        )
        self.length_tolerance: float = module.LENGTH_TOLERANCE
        self.format_due: Callable[[datetime, datetime], str] = module.format_due
        self._terms: dict[str, tuple[str, ...]] = {}

    def token_terms(self, raw: str) -> tuple[str, ...]:
        """The topic terms a lower-case token stands for (none for function words), memoised."""
        cached = self._terms.get(raw)
        if cached is not None:
            return cached
        variants = [raw]
        if "-" in raw and raw not in self.synonyms:
            variants += raw.split("-")  # "gift-wrap" also counts as "gift" and "wrap"
        # "unscented" still answers "scented?".
        variants += [
            raw[len(prefix) :]
            for prefix in self.negative_prefixes
            if raw.startswith(prefix) and len(raw) - len(prefix) >= 5
        ]
        terms = tuple(t for t in (self._term(v) for v in variants) if t)
        if len(self._terms) > 50_000:  # bounded: replies bring new words forever
            self._terms.clear()
        self._terms[raw] = terms
        return terms

    def _term(self, raw: str) -> str:
        token = raw.strip("'-").removesuffix("'s")
        if not token:
            return ""
        stemmed = self.stem(token)
        # Synonyms first: "before" and "after" are function words but answer "early"/"late".
        head = self.synonyms.get(token) or self.synonyms.get(stemmed)
        if head is not None:
            return head
        if token in self.stopwords or (len(token) < 2 and not token.isdigit()):
            return ""
        return stemmed


def _synonym_tables(
    groups: list[list[str]], rules: CompiledRules
) -> tuple[dict[str, str], re.Pattern[str] | None]:
    single: dict[str, str] = {}
    phrases: dict[str, str] = {}
    for group in groups:
        head = group[0]
        for word in group:
            if " " in word:
                phrases[word] = head
            else:
                single[rules.stem(word)] = head
                single[word] = head
    pattern = None
    if phrases:
        joined = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
        # Matched against lower-cased text only.
        pattern = re.compile(rf"(?=[a-z])\b(?:{joined})\b")
    # Phrases are rewritten to a single token before tokenising, so they map like words.
    for phrase, head in phrases.items():
        single[phrase.replace(" ", "_")] = head
    return single, pattern


LANGUAGES: dict[str, CompiledRules] = {"en": CompiledRules(rules_en)}

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
_WORD = re.compile(r"[\w£$€%][\w'&£$€%-]*")
_TOKEN = re.compile(r"[a-z0-9£$€][a-z0-9_'&-]*")


def review(text: str, context: ReviewContext | None = None) -> list[Finding]:
    """Review a draft reply and return findings, ordered by position."""
    ctx = context or ReviewContext()
    rules = LANGUAGES.get(ctx.language)
    if rules is None or not text.strip():
        return []
    norm = text.translate(_QUOTES)
    sentences = split_sentences(norm, rules)
    scans = [_scan(sentence.text, ctx.language) for sentence in sentences]
    now = _now(ctx)
    local_now = _local(now, ctx.calendar)

    concrete = promises.find_promises(norm, now=now, calendar=ctx.calendar)
    vague = [
        v
        for v in promises.find_vague_promises(norm)
        if not any(p.start < v.end and v.start < p.end for p in concrete)
    ]
    commitments = [(p.start, p.end) for p in concrete] + [(v.start, v.end) for v in vague]
    # Whether a next step (or a commitment) appears in each sentence or any later one.
    step_from = [False] * (len(sentences) + 1)
    for index in range(len(sentences) - 1, -1, -1):
        sentence = sentences[index]
        step_from[index] = (
            step_from[index + 1]
            or scans[index].next_step
            or _overlaps(commitments, sentence.start, sentence.end)
        )
    has_dead_end = any(scan.dead_ends for scan in scans)
    has_decline = any(scan.declines for scan in scans)

    findings: list[Finding] = []
    # The suggested follow-up time costs a calendar lookup: only work it out when needed.
    due_phrase = ""
    if has_dead_end or vague:
        due_phrase = rules.format_due(suggest_due(now, ctx.calendar), local_now)
    if has_dead_end and not step_from[0]:
        findings += _dead_ends(sentences, scans, rules, due_phrase)
    if has_decline:
        findings += _declines_without_alternative(norm, sentences, scans, step_from, rules, ctx)
    findings += _blame_and_personal(norm, sentences, scans, rules)
    findings += _promise_findings(concrete, vague, rules, local_now, due_phrase)
    if ctx.customer_message:
        # "I'll find out", "I don't know" and "we can't" all respond to a lone question.
        acknowledged = has_dead_end or has_decline or any(scan.deferral for scan in scans)
        clauses = [clause for scan in scans for clause in scan.clauses]
        findings += _unanswered(
            len(norm),
            clauses,
            ctx.customer_message,
            ctx.language,
            rules,
            acknowledged,
            bool(commitments),
        )
    if ctx.prefers:
        findings += _length(norm, sentences, ctx.prefers, rules)
    findings.sort(key=lambda f: (f.start, f.end, f.code))
    return findings


def split_sentences(text: str, rules: CompiledRules | None = None) -> list[Sentence]:
    """Split text into sentences with spans; lines are boundaries and quoted lines are skipped."""
    abbreviations = (rules or LANGUAGES["en"]).abbreviations
    sentences: list[Sentence] = []
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip() or line.lstrip().startswith(">"):
            continue
        start = 0
        for match in _BOUNDARY.finditer(line):
            before = line[start : match.start()]
            last_word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
            if match.group().startswith(".") and last_word.rstrip(".") in abbreviations:
                continue
            _add_sentence(sentences, line, line_start, start, match.end())
            start = match.end()
        _add_sentence(sentences, line, line_start, start, len(line))
    return sentences


def _add_sentence(out: list[Sentence], line: str, base: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = base + start + lead
    out.append(Sentence(begin, begin + len(stripped), stripped))


def suggest_due(now: datetime, calendar: BusinessCalendar | None = None) -> datetime:
    """A realistic time to promise a follow-up: a few business hours from now, on the hour."""
    cal = calendar if calendar is not None else _standard_calendar(_zone_key(now))
    due = add_business(cal, now, _FOLLOW_UP)
    if due.minute or due.second or due.microsecond:
        due = due.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return min(due, end_of_business_day(cal, due))


# Long enough to find out and write back properly, short enough to land the same working day
# when the reply is written in the morning.
_FOLLOW_UP = timedelta(hours=5)


def _zone_key(moment: datetime) -> str:
    zone = moment.tzinfo
    return zone.key if isinstance(zone, ZoneInfo) else "UTC"


@functools.lru_cache(maxsize=32)
def _standard_calendar(key: str) -> BusinessCalendar:
    return BusinessCalendar.standard(tz=key, opens="09:00", closes="17:00")


def _now(ctx: ReviewContext) -> datetime:
    if ctx.now is not None:
        return ctx.now
    if ctx.calendar is not None:
        return datetime.now(ctx.calendar.zone)
    return datetime.now(UTC)


def _local(now: datetime, calendar: BusinessCalendar | None) -> datetime:
    return now.astimezone(calendar.zone) if calendar is not None else now


# --- per-sentence scan ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    """What the patterns find in one sentence; spans are relative to the sentence.

    Patterns never need to look past a sentence, so each sentence is scanned on its own and the
    result is cached: as an agent types, only the sentence being edited is scanned again.
    """

    dead_ends: tuple[tuple[int, int, str], ...]
    declines: tuple[tuple[int, int], ...]
    blame: tuple[tuple[int, int, str], ...]
    personal: tuple[tuple[int, int], ...]
    next_step: bool
    deferral: bool
    clauses: tuple[_Clause, ...]


@functools.lru_cache(maxsize=8192)
def _scan(sentence: str, language: str) -> _Scan:
    rules = LANGUAGES[language]
    text = _Text.of(sentence)
    question = sentence.endswith("?")
    dead_ends = () if question else _spans(rules.dead_ends.finditer(text))
    declines: list[tuple[int, int]] = []
    if not question:
        for match, _ in rules.decline.finditer(text):
            # A refusal inside a condition is not a refusal ("if we can't fix it, we'll…").
            if not rules.decline_guard.search(sentence, 0, match.start()):
                declines.append(match.span())
        if rules.decline_sentence.fullmatch(sentence):
            declines.append((0, len(sentence)))
    # "Nothing I can do" is a dead end, not a refusal of the request.
    declines = [d for d in declines if not _overlaps([d[:2] for d in dead_ends], *d)]
    # Courtesy closers and the refusals themselves must not count as next steps.
    masked = text.masked(
        [m.span() for m, _ in rules.generic_closers.finditer(text)]
        + [d[:2] for d in dead_ends]
        + declines
    )
    return _Scan(
        dead_ends=dead_ends,
        declines=tuple(declines),
        blame=_spans(rules.blame.finditer(text)),
        personal=tuple((m.start(), m.end()) for m, _ in rules.personal.finditer(text)),
        next_step=rules.next_step.search(masked),
        deferral=rules.deferral.search(masked),
        clauses=_sentence_clauses(sentence, text, rules),
    )


def _spans(matches: Iterable[tuple[re.Match[str], str]]) -> tuple[tuple[int, int, str], ...]:
    return tuple((match.start(), match.end(), kind) for match, kind in matches)


def _overlaps(spans: Iterable[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


# --- dead-end ------------------------------------------------------------------------------------


def _dead_ends(
    sentences: Sequence[Sentence], scans: Sequence[_Scan], rules: CompiledRules, due_phrase: str
) -> list[Finding]:
    return [
        Finding(
            DEAD_END,
            rules.messages[DEAD_END],
            sentence.start,
            sentence.end,
            rules.dead_end_steps[scan.dead_ends[0][2]].format(due=due_phrase),
        )
        for sentence, scan in zip(sentences, scans, strict=True)
        if scan.dead_ends
    ]


# --- decline-without-alternative -----------------------------------------------------------------


def _declines_without_alternative(
    text: str,
    sentences: Sequence[Sentence],
    scans: Sequence[_Scan],
    step_from: Sequence[bool],
    rules: CompiledRules,
    ctx: ReviewContext,
) -> list[Finding]:
    findings: list[Finding] = []
    lowered = text.lower()
    for index, (sentence, scan) in enumerate(zip(sentences, scans, strict=True)):
        if not scan.declines or step_from[index]:
            continue
        end = sentence.start + scan.declines[0][1]
        if _positive_turn(text, end, sentences, index, rules):
            continue
        rest = lowered[sentence.start :]
        if any(alternative.lower() in rest for alternative in ctx.alternatives if alternative):
            continue
        if ctx.alternatives:
            suggestion = rules.messages["decline-suggestion-offer"].format(
                alternative=ctx.alternatives[0]
            )
        else:
            suggestion = rules.messages["decline-suggestion"]
        findings.append(
            Finding(
                DECLINE_WITHOUT_ALTERNATIVE,
                rules.messages[DECLINE_WITHOUT_ALTERNATIVE],
                sentence.start,
                sentence.end,
                suggestion,
            )
        )
    return findings


def _positive_turn(
    text: str, position: int, sentences: Sequence[Sentence], index: int, rules: CompiledRules
) -> bool:
    """A "but …" clause after the refusal that offers something rather than more regret."""
    candidates = [(position, sentences[index].end)]
    if index + 1 < len(sentences):
        following = sentences[index + 1]
        candidates.append((following.start, following.end))
    for start, end in candidates:
        turn = rules.alternative_turn.search(text, start, end)
        if turn is None:
            continue
        clause = text[turn.end() : end]
        # Only the head of the clause decides: "but we can't…" is regret, while "but Sam has a
        # slot on Friday, if a live lesson isn't essential" is an offer.
        head = clause.split(",", 1)[0]
        if len(clause.split()) >= 4 and not rules.not_an_alternative.search(head):
            return True
    return False


# --- blame and personal problems ----------------------------------------------------------------


def _blame_and_personal(
    text: str, sentences: Sequence[Sentence], scans: Sequence[_Scan], rules: CompiledRules
) -> list[Finding]:
    findings: list[Finding] = []
    for sentence, scan in zip(sentences, scans, strict=True):
        if scan.blame:
            start, end, kind = scan.blame[0]
            message, suggestion = rules.blame_advice[kind]
            phrase = sentence.text[start:end]
            findings.append(
                Finding(
                    BLAME, message, sentence.start, sentence.end, suggestion, {"phrase": phrase}
                )
            )
        if scan.personal:
            start, end = scan.personal[0]
            findings.append(
                Finding(
                    PERSONAL_PROBLEMS,
                    rules.messages[PERSONAL_PROBLEMS],
                    sentence.start,
                    sentence.end,
                    rules.messages["personal-suggestion"],
                    {"phrase": sentence.text[start:end]},
                )
            )
    return findings


# --- promises ------------------------------------------------------------------------------------


def _promise_findings(
    concrete: Sequence[promises.Promise],
    vague: Sequence[promises.VaguePromise],
    rules: CompiledRules,
    now: datetime,
    due_phrase: str,
) -> list[Finding]:
    findings = [
        Finding(
            PROMISE_DETECTED,
            rules.messages[PROMISE_DETECTED].format(
                text=p.text, due=rules.format_due(p.due, now).removeprefix("by ")
            ),
            p.start,
            p.end,
            rules.messages["promise-suggestion"],
            {"due": p.due.isoformat(), "time_text": p.time_text},
        )
        for p in concrete
    ]
    for v in vague:
        findings.append(
            Finding(
                VAGUE_PROMISE,
                rules.messages[VAGUE_PROMISE].format(vague=v.vague_text),
                v.start,
                v.end,
                _concrete_rewrite(v.text, v.vague_text, due_phrase, rules),
                {"vague_text": v.vague_text},
            )
        )
    return findings


def _concrete_rewrite(sentence: str, vague_text: str, due_phrase: str, rules: CompiledRules) -> str:
    """The promise with its vague time replaced by a real one (or a real one added)."""
    position = sentence.lower().find(vague_text.lower())
    if position >= 0 and rules.vague_time.fullmatch(vague_text.strip()):
        rewrite = sentence[:position] + due_phrase + sentence[position + len(vague_text) :]
    else:
        body = sentence.rstrip()
        end = len(body.rstrip(".!"))
        rewrite = body[:end] + " " + due_phrase + body[end:]
    rewrite = rewrite.rstrip()
    return rewrite if rewrite.endswith((".", "!", "?")) else rewrite + "."


# --- unanswered-question -------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A question from the customer's message, with its topic words and kinds."""

    text: str
    start: int
    end: int
    terms: frozenset[str]
    kinds: frozenset[str]
    yes_no: bool


@dataclass(frozen=True)
class _Clause:
    text: str
    terms: frozenset[str]


def _prepared(lowered: str, rules: CompiledRules) -> str:
    """Lower-case text with synonym phrases joined into one token ("money_back"), same length."""
    if rules.synonym_phrases is None:
        return lowered
    return rules.synonym_phrases.sub(lambda m: m.group().replace(" ", "_"), lowered)


def _terms(text: str, rules: CompiledRules) -> frozenset[str]:
    """The topic terms of a text: stemmed content words, synonyms mapped to one word."""
    prepared = _prepared(text.lower(), rules)
    return frozenset(t for raw in _TOKEN.findall(prepared) for t in rules.token_terms(raw))


def customer_questions(message: str, language: str = "en") -> list[Question]:
    """The questions in a customer's message (direct and indirect), with their topic words."""
    return list(_customer_questions(message, language))


# The reply box reviews the draft on every pause in typing, against the same customer message.
@functools.lru_cache(maxsize=256)
def _customer_questions(message: str, language: str) -> tuple[Question, ...]:
    rules = LANGUAGES[language]
    message = message.translate(_QUOTES)
    quote = rules.quote_start.search(message)
    if quote is not None:
        message = message[: quote.start()]
    questions: list[Question] = []
    previous: Sentence | None = None
    for sentence in split_sentences(message, rules):
        indirect = rules.indirect_question.search(sentence.text)
        if "?" in sentence.text or indirect:
            questions += _split_question(sentence, previous, indirect is not None, rules)
        previous = sentence
    return tuple(questions)


def _split_question(
    sentence: Sentence, previous: Sentence | None, indirect: bool, rules: CompiledRules
) -> list[Question]:
    out: list[Question] = []
    cursor = 0
    pieces: list[tuple[int, int]] = []
    for joiner in rules.question_joiner.finditer(sentence.text):
        pieces.append((cursor, joiner.start()))
        cursor = joiner.end()
    pieces.append((cursor, len(sentence.text)))
    for start, end in pieces:
        piece = sentence.text[start:end]
        if not piece.strip() or rules.rhetorical.search(piece):
            continue
        asked = rules.indirect_question.sub(" ", piece)
        # The question proper starts at its last interrogative opening; what comes before it
        # is background ("I bought it by mistake, can I get a refund?").
        openings = list(rules.interrogative.finditer(asked))
        if not openings and not indirect:
            continue  # "I think you sent the wrong one?" states rather than asks
        clause = asked[openings[-1].start() :] if openings else asked
        terms = _terms(clause, rules)
        if len(terms) <= 1:
            # "What happened?" takes its topic from what comes before it.
            terms |= _terms(asked[: len(asked) - len(clause)], rules)
            if previous is not None:
                terms |= _terms(previous.text, rules)
        if not terms:
            continue
        asked_part = clause if openings else piece
        kinds = frozenset(
            name for name, kind in rules.question_kinds.items() if kind[0].search(asked_part)
        )
        out.append(
            Question(
                piece.strip(),
                sentence.start + start,
                sentence.start + end,
                terms,
                kinds,
                rules.yes_no_question.search(clause) is not None,
            )
        )
    return out


def _sentence_clauses(sentence: str, text: _Text, rules: CompiledRules) -> tuple[_Clause, ...]:
    # Tokenise the sentence once and hand each clause the tokens inside its span.
    tokens = list(_TOKEN.finditer(_prepared(text.lower, rules)))
    starts = [t.start() for t in tokens]
    cuts = [0]
    for brk in rules.clause_break.finditer(sentence):
        cuts += [brk.start(), brk.end()]
    cuts.append(len(sentence))
    clauses: list[_Clause] = []
    for start, end in zip(cuts[::2], cuts[1::2], strict=True):
        piece = sentence[start:end].strip()
        if not piece:
            continue
        first, last = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        terms = frozenset(
            t for token in tokens[first:last] for t in rules.token_terms(token.group())
        )
        clauses.append(_Clause(piece, terms))
    return tuple(clauses)


def _unanswered(
    length: int,
    clauses: Sequence[_Clause],
    customer_message: str,
    language: str,
    rules: CompiledRules,
    acknowledged: bool,
    promised: bool,
) -> list[Finding]:
    questions = _customer_questions(customer_message, language)
    if not questions:
        return []
    reply_terms = frozenset().union(*(c.terms for c in clauses))
    single = len(questions) == 1
    first_yes_no = next((q for q in questions if q.yes_no), None)
    opening = next((c for c in clauses if c.terms and not rules.courtesy.search(c.text)), None)
    answers_all = any(rules.answers_all.search(c.text) for c in clauses[:2])
    findings: list[Finding] = []
    for question in questions:
        others = frozenset().union(*(q.terms for q in questions if q is not question))
        distinctive = question.terms - others or question.terms
        # Clauses that plainly answer another question cannot answer this one.
        own = [
            c for c in clauses if c.terms & distinctive or not c.terms & (others - question.terms)
        ]
        if _answered(question, distinctive, reply_terms, own, single, rules):
            continue
        if question.yes_no and answers_all:
            continue
        # Replies answer the first question first: an opening that starts with yes or no, or
        # that talks about the first question's topic, answers it.
        if opening is not None and opening in own:
            if not single and question is questions[0] and opening.terms & distinctive:
                continue
            if question is first_yes_no and rules.polarity_start.search(opening.text):
                continue
        if single and acknowledged:
            continue
        # A "when" answered with a promise, even a vague one, is answered (vaguely or not).
        if "time" in question.kinds and promised:
            continue
        findings.append(
            Finding(
                UNANSWERED_QUESTION,
                rules.messages[UNANSWERED_QUESTION].format(question=question.text),
                length,
                length,
                rules.messages["unanswered-suggestion"].format(question=question.text),
                {
                    "question": question.text,
                    "question_start": str(question.start),
                    "question_end": str(question.end),
                },
            )
        )
    return findings


def _answered(
    question: Question,
    distinctive: frozenset[str],
    reply_terms: frozenset[str],
    own: Sequence[_Clause],
    single: bool,
    rules: CompiledRules,
) -> bool:
    own_text = "\n".join(c.text for c in own)
    for name in question.kinds:
        if rules.question_kinds[name][1].search(own_text):
            return True
    required = any(rules.question_kinds[name][2] for name in question.kinds)
    if not required:
        shared = distinctive & reply_terms
        ratio = len(shared) / len(distinctive)
        # A yes-or-no question is about its predicate: repeating its subject is not an answer.
        if ratio > 0.5 or (not question.yes_no and ratio >= 0.5 and len(shared) >= 2):
            return True
    if question.yes_no:
        for clause in own:
            if single and (
                rules.polarity_start.search(clause.text) or rules.affirmative.search(clause.text)
            ):
                return True
            if clause.terms & distinctive and (
                rules.polarity_start.search(clause.text)
                or rules.negation.search(clause.text)
                or rules.affirmative.search(clause.text)
            ):
                return True
    return False


# --- length-preference ---------------------------------------------------------------------------


def count_words(text: str, rules: CompiledRules | None = None) -> int:
    """Words in the body of a reply, leaving out a greeting line and the sign-off."""
    rules = rules or LANGUAGES["en"]
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and rules.greeting.match(lines[0]) and len(lines) > 1:
        lines = lines[1:]
    for index, line in enumerate(lines):
        if index > 0 and rules.sign_off.match(line):
            lines = lines[:index]
            break
    return sum(len(_WORD.findall(line)) for line in lines)


def _length(
    text: str, sentences: Sequence[Sentence], prefers: str, rules: CompiledRules
) -> list[Finding]:
    bounds = rules.length_preferences.get(prefers)
    if bounds is None or not sentences:
        return []
    low, high = bounds
    words = count_words(text, rules)
    start, end = sentences[0].start, sentences[-1].end
    if high is not None and words > high * rules.length_tolerance:
        key = "length-long"
        limit = high
    elif low is not None and words < low / rules.length_tolerance:
        key = "length-short"
        limit = low
    else:
        return []
    return [
        Finding(
            LENGTH_PREFERENCE,
            rules.messages[key].format(level=prefers, words=words, limit=limit),
            start,
            end,
            rules.messages[key + "-suggestion"].format(level=prefers, words=words, limit=limit),
            {"words": str(words), "prefers": prefers, "limit": str(limit)},
        )
    ]
