"""Promises in an agent's reply: commitments with a concrete time, and vague ones without.

A pure module (no Django). `find_promises` returns each commitment to future action by our side
that carries a concrete time, with its due time; `find_vague_promises` returns commitments whose
time is vague ("soon", "ASAP", "in due course") or missing ("I'll let you know", "someone will
call you"). `parse_due` turns one time expression into a due time.

What counts as a promise. A clause where we (I, we, a named colleague, "our team", or the thing
we send: "your refund will be processed") commit to a future action, or where the customer is
told what they will receive ("you'll have the invoice by Friday", "expect a reply by 3pm").
Not promises: questions ("Could you send it by Friday?", "Shall I call you at 3?"), statements
of state ("we are open until 5pm", "I'll be out of the office until Monday"), past events
("your order was placed on Monday"), and commitments that depend on the customer acting first
("If you send it back by Friday, we'll refund you", "Reply with the code and I'll reissue it").
Times inside "if", "because" or "which" clauses never become due times; in a "once" or "when"
clause after the pledge only a "by" deadline does ("I'll confirm once it's done by Thursday").

Vague promises. A pledge is vague when its clause has a vague time word ("soon", "ASAP",
"shortly", "in due course", "at some point") or a vague follow-up ("I'll let you know", "we'll
be in touch", "I'll look into it") and no concrete time, or when a pledge to act ("I'll send a
replacement", "someone will call you") has no time at all (reported once per sentence, with the
pledge as `vague_text`). Not vague: pledges that wait on the customer or on a hypothetical ("if
that changes"), and ones tied to an event ("the same day I get it", "now").

How times are read (all in the calendar's time zone, relative to `now`). Due times are
deadlines: the latest moment that still keeps the promise.

- A time of day ("by 3pm", "at 10:30", "noon") with no day is today if still ahead, else the
  same time on the next business day ("by 3pm" said at 4pm on a Friday is Monday 15:00).
- A weekday ("Friday", "by Friday 3pm") is the next such day after today, never today itself
  ("this Friday" said on a Friday is today). "Next Friday" is the Friday of next week (the week
  starting next Monday); "Tuesday next week" likewise.
- A day with no time ("tomorrow", "on Friday", "3 June") is due at that day's closing time; a
  day without opening hours uses the calendar's usual closing time. "Today" after closing time
  is 23:59 today.
- Parts of the day are deadlines at their end: morning 12:00, afternoon 17:00, evening and
  tonight 21:00, night 23:00; noon, midday and lunchtime 12:00; midnight is 24:00. Without a day
  they mean today if still ahead, else the next business day. "First thing" is one business
  hour after opening.
- Bare hours are read as business hours: "at 3" is 15:00, "at 10" is 10:00 (1 to 7 mean pm).
- End of day (EOD, COB, close of business, end of play) is the closing time of the business day
  (of the next one if already closed); with a day ("Friday EOD") that day's closing time.
- "Within/in N minutes/hours" is now plus that much real time; "N business/working hours"
  counts open time. "Within N business days" is the closing time of the N-th business day after
  today; "in N days/weeks" is the closing time of the date N days/weeks ahead. Ranges
  ("2-3 business days", "between 10am and 2pm") use their end. "Within the hour" is now + 1h.
- "This week", "end of the week", "by the weekend": closing time of the week's last business
  day (of next week's once that has passed). "Next week", "end of next week": last business
  day of next week; "early next week": its second business day. "End of the month": last
  business day of the month. "The next business day": its closing time.
- Explicit dates ("3 June", "June 3rd", "15/06") are read by dateparser in the calendar's date
  order (month first for US-style countries, else day first), preferring the future; "the
  14th" is the next 14th; "a week on Friday" and "Friday week" are a week after that Friday.
- `find_promises` keeps only promises whose due time is after `now`. `parse_due` hands what
  the grammar cannot read to dateparser and treats the answer as a date unless a clock time was
  written ("3 weeks from now" is that day's closing time).

Speed: dateparser is called only on an extracted date, cached per (date text, today); the text
analysis (which does not depend on `now`) is cached per text, so the coach can call both finders
on the same reply for the price of one.

Without a calendar, a Monday-to-Friday 09:00-17:00 calendar with no holidays is assumed, in the
time zone of `now` (a fixed whole-hour offset becomes the matching Etc/GMT zone; any other
offset, UTC).

The words and patterns of a language live in one `PhraseBook` value (`ENGLISH` below); another
language is another `PhraseBook` passed as `language=`, with the same group names.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import dateparser

from keepwell.commitments.businesstime import (
    BusinessCalendar,
    add_business,
    add_business_days,
    end_of_business_day,
    local_datetime,
    next_business_day,
    opening_hours,
)

__all__ = [
    "ENGLISH",
    "PhraseBook",
    "Promise",
    "VaguePromise",
    "find_promises",
    "find_vague_promises",
    "parse_due",
]


@dataclass(frozen=True)
class Promise:
    """A commitment with a concrete time; `start`/`end` span the promise clause in the text."""

    start: int
    end: int
    text: str
    time_text: str
    due: datetime


@dataclass(frozen=True)
class VaguePromise:
    """A commitment with a vague time or none; `vague_text` is the vague words or the pledge."""

    start: int
    end: int
    text: str
    vague_text: str


# --------------------------------------------------------------------------------------------
# Language data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PhraseBook:
    """Everything language-specific the promise finder uses: word tables and regex sources.

    Regexes are compiled case-insensitive and verbose. The resolver relies on the named groups
    of `time_tokens` (past, dur, dur_n, dur_n2, dur_biz, dur_unit, hour, nbd, eow, eow_next,
    eow_early, eow_next_week, eom, eom_next, eod, first, relday, weekday, wd_week, wd_mod,
    wd_name, wd_dom, wd_week_after, date, ordinal, ord_n, time, t_h, t_m, t_ap, t_h2, t_m2,
    t_named, t_h3, t_m3, t_h4, t_hp, part, part_this, part_pre, part_name) and of `commitments`
    (fp, fp_verb, you, prog, letme, expect, agent, agent_pronoun, agent_verb, sched, tp,
    tp_passive). Triggers list every word that can start a match of their pattern: the finders
    only try the pattern there.
    """

    dateparser_language: str
    month_first_countries: frozenset[str]
    numbers: Mapping[str, float]
    weekdays: Mapping[str, int]
    week_modifiers: Mapping[str, str]  # word -> "this" | "next" | "coming"
    relative_days: Mapping[str, tuple[int, str | None]]  # word -> (days ahead, implied part)
    day_parts: Mapping[str, int]  # part of day -> deadline, seconds after midnight
    pm_parts: frozenset[str]
    named_times: Mapping[str, int]
    units: Mapping[str, str]  # word -> minutes | hours | days | weeks
    pm_markers: frozenset[str]  # "pm" once dots and spaces are removed
    bare_hour_pm_below: int  # bare hours under this are afternoon ("at 3" = 15:00)
    time_tokens: str
    time_triggers: frozenset[str]  # every word that can start a time token (numbers always can)
    deadline_prepositions: str  # alternation; before a time, it stays a deadline ("by")
    excluding_prepositions: str  # alternation; before a time, it is no deadline ("until")
    glue: str  # what may stand between two parts of one time expression
    range_glue: str  # between two times of one range
    needs_preposition: frozenset[str]  # token kinds that only count after a preposition
    limit_prepositions: str  # alternation; prepositions that set a limit ("by", "before")
    availability: str  # before "from"/"after": the time is when something becomes ready
    commitments: str
    commitment_triggers: frozenset[str]  # every word that can start a pledge
    untimed_exempt_verbs: frozenset[str]  # pledges too weak or immediate to call vague
    vague_times: str
    vague_time_triggers: frozenset[str]
    vague_actions: str
    vague_action_triggers: frozenset[str]
    conditions: str  # starts a clause whose times are not ours ("if", "once", "which")
    temporal_conditions: str  # conditions after which a "by" deadline still binds the pledge
    subordinators: str  # alternation; a verb right after one is the condition's, not a pledge
    service_verbs: str  # what a colleague "will" do that makes a pledge
    hypothetical: str  # before an untimed pledge: it may never be needed ("if that changes")
    customer_conditions: str  # before a pledge: it waits for the customer to act ("if you")
    customer_requests: str  # "Send me the code and I'll": searched when "and" leads the pledge
    trailing_customer_conditions: str
    request_question: str  # a question asking the customer for something (matched at start)
    event_relative: str  # "the same day I get it": concrete, though not a clock time
    interrogatives: str  # clause openings that make a "?" sentence a question (matched)
    clause_boundary: str
    leading_connectives: str  # stripped from the start of a returned clause (matched)
    abbreviations: frozenset[str]
    request_join: str  # before a pledge: joins a request to it ("Send it and I'll")
    result_clause: str  # before a scheduled verb: a consequence, not a pledge ("so it ships")
    promise_joins: str  # between two timed pledges: where the second one starts
    customer_subject: str  # right before "will": the customer is the one acting
    thing_subject: str  # right before "will": a thing, so an untimed verb describes it
    imperative_start: str  # before "expect": the clause starts there


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


_MAY_AS_VERB = (
    r"(?!\s+(?:be|have|take|not|need|want|also|get|help|arrive|vary|differ|apply|cause|still"
    r"|well|require|include|ask|see|find|feel|notice|experience|contain|come|show|look)\b)"
)
_MONTH = (
    r"(?:january|february|march|april|may" + _MAY_AS_VERB + r"|june|july|august|september"
    r"|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_ORDINAL_NOUNS = (
    r"(?!\s+(?:times?|attempts?|try|floor|items?|one|place|step|line|page|person|call|email"
    r"|message|reply|order|box|class|session|day|week|month|year|anniversary|birthday"
    r"|instal?ments?|payments?|edition|version|time)\b)"
)
_DAYNAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues|weds|thurs)"
_NUMBER_WORDS = {
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
    "fifteen": 15.0,
    "twenty": 20.0,
    "thirty": 30.0,
    "forty five": 45.0,
    "twenty four": 24.0,
    "forty eight": 48.0,
    "seventy two": 72.0,
    "a couple of": 2.0,
    "a couple": 2.0,
    "couple of": 2.0,
    "half an": 0.5,
    "half a": 0.5,
}
_NUM = (
    r"(?:\d{1,3}(?:\.5)?|"
    + "|".join(
        re.escape(word).replace(r"\ ", r"[\s-]+")
        for word in sorted(_NUMBER_WORDS, key=len, reverse=True)
    )
    + ")"
)
_HOUR_WORD = r"(?:1[0-2]|[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_AT = r"(?:(?<=\bat\s)|(?<=\bby\s)|(?<=\bbefore\s)|(?<=\baround\s)|(?<=\babout\s))"
_AFTER_BARE_HOUR = (
    r"(?=\s*(?:$|[,.;!?)\n]|o'?clock|sharp|today|tomorrow|tonight|this\b|on\b|in\s+the\b"
    r"|at\s+the\s+latest|latest|and\b|or\b|" + _DAYNAME + r"))"
)

_TIME_TOKENS = rf"""
  (?P<past>\byesterday\b|\blast\s+(?:night|week|month|year|time|{_DAYNAME})\b
      |\bago\b|\bearlier\s+(?:today|this\s+\w+|on)\b|\bthe\s+other\s+day\b)
| (?P<dur>\b(?:within|in|inside(?:\s+of)?|under|in\s+under|in\s+less\s+than|no\s+more\s+than)
      \s+(?:the\s+(?:next|coming)\s+)?(?P<dur_n>{_NUM})
      (?:\s*(?:-|–|to|or)\s*(?P<dur_n2>{_NUM}))?
      \s*(?P<dur_biz>business|working|work)?\s*
      (?P<dur_unit>minutes?|mins?|hours?|hrs?|h|days?|weeks?)\b)
| (?P<hour>\bwithin\s+(?:the|an)\s+(?:next\s+)?hour\b)
| (?P<nbd>\b(?:the\s+)?next\s+(?:business|working)\s+day\b)
| (?P<eow>\b(?:the\s+)?end\s+of\s+(?P<eow_next>next)\s+week\b
      |\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:working\s+|business\s+)?week\b
      |\blater\s+this\s+week\b|\bthis\s+week\b|\bthe\s+weekend\b
      |\b(?P<eow_early>early)\s+next\s+week\b|\b(?P<eow_next_week>next)\s+week\b)
| (?P<eom>\b(?:the\s+)?end\s+of\s+(?P<eom_next>next)\s+month\b
      |\b(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b|\bthis\s+month\b)
| (?P<eod>\b(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?(?:(?:business|working|work)\s+)?
      (?:day|play|business)\b|\b(?:the\s+)?end\s+of\s+today\b|\b(?:eod|cob|eob|eop)\b
      |\bc\.o\.b\.?|\be\.o\.d\.?|\b(?:the\s+)?end\s+of(?=\s+(?:tomorrow|{_DAYNAME})\b))
| (?P<first>\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b)
| (?P<relday>\bthe\s+day\s+after\s+tomorrow\b|\btomorrow\b|\btmrw\b|\btoday\b|\btonight\b
      |\blater\s+today\b)
| (?P<weekday>\b(?P<wd_week>a\s+week\s+(?:on\s+)?)?
      (?:(?P<wd_mod>this\s+coming|the\s+coming|coming|this|next|following)\s+)?
      (?P<wd_name>{_DAYNAME})\b(?:\s+(?:the\s+)?(?P<wd_dom>\d{{1,2}})(?:st|nd|rd|th)\b
      |\s+(?P<wd_week_after>week)\b)?)
| (?P<date>\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?(?![a-z])
      |\b{_MONTH}\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b
      |\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\b
      |\b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b)
| (?P<ordinal>\b(?:the\s+)?(?P<ord_n>\d{{1,2}})(?:st|nd|rd|th)\b{_ORDINAL_NOUNS})
| (?P<time>\b(?P<t_h>1[0-2]|0?[1-9])(?:[:.](?P<t_m>[0-5]\d))?
      \s*(?P<t_ap>[ap]\.m\.|[ap]\.m\b|[ap]m\b)
      |\b(?P<t_named>12\s+noon|noon|midday|midnight|lunchtime|lunch\s+time)\b
      |\b(?P<t_h2>[01]?\d|2[0-3]):(?P<t_m2>[0-5]\d)\b(?:\s*(?:hrs|h)\b)?
      |\b(?P<t_h4>1[0-2]|[1-9])\s*o'?clock\b
      |\bhalf\s+past\s+(?P<t_hp>{_HOUR_WORD})\b
      |{_AT}(?P<t_h3>1[0-2]|[1-9])(?:\.(?P<t_m3>[0-5]\d))?{_AFTER_BARE_HOUR})
| (?P<part>\b(?:(?P<part_this>this|later\s+this)\s+|(?P<part_pre>(?:in|during|by|over)\s+the)\s+)?
      (?P<part_name>morning|afternoon|evening|night)\b(?!\s+of\b))
"""

_STATE_AFTER_BE = (
    r"be\s+(?:out|away|off|closed|open|unavailable|offline|on\s+(?:leave|holiday|vacation"
    r"|annual\s+leave)|in\s+the\s+office|back\s+(?:in|on|at|from)\b(?!\s+touch)|here|there\b"
    r"|working\s+from|happy|glad|pleased|delighted|sorry|charged|billed|waiting|able\s+to\s+help"
    r"|in\s+(?:a\s+)?meeting|busy)\b"
)
_FP_NOT_ACTION = (
    r"(?:need|require|have\s+to|expect\s+(?:you|your)|wait|want|hear\s+from\s+you|understand"
    r"|miss)\b"
)
_SERVICE_PARTICIPLES = (
    r"(?:sent|shipped|delivered|dispatched|posted|processed|refunded|credited|fixed|resolved"
    r"|repaired|replaced|completed|done|finished|ready|updated|reviewed|answered|returned|issued"
    r"|restored|installed|arranged|scheduled|rescheduled|booked|reinstated|approved|released"
    r"|activated|fitted|printed|cancelled|canceled|sorted|emailed|paid|reimbursed|investigated"
    r"|contacted|called|reissued|resent|applied|corrected|looked\s+at|in\s+touch|in\s+contact"
    r"|with\s+you|on\s+(?:its|their|the)\s+way|in\s+the\s+post|back\s+(?:online|up|to\s+you)"
    r"|available\s+(?:to\s+collect|for\s+collection))"
)
_SERVICE_VERBS = (
    r"(?:arrive|appear|land|clear|ship|reach\s+you|get\s+to\s+you|contact|call|ring|phone|email|e-mail|message"
    r"|text|reply|respond|get\s+back|come\s+back\s+to\s+you|come\s+(?:out|round|over|back|by)"
    r"|visit|deliver|fit|install|repair|fix|replace|pick\s+(?:it|them)\s+up|update|confirm"
    r"|follow\s+up|reach\s+out|be\s+in\s+(?:touch|contact)|review|process|refund|send"
    r"|dispatch|let\s+you\s+know|go\s+out|be\s+with\s+you|be\s+back\s+(?:to|with)\s+you"
    r"|sort|make\s+sure|look\s+into|investigate|ensure|arrange|write|get\s+in\s+touch"
    r"|tell\s+you|collect|acknowledge|book|schedule|organi[sz]e|issue|credit|reimburse)"
)
_AGENTS = (
    r"(?:(?P<agent_pronoun>he|she|they)|someone|somebody|(?:our|my|the|a|an|your|one\s+of\s+our)\s+(?:\w+\s+)?"
    r"(?:engineers?|technicians?|drivers?|courier|fitters?|team|colleagues?|manager|designers?"
    r"|specialists?|agents?|advis[eo]rs?|department|developers?|staff|reps?|representatives?"
    r"|plumbers?|electricians?|nurses?|doctors?|accountants?|installers?|crew))"
)
_SCHEDULED = (
    r"(?:arrives|ships|goes\s+out|leaves\s+(?:us|our\s+\w+)|(?:is|are|'s|'re)\s+(?:being\s+)?"
    r"(?:dispatched|delivered|collected|shipped|going\s+out|in\s+the\s+post"
    r"|on\s+(?:the|its|their)\s+(?:way|van|lorry)|(?:scheduled|planned|due|booked)\s+for))"
)
_ADVERBS = (
    r"(?:also|then|now|personally|definitely|certainly|hopefully|normally|usually|probably"
    r"|likely|most\s+likely|directly|aim\s+to|try\s+to|try\s+and|make\s+sure\s+to|both|all"
    r"|just|be\s+able\s+to|happily|gladly|still|immediately|soon|promptly|shortly|quickly)"
)

_COMMITMENTS = rf"""
  (?P<fp>\b(?:i|we)(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to
      |\s+are\s+going\s+to|'m\s+gonna|'re\s+gonna|\s+(?:aim|plan|intend|expect|hope|promise
      |undertake|commit)\s+to|\s+promise|\s+guarantee)\b
      (?!\s+(?:not|never|no\s+longer)\b)(?!\s+{_STATE_AFTER_BE})(?!\s+{_FP_NOT_ACTION})
      (?:\s+{_ADVERBS}\b)*\s+(?P<fp_verb>[a-z]+(?:\s+(?:a\s+look|back|out|up|in\s+touch))?))
| (?P<you>\byou(?:'ll|\s+will|\s+should)(?:\s+(?:also|then|now|definitely|certainly|soon))?\s+
      (?!have\s+to\b|need\b|get\s+in\s+touch\b|get\s+back\s+to\s+(?:us|me)\b|still\b|only\b
      |have\s+(?:received|got|gotten|been|heard|had|seen)\b)
      (?:have|receive|get|hear\s+(?:back|from)|see|be\s+(?:{_SERVICE_PARTICIPLES}|hearing|receiving|getting
      |notified|reimbursed|offered|given|able\s+to\s+(?:collect|pick\s+up|download|see|use)))\b
      |\byou\s+(?:can|may|should|will|'ll)\s+expect\b)
| (?P<prog>\b(?:i|we)(?:'m|'re|\s+am|\s+are)\s+(?:now\s+|currently\s+|just\s+|personally\s+)?
      (?:sending|calling|ringing|phoning|emailing|shipping|posting|dispatching|refunding
      |processing|arranging|booking|replacing|repairing|fixing|restoring|issuing|organising
      |organizing|preparing|chasing|escalating|forwarding|following\s+up|looking\s+into
      |investigating|raising|updating|crediting|reissuing|resending|checking|asking|speaking
      |talking|contacting|sorting)\b)
| (?P<letme>\blet\s+me\s+(?:check|look|find\s+out|get\s+back|see|confirm|speak|talk|ask|chase
      |investigate|follow\s+up|come\s+back|have\s+a\s+look|take\s+a\s+look|dig)\b)
| (?P<expect>\b(?:please\s+)?expect\s+(?:a|an|the|our|my|it|them|to|your|us|me|him|her|this
      |that|another|delivery|payment|contact|word)\b)
| (?P<agent>\b{_AGENTS}(?:'ll|\s+will|\s+shall|\s+(?:is|are)\s+going\s+to)
      (?!\s+(?:not|never|no\s+longer)\b)(?!\s+{_STATE_AFTER_BE})(?:\s+{_ADVERBS}\b)*
      \s+(?P<agent_verb>{_SERVICE_VERBS}|do|come|carry|finish|complete|pop)\b)
| (?P<sched>\b{_SCHEDULED}\b)
| (?P<tp>\b(?:will|'ll|shall|should)\s+(?:{_ADVERBS}\s+)*
      (?P<tp_passive>be\s+{_SERVICE_PARTICIPLES}\b(?!\s+(?:now|already)\b))?
      (?(tp_passive)|{_SERVICE_VERBS}\b))
"""

_VAGUE_TIMES = r"""
  \b(?:as\s+soon\s+as\s+(?:possible|practicable|we\s+can|i\s+can|we're\s+able|i'm\s+able
      |we\s+hear|i\s+hear|we\s+get|i\s+get|we\s+have|i\s+have|we\s+know|i\s+know)
  |asap|a\.s\.a\.p\.?|(?:very\s+)?soon|shortly|in\s+due\s+course|at\s+some\s+(?:point|stage)
  |some\s*time\s+soon|sometime|in\s+a\s+(?:bit|while|little\s+while)
  |in\s+(?:the\s+)?(?:near|coming)\s+(?:future|days|weeks)
  |(?:in|within|over)\s+(?:the\s+next\s+|a\s+)?few\s+(?:days|hours|weeks)
  |before\s+long|later\s+on|at\s+a\s+later\s+(?:date|stage)|in\s+a\s+future\s+\w+
  |down\s+the\s+line|eventually|right\s+away|straight\s+away|immediately|promptly
  |as\s+quickly\s+as\s+(?:possible|we\s+can|i\s+can)
  |when\s+(?:possible|we\s+can|i\s+can|(?:i|we)\s+get\s+a\s+chance|i\s+have\s+a\s+moment)
  |once\s+(?:i|we)\s+(?:hear|get|have|know|find\s+out|receive))\b
"""
_VAGUE_ACTIONS = r"""
  \b(?:let\s+you\s+know|be\s+in\s+(?:touch|contact)|get\s+back\s+to\s+you|come\s+back\s+to\s+you
  |follow\s+up|keep\s+you\s+(?:posted|updated|informed|in\s+the\s+loop)|update\s+you
  |look(?:ing)?\s+into\s+(?:it|this|that|the\s+\w+)|investigate|see\s+what\s+(?:i|we)\s+can\s+do
  |find\s+out|sort\s+(?:it|this|that)\s+out|get\s+(?:it|this|that)\s+sorted|reach\s+out
  |circle\s+back|hear\s+(?:back\s+)?from\s+(?:me|us)|take\s+a\s+look|have\s+a\s+look)\b
"""

_CONDITIONS = r"""
  \b(?:if|unless|once|when|whenever|as\s+soon\s+as|after|provided(?:\s+that)?|providing
  |as\s+long\s+as|so\s+long\s+as|in\s+case|because|since|so\s+that)\b(?!\s+possible\b)
  |,\s*(?:which|who|where|whose|as)\b
"""
_CUSTOMER_CONDITIONS = r"""
  \b(?:if|unless|once|when|whenever|as\s+soon\s+as|after|provided(?:\s+that)?|providing
  |as\s+long\s+as|so\s+long\s+as|in\s+case|the\s+(?:moment|minute|day))\s+(?:you|your)\b
  (?!'d\s+like|\s+(?:like|want|prefer|wish|would\s+like|'re\s+happy|are\s+happy|agree
  |need|have\s+any))
"""
_CUSTOMER_REQUESTS = r"""
  (?:^|[,;:]\s*|\b(?:just|then|and|so|simply|or)\s+)(?:please\s+)?(?:send|reply|respond|tell
  |give|forward|email|upload|let\s+me\s+know|pop|drop|return|click|call|ring|phone|confirm
  |choose|pick|book|fill|sign|post|remove|share|attach|resend|text|message|bring|take|go|open
  |write|add|check|try|enter|select|snap|grab|get\s+in\s+touch)\b[^.!?;]*?\band\s+(?:i|we)\b
  |\byou\s+(?:can|could|just\s+need\s+to|only\s+need\s+to|need\s+to|simply)\s+\w+[^.!?;]*?
  \band\s+(?:i|we)\b
"""
_TRAILING_CUSTOMER_CONDITIONS = r"""
  \b(?:if|once|as\s+soon\s+as|when|after)\s+you\s+(?:send|return|reply|upload|confirm|provide
  |give|let\s+(?:me|us)\s+know|get\s+back|forward|post|email|drop|pop|bring|book|pay|complete
  |fill|sign|choose|pick|tell)\b
"""
_REQUEST_QUESTION = r"""
  \W*(?:(?:could|can|would|will)\s+you\b|would\s+you\s+mind|please\s+could\s+you
  |are\s+you\s+able\s+to|is\s+there\s+any\s+chance)\b
"""
_INTERROGATIVES = r"""
  \W*(?:(?:and|but|so|or|then|also)\s+)?(?:could|can|would|will|shall|should|do|does|did|is|are
  |was|were|have|has|had|may|might|must|what|when|where|which|who|whom|whose|why|how|ok|okay
  |right|any\s+chance|is\s+that|does\s+that|would\s+that|how\s+about)\b
"""

ENGLISH = PhraseBook(
    dateparser_language="en",
    month_first_countries=frozenset({"US", "PH", "FM", "MH", "PW", "BZ"}),
    numbers=_NUMBER_WORDS,
    weekdays={
        "monday": 0,
        "tuesday": 1,
        "tues": 1,
        "wednesday": 2,
        "weds": 2,
        "thursday": 3,
        "thurs": 3,
        "friday": 4,
        "saturday": 5,
        "sunday": 6,
    },
    week_modifiers={
        "this": "this",
        "this coming": "coming",
        "the coming": "coming",
        "coming": "coming",
        "next": "next",
        "following": "next",
    },
    relative_days={
        "today": (0, None),
        "later today": (0, None),
        "tonight": (0, "evening"),
        "tomorrow": (1, None),
        "tmrw": (1, None),
        "the day after tomorrow": (2, None),
    },
    day_parts={
        "morning": 12 * 3600,
        "afternoon": 17 * 3600,
        "evening": 21 * 3600,
        "night": 23 * 3600,
    },
    pm_parts=frozenset({"afternoon", "evening", "night"}),
    named_times={
        "noon": 12 * 3600,
        "12 noon": 12 * 3600,
        "midday": 12 * 3600,
        "lunchtime": 12 * 3600,
        "lunch time": 12 * 3600,
        "midnight": 24 * 3600,
    },
    units={
        "minute": "minutes",
        "minutes": "minutes",
        "min": "minutes",
        "mins": "minutes",
        "hour": "hours",
        "hours": "hours",
        "hr": "hours",
        "hrs": "hours",
        "h": "hours",
        "day": "days",
        "days": "days",
        "week": "weeks",
        "weeks": "weeks",
    },
    pm_markers=frozenset({"pm"}),
    bare_hour_pm_below=8,
    time_tokens=_TIME_TOKENS,
    time_triggers=_wordset(
        """a yesterday last ago earlier the within in inside under no next end close later this
        early eod cob eob eop c e first tomorrow tmrw today tonight coming following monday
        tuesday wednesday thursday friday saturday sunday tues weds thurs january february
        march april may june july august september october november december jan feb mar apr
        jun jul aug sep sept oct nov dec noon midday midnight lunchtime lunch half during by
        over morning afternoon evening night"""
    ),
    deadline_prepositions=(
        r"no\s+later\s+than|not\s+later\s+than|by\s+no\s+later\s+than|latest\s+by"
        r"|in\s+time\s+for|sometime|some\s+time|between|by|before|on|at|for|around|about"
        r"|approximately|approx\."
    ),
    excluding_prepositions=(
        r"until|till|til|since|from|after|starting(?:\s+from)?|as\s+of|beyond|past"
    ),
    glue=r"(?:\s|,|\b(?:at|on|by|the|around|about|before|of|between)\b)*",
    range_glue=r"\s*(?:and|to|-|–|or)\s*",
    needs_preposition=frozenset({"ordinal", "numeric_date", "bare_part"}),
    limit_prepositions=r"no\s+later\s+than|not\s+later\s+than|by|before|latest\s+by",
    availability=r"\b(?:ready|available|collect(?:ion)?|pick\s+(?:it\s+|them\s+)?up)\b[^.!?;]*$",
    commitments=_COMMITMENTS,
    commitment_triggers=_wordset(
        """i we you let please expect he she they someone somebody our my the a an your one
        arrives ships goes leaves is are 's 're will 'll shall should"""
    ),
    untimed_exempt_verbs=frozenset(
        {
            "be",
            "need",
            "have",
            "keep",
            "leave",
            "hold",
            "wait",
            "explain",
            "outline",
            "describe",
            "summarise",
            "summarize",
            "say",
            "mention",
            "note",
            "admit",
            "remember",
            "miss",
            "understand",
            "assume",
            "know",
            "happily",
            "gladly",
            "add",
            "include",
            "attach",
            "go",
            "start",
            "continue",
            "do",
        }
    ),
    vague_times=_VAGUE_TIMES,
    vague_time_triggers=_wordset(
        """as asap a very soon shortly in at some sometime within over before later down
        eventually right straight immediately promptly when once"""
    ),
    vague_actions=_VAGUE_ACTIONS,
    vague_action_triggers=_wordset(
        """let be get come follow keep update look looking investigate see find sort reach
        circle hear take have"""
    ),
    conditions=_CONDITIONS,
    temporal_conditions=r"once|when|as\s+soon\s+as|after",
    subordinators=r"if|when|whenever|once|as\s+soon\s+as|after|before|until|unless",
    service_verbs=_SERVICE_VERBS,
    hypothetical=r"\b(?:if|unless|in\s+case|should\s+(?:it|that|this|they|the))\b",
    customer_conditions=_CUSTOMER_CONDITIONS,
    customer_requests=_CUSTOMER_REQUESTS,
    trailing_customer_conditions=_TRAILING_CUSTOMER_CONDITIONS,
    request_question=_REQUEST_QUESTION,
    event_relative=(
        r"\bthe\s+(?:same\s+)?day\s+(?:i|we|it|you|they)\b|\b\d+\s+(?:minutes|mins|hours)\s+before\b"
        r"|\bthe\s+(?:day|night|morning)\s+before\b|\bat\s+the\s+same\s+time\b"
        r"|\b(?:right\s+|just\s+)?now\b"
    ),
    interrogatives=_INTERROGATIVES,
    clause_boundary=r"[,;:()]|\s[-–—]\s|—",
    leading_connectives=r"(?:(?:and|but|so|then|also|or|plus)\b[\s,]*)+",
    abbreviations=frozenset(
        {"a.m", "p.m", "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx"}
    ),
    request_join=r"\band\s+$",
    result_clause=r"\bso\s+(?:[\w']+\s+){0,3}$",
    promise_joins=r",|\b(?:and|then)\b",
    customer_subject=r"\byou\s*$",
    thing_subject=r"\b(?:it|this|that|which)\s*$",
    imperative_start=r"(?:[,;:(]|\b(?:and|so|then))\s*$",
)


# --------------------------------------------------------------------------------------------
# Compiled grammar
# --------------------------------------------------------------------------------------------

_FLAGS = re.IGNORECASE | re.VERBOSE


class _Grammar:
    """The regexes of one PhraseBook, compiled once."""

    def __init__(self, book: PhraseBook) -> None:
        self.book = book
        self.time = re.compile(book.time_tokens, _FLAGS)
        self.commitment = re.compile(book.commitments, _FLAGS)
        self.vague_time = re.compile(book.vague_times, _FLAGS)
        self.vague_action = re.compile(book.vague_actions, _FLAGS)
        self.condition = re.compile(book.conditions, _FLAGS)
        self.customer_condition = re.compile(book.customer_conditions, _FLAGS)
        self.customer_request = re.compile(book.customer_requests, _FLAGS)
        self.trailing_customer = re.compile(book.trailing_customer_conditions, _FLAGS)
        self.request_question = re.compile(book.request_question, _FLAGS)
        self.event_relative = re.compile(book.event_relative, _FLAGS)
        self.interrogative = re.compile(book.interrogatives, _FLAGS)
        self.boundary = re.compile(book.clause_boundary, _FLAGS)
        self.connectives = re.compile(book.leading_connectives, _FLAGS)
        self.deadline_prep = re.compile(rf"\b(?:{book.deadline_prepositions})\s+$", _FLAGS)
        self.excluding_prep = re.compile(rf"\b(?:{book.excluding_prepositions})\s+$", _FLAGS)
        self.leading_prep = re.compile(rf"^\s*(?:(?:{book.deadline_prepositions})\s+)+", _FLAGS)
        self.leading_excluding = re.compile(rf"^\s*(?:{book.excluding_prepositions})\b", _FLAGS)
        self.glue = re.compile(book.glue, _FLAGS)
        self.limit_prep = re.compile(rf"\s*(?:{book.limit_prepositions})\s", _FLAGS)
        self.availability = re.compile(book.availability, _FLAGS)
        self.hypothetical = re.compile(book.hypothetical, _FLAGS)
        self.condition_verb = re.compile(
            rf"\b(?:{book.subordinators})\s+(?:[\w']+\s+){{0,3}}$", _FLAGS
        )
        self.service_verb = re.compile(book.service_verbs, _FLAGS)
        self.result_clause = re.compile(book.result_clause, _FLAGS)
        self.request_join = re.compile(book.request_join, _FLAGS)
        self.promise_joins = re.compile(book.promise_joins, _FLAGS)
        self.customer_subject = re.compile(book.customer_subject, _FLAGS)
        self.thing_subject = re.compile(book.thing_subject, _FLAGS)
        self.imperative_start = re.compile(book.imperative_start, _FLAGS)
        self.temporal = re.compile(book.temporal_conditions, _FLAGS)
        self.range_glue = re.compile(book.range_glue, _FLAGS)

    def scan(
        self,
        pattern: re.Pattern[str],
        triggers: frozenset[str],
        words: _Words,
        text: str,
        *,
        numbers: bool = False,
    ) -> list[re.Match[str]]:
        """`pattern.finditer(text)`, trying only at words that can start a match.

        Python's regex engine tries every alternative at every character; trying only at
        trigger words (and numbers) makes the finders about ten times faster.
        """
        found: list[re.Match[str]] = []
        after = 0
        for position, word in words:
            if position < after or not (word in triggers or (numbers and word[0].isdigit())):
                continue
            m = pattern.match(text, position)
            if m is not None and m.end() > m.start():
                found.append(m)
                after = m.end()
        return found


type _Words = list[tuple[int, str]]


@functools.cache
def _grammar(book: PhraseBook) -> _Grammar:
    return _Grammar(book)


# --------------------------------------------------------------------------------------------
# Text analysis (independent of the clock)
# --------------------------------------------------------------------------------------------

_NORMALISE = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " ", "\u2009": " "})
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
_BULLET = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")
_WORD = re.compile(r"'?[^\W_]+")
_WRAP_WIDTH = 60


@dataclass(frozen=True, slots=True)
class _TimeExpr:
    start: int  # including any preposition
    end: int
    tokens: tuple[re.Match[str], ...]
    excluded: bool  # "until 5pm", "since Monday"
    past: bool
    deadline: bool  # "by", "before", "no later than": a limit even inside a "once" clause


@dataclass(slots=True)
class _Region:
    """One pledge and the stretch of its sentence that belongs to it."""

    cue: re.Match[str]
    kind: str
    sentence: int
    clause_start: int
    end: int
    times: list[_TimeExpr] = field(default_factory=list)
    vague_times: list[re.Match[str]] = field(default_factory=list)
    vague_actions: list[re.Match[str]] = field(default_factory=list)
    untimed_ok: bool = False  # may be reported as a pledge with no time at all


def _sentences(text: str, g: _Grammar) -> list[tuple[int, int]]:
    """Sentence spans: lines are sentences unless hard-wrapped; then split on end punctuation."""
    blocks: list[list[int]] = []
    previous = ""
    pos = 0
    length = len(text)
    while pos <= length:
        end = text.find("\n", pos)
        if end == -1:
            end = length
        stripped = text[pos:end].strip()
        if not stripped:
            previous = ""
        else:
            wrapped = len(previous) >= _WRAP_WIDTH and previous[-1] not in ".!?:;,"
            if blocks and previous and wrapped and not _BULLET.match(text, pos):
                blocks[-1][1] = end
            else:
                blocks.append([pos, end])
            previous = stripped
        pos = end + 1
    spans: list[tuple[int, int]] = []
    for block_start, block_end in blocks:
        start = block_start
        for m in _SENTENCE_END.finditer(text, block_start, block_end):
            if m.group()[0] == ".":
                word = text[max(text.rfind(" ", start, m.start()) + 1, start) : m.start()]
                if word.lower().strip(".") in g.book.abbreviations:
                    continue
            spans.append((start, m.end()))
            start = m.end()
        if text[start:block_end].strip():
            spans.append((start, block_end))
    return [_strip_span(text, s, e) for s, e in spans if text[s:e].strip()]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clause_starts(text: str, start: int, end: int, g: _Grammar) -> list[int]:
    return [start] + [m.end() for m in g.boundary.finditer(text, start, end)]


def _statement_end(text: str, start: int, end: int, g: _Grammar) -> int:
    """Where the question part of a sentence starts (its end if it is no question)."""
    if not text[start:end].rstrip().endswith("?"):
        return end
    clauses = _clause_starts(text, start, end, g)
    for clause in clauses:
        if g.interrogative.match(text, clause, end):
            return clause
    return clauses[-1]


def _words(text: str) -> _Words:
    return [(m.start(), m.group().lower()) for m in _WORD.finditer(text)]


def _time_expressions(text: str, g: _Grammar, words: _Words | None = None) -> list[_TimeExpr]:
    """Time expressions: runs of time tokens joined by glue, with their preposition."""
    book = g.book
    runs: list[list[re.Match[str]]] = []
    tokens = g.scan(g.time, book.time_triggers, words or _words(text), text, numbers=True)
    for m in tokens:
        if runs:
            last = runs[-1][-1]
            gap = text[last.end() : m.start()]
            if "\n" not in gap and (
                g.glue.fullmatch(gap)
                or (
                    last.lastgroup == "time"
                    and m.lastgroup == "time"
                    and g.range_glue.fullmatch(gap)
                )
            ):
                runs[-1].append(m)
                continue
        runs.append([m])
    expressions = []
    for run in runs:
        start = run[0].start()
        before = text[max(0, start - 30) : start]
        prep = g.deadline_prep.search(before)
        excluding = g.excluding_prep.search(before)
        # "ready to collect from 3pm": a start of availability is when the work is due.
        excluded = excluding is not None and not g.availability.search(
            text, max(0, start - 60), start - len(before) + excluding.start()
        )
        if prep is not None:
            start -= len(before) - prep.start()
        first = run[0]
        kind = first.lastgroup or ""
        if kind == "date" and not re.search(r"[a-z]|\d{4}", first.group(), re.IGNORECASE):
            kind = "numeric_date"
        if kind == "part" and not (first.group("part_this") or first.group("part_pre")):
            kind = "bare_part"
        if len(run) == 1 and prep is None and kind in book.needs_preposition:
            continue
        past = any(t.lastgroup == "past" for t in run)
        deadline = prep is not None and g.limit_prep.match(prep.group()) is not None
        expressions.append(_TimeExpr(start, run[-1].end(), tuple(run), excluded, past, deadline))
    return expressions


@functools.lru_cache(maxsize=512)
def _analyse(text: str, g: _Grammar) -> tuple[_Region, ...]:
    """The pledges of a text with the times and vague words that belong to each."""
    norm = text.translate(_NORMALISE)
    book = g.book
    words = _words(norm)
    cues = g.scan(g.commitment, book.commitment_triggers, words, norm)
    if not cues:
        return ()
    found = _Found(
        times=_time_expressions(norm, g, words),
        vague_times=g.scan(g.vague_time, book.vague_time_triggers, words, norm),
        vague_actions=g.scan(g.vague_action, book.vague_action_triggers, words, norm),
    )
    regions: list[_Region] = []
    after_request = False
    for number, (start, stop) in enumerate(_sentences(norm, g)):
        end = _statement_end(norm, start, stop, g)
        sentence_cues = [
            cue for cue in cues if start <= cue.start() < end and _valid_cue(norm, start, cue, g)
        ]
        if sentence_cues:
            regions.extend(
                _sentence_regions(
                    norm, start, end, number, sentence_cues, found, g, after_request=after_request
                )
            )
        after_request = end == start and g.request_question.match(norm, start, stop) is not None
    return tuple(regions)


@dataclass(frozen=True, slots=True)
class _Found:
    times: list[_TimeExpr]
    vague_times: list[re.Match[str]]
    vague_actions: list[re.Match[str]]


def _valid_cue(text: str, sentence_start: int, cue: re.Match[str], g: _Grammar) -> bool:
    kind = cue.lastgroup
    before = text[sentence_start : cue.start()]
    if kind in ("sched", "tp", "agent") and g.condition_verb.search(before):
        return False  # "when it arrives": the condition's own verb
    if kind == "sched" and g.result_clause.search(before):
        return False  # "I can cancel it so the rest ships today": an offer's consequence
    if kind == "tp":
        # "you will send": the customer acts; "you will be sent": we do.
        passive = cue.group("tp_passive") is not None
        return passive or g.customer_subject.search(before) is None
    if kind == "expect":
        # Only the imperative "Expect a reply by 3pm", not "we expect delays".
        return not before.strip() or g.imperative_start.search(before) is not None
    return True


def _sentence_regions(
    text: str,
    start: int,
    end: int,
    number: int,
    cues: list[re.Match[str]],
    found: _Found,
    g: _Grammar,
    *,
    after_request: bool,
) -> list[_Region]:
    masks = _masks(text, start, end, cues, g)
    boundaries = _clause_starts(text, start, end, g)
    regions = []
    for k, cue in enumerate(cues):
        region_end = cues[k + 1].start() if k + 1 < len(cues) else end
        if (
            g.customer_condition.search(text, start, cue.start())
            or (
                g.request_join.search(text, max(start, cue.start() - 8), cue.start())
                and g.customer_request.search(text[start : cue.end()])
            )
            or g.trailing_customer.search(text, cue.end(), region_end)
        ):
            continue
        clause_start = max(b for b in boundaries if b <= cue.start())
        region = _Region(cue, cue.lastgroup or "", number, clause_start, region_end)

        span = (start, cue, region_end, k == 0)
        region.times = [
            t for t in found.times if _belongs(text, t.start, t.end, span) and not _masked(t, masks)
        ]
        region.vague_times = [m for m in found.vague_times if _belongs(text, *m.span(), span)]
        region.vague_actions = [m for m in found.vague_actions if _belongs(text, *m.span(), span)]
        region.untimed_ok = _untimed_ok(text, region, g, after_request=after_request, start=start)
        regions.append(region)
    return regions


def _belongs(text: str, s: int, e: int, span: tuple[int, re.Match[str], int, bool]) -> bool:
    """Inside the pledge's region, or leading the sentence's first pledge ("Tomorrow, I'll")."""
    sentence_start, cue, region_end, first = span
    if cue.start() <= s < region_end:
        return True
    return (
        first
        and sentence_start <= s
        and e <= cue.start()
        and re.fullmatch(r"[\s,]*", text[e : cue.start()]) is not None
    )


def _masks(
    text: str, start: int, end: int, cues: list[re.Match[str]], g: _Grammar
) -> list[tuple[int, int, bool]]:
    """Stretches whose times are not ours: condition, reason and relative clauses.

    Each is (start, stop, soft): a soft mask is a "once"/"when" clause after a pledge, where a
    "by" deadline still binds the pledge ("I'll confirm once it's done, by Thursday").
    """
    masks = []
    cue_starts = [c.start() for c in cues]
    for m in g.condition.finditer(text, start, end):
        boundary = g.boundary.search(text, m.end(), end)
        stop = boundary.start() if boundary is not None else end
        stop = min([stop] + [c for c in cue_starts if m.end() <= c < stop])
        soft = m.start() > cue_starts[0] and g.temporal.fullmatch(m.group()) is not None
        masks.append((m.start(), stop, soft))
    return masks


def _masked(expr: _TimeExpr, masks: list[tuple[int, int, bool]]) -> bool:
    return any(s <= expr.start < e and not (soft and expr.deadline) for s, e, soft in masks)


def _untimed_ok(
    text: str, region: _Region, g: _Grammar, *, after_request: bool, start: int
) -> bool:
    """Whether a pledge with no time at all should be reported as vague."""
    cue = region.cue
    if region.kind == "fp":
        if (cue.group("fp_verb") or "").split()[0].lower() in g.book.untimed_exempt_verbs:
            return False
    elif region.kind == "agent":
        # "Someone will call you" is a pledge; "they'll get a link" is not.
        if cue.group("agent_pronoun") or not g.service_verb.match(cue.group("agent_verb")):
            return False
    elif region.kind == "tp":
        # "It'll fit through the letterbox" describes the thing; "it will be sent" is ours.
        thing = g.thing_subject.search(text, max(0, cue.start() - 8), cue.start())
        if thing is not None and not cue.group("tp_passive"):
            return False
    else:
        return False  # progressive, "let me", "expect", "you'll get": only with a time
    if g.event_relative.search(text, region.cue.end(), region.end):
        return False
    if g.hypothetical.search(text, start, region.cue.start()):
        return False
    # "Could you send a photo? I'll send a replacement." waits for the customer.
    return not (after_request and region.clause_start == start)


def _clause_end(text: str, position: int, limit: int, g: _Grammar) -> int:
    boundary = g.boundary.search(text, position, limit)
    return boundary.start() if boundary is not None else limit


def _clean_span(text: str, start: int, end: int, g: _Grammar) -> tuple[int, int]:
    start, end = _strip_span(text, start, end)
    lead = g.connectives.match(text, start, end)
    if lead is not None and lead.end() < end:
        start = lead.end()
    while end > start and text[end - 1] in ",;:.!?":
        end -= 1
    return _strip_span(text, start, end)


# --------------------------------------------------------------------------------------------
# Time resolution
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Clock:
    now: datetime  # in the calendar's zone
    today: date
    cal: BusinessCalendar
    book: PhraseBook
    month_first: bool


def _clock(now: datetime, calendar: BusinessCalendar | None, book: PhraseBook) -> _Clock:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    cal = calendar if calendar is not None else _default_calendar(now)
    local_now = now.astimezone(cal.zone)
    month_first = cal.holiday_country in book.month_first_countries
    return _Clock(local_now, local_now.date(), cal, book, month_first)


def _default_calendar(now: datetime) -> BusinessCalendar:
    zone = now.tzinfo
    if isinstance(zone, ZoneInfo):
        return _standard_calendar(zone.key)
    offset = now.utcoffset() or timedelta(0)
    hours, rest = divmod(offset, timedelta(hours=1))
    # Etc/GMT zones have POSIX signs: Etc/GMT-2 is two hours ahead of UTC.
    return _standard_calendar(f"Etc/GMT{-hours:+d}" if hours and not rest else "UTC")


@functools.lru_cache(maxsize=64)
def _standard_calendar(key: str) -> BusinessCalendar:
    return BusinessCalendar.standard(tz=key, opens="09:00", closes="17:00")


def _closing(c: _Clock, day: date) -> datetime:
    hours = opening_hours(c.cal, day)
    return hours[-1][1] if hours else local_datetime(c.cal, day, c.cal.usual_hours[1])


def _opening(c: _Clock, day: date) -> datetime:
    hours = opening_hours(c.cal, day)
    return hours[0][0] if hours else local_datetime(c.cal, day, c.cal.usual_hours[0])


def _today_or_next(c: _Clock, seconds: int) -> datetime:
    candidate = local_datetime(c.cal, c.today, seconds)
    if candidate > c.now:
        return candidate
    return local_datetime(c.cal, next_business_day(c.cal, c.today), seconds)


def _later(c: _Clock, delta: timedelta) -> datetime:
    """`now` plus real elapsed time (aware arithmetic in one zone would add wall time)."""
    return (c.now.astimezone(UTC) + delta).astimezone(c.cal.zone)


def _number(text: str, book: PhraseBook) -> float:
    word = re.sub(r"[\s-]+", " ", text.strip().lower())
    if word in book.numbers:
        return book.numbers[word]
    return float(word)


def _week(c: _Clock, weeks_ahead: int, early: bool = False) -> datetime:
    monday = c.today - timedelta(days=c.today.weekday()) + timedelta(weeks=weeks_ahead)
    days = [monday + timedelta(days=i) for i in range(7)]
    business = [d for d in days if opening_hours(c.cal, d)]
    if not business:
        return end_of_business_day(c.cal, local_datetime(c.cal, monday + timedelta(days=7), 0))
    target = business[min(1, len(business) - 1)] if early else business[-1]
    due = _closing(c, target)
    if due <= c.now and weeks_ahead == 0 and not early:
        return _week(c, 1)
    return due


def _month_end(c: _Clock, months_ahead: int) -> datetime:
    index = c.today.year * 12 + c.today.month - 1 + months_ahead
    year, month = divmod(index, 12)
    first_of_next = date(year + (month == 11), (month + 1) % 12 + 1, 1)
    day = first_of_next - timedelta(days=1)
    while day.day > 1 and not opening_hours(c.cal, day):
        day -= timedelta(days=1)
    due = _closing(c, day)
    if due <= c.now and months_ahead == 0:
        return _month_end(c, 1)
    return due


def _duration(c: _Clock, m: re.Match[str]) -> datetime:
    book = c.book
    amount = _number(m.group("dur_n2") or m.group("dur_n"), book)
    unit = book.units[m.group("dur_unit").lower()]
    business = m.group("dur_biz") is not None
    if unit in ("minutes", "hours"):
        delta = timedelta(**{unit: amount})
        if business:
            return add_business(c.cal, c.now, delta)
        return _later(c, delta)
    days = math.ceil(amount * (7 if unit == "weeks" else 1))
    if business:
        return end_of_business_day(c.cal, add_business_days(c.cal, c.now, days))
    return _closing(c, c.today + timedelta(days=days))


def _weekday_date(c: _Clock, m: re.Match[str]) -> date:
    book = c.book
    target = book.weekdays[m.group("wd_name").lower()]
    dom = m.group("wd_dom")
    if dom is not None:
        return _day_of_month(c, int(dom)) or c.today
    modifier = book.week_modifiers.get(re.sub(r"\s+", " ", (m.group("wd_mod") or "").lower()))
    if modifier == "next":
        monday = c.today - timedelta(days=c.today.weekday()) + timedelta(weeks=1)
        return monday + timedelta(days=target)
    ahead = (target - c.today.weekday()) % 7
    if ahead == 0 and modifier != "this":
        ahead = 7
    if m.group("wd_week") or m.group("wd_week_after"):
        ahead += 7  # "a week on Friday", "Friday week"
    return c.today + timedelta(days=ahead)


def _day_of_month(c: _Clock, dom: int) -> date | None:
    year, month = c.today.year, c.today.month
    for _ in range(13):
        try:
            candidate = date(year, month, dom)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= c.today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


@functools.lru_cache(maxsize=4096)
def _dateparser_date(text: str, today: date, month_first: bool, language: str) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime.combine(today, time(12)),
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month"],
    }
    parsed = dateparser.parse(text, languages=[language], settings=settings)
    if parsed is None:
        return None
    found = parsed.date()
    if found < today and not re.search(r"\d{4}|\d[/.]\d{1,2}[/.]\d{2}\b", text):
        try:
            found = found.replace(year=found.year + 1)
        except ValueError:
            return None
    return found


def _clock_seconds(m: re.Match[str], part: str | None, book: PhraseBook) -> int:
    """Seconds after midnight of a time token, with am/pm inferred when not written."""
    if m.group("t_named"):
        return book.named_times[re.sub(r"\s+", " ", m.group("t_named").lower())]
    if m.group("t_h"):
        hour, minute = int(m.group("t_h")), int(m.group("t_m") or 0)
        marker = re.sub(r"[.\s]", "", m.group("t_ap").lower())
        hour = hour % 12 + (12 if marker in book.pm_markers else 0)
        return hour * 3600 + minute * 60
    if m.group("t_h2"):
        return int(m.group("t_h2")) * 3600 + int(m.group("t_m2")) * 60
    raw = m.group("t_h3") or m.group("t_h4") or m.group("t_hp")
    hour = int(_number(raw, book))
    minute = int(m.group("t_m3") or 0) + (30 if m.group("t_hp") else 0)
    if hour < 12 and (part in book.pm_parts or (part is None and hour < book.bare_hour_pm_below)):
        hour += 12
    return hour * 3600 + minute * 60


def _resolve(expr: _TimeExpr, c: _Clock) -> datetime | None:
    """The due time of a time expression, by the rules in the module docstring."""
    if expr.past or expr.excluded:
        return None
    book = c.book
    tokens = expr.tokens
    by_kind: dict[str, re.Match[str]] = {}
    times: list[re.Match[str]] = []
    for token in tokens:
        kind = token.lastgroup or ""
        if kind == "time":
            times.append(token)
        by_kind.setdefault(kind, token)
    if "dur" in by_kind:
        return _duration(c, by_kind["dur"])
    if "hour" in by_kind:
        return _later(c, timedelta(hours=1))
    if "nbd" in by_kind:
        return _closing(c, next_business_day(c.cal, c.today))
    if "eom" in by_kind:
        return _month_end(c, 1 if by_kind["eom"].group("eom_next") else 0)

    day: date | None = None
    part: str | None = None
    if "eow" in by_kind:
        eow = by_kind["eow"]
        if "weekday" in by_kind and eow.group("eow_next_week"):
            monday = c.today - timedelta(days=c.today.weekday()) + timedelta(weeks=1)
            day = monday + timedelta(
                days=book.weekdays[by_kind["weekday"].group("wd_name").lower()]
            )
        else:
            ahead = 1 if eow.group("eow_next", "eow_early", "eow_next_week") != (None,) * 3 else 0
            return _week(c, ahead, early=eow.group("eow_early") is not None)
    if "part" in by_kind:
        part = by_kind["part"].group("part_name").lower()
        if by_kind["part"].group("part_this"):
            day = c.today
    if "date" in by_kind:
        day = _dateparser_date(
            by_kind["date"].group(), c.today, c.month_first, book.dateparser_language
        )
        if day is None:
            return None
    elif "weekday" in by_kind and day is None:
        day = _weekday_date(c, by_kind["weekday"])
    elif "ordinal" in by_kind:
        day = _day_of_month(c, int(by_kind["ordinal"].group("ord_n")))
        if day is None:
            return None
    if "relday" in by_kind:
        offset, implied = book.relative_days[re.sub(r"\s+", " ", by_kind["relday"].group().lower())]
        day = c.today + timedelta(days=offset)
        part = part or implied

    if times:
        seconds = _clock_seconds(times[-1], part, book)
        if day is None:
            return _today_or_next(c, seconds)
        return local_datetime(c.cal, day, seconds)
    if "first" in by_kind:
        if day is None:
            opening = _opening(c, c.today)
            day = c.today if opening_hours(c.cal, c.today) and c.now < opening else None
            day = day or next_business_day(c.cal, c.today)
        if opening_hours(c.cal, day):
            return add_business(c.cal, _opening(c, day), timedelta(hours=1))
        return local_datetime(c.cal, day, c.cal.usual_hours[0] + 3600)
    if part is not None:
        seconds = book.day_parts[part]
        if day is None:
            return _today_or_next(c, seconds)
        return local_datetime(c.cal, day, seconds)
    if day is None:
        if "eod" in by_kind:
            return end_of_business_day(c.cal, c.now)
        return None
    if day == c.today and "eod" not in by_kind:
        closing = _closing(c, day)
        return closing if closing > c.now else local_datetime(c.cal, day, 86400 - 60)
    return _closing(c, day)


@functools.lru_cache(maxsize=1024)
def _dateparser_fallback(
    text: str, base: datetime, month_first: bool, language: str
) -> datetime | None:
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future",
        "DATE_ORDER": "MDY" if month_first else "DMY",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    return dateparser.parse(text, languages=[language], settings=settings)


# --------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------


def find_promises(
    text: str,
    *,
    now: datetime,
    calendar: BusinessCalendar | None = None,
    language: PhraseBook = ENGLISH,
) -> list[Promise]:
    """Commitments with a concrete time in `text`, in order, with due times after `now`."""
    g = _grammar(language)
    c = _clock(now, calendar, language)
    regions = _analyse(text, g)
    promises: list[Promise] = []
    for region in regions:
        last_end = region.clause_start
        for index, expr in enumerate(region.times):
            due = _resolve(expr, c)
            if due is None or due <= c.now:
                continue
            start = min(region.clause_start, expr.start) if index == 0 else last_end
            if promises and promises[-1].end > start:
                start = max(start, promises[-1].end)
            if index + 1 < len(region.times):
                stop = _split_between(text, expr.end, region.times[index + 1].start, g)
            else:
                stop = _clause_end(text, max(expr.end, region.cue.end()), region.end, g)
            span_start, span_end = _clean_span(text, start, max(stop, expr.end), g)
            promises.append(
                Promise(
                    start=span_start,
                    end=span_end,
                    text=text[span_start:span_end],
                    time_text=text[expr.start : expr.end],
                    due=due,
                )
            )
            last_end = stop
    return promises


def _split_between(text: str, left: int, right: int, g: _Grammar) -> int:
    """Where one promise stops and the next begins, between two time expressions."""
    joins = list(g.promise_joins.finditer(text, left, right))
    return joins[-1].start() if joins else right


def find_vague_promises(text: str, *, language: PhraseBook = ENGLISH) -> list[VaguePromise]:
    """Commitments in `text` whose time is vague or missing, in order, one per pledge."""
    g = _grammar(language)
    regions = _analyse(text, g)
    timed_sentences = {region.sentence for region in regions if _has_concrete_time(region)}
    found: list[VaguePromise] = []
    last_sentence = -1
    for region in regions:
        if _has_concrete_time(region):
            continue
        if region.vague_times:
            words = region.vague_times[0]
        elif region.sentence in timed_sentences:
            # "I'll look into it, and I'll call you by 3pm": the sentence has its time.
            continue
        elif region.vague_actions:
            words = region.vague_actions[0]
        elif region.untimed_ok and region.sentence != last_sentence:
            words = region.cue
        else:
            continue
        stop = _clause_end(text, max(words.end(), region.cue.end()), region.end, g)
        start = min(region.clause_start, words.start())
        if found and found[-1].end > start:
            start = found[-1].end
        span_start, span_end = _clean_span(text, start, stop, g)
        found.append(
            VaguePromise(
                start=span_start,
                end=span_end,
                text=text[span_start:span_end],
                vague_text=text[words.start() : words.end()],
            )
        )
        last_sentence = region.sentence
    return found


def _has_concrete_time(region: _Region) -> bool:
    return any(not expr.past and not expr.excluded for expr in region.times)


def parse_due(
    time_text: str,
    *,
    now: datetime,
    calendar: BusinessCalendar | None = None,
    language: PhraseBook = ENGLISH,
) -> datetime | None:
    """The due time of one time expression ("by Friday 3pm", "EOD"), or None if it has none."""
    g = _grammar(language)
    c = _clock(now, calendar, language)
    norm = time_text.translate(_NORMALISE).strip()
    expressions = _time_expressions(norm, g)
    if expressions:
        expr = expressions[0]
        if expr.past or expr.excluded:
            return None
        due = _resolve(expr, c)
        if due is not None:
            return due
    if g.leading_excluding.match(norm):
        return None
    parsed = _dateparser_fallback(
        g.leading_prep.sub("", norm) or norm,
        c.now.replace(tzinfo=None, second=0, microsecond=0),
        c.month_first,
        language.dateparser_language,
    )
    if parsed is None:
        return None
    if not any(t.lastgroup == "time" for expr in expressions for t in expr.tokens):
        return _closing(c, parsed.date())  # a date, however dateparser filled in its time
    seconds = parsed.hour * 3600 + parsed.minute * 60 + parsed.second
    return local_datetime(c.cal, parsed.date(), seconds)
