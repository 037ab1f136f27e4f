"""English rules for the reply coach: phrase families and patterns, as data.

A language module exposes the names below; the engine compiles them once at import. Patterns are
plain regular-expression strings matched case-insensitively against text whose curly quotes have
been straightened. They describe meaning (subject + modal + verb families, negation, follow-ups),
not example sentences. A second language is a new module with the same names, registered in
`keepwell.coach.engine.LANGUAGES`.
"""

from __future__ import annotations

import re
from datetime import datetime


def words(text: str) -> frozenset[str]:
    """A set of lower-case words from a whitespace-separated string."""
    return frozenset(text.lower().split())


def alt(phrases: str) -> str:
    """A non-capturing alternation of "|"-separated phrases, longest first, flexible spaces."""
    unique = sorted(set(phrases.split("|")), key=len, reverse=True)
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in unique) + ")"


# --- Shared building blocks -----------------------------------------------------------------

WE = alt("i|we")
ADVERB = r"(?:(?:really|honestly|just|simply|genuinely|truly|actually|currently|still|also|"
ADVERB += r"even|normally|usually|always|unfortunately|sadly|afraid|now|already|ever)\s+)"
# "can't", "don't"... with or without the apostrophe, and their long forms.
NOT_ABLE = alt(
    "can't|cant|cannot|can not|couldn't|couldnt|could not|won't|will not|wouldn't|would not"
    "|am unable to|'m unable to|are unable to|'re unable to|am not able to|'m not able to"
    "|are not able to|'re not able to|aren't able to|won't be able to|will not be able to"
    "|am not allowed to|'m not allowed to|are not allowed to|'re not allowed to"
    "|aren't allowed to|am not authorised to|'m not authorised to|am not authorized to"
    "|'m not authorized to|am not in a position to|'m not in a position to|are not in a position to"
    "|'re not in a position to|aren't in a position to"
)
DO_NOT = alt("don't|dont|do not|no longer")
# Refusals, as opposed to the hypothetical "couldn't"/"wouldn't".
FLAT_REFUSAL = alt(
    "can't|cant|cannot|can not|won't|will not|am unable to|'m unable to|are unable to"
    "|'re unable to|are not able to|'re not able to|aren't able to|am not able to|'m not able to"
)
BE_NOT = alt(
    "isn't|isnt|is not|'s not|aren't|arent|are not|'re not|wasn't|was not|weren't|were not"
    "|won't be|will not be|can't be|cant be|cannot be|can not be|couldn't be|could not be"
    "|wouldn't be|would not be"
)
MODAL_FUTURE = r"(?:'ll|\s+will|\s+shall)"


# --- Sentences --------------------------------------------------------------------------------

# Words ending in a full stop that do not end a sentence.
ABBREVIATIONS = words(
    "mr mrs ms dr st vs etc eg ie e.g i.e approx inc ltd co ref tel a.m"
    " p.m min mins max dept jan feb mar apr jun jul aug sep sept oct nov dec"
)

GREETING_LINE = (
    r"^\s*(?:hi|hello|hey|hiya|dear|good\s+(?:morning|afternoon|evening)|morning)\b[^\n]{0,60}$"
)
_SIGN_OFFS = alt(
    "regards|kind regards|best regards|warm regards|best|best wishes|all the best|thanks"
    "|thank you|many thanks|cheers|yours sincerely|yours faithfully|sincerely|take care"
    "|warmly|warm wishes|speak soon|thanks again|with thanks|grateful for you"
)
SIGN_OFF_LINE = r"^\s*" + _SIGN_OFFS + r"\s*[,.!]?\s*$"


# --- Next steps (shared by dead-end and decline) ---------------------------------------------

# Courtesy closers that offer nothing specific; masked before looking for a next step.
GENERIC_CLOSERS = [
    r"\b(?:please\s+)?(?:do\s+)?(?:let\s+(?:me|us)\s+know|feel\s+free\s+to\s+\w+(?:\s+\w+)?|"
    r"don't\s+hesitate\s+to\s+\w+(?:\s+\w+)?|get\s+in\s+touch|reach\s+out)"
    r"(?:\s+(?:with\s+us|again))?\s+(?:if|should|whenever|when)\s+[^.!?\n]{0,60}?"
    r"(?:anything|questions?|queries|query|help|problems?|issues?|concerns?|else)\b[^.!?\n]*",
    r"\b(?:if|should)\s+(?:you\s+)?(?:have|need|there's|there\s+is)\s+(?:any\s+)?(?:other|more|"
    r"further)?\s*(?:anything|questions?|queries|help|problems?|issues?)[^.!?\n]*",
    r"\b(?:is\s+there\s+)?anything\s+else\s+(?:at\s+all\s+)?(?:that\s+)?(?:i|we)\s+can\s+(?:help|do)"
    r"[^.!?\n]*",
    r"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:always\s+)?(?:happy|glad|here)\s+to\s+help[^.!?\n]*",
    r"\b(?:we|i)\s+look\s+forward\s+to[^.!?\n]*",
    r"\bhope\s+(?:this|that)\s+helps",
    r"\bhave\s+a\s+(?:great|good|nice|lovely|wonderful)\s+(?:day|week|weekend|evening)",
]

ACTION_GERUNDS = alt(
    "checking|asking|looking into|looking at|chasing|contacting|calling|ringing|arranging"
    "|sending|restoring|fixing|investigating|escalating|forwarding|passing|speaking|talking"
    "|working on|processing|booking|raising|following up|reviewing|rewriting|replacing"
    "|refunding|getting|sorting|setting up|testing|emailing|writing|changing|updating"
    "|switching"
)
PAST_ACTIONS = alt(
    "asked|forwarded|passed|escalated|raised|contacted|emailed|messaged|rung|rang|called"
    "|phoned|chased|booked|arranged|opened|logged|flagged|requested|reserved|held|added|put"
    "|sent|resent|set up|shared|reported|checked with|checked|spoken to|spoke to|referred"
    "|notified|alerted|pinged|attached|included|applied|credited|upgraded|switched|moved|kept"
    "|found|enclosed"
)
# People or teams whose promised action is a next step ("Priti will reply", "our designer will").
AGENT_NOUNS = alt(
    "team|department|engineer|technician|manager|colleague|courier|driver|specialist"
    "|developers?|designer|fitters?|accountant|supervisor|staff|support|lead|officer|assessor"
    "|mechanic|warehouse|office|store|shop|agent|representative|advisor|adviser"
)
THIRD_PARTY_ACTIONS = alt(
    "reply|respond|call|ring|phone|text|email|write|contact|get back|come back|be in touch"
    "|be in contact|get in touch|send|come|visit|check|look|confirm|sort|arrange|fix|help"
    "|update|follow up|pick up|collect|review|process|handle|bring|take|deliver|fit|repair"
    "|replace|investigate|acknowledge|assess|advise|let you know|be able to"
)
NON_OFFER_VERBS = alt(
    "see|understand|imagine|appreciate|assure|hear|feel|only apologise|only apologize"
    "|only say|say|tell how"
)
INSTRUCTION_VERBS = alt(
    "try|go to|head to|click|tap|open|select|choose|pick|use|send|reply|call|ring|email"
    "|contact|visit|bring|pop|drop|book|upload|download|log in|sign in|retry|restart|update"
    "|install|print|show|search|make sure|leave|follow|return|fill in|complete|register"
    "|switch|turn|check|wash|give|remove|add|tick|untick|enter|type|hold|press"
)
REFERRAL_NOUNS = alt(
    "stockist|partner|retailer|reseller|specialist|affiliate|branch|sister \\w+|repair café"
    "|repair cafe|local \\w+|ombudsman|citizens advice"
)
NEXT_STEP_PATTERNS = [
    # A committed future action by the writer or the business.
    rf"\b{WE}{MODAL_FUTURE}\s+(?!not\b|never\b|be\s+honest|admit\b)\w+",
    rf"\b{WE}(?:'m|\s+am|'re|\s+are)\s+going\s+to\s+\w+",
    rf"\b(?:someone|somebody|a\s+colleague|one\s+of\s+(?:our|my)\s+\w+|(?:our|my|the|your|a)\s+"
    rf"(?:\w+\s+)?{AGENT_NOUNS}|he|she|they){MODAL_FUTURE}\s+{ADVERB}?{THIRD_PARTY_ACTIONS}\b",
    # A named colleague ("Priti will reply"): the only pattern that needs capital letters.
    rf"\b(?-i:[A-Z][a-z]+){MODAL_FUTURE}\s+{ADVERB}?{THIRD_PARTY_ACTIONS}\b",
    r"\blet\s+(?:me|us)\s+(?!know\b)\w+",
    rf"\b(?:i'm|i\s+am|we're|we\s+are)\s+(?:now\s+|currently\s+|already\s+|also\s+)?{ACTION_GERUNDS}\b",
    rf"\b{WE}(?:'ve|\s+have)?\s+(?:just\s+|already\s+|now\s+|also\s+|personally\s+)?{PAST_ACTIONS}\b",
    # Offers and alternatives.
    rf"\b{WE}\s+(?:can|could)\s+(?:also\s+|still\s+|always\s+|easily\s+)?(?!{NON_OFFER_VERBS}\b)\w+",
    r"\b(?:would\s+you\s+like|do\s+you\s+want|want)\s+me\s+to\b",
    r"\bshall\s+(?:i|we)\b",
    r"\b(?:i'd|i\s+would|we'd|we\s+would|i'm|i\s+am|we're|we\s+are)\s+(?:be\s+)?(?:happy|glad|"
    r"pleased)\s+to\s+(?!help\b|hear\b)\w+",
    r"\bwhat\s+(?:i|we|you)\s+can\s+do\b",
    r"\b(?:recommend|suggest)\b",
    r"\b(?:instead|alternatively|another\s+option|other\s+options?|the\s+next\s+step|"
    r"in\s+the\s+meantime|meanwhile|here's\s+how|here\s+is\s+how)\b",
    r"\byou(?:'re|\s+are)\s+(?:very\s+)?welcome\s+to\b",
    r"\byou\s+(?:can|could|may|might\s+want\s+to|may\s+want\s+to|just\s+need\s+to|only\s+need\s+to)"
    r"\s+(?:also\s+|still\s+|always\s+|easily\s+)?(?!not\b|see\b|imagine\b)\w+",
    r"\b(?:could|can|would)\s+you\s+(?:please\s+)?(?:send|try|check|tell|confirm|share|upload|"
    r"reply|call|give|let\s+me\s+know|forward|attach|take|ask|bring)\b",
    rf"(?:^|[.!?:]\s+)(?:please\s+|just\s+|simply\s+|so\s+)?{INSTRUCTION_VERBS}\b(?![-'])",
    r"\bif\s+you\s+(?:\w+\s+)?(?:send|upload|reply|call|ring|email|bring|return|book|order|choose|"
    r"pick|select|click|visit|contact|add|attach|forward|share|switch|upgrade)\b",
    rf"\b(?:(?:our|a|the|your)\s+(?:\w+\s+)?)?{REFERRAL_NOUNS}\b",
    r"\b(?:we|i)\s+(?:also\s+|do\s+)?(?:offer|provide|sell|stock|have)\s+(?:a|an|some|plenty|\d+|free|"
    r"our|another|other)\b",
    r"\b(?<!nobody\s)(?<!no\sone\s)(?<!nothing\s)(?:can|could|will\s+be\s+able\s+to|would\s+be\s+"
    r"able\s+to)\s+(?:help|advise|assist|confirm|check|sort|fix|answer|tell\s+you|look)\b",
    r"\b(?:the\s+)?(?:best|right)\s+(?:person|people|team|place)\b",
    # Resources: a link, an email address or a phone number.
    r"\b(?:https?://|www\.)\S+",
    r"\b[\w-]+\.(?:com|co\.uk|org|net|io|uk|app)(?:/\S*)?",
    r"\b[\w.+-]+@[\w-]+\.[\w.]+",
    r"\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b",
]
# A "but/however" clause after a refusal that offers something positive counts as an
# alternative ("…, but paying upfront locks in today's price").
ALTERNATIVE_TURN = r"\b(?:but|however|though|that\s+said|on\s+the\s+bright\s+side)\b,?\s+"
# Words that make a "but" clause sympathy or a second refusal rather than an alternative.
NOT_AN_ALTERNATIVE = (
    r"\b(?:not|no|never|nothing|unable|sorry|apologi[sz]e|apologies|understand|appreciate|"
    r"thank|thanks|hope|afraid|unfortunately|sadly|frustrat\w*|disappoint\w*|policy|rules?)\b|n't\b"
)


# --- dead-end -----------------------------------------------------------------------------------

_NOT_KNOWING = [
    rf"\b{WE}\s*{ADVERB}?{DO_NOT}\s+{ADVERB}?know\b(?!\s+if\s+you(?:'ve|\s+have)?\s+"
    r"(?:seen|noticed|heard|tried|know))",
    r"\b(?:have|got|had)\s+(?:absolutely\s+)?no\s+(?:idea|clue)\b",
    r"(?:^|[.!?,;:]\s*)(?:honestly,?\s+|sorry,?\s+|hmm,?\s+)?no\s+(?:idea|clue)\b",
    r"\bnot\s+a\s+clue\b",
    r"\b(?:wouldn't|would\s+not|don't|do\s+not|haven't|have\s+not)\s+(?:have\s+|got\s+)?(?:a|the\s+"
    r"(?:slightest|faintest|foggiest|first))\s+(?:clue|idea)\b",
    r"\b(?:not\s+the|no)\s+(?:slightest|faintest|foggiest)\s+idea\b",
    r"\bnot\s+(?:\w+\s+)?(?:sure|certain)\b(?!\s+(?:if|whether)\s+you(?:'ve|\s+have)?\s+"
    r"(?:saw|seen|noticed|know|heard|already))",
    rf"\b{WE}\s+{ADVERB}?(?:couldn't|could\s+not|can't|cannot|wouldn't|would\s+not)\s+{ADVERB}?"
    r"(?:say|tell\s+you)\b(?!\s+how)",
    r"\bi\s+(?:really\s+)?wouldn't\s+know\b",
    r"\byour\s+guess\s+is\s+as\s+good\s+as\s+mine\b",
    r"\b(?:hard|difficult|impossible)\s+to\s+(?:say|tell)\b",
    r"\bwho\s+knows\b|\bbeats\s+me\b",
    r"\bno\s+(?:way|means)\s+(?:for\s+(?:me|us)\s+)?(?:to|of)\s+(?:know|knowing|tell|telling|check|"
    r"checking|find(?:ing)?\s+out|see|seeing|track|tracking|say|saying)\b",
    r"\bno\s+one\s+(?:here\s+)?(?:knows|can\s+tell)\b",
    r"\b(?:i've|i\s+have|we've|we\s+have)\s+(?:got\s+)?no\s+(?:information|info|details|record|news|"
    r"updates?)\b",
    rf"\b{WE}\s*{ADVERB}?{NOT_ABLE}\s+{ADVERB}?(?:find|see)\s+(?:any|a)\s+(?:\w+\s+)?(?:record|"
    r"information|info|details|trace|sign)\b",
    rf"\b{WE}\s*{ADVERB}?{NOT_ABLE}\s+{ADVERB}?(?:figure\s+out|work\s+out|find\s+out|explain|"
    r"diagnose|comment|advise|answer\s+that|see\s+why)\b",
    rf"\b{WE}\s*{ADVERB}?{DO_NOT}\s+{ADVERB}?have\s+(?:any\s+)?(?:more\s+|further\s+|other\s+)?"
    r"(?:those|that|them|access|the\s+(?:details|info|information|answer)|information|info|"
    r"details|news|updates?)\b",
]
_NOT_MINE = [
    rf"\b{WE}\s*{ADVERB}?{DO_NOT}\s+(?:deal|handle|work)\s+with\b",
    r"\bnot\s+(?:my|our)\s+(?:department|area|job|remit|call|business|team|decision)\b(?!\s+to\b)",
    r"\b(?:out\s+of|beyond)\s+(?:my|our)\s+(?:hands|control|remit)\b",
    r"\bnot\s+(?:the\s+)?(?:right|best)\s+(?:person|people|team)\b",
    r"\b(?:a\s+question|one|something)\s+for\s+(?:the|our|your)\s+(?:\w+\s+){0,2}"
    r"(?:team|department|people|office)\b",
    r"\bno\s+control\s+over\b",
    r"\babove\s+my\s+pay\s+grade\b",
    r"\b(?:that's|it's|that\s+is|it\s+is)\s+(?:one|a\s+matter|a\s+question)\s+for\s+(?:someone|somebody|"
    r"another|a\s+different)\b",
    rf"\bnot\s+(?:something|anything)\s+{WE}\s+(?:deal|can\s+deal)\s+with\b",
    r"\b(?:isn't|is\s+not|not)\s+(?:really\s+)?(?:something|anything|a\s+thing)\s+(?:that\s+)?(?:i|we|"
    r"our\s+(?:team|department|office|shop|company))\s+(?:handles?|deals?\s+with|covers?|looks?\s+"
    r"after)\b",
]
_UNABLE = [
    rf"\b(?:nothing|not\s+much|not\s+a\s+lot|very\s+little|little)\s+(?:more\s+|else\s+)?{WE}\s+"
    r"(?:can|could)\s+do\b",
    rf"\b(?:isn't|is\s+not|not)\s+(?:really\s+)?(?:something|anything|a\s+question)\s+{WE}\s+(?:can|"
    r"could|am\s+able\s+to)\s+(?:do\s+anything\s+about|help\s+(?:you\s+)?with|change|control|fix|"
    r"advise\s+on|comment\s+on|answer|say|tell\s+you|deal\s+with|look\s+into)\b",
    rf"\b{WE}\s*{ADVERB}?{NOT_ABLE}\s+{ADVERB}?(?:help|assist|do\s+(?:anything|much|more))\b",
    r"\b(?:my|our)\s+hands\s+are\s+tied\b",
    rf"\b(?:that's|this\s+is)\s+all\s+{WE}\s+can\s+(?:say|do|tell\s+you)\b",
    rf"\b{WE}(?:'ve|\s+have)\s+done\s+(?:all|everything)\s+{WE}\s+can\b",
    r"\bnothing\s+(?:more|else)\s+(?:i|we)\s+can\s+(?:say|add|tell\s+you)\b",
    r"\bi\s+don't\s+know\s+what\s+(?:else|more)\s+to\s+(?:tell|say)\b",
]
# (kind, patterns, suggested next step); {due} is a concrete time such as "by 3pm today".
DEAD_END_RULES: list[tuple[str, list[str], str]] = [
    ("not-knowing", _NOT_KNOWING, "I'll find out and get back to you {due}."),
    (
        "not-mine",
        _NOT_MINE,
        "I'll pass this to the right person and make sure you hear back {due}.",
    ),
    ("unable", _UNABLE, "Here's what I can do: I'll look into the options and write back {due}."),
]


# --- decline-without-alternative ----------------------------------------------------------------

_DECLINE_VERB_LIST = (
    "offer|provide|do|give|issue|grant|accept|allow|permit|support|ship|deliver|post|refund"
    "|reimburse|credit|compensate|exchange|swap|replace|return|extend|waive|cancel|change"
    "|amend|modify|alter|reschedule|transfer|pause|freeze|split|combine|repair|fix|recover"
    "|restore|reinstate|reopen|reverse|override|reserve|book|take|sell|stock|carry|match"
    "|price match|honour|honor|discount|guarantee|make an exception|make exceptions"
    "|make any exceptions|make changes|make any changes|make alterations|process|approve"
    "|authorise|authorize|install|customise|customize|upgrade|downgrade|add|remove|unlock"
    "|release|host|cater|open|send"
)
DECLINE_VERBS = alt(_DECLINE_VERB_LIST)


def _gerund(verb: str) -> str:
    if verb == "price match":
        return "price matching"
    head, _, rest = verb.partition(" ")
    if head.endswith("e") and not head.endswith("ee"):
        head = head[:-1]
    elif head in {"ship", "swap", "stop", "plan", "transfer"}:
        head += head[-1]
    return (head + "ing " + rest).strip()


DECLINE_GERUNDS = alt("|".join(_gerund(v) for v in _DECLINE_VERB_LIST.split("|")))
# States that say "no" after "isn't"/"aren't": "isn't possible", "aren't refundable".
DECLINE_STATES = alt(
    "possible|available|allowed|permitted|eligible|covered|refundable|returnable|transferable"
    "|transferrable|exchangeable|accepted|offered|supported|an option"
)
# Things that "can't be" done: "can't be cancelled", "won't be refunded".
DECLINE_PARTICIPLES = alt(
    "refunded|returned|exchanged|cancelled|canceled|changed|transferred|paused|extended"
    "|waived|split|reversed|recovered|repaired|replaced|done|made|guaranteed|shipped"
    "|delivered|amended|moved|booked|reserved|processed|issued|granted|reopened|restored"
    "|upgraded|discounted|accommodated|honoured|honored|fixed|added|applied|included|combined"
    "|removed|sent|posted|collected|arranged|offered|swapped|altered|modified|customised"
    "|customized|postponed|rescheduled|paused|frozen|overridden"
)
CANNOT_BE = alt(
    "can't be|cant be|cannot be|can not be|couldn't be|could not be|won't be|will not be"
    "|wouldn't be|would not be|isn't able to be"
)
DECLINE_PATTERNS = [
    rf"\b{WE}\s*(?:won't|will\s+not|wouldn't|would\s+not|aren't|are\s+not|'re\s+not|am\s+not|"
    rf"'m\s+not)\s+be\s+{ADVERB}?{DECLINE_GERUNDS}\b",
    rf"\b{WE}\s*{ADVERB}?(?:{NOT_ABLE}|{DO_NOT})\s+{ADVERB}?(?:\w+\s+)?{DECLINE_VERBS}\b",
    rf"\byou\s+{ADVERB}?(?:{NOT_ABLE}|aren't\s+able\s+to|are\s+not\s+able\s+to)\s+{ADVERB}?"
    rf"{DECLINE_VERBS}\b",
    rf"\b{BE_NOT}\s+{ADVERB}?(?:\w+\s+)?{DECLINE_STATES}\b",
    rf"\b{CANNOT_BE}\s+{ADVERB}?{DECLINE_PARTICIPLES}\b",
    rf"\b(?:isn't|is\s+not|aren't|are\s+not|not)\s+(?:something|anything|a\s+service|a\s+thing)\s+"
    rf"(?:that\s+)?{WE}\s+(?:can\s+|are\s+able\s+to\s+)?{DECLINE_VERBS}\b",
    r"\bnon[- ]?(?:refundable|returnable|transferable|transferrable|exchangeable)\b",
    r"\bno\s+(?:refunds|returns|exchanges|exceptions|cancellations|pets|dogs|changes)\b",
    r"\b(?:we|i)\s+have\s+a\s+(?:strict\s+)?no[- ]\w+\s+policy\b",
    r"\b(?:against|not\s+within)\s+(?:our|the|company)\s+(?:\w+\s+)?polic(?:y|ies)\b",
    r"\b(?:doesn't|does\s+not|don't|do\s+not|won't|will\s+not)\s+(?:allow|permit|cover|support)\b",
    rf"\b{WE}\s+(?:only|just)\s+(?:accept|ship|deliver|take|offer|sell|do|allow|serve|support|"
    r"stock|post|send|make|produce|print|bake|build|cover|teach|open|operate|cater|work\s+with|"
    r"deal\s+with|repair|fit|install|service|book|hire|rent|lend|issue)\b",
    rf"\b{WE}\s+have\s+no\s+plans\s+to\b",
    r"\bnot\s+on\s+(?:our|the)\s+roadmap\b",
    r"\bfully\s+booked\b",
    r"\b(?:is|are)\s+(?:now\s+)?(?:digital|online|email|electronic|in[- ]store|in[- ]person|card|"
    r"cash)[- ]only\b",
    r",\s*so\s+(?:no|that's\s+a\s+no|i'm\s+afraid\s+not|the\s+answer\s+is\s+no)\b\W*$",
    rf"\b(?:i'm\s+afraid|unfortunately|sadly|regrettably|sorry),?\s+{WE}\s*(?:{FLAT_REFUSAL}|"
    rf"{DO_NOT})\s+\w+",
    rf"\b{WE}\s*(?:{FLAT_REFUSAL}|{DO_NOT})\s+\w+[^.!?\n]{{0,60}},\s*(?:i'm\s+afraid|unfortunately|"
    r"sadly)\b",
    rf"\b{WE}(?:'ll|\s+will|\s+must|\s+have\s+to|'ve\s+got\s+to|\s+need\s+to)?\s+(?:have\s+to\s+)?"
    r"(?:decline|refuse|turn\s+down|say\s+no\s+to)\b",
    r"\b(?:request|claim|application|appeal|refund|return|order|booking)\s+(?:has\s+been|was|is|"
    r"have\s+been)\s+(?:\w+\s+)?(?:declined|refused|rejected|denied|unsuccessful|not\s+approved)\b",
    r"\bthere(?:'s|\s+is|\s+are)\s+no\s+(?:\w+[- ])?(?:way|option|possibility|exceptions?|refunds?|"
    r"fast[- ]track|availability|discounts?|chance)\b",
    r"\bthere\s+(?:isn't|is\s+not|aren't|are\s+not)\s+(?:a|an|any)\s+(?:\w+[- ])?(?:way|option|"
    r"possibility|exceptions?|fast[- ]track|discounts?|availability)\b",
]
# Sentences that are a refusal on their own ("Sorry, no.").
DECLINE_SENTENCE_PATTERNS = [
    r"\s*(?:sorry,?\s+|i'm\s+afraid\s+|unfortunately,?\s+)?(?:no|nope|afraid\s+not|"
    r"unfortunately\s+not|the\s+answer\s+is\s+no)(?:,?\s+sorry)?\s*[.!]?\s*",
]
# A refusal inside a condition or a question is not a refusal ("if we can't fix it, we'll…").
DECLINE_GUARD = r"\b(?:if|unless|whether|in\s+case|even\s+if|until)\b[^.!?\n]{0,40}$"


# --- blame --------------------------------------------------------------------------------------

# (category, patterns, message, suggestion)
BLAME_RULES: list[tuple[str, list[str], str, str]] = [
    (
        "customer-fault",
        [
            r"\byou\s+(?:really\s+|clearly\s+|obviously\s+|simply\s+)?(?:should|ought\s+to|must|"
            r"needed\s+to|were\s+supposed\s+to)\s+(?:have|'ve)\s+(?!received\b|got\b|gotten\b|had\b|"
            r"been\b|seen\b|heard\b)\w+",
            r"\byou\s+(?:could|might)\s+(?:just\s+|simply\s+)?have\s+(?!received\b|got\b|gotten\b|had\b|"
            r"been\b|seen\b|heard\b|noticed\b)\w+ed\b",
            r"\byou\s+(?:probably|presumably|evidently|must\s+have|likely)\s+(?!received\b|got\b|have\s+"
            r"received\b|have\s+got\b)\w+",
            r"\b(?:records|system|logs|history|notes)\s+(?:clearly\s+)?shows?\s+(?:that\s+)?you\s+(?:did|"
            r"\w+ed)\b",
            r"\byou\s+did\s+(?:ask|order|agree|select|choose|click|tick|sign|request|confirm|book|"
            r"approve|accept)\b",
            r"\byou\s+(?:were\s+supposed\s+to|needed\s+to|failed\s+to|forgot\s+to|neglected\s+to)\s+"
            r"(?!let\s+us)\w+",
            r"\byou\s+(?:clearly\s+|obviously\s+)?(?:didn't|did\s+not|never)\s+(?:read|check|follow|"
            r"cancel|confirm|look|enter|select|update|tick|notice|pay\s+attention)\w*\s+"
            r"(?:it\s+|them\s+|the\s+\w+\s+)?(?:properly|correctly|carefully|at\s+all|first)\b",
            r"\b(?:if|had)\s+you(?:'d|\s+had)?\s+(?:only\s+|just\s+|actually\s+)?(?:bothered\s+to\s+)?"
            r"(?:read|checked|looked|entered|followed|paid\s+attention|typed|selected|listened)\b",
            r"\byou(?:'d|\s+would)\s+have\s+(?:known|seen|noticed|realised|realized|understood)\b",
            r"\bhad\s+you\s+(?:only\s+|just\s+|actually\s+)?(?:\w+ed|read|known|seen|done|taken|told)\b",
            r"\byou\s+(?:may|might|must)\s+have\s+(?:misread|misunderstood|mistyped|miscalculated|"
            r"misheard|mixed\s+up|confused|overlooked|missed|ignored)\b",
            r"\bcaused\s+by\s+(?:the\s+)?(?:user|customer|owner|misuse|incorrect\s+use|improper\s+use|"
            r"user\s+error)\b",
            r"\bdid\s+you\s+(?:even\s+|actually\s+)?(?:read|check|look\s+at)\b",
            r"\bhave\s+you\s+(?:even|actually)\s+(?:read|tried|checked|looked)\b",
            r"\byou\s+(?:obviously|clearly)\s+(?:didn't|did\s+not|don't|do\s+not|can't|cannot|"
            r"weren't|aren't|haven't|misread|misunderstood|forgot|ignored|missed)\b"
            r"(?!\s+(?:had|have|get|got|receive|received|deserve))",
            r"\b(?:it's|it\s+is|that's|that\s+is|was|is)\s+(?:really\s+|entirely\s+|all\s+|"
            r"completely\s+)?your\s+(?:own\s+)?(?:fault|responsibility|problem|mistake|job)\b",
            r"\b(?:it's|it\s+is|that's|that\s+is|is)\s+up\s+to\s+you\s+to\b",
            r"\bthat's\s+on\s+you\b",
            r"\buser\s+error\b",
            r"\b(?:misunderstanding|mistake|error|confusion|oversight|misreading)\s+on\s+your\s+"
            r"(?:part|end|side)\b",
            r"\b(?:was|were|has\s+been|have\s+been|must\s+have\s+been)\s+(?:clearly\s+|obviously\s+)?"
            r"(?:misused|mishandled|abused|mistreated|neglected|dropped|overloaded|tampered\s+with)\b",
            r"\byou\s+(?:agreed|accepted|signed|consented|ticked)\s+(?:to\s+)?(?:\w+\s+){0,3}?(?:our|the|"
            r"a)\s+(?:[\w-]+\s+){0,2}(?:terms|contract|conditions|policy|agreement|box)\b",
            r"\ball\s+you\s+(?:had|have|needed|need)\s+to\s+do\s+(?:was|is)\b",
            r"\byou(?:'re|\s+are)\s+the\s+only\s+(?:customer|one|person|client)\s+(?:who|to|that)\b",
            r"\byou\s+need\s+to\s+be\s+more\s+careful\b",
            r"\b(?:it\s+was|it's|that's|that\s+was|this\s+was)\s+(?:all\s+)?your\s+(?:own\s+)?"
            r"(?:mistake|error|doing)\b",
            r"\byou\s+made\s+(?:a|the|an)\s+(?:\w+\s+)?(?:mistake|error)\b",
        ],
        "This reads as blaming the customer.",
        "Describe what happened without fault, then what you'll do: "
        "\"It looks like the details didn't match, so here's how I'll put it right.\"",
    ),
    (
        "reproach",
        [
            r"\bas\s+(?:(?:i|we)(?:'ve|\s+have)?\s+)?(?:already|previously)\s+(?:said|told|explained|"
            r"mentioned|stated|pointed\s+out|informed|advised)",
            r"\b(?:as|like)\s+i\s+(?:said|told\s+you|explained)\b",
            r"\b(?:i|we)(?:'ve|\s+have)?\s+already\s+(?:told|explained|said)\b",
            r"\bfor\s+the\s+(?:second|third|fourth|fifth|last|umpteenth|\d+(?:st|nd|rd|th))\s+time\b",
            r"\bas\s+you\s+(?:were|have\s+been)\s+(?:told|informed|advised)\b",
            r"\bshouldn't\s+have\s+to\s+(?:explain|repeat|tell|say)\b",
            r"\bas\s+you(?:'ll|\s+will|\s+would|\s+can|\s+could)\s+see\s+if\s+you\b",
            r"\b(?:which|as)\s+we\s+(?:clearly\s+)?warned\b",
            r"\bwe\s+made\s+(?:it|this)\s+(?:very\s+)?clear\b",
            r"\b(?:clearly|plainly)\s+(?:states?|stated|says|said|explains?|explained|shows?|"
            r"marked|written|displayed)\b",
            r"\b(?:read|check)\s+(?:it|them|the\s+\w+(?:\s+\w+)?|our\s+\w+|each\s+step)\s+"
            r"(?:properly|carefully|first)\b",
            r"\b(?:check|read)\s+(?:there|your\s+own\s+\w+)\s+(?:first|before)\b",
            r"\bbefore\s+(?:contacting|writing\s+(?:in|to)|emailing|calling|getting\s+in\s+touch\s+with)"
            r"\s+us\b|\b(?:before|instead\s+of)\s+(?:making\s+accusations|accusing|complaining|jumping\s+to)",
            r"\bcan't\s+(?:\w+\s+){0,2}(?:every|everyone|everybody|all)\s+(?:\w+\s+)?(?:instantly|"
            r"immediately|individually|straight\s+away|at\s+once)\b",
            r"\bnext\s+time,?\s+(?:you\s+(?:need|should|must|have)\s+to|please\s+(?:check|read|make|"
            r"double-check))",
            r"\b(?:check|double-check|read)\s+[^.!?\n]{0,40}\bnext\s+time\b",
            r"\bplease\s+(?:be\s+patient|stop\s+\w+ing)\b",
            r"\bno\s+need\s+to\s+(?:be\s+rude|shout|swear|take\s+that\s+tone|use\s+that\s+tone)\b",
            r"\b(?:calm\s+down|watch\s+your\s+tone|with\s+(?:all\s+due\s+)?respect)\b",
            r"\b(?:most|other|all\s+our|thousands\s+of|hundreds\s+of|many|plenty\s+of)\s+"
            r"(?:other\s+)?(?:customers|people|guests|users|clients|patients)\s+(?:\w+\s+){0,6}?"
            r"(?:manage|managed|cope|have\s+no|had\s+no|never|without\s+any)\b",
            r"\b(?:no|any)\s+other\s+(?:customer|guest|user|client|patient)s?\b",
            r"\b(?:no\s*one|nobody)\s+else\s+(?:has|had|seems\s+to\s+have)\s+(?:had|complained|reported|"
            r"found|mentioned)\b",
            r"\bfor\s+a\s+reason\b",
            r"\bit's\s+not\s+(?:difficult|hard|rocket\s+science)\b",
            r"\b(?:you\s+(?:need|have|must)\s+to|please)\s+understand\s+that\b",
            r"\bcommon\s+sense\b",
            r"\b(?:i'm|i\s+am)\s+not\s+sure\s+what\s+(?:else\s+|more\s+)?you\s+(?:expect|want)\b",
            r"\bwhat\s+(?:else|more)\s+do\s+you\s+(?:expect|want)\b",
            r"\bwe\s+can't\s+please\s+everyone\b",
            r"\b(?:rules\s+are\s+rules|it\s+is\s+what\s+it\s+is)\b",
            r"\b(?:says|stated|states|written)\s+(?:so\s+)?(?:clearly\s+)?(?:in\s+black\s+and\s+white|"
            r"right\s+there)\b",
        ],
        "This lectures the customer or reminds them they were told.",
        "Restate the key fact plainly, as if for the first time, and add the next step.",
    ),
    (
        "deflection",
        [
            r"\bnot\s+(?:our|my)\s+(?:fault|problem|responsibility|concern|issue)\b",
            r"\b(?:isn't|is\s+not|wasn't|was\s+not)\s+(?:our|my)\s+(?:fault|problem|responsibility)\b",
            r"\b(?:the|their|his|her)\s+\w+(?:'s)?\s+fault\b",
            r"\b(?:their|his|her)\s+(?:fault|responsibility|problem|mistake)\b",
            r"\b(?:fault|responsibility|problem|issue|doing|mistake),?\s+not\s+(?:ours|mine|us|our\s+\w+)\b",
            r"\b(?:that's|it's|that\s+is|it\s+is|this\s+is)\s+(?:entirely\s+|really\s+)?(?:your|their)\s+"
            r"(?:\w+'s\s+)?(?:problem|fault|issue|responsibility|lookout)\b",
            r"\b(?:wasn't|was\s+not|never)\s+(?:our|my)\s+intention\b",
            r"\bi\s+(?:really\s+|honestly\s+)?doubt\s+(?:that\s+)?(?:\w+\s+){0,3}?(?:was|were|is|are)\s+"
            r"(?:really\s+|actually\s+)?(?:missing|broken|damaged|faulty|wrong|true|the\s+case|lost)\b",
            r"\bi\s+find\s+(?:it|that)\s+hard\s+to\s+believe\b",
            r"\bblame\s+(?:them|the\s+\w+|your\s+\w+|him|her)\b",
            r"\bto\s+blame\b",
            r"\bcan(?:'t|not)\s+be\s+held\s+responsible\b",
            r"\b(?:that's|that\s+is|it's|it\s+is)\s+down\s+to\s+(?:you|your|the\s+\w+|them)\b",
            r"\b(?:wasn't|was\s+not|not)\s+me\s+who\b",
            r"\b(?:it\s+)?wasn't\s+me\b",
            r"\b(?:my|a|our)\s+colleagues?\s+should\s+have\b",
            r"\b(?:they|management|head\s+office)\s+never\s+(?:tell|told|inform|update)\s+us\b",
            r"\b(?:our|the)\s+(?:\w+\s+){0,2}(?:is|are|was|were)\s+(?:perfectly|absolutely)\s+(?:fine|"
            r"secure|safe|good)\b",
            r"\b(?:our|the)\s+(?:\w+\s+)?(?:is|are)\s+fine\b,",
            r"\bnothing\s+wrong\s+with\s+(?:our|the)\b",
            r"\b(?:fine|working|perfect)\s+when\s+(?:it|they)\s+left\s+(?:us|our)\b",
            r"\bwe\s+did\s+nothing\s+wrong\b|\bnot\s+(?:something|anything)\s+we\s+did\s+wrong\b",
            r"\b(?:simply|just|only)\s+(?:doing\s+(?:their|his|her|my|our)\s+job|(?:following|"
            r"applying)\s+(?:the\s+|our\s+|company\s+)?(?:policy|procedure|rules|process))\b",
            r"\b(?:all\s+our|every\s+one\s+of\s+our|each\s+of\s+our)\s+\w+\s+(?:is|are)\s+(?:\w+\s+)?"
            r"(?:checked|tested|inspected|cleaned|serviced)\b",
            r"\bwe\s+(?:always\s+|carefully\s+)?(?:check|test|inspect|pack)\s+(?:every|each|all)\s+\w+\s+"
            r"(?:\w+\s+)?(?:carefully|thoroughly|before)\b",
            r"\bexactly\s+what\s+you\s+(?:ordered|paid|asked|requested|booked|chose)\b",
            r"\b(?:that's|that\s+is|which\s+is)\s+(?:exactly\s+)?what\s+you\s+(?:got|asked\s+for|ordered|"
            r"paid\s+for|chose|wanted)\b",
            r"\b(?:did|done|followed)\s+exactly\s+(?:as|what)\s+(?:instructed|asked|requested|you\s+"
            r"(?:asked|said|requested|told))\b",
            r"\b(?:we're|we\s+are|i'm|i\s+am)\s+not\s+(?:responsible|liable|accountable)\b",
            r"\bnot\s+(?:my|our)\s+(?:job|responsibility|place)\s+to\b",
            r"\byou(?:'re|\s+are)\s+(?:overreacting|being\s+(?:unreasonable|rude|difficult|"
            r"dramatic))\b",
            r"\bour\s+\w+\s+(?:are|is)\s+(?:all\s+)?(?:professionals|experienced|highly\s+trained|"
            r"(?:very|extremely|always)\s+(?:thorough|careful|professional|experienced|polite))\b",
            r"\b(?:nothing|not\s+anything)\s+to\s+do\s+with\s+(?:us|me)\b",
            r"\b(?:my|a|the)\s+(?:colleague|other\s+(?:agent|person|team)|previous\s+(?:agent|person))\s+"
            r"(?:messed\s+up|got\s+it\s+wrong|made\s+(?:a|the)\s+mistake|screwed\s+up)\b",
            r"\bi\s+wasn't\s+the\s+one\s+who\b",
            r"\bwhoever\s+(?:dealt\s+with|handled|took)\s+(?:this|your|it)\b",
        ],
        "This shifts the blame or sounds defensive.",
        "Own the problem for the customer: \"I'm sorry this happened; here's what I'm doing "
        'about it."',
    ),
    (
        "non-apology",
        [
            r"\bsorry\s+(?:that\s+|if\s+)?you\s+(?:feel|felt)\b(?!\s+(?:unwell|ill|poorly|sick|"
            r"rough|better|under\s+the\s+weather))",
            r"\bsorry\s+(?:that\s+|if\s+)?you\s+(?:think|thought|believe|perceive|see\s+it|took\s+it|"
            r"find\s+(?:it|this|that|our))\b",
            r"\bsorry\s+if\s+(?:you|anyone)\s+(?:was|were|got|felt|are|is)\s+(?:offended|upset|"
            r"confused|annoyed|disappointed)\b",
            r"\bsorry\s+for\s+any\s+(?:misunderstanding|confusion)\s+on\s+your\s+(?:part|side|end)\b",
            r"\bsorry\s+if\s+[^.!?\n]{0,40}?\b(?:offended|offensive|upset|rude|came\s+across|found|"
            r"took\s+it|misunderstood)\b",
            r"\bapologi[sz]e\s+if\s+(?:you|anyone)\b|\bapologi[sz]e\s+that\s+you\s+(?:feel|felt|think)\b",
            r"\bregret\s+that\s+you\s+(?:feel|felt|think|are\s+unhappy)\b",
        ],
        "This is a non-apology: it regrets the customer's feelings, not what happened.",
        'Apologise for the cause: "I\'m sorry we let you down on this."',
    ),
]


# --- personal-problems --------------------------------------------------------------------------

INTENSIFIER = r"(?:(?:so|really|completely|totally|absolutely|utterly|just|a\s+bit|a\s+little|"
INTENSIFIER += r"pretty|quite|very|extremely|super|feeling|getting|honestly|seriously|properly|"
INTENSIFIER += r"genuinely|literally|still|bloody|beyond|rather|kind\s+of|sort\s+of|all)\s+)"
DISTRESS_STATES = alt(
    "exhausted|tired|knackered|shattered|drained|burnt out|burned out|stressed|stressed out"
    "|overwhelmed|swamped|snowed under|drowning|struggling(?!\\s+to\\b)|fed up|ill|unwell"
    "|poorly|run down|worn out|frazzled|fried|miserable|depressed|anxious|burning out"
    "|dreading|rough|all over the place|at the end of my tether|at my wit's end"
    "|at breaking point|running on empty|barely keeping up|not coping|sick(?!\\s+of\\b)"
    "|in bed with|hungover|sleep-deprived|on my own|the only one"
)
BAD_PERIOD = alt(
    "awful|terrible|horrible|horrendous|rough|long|bad|tough|hard|crazy|hectic|stressful"
    "|nightmare|difficult|rubbish|grim|mad|manic|exhausting|miserable|shocking"
)
PERIOD = alt("week|day|morning|afternoon|month|few days|few weeks|year")
PERSONAL_NOUNS = alt(
    "laptop|phone|computer|internet|boiler|heating|washing machine|bike|"
    "kids?|child|children|son|daughter|baby|wife|husband|partner|mum|mom|dad|father|mother"
    "|parents|grandma|grandad|grandmother|grandfather|dog|cat|family|landlord|boss|car|health"
    "|divorce|marriage|boyfriend|girlfriend|flat|house|personal life|life"
)
TROUBLE_WORDS = alt(
    "died|crashed|stolen|flooded|in the garage|written off|packed up|gave up|"
    "sick|ill|unwell|hospital|a&e|a & e|died|passed away|funeral|broke down|broken down"
    "|evict\\w*|killing|pounding|hurting|aching|fried|bad|awful|terrible|on my back"
    "|not sleeping|up all night|divorce|surgery|operation|leaving me|left me|nightmare|mess"
    "|falling apart|disaster"
)
PERSONAL_PATTERNS = [
    rf"\bi(?:'m|\s+am|'ve\s+been|\s+have\s+been|\s+was|\s+feel|\s+felt|'m\s+feeling|\s+am\s+feeling|"
    rf"'m\s+getting)\s+{INTENSIFIER}{{0,3}}{DISTRESS_STATES}\b",
    rf"\bi(?:'ve|\s+have)?\s+had\s+(?:a|an|one)\s+(?:of\s+those\s+)?{INTENSIFIER}{{0,2}}{BAD_PERIOD}"
    rf"(?:\s+\w+)?\s+{PERIOD}\b",
    rf"\b(?:it's|it\s+has|it\s+had|this\s+has|today\s+has|today's)\s+been\s+(?:(?:a|an)\s+"
    rf"{INTENSIFIER}{{0,2}}{BAD_PERIOD}(?:\s+\w+)?\s+{PERIOD}|one\s+of\s+those\s+(?:days|weeks)|"
    r"(?:absolute\s+|total\s+)?(?:chaos|hell|mad|manic|a\s+nightmare|a\s+disaster))\b"
    r"(?!\s+for\s+you)",
    rf"\bmy\s+(?:\w+\s+)?{PERIOD}\s+(?:has\s+been|was|is)\s+(?:a\s+)?{INTENSIFIER}{{0,2}}(?:total\s+)?"
    rf"(?:{BAD_PERIOD}|nightmare|disaster|hell|chaos|mess)\b",
    rf"\bmy\s+(?:\w+\s+)?{PERSONAL_NOUNS}\b[^.!?\n]{{0,50}}\b{TROUBLE_WORDS}\b",
    rf"\b(?:terrible|awful|bad|sad|horrible|tragic)\s+news\b[^.!?\n]{{0,30}}\bmy\s+{PERSONAL_NOUNS}\b",
    r"\bmy\s+(?:back|head|neck|tooth|teeth|knee)\s+(?:is|are|was|has\s+been)\s+(?:\w+\s+)?(?:killing|"
    r"pounding|hurting|aching|sore|agony|throbbing)",
    r"\bi\s+(?:haven't|have\s+not|didn't|did\s+not|barely|hardly)\s+(?:slept|sleep|had\s+(?:a\s+)?"
    r"(?:lunch\s+)?break|eaten|had\s+a\s+day\s+off)\b",
    r"\brunning\s+on\s+(?:\w+\s+)?(?:hours?'?\s+)?(?:sleep|empty|fumes|caffeine|coffee)\b",
    r"\b(?:had|got|getting|had\s+had)\s+(?:zero|no|little|hardly\s+any|barely\s+any|next\s+to\s+no)\s+"
    r"sleep\b",
    r"\bunder\s+(?:a\s+lot\s+of|so\s+much|huge|massive|a\s+ton\s+of|too\s+much|enormous)\s+"
    r"(?:pressure|stress|strain)\b",
    r"\bthings\s+are\s+(?:slipping|falling\s+apart|getting\s+on\s+top\s+of\s+me)\b",
    r"\b(?:a\s+)?hell\s+of\s+a\s+(?:week|day|month|morning|time)\b",
    r"\bmy\s+(?:hospital|sick)\s+bed\b",
    rf"\bi(?:'m|\s+am|'ve\s+been|\s+have\s+been)\s+feeling\s+{INTENSIFIER}{{0,2}}(?:low|down|rubbish|"
    r"awful|terrible|dreadful|grim|lousy|crap|awful)\b(?!\s+(?:about|that|for))",
    r"\b(?:work|my\s+job|this\s+job)\s+(?:is|has\s+been)\s+(?:really\s+|so\s+|very\s+)?(?:hard|"
    r"tough|difficult|stressful|awful|a\s+nightmare|too\s+much)\b",
    r"\bi(?:'m|\s+am|'ve\s+been|\s+have\s+been|\s+was)\s+(?:still\s+)?(?:recovering\s+from|in\s+"
    r"hospital|having\s+treatment|on\s+medication|working\s+from\s+(?:bed|hospital))\b",
    r"\b(?:wearing|grinding)\s+me\s+down\b|\bgetting\s+(?:to|on\s+top\s+of)\s+me\b|\bdriving\s+me\s+"
    r"(?:mad|crazy|up\s+the\s+wall|round\s+the\s+bend)\b|\bkilling\s+me\b",
    r"\bup\s+all\s+night\b",
    r"\bworking\s+(?:until|till|til)\s+(?:midnight|\d+\s*(?:am|pm)?)\s+(?:every|each)\b",
    r"\b(?:doing|covering)\s+(?:\w+\s+)?(?:people's|peoples|person's)\s+jobs?\b",
    r"\bcovering\s+for\s+(?:two|three|\d+|several|half)\b",
    rf"\b(?:we're|we\s+are|we've\s+been|we\s+have\s+been)\s+{INTENSIFIER}{{0,2}}"
    r"(?:short[- ]staffed|drowning|swamped|snowed\s+under|overwhelmed|run\s+off\s+our\s+feet|"
    r"stretched\s+thin)\b",
    r"\bhalf\s+(?:the|of\s+the|our)\s+team\s+(?:is|are)\s+(?:off|out|sick)\b",
    r"\b(?:i\s+)?can't\s+(?:think\s+straight|keep\s+up|cope|focus|concentrate)\b",
    r"\bi(?:'m|\s+am|'ve\s+been|\s+have\s+been|\s+was)\s+(?:\w+\s+)?(?:going\s+through|dealing\s+"
    r"with)\s+(?:a\s+lot|(?:a|an)\s+"
    r"(?:\w+\s+){0,2}(?:time|divorce|break-?up|patch|situation))\b",
    r"\bi\s+hate\s+(?:mondays|my\s+job|this\s+job|working\s+here)\b",
    rf"\bi(?:'m|\s+am)\s+having\s+(?:(?:a|an)\s+{INTENSIFIER}{{0,2}}{BAD_PERIOD}\s+{PERIOD}|one\s+of\s+"
    r"those\s+days)\b",
    r"\bi\s+(?:really\s+|so\s+|badly\s+)?need\s+(?:a\s+holiday|a\s+break|a\s+drink|some\s+sleep)\b",
    r"\bcan't\s+wait\s+(?:for\s+(?:the\s+weekend|friday|my\s+holiday|this\s+(?:day|week)\s+to\s+end)|"
    r"to\s+go\s+home|until\s+(?:home\s+time|the\s+weekend))\b",
    r"\b(?:family|personal)\s+(?:emergency|issues|problems|crisis)\b",
    r"\bi(?:'ve|\s+have)\s+got\s+(?:so\s+much|too\s+much|a\s+lot)\s+on\b",
    r"\b(?:i'm|i\s+am)\s+(?:so\s+|way\s+|really\s+|completely\s+)behind\b",
    r"\blost\s+my\s+voice\b",
    r"\b(?:a|my)\s+(?:horrible|awful|terrible|nasty|stinking|bad)\s+(?:cold|flu|migraine|headache|"
    r"hangover|back)\b",
    r"\bmigraine\b",
    r"\bnot\s+feeling\s+(?:well|great|good|myself|100%|the\s+best)\b",
    r"\bbetween\s+you\s+and\s+me\b",
    r"\bwork\s+is\s+the\s+last\s+thing\s+on\s+my\s+mind\b",
    r"\bmy\s+(?:head|brain)\s+is\b",
    r"\bcan\s+barely\s+remember\b",
]


# --- length-preference --------------------------------------------------------------------------

# Preferred word range per detail level, (minimum, maximum); None means no bound.
LENGTH_PREFERENCES: dict[str, tuple[int | None, int | None]] = {
    "brief": (None, 80),
    "standard": (None, 250),
    "detailed": (60, None),
}
# Flag only clear mismatches: beyond the range by this factor.
LENGTH_TOLERANCE = 1.25


# --- unanswered-question ------------------------------------------------------------------------

QUOTE_START = r"^\s*(?:>|on\s.{5,80}\swrote:|-{2,}\s*original\s+message|from:\s)"
INDIRECT_QUESTION = (
    r"\b(?:(?:i'd|i\s+would|we'd|we\s+would)\s+like\s+to\s+know|(?:i|we)\s+(?:want|wanted|need|"
    r"needed)\s+to\s+know|(?:can|could|would)\s+you\s+(?:please\s+)?(?:tell|let)\s+(?:me|us)|"
    r"please\s+(?:tell|advise|confirm|let\s+(?:me|us)\s+know)|(?:i|we)\s+(?:was|were|am|are)?\s*"
    r"wonder(?:ing)?|(?:i'm|i\s+am)\s+(?:curious|not\s+sure)\s+(?:whether|if|about|how|what)|"
    r"(?:does|do)\s+anyone\s+know|any\s+idea\s+(?:whether|if|when|how|what|why|where))\b"
)
# Separates several questions asked in one sentence.
QUESTION_JOINER = (
    r",?\s+(?:and|also|plus)\s+(?:also\s+)?(?=(?:do|does|did|is|are|was|were|can|could|will|"
    r"would|should|shall|have|has|what|what's|how|when|where|why|which|who|whether|if)\b)"
)
RHETORICAL_QUESTIONS = [
    r"^\W*(?:hi|hello|hey)?\W*how\s+are\s+(?:you|things)\b",
    r"^\W*(?:i\s+)?hope\s+(?:you're|you\s+are|all\s+is)\b",
    r"\bwhat\s+is\s+wrong\s+with\s+you\b",
    r"\bis\s+(?:this|that)\s+(?:a\s+joke|some\s+kind\s+of\s+joke|how\s+you\s+treat)\b",
    r"\bare\s+you\s+(?:kidding|serious|joking)\b",
    r"\b(?:how|is\s+it\s+(?:really\s+)?that)\s+hard\b",
    r"\bwhy\s+is\s+(?:it|this|everything)\s+so\s+(?:hard|difficult|complicated)\b",
    r"^\W*(?:seriously|really|why|what|hello|anyone)\W*$",
    r"\bwhat\s+kind\s+of\s+(?:company|service|business|shop)\b",
    r"\bdo\s+you\s+(?:even|actually)\s+care\b",
]
# Where the question itself starts in a sentence ("I bought it by mistake, can I get a refund?").
INTERROGATIVE = (
    r"(?:^|[,;:]\s*|\b(?:so|and|but|also|then|plus)\s+)(?:do|does|did|is|are|was|were|can|could|"
    r"will|would|should|shall|have|has|had|may|might|am|any|what|what's|whats|how|when|where|"
    r"where's|why|which|who|whose|whom)\b"
)
MONEY_CUE = (
    r"[£$€]\s?\d|\d\s?%|\d\s?(?:p|pence|pounds|euros?|dollars)\b|\b(?:free|no\s+charge|no\s+fee|"
    r"no\s+extra|nothing\s+(?:extra|more)\s+to\s+pay|surcharge|at\s+no\s+cost)\b"
)
TIME_CUE = (
    r"\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b(?:today|tonight|tomorrow|"
    r"yesterday|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|"
    r"noon|midday|midnight|morning|afternoon|evening|january|february|march|april|may|june|"
    r"july|august|september|october|november|december|next\s+week|this\s+week|hours?|"
    r"minutes?|days?|weeks?|months?|years?|until|till|straight\s+away|immediately|now|"
    r"any\s+time)\b|\b\d{1,2}(?:st|nd|rd|th)\b"
)
# Question kinds: (name, pattern on the question, answer cue in the reply, cue required). A
# required cue means the question is unanswered without one, whatever words the reply shares.
QUESTION_KINDS: list[tuple[str, str, str, bool]] = [
    (
        "price",
        r"\bhow\s+much\b|\bwhat\s+(?:does|do|would|will)\s+(?:\w+\s+){1,3}cost\b|\bwhat(?:'s|\s+is|"
        r"\s+are)\s+the\s+(?:\w+\s+)?(?:price|cost|fee|charge)s?\b|\bhow\s+expensive\b|\b(?:is|are)"
        r"\s+there\s+(?:a|any)\s+(?:\w+\s+)?(?:fee|charge|cost)s?\b|\b(?:do|will|would)\s+(?:you|i|"
        r"we)\s+(?:\w+\s+)?(?:charge|be\s+charged|pay\s+extra)\b",
        MONEY_CUE,
        True,
    ),
    (
        "time",
        r"^\W*(?:and\s+|also\s+|so\s+|but\s+)?when\b|\b(?:what\s+time|how\s+long|how\s+soon|"
        r"by\s+when|what\s+date|which\s+day|until\s+when)\b",
        TIME_CUE,
        True,
    ),
    (
        "price-topic",
        r"\b(?:price|prices|cost|costs|fee|fees|charge|charges|charged|expensive|cheaper|dearer|"
        r"discounts?)\b",
        MONEY_CUE,
        False,
    ),
    (
        "date",
        r"\bdates?\b|\bwhat(?:'s|\s+is)\s+the\s+(?:\w+\s+)?(?:period|duration|length|term|deadline|"
        r"time\s*frame|turnaround)\b",
        TIME_CUE,
        False,
    ),
    (
        "count",
        r"\bhow\s+many\b",
        r"\b\d+\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|dozen|"
        r"a\s+few|several|both|all|none)\b",
        True,
    ),
    (
        "place",
        r"\bwhere\b",
        r"\b(?:at|in|on|under|next\s+to|near|behind|inside|opposite)\s+(?:the\s+|our\s+|your\s+)?"
        r"(?-i:[A-Z0-9])|\b(?:page|link|section|menu|tab|settings|street|road|lane|avenue|floor|"
        r"website|site|app|folder|cupboard|room|door|reception)\b|>|\b[\w-]+\.(?:com|co\.uk|org)\b|"
        r"\b(?:in|on|under|at)\s+(?:the\s+|your\s+|our\s+)?(?:\w+\s+)?(?:email|inbox|account|basket|"
        r"confirmation|receipt|invoice|label|box|back|front|top|bottom|side|heading|screen|"
        r"dashboard|portal|profile|drawer)\b",
        False,
    ),
    (
        "person",
        r"\bwho\b",
        r"\b(?:team|manager|department|colleague|supervisor|officer|lead|specialist|me)\b|@|"
        r"(?<=[a-z,]\s)(?-i:[A-Z][a-z]{2,})",
        False,
    ),
    (
        "which",
        r"\bwhich\b(?!\s+(?:day|date|time))",
        r"(?-i:\b[A-Z]{2,}\b)|\b\d+\b|\b(?:both|either|neither)\b|\bthe\s+(?:\w+\s+)?ones?\b",
        False,
    ),
    (
        "identifier",
        r"\bwhat(?:'s|\s+is|\s+are)\s+(?:my|the|your|our)\s+(?:\w+\s+)?(?:number|code|reference|"
        r"password|pin|id|address|email|username|login)\b",
        r"\b(?=[\w-]*\d)[\w-]{3,}\b|\"[^\"\n]+\"|@",
        True,
    ),
    (
        "reason",
        r"\b(?:why|how\s+come|what\s+happened|what\s+went\s+wrong|the\s+reason)\b",
        r"\b(?:because|due\s+to|caused|reasons?|since|as\s+a\s+result|that's\s+why|happens|occurs|"
        r"means|to\s+(?:confirm|check|verify|make\s+sure|ensure|protect|prevent|comply)|(?:law|"
        r"regulations?|rules?)\s+requires?|so\s+(?:that|you|we)|"
        r"which\s+is\s+why|based\s+on|after|mistake|fault|went\s+wrong|the\s+problem|happened|"
        r"expired|sorry|apologi[sz]e)\b|\bso\s+(?:the|we|it|your|our)\b",
        False,
    ),
    (
        "status",
        r"\b(?:any\s+(?:news|update|progress|word)|what's\s+(?:happening|going\s+on|the\s+status)|"
        r"status\s+of|where\s+(?:is|are)\s+(?:it|my|they|the)|where's\s+my|(?:has|have|did)\s+"
        r"(?:it|my\s+\w+|they|the\s+\w+)\s+(?:\w+\s+)?(?:shipped|sent|arrived|gone|go)|"
        r"is\s+(?:it|my\s+\w+)\s+ready)\b",
        r"\b(?:shipped|sent|dispatched|posted|arrived|delivered|ready|finished|done|tracking|"
        r"on\s+(?:its|the)\s+way|out\s+for\s+delivery|attached|due|expected|processed|issued|"
        r"received|in\s+the\s+post|left|scheduled|booked|confirmed|fixed|repaired|collected|"
        r"approved|completed|went\s+through)\b",
        False,
    ),
    (
        "comparison",
        r"\bdifferences?\b|\bcompare\b|\bcomparison\b|\bversus\b|\bwhich\s+(?:one\s+)?is\s+"
        r"better\b",
        r"(?:\b\w+\s+(?:is|are|has|have|costs?|comes?|gives?|suits?)\b[^,;.]*[,;.]\s*[^,;.]*){2,}",
        False,
    ),
    (
        "howto",
        r"\bhow\s+(?:do|can|could|should|would)\s+(?:i|we|you)\b|\bhow\s+to\b|\bwalk\s+me\s+"
        r"through\b|\bstep\s+by\s+step\b|\bshow\s+me\s+how\b|\b(?:everything|all)\s+(?:i|we)\s+"
        r"need\s+to\s+know\b|\bwhat\s+(?:do|should|can)\s+(?:i|we)\s+do\b|\bwhat\s+are\s+"
        r"(?:my|the)\s+options\b|\b(?:instructions|guide|steps)\b",
        rf"(?:^|[.!?:;]\s+)(?:please\s+|just\s+|simply\s+|first,?\s+|then\s+)?{INSTRUCTION_VERBS}\b"
        r"|\byou\s+(?:can|could|need\s+to|should|just|will\s+need\s+to)\b|\b(?:go|head)\s+to\b|>|"
        r"\bstep\s+\d|^\s*\d+[.)]",
        False,
    ),
]
YES_NO_QUESTION = (
    r"(?:^|[,;:]\s*|\b(?:and|also|so|but|or)\s+)(?:do|does|did|is|are|was|were|can|could|will|"
    r"would|should|shall|have|has|may|might|am|any\s+chance)\b|\b(?:whether|if)\b"
)
# A reply clause that opens with a yes or a no ("Yes, …", "It is:", "They do, from 3 to 12").
POLARITY_START = (
    r"^\W*(?:(?:hi|hello|hey|hiya|dear)\b[^,!.\n]{0,30}[,!.]\s*)?(?:(?:and|but|so|also|oh|well|ha|"
    r"haha|ah|hmm),?\s+)?(?:i\s+wish\s+i\s+(?:did|knew|could|had)\b|"
    r"(?:yes|yep|yeah|yup|no|nope|sure|certainly|absolutely|definitely|of\s+course|"
    r"unfortunately|sadly|i'm\s+afraid|good\s+news|correct|confirmed|indeed|attached|enclosed|done|"
    r"here\s+(?:it\s+is|you\s+go|they\s+are)|got\s+(?:it|them|that|those|your)|received|"
    r"not\s+(?:yet|at\s+all|"
    r"really)|(?:it|they|we|you|that|this|he|she|there)(?:'s|\s+(?:is|are|do|does|can|will|would|"
    r"did|has|have|was|were|isn't|aren't|don't|doesn't|can't|won't|wouldn't|didn't|hasn't|"
    r"haven't|wasn't|weren't))(?:\s+(?:too|both|indeed|not))?\s*(?:[.,:;!]|$)))"
)
# Words that make a clause a "no", or a restricted "yes" ("only", "has to").
NEGATION = (
    r"\b(?:not|no|never|none|nothing|nobody|cannot|unable|afraid|unfortunately|sadly|only|"
    r"must|has\s+to|have\s+to)\b|n't\b"
)
# Words that make a clause a "yes" to a request ("you're welcome to", "I've resent it").
AFFIRMATIVE = (
    r"\b(?:you(?:'re|\s+are)\s+(?:very\s+|more\s+than\s+)?welcome\s+to|you\s+(?:can|may)|"
    r"that's\s+(?:fine|ok|okay|no\s+problem)|no\s+problem|feel\s+free|of\s+course|happy\s+to|"
    r"(?:i|we)(?:'ve|\s+have)\s+(?:just\s+|now\s+|also\s+)?\w+ed|(?:we|i)\s+(?:have|'ve\s+got)\s+"
    r"(?:a|an|one|two|some|plenty))\b"
)
# An opening that answers every yes-or-no question at once.
ANSWERS_ALL = r"^\W*(?:yes|no)\s+to\s+(?:both|all|each|everything)\b|^\W*(?:both|all\s+of\s+them)\b"
# Opening clauses that are courtesy rather than an answer.
COURTESY_CLAUSE = (
    r"^\W*(?:hi|hello|hey|hiya|dear|thanks|thank\s+you|many\s+thanks|good\s+(?:morning|afternoon|"
    r"evening)|great\s+question|good\s+question|sorry|apologies|(?:i'm|i\s+am|we're|we\s+are)\s+"
    r"(?:so\s+|really\s+|very\s+)?sorry)\b"
)
# Where a reply sentence divides into clauses that may answer different questions.
CLAUSE_BREAK = r"[;:]\s+|,\s*(?=(?:and|but|so|or|while|although|though)\b)|\s+[-–—]\s+"
# Words that carry no topic: left out of the overlap between a question and the reply.
STOPWORDS = words(
    """
    a about above after against all also am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he her here hers herself him himself his how i i'd i'll i'm i've if in into is isn't it
    it's its itself just let's me more most mustn't my myself no nor not of off on once only or
    other ought our ours ourselves out over own same shan't she should shouldn't so some such
    than that that's the their theirs them themselves then there there's these they they'd
    they'll they're they've this those through to too under until up very was wasn't we we'd
    we'll we're we've were weren't what what's when when's where where's which while who who's
    whom why why's will with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves hi hello hey thanks thank please know like want wanted wonder wondering
    tell let could would also quick question questions just anyone possible ok okay really
    still get got need needs needed think able sure way thing things bit lot much many yes no
    dear regards help kind one two us via etc else anything something order orders item items
    product products happen happened somewhere anywhere everywhere someone anyone everyone
    nobody anybody everybody everything nothing per each whether difference differences differ
    compare comparison explain detail details detailed work works exactly give explanation
    describe description info information
    """
)
# Prefixes that negate a word without changing its topic ("unscented", "non-refundable").
NEGATIVE_PREFIXES: tuple[str, ...] = ("non-", "un")
# Plural endings, then verb endings, for a light stemmer: (suffix, replacement, minimum stem).
PLURAL_SUFFIXES: list[tuple[str, str, int]] = [
    ("ies", "y", 3),
    ("sses", "ss", 2),
    ("xes", "x", 2),
    ("zes", "z", 2),
    ("ches", "ch", 2),
    ("shes", "sh", 2),
    ("ss", "ss", 1),
    ("us", "us", 1),
    ("is", "is", 1),
    ("s", "", 3),
]
VERB_SUFFIXES: list[tuple[str, str, int]] = [
    ("ied", "y", 3),
    ("ing", "", 3),
    ("ed", "", 3),
    ("ly", "", 4),
    ("ation", "", 4),
    ("ment", "", 4),
]
_UNDOUBLE = re.compile(r"([bdfgkmnprt])\1$")


def stem(word: str) -> str:
    """A light English stem: "invoices" and "invoice" -> "invoic", "shipped" -> "ship"."""
    for table in (PLURAL_SUFFIXES, VERB_SUFFIXES):
        for suffix, replacement, minimum in table:
            if word.endswith(suffix) and len(word) - len(suffix) >= minimum:
                word = word[: len(word) - len(suffix)] + replacement
                break
    word = _UNDOUBLE.sub(r"\1", word)
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


# Words with the same meaning in a customer-service conversation; each group maps to its first
# word. Stems are compared after these are applied.
SYNONYMS: list[list[str]] = [
    ["price", "cost", "fee", "charge", "pay", "payment", "expensive", "cheap", "surcharge"],
    ["deliver", "delivery", "ship", "shipping", "post", "postage", "dispatch", "send"],
    ["refund", "reimburse", "money back", "repay"],
    ["replace", "replacement", "swap", "exchange"],
    ["cancel", "cancellation", "terminate"],
    ["return", "send back", "bring back"],
    ["book", "booking", "reserve", "reservation", "appointment", "slot"],
    ["open", "close", "closing", "opening", "opening hours", "shut"],
    ["warranty", "guarantee", "cover", "covered"],
    ["arrive", "come", "reach", "get there", "turn up", "show up", "receive", "received"],
    ["early", "earlier", "before", "beforehand", "ahead"],
    ["late", "later", "after"],
    ["size", "small", "large", "big", "fit", "tight", "loose", "true to size"],
    ["itchy", "scratchy", "soft", "comfortable", "rough"],
    ["wash", "washable", "washing", "clean", "machine washable"],
    ["increase", "rise", "rose", "go up", "went up", "raise"],
    ["again", "another", "further"],
    ["stock", "available", "availability", "restock", "back in stock"],
    ["change", "update", "amend", "modify", "switch", "move", "edit"],
    ["address", "postcode", "location"],
    ["eat", "food", "drink", "fast", "meal"],
    ["accessible", "wheelchair", "step-free", "level access", "disabled", "access"],
    ["park", "parking", "car park"],
    ["invoice", "receipt", "bill"],
    ["manual", "instructions", "guide"],
    ["weigh", "weight", "heavy", "kg"],
    ["assemble", "assembling", "build", "put together", "flat-packed", "flat-pack"],
    ["offline", "without a connection", "no internet", "without internet"],
    ["sync", "synchronise", "synchronize"],
    ["discount", "off", "reduction", "offer"],
    ["student", "university"],
    ["complaint", "complain", "feedback"],
    ["speak", "talk", "contact", "call", "email", "reach"],
    ["driver", "van", "courier"],
    ["transfer", "new owner", "sell"],
    ["instalment", "instalments", "installment", "monthly", "payment plan"],
    ["verify", "verification", "verified"],
    ["deposit", "bond"],
    ["exam", "test", "assessment"],
    ["vegan", "plant-based", "vegetarian"],
    ["alone", "by yourself", "on your own", "one person", "single-handed"],
    ["easy", "simple", "straightforward", "quick"],
    ["compatible", "work with", "works with", "fit"],
    ["bag", "bags", "luggage", "suitcase"],
    ["dog", "dogs", "pet", "pets"],
    ["password", "login", "log in", "sign in"],
    ["export", "download"],
    ["data", "information", "stored"],
    ["api", "developer", "integration"],
]
# A reply that says it is finding out counts as addressing a single question.
DEFERRAL_PATTERNS = [
    rf"\b{WE}(?:'ll|\s+will|'m|\s+am|'re|\s+are|'ve|\s+have)?\s+(?:going\s+to\s+)?(?:find\s+out|"
    r"finding\s+out|check|checking|checked|ask|asking|asked|look\s+into|looking\s+into|"
    r"investigate|investigating|get\s+back|come\s+back|let\s+you\s+know|confirm|review|"
    r"chase|chasing|chased|escalated?|raised?|forwarded|passed)\b",
    r"\blet\s+me\s+(?:check|find\s+out|look|ask|see)\b",
    r"\b(?:will|'ll|shall|going\s+to)\s+(?:\w+\s+)?(?:be\s+in\s+touch|be\s+in\s+contact|get\s+back\s+to\s+"
    r"you|come\s+back\s+to\s+you|write\s+back|review|look\s+into|update\s+you|contact\s+you|"
    r"call\s+you|ring\s+you|phone\s+you|email\s+you|message\s+you|text\s+you|reply\s+to\s+you|"
    r"let\s+you\s+know|confirm)\b",
]


# --- promises -----------------------------------------------------------------------------------

# Vague time words that a concrete time can replace in place ("soon" -> "by 3pm today").
VAGUE_TIME_WORDS = alt(
    "soon|very soon|shortly|asap|a.s.a.p.|as soon as possible|as soon as we can"
    "|as soon as i can|in due course|at some point|when i can|when we can|in the near future"
    "|in a future update|later|at a later date|in a few days|in a bit|when possible"
)


# --- wording ------------------------------------------------------------------------------------

MESSAGES: dict[str, str] = {
    "dead-end": "This tells the customer you don't know or can't help, and leaves them with no "
    "next step.",
    "decline-without-alternative": "This says no without an alternative, a referral or a next "
    "step: say no to the request, yes to the person.",
    "decline-suggestion": 'Add what you can do instead, e.g. "What I can do is…", or who can help.',
    "decline-suggestion-offer": 'Add an alternative, e.g. "What I can do instead is {alternative}.'
    '"',
    "vague-promise": 'This promise ("{vague}") has no time the customer can hold you to.',
    "personal-problems": "This shares your own troubles; the customer can't fix them and may feel "
    "they're a burden. Your problems are not your customer's.",
    "personal-suggestion": 'Leave this out. If you need to explain a delay, "Sorry for the slow '
    'reply" is enough.',
    "promise-detected": 'You\'re promising "{text}" (due {due}).',
    "promise-suggestion": "Track this as a commitment so it isn't forgotten.",
    "unanswered-question": 'The customer asked "{question}" and the reply doesn\'t seem to '
    "answer it.",
    "unanswered-suggestion": 'Answer "{question}", or say when you will.',
    "length-long": "This customer prefers {level} replies; this one is {words} words (aim for "
    "about {limit} or fewer).",
    "length-long-suggestion": "Cut it to the answer and the next step.",
    "length-short": "This customer prefers {level} replies; this one is only {words} words "
    "(aim for about {limit} or more).",
    "length-short-suggestion": "Add the reasons, the steps or the options they asked about.",
}

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_time(moment: datetime) -> str:
    """A clock time in plain English: "3pm", "9:30am", "12pm"."""
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    if moment.minute:
        return f"{hour}:{moment.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_due(due: datetime, now: datetime) -> str:
    """A due time relative to now: "by 3pm today", "by 11am tomorrow", "by 11am on Monday"."""
    local_due = due.astimezone(now.tzinfo) if now.tzinfo and due.tzinfo else due
    days = (local_due.date() - now.date()).days
    time = format_time(local_due)
    if days == 0:
        return f"by {time} today"
    if days == 1:
        return f"by {time} tomorrow"
    if 1 < days < 7:
        return f"by {time} on {WEEKDAYS[local_due.weekday()]}"
    return f"by {time} on {local_due.day} {MONTHS[local_due.month - 1]}"
