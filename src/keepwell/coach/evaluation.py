"""Evaluation of the reply coach on a labelled set: precision, recall and F1 per code. Pure.

The labelled set is JSON Lines, one reply per line: `id`, `text`, `codes` (the expected codes, a
possibly empty list), and optionally `customer_message`, `prefers` ("brief" / "standard" /
"detailed"), `now` (ISO time; the set's fixed `DEFAULT_NOW` otherwise) and `split`: "dev" (the
replies the rules were developed against), "holdout" (written at the same time, scored only
after the rules were in place) and "fresh1" to "fresh5" (written later in rounds, each scored
once before any rule changed, to see how the rules generalise).

Labelling conventions: a reply is `dead-end` only when no next step of any kind follows the
admission; a vague next step makes it a `vague-promise` instead. A refusal with a reason but no
alternative, referral or next step is `decline-without-alternative`. A promise is
`promise-detected` when we commit to an action with a time that has a date (a clock time, a day,
"within 2 hours"); promises conditional on the customer acting first, and estimates of what
third parties do ("the bank takes 3-5 days"), are not promises.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from keepwell.coach.engine import (
    CODES,
    PROMISE_DETECTED,
    VAGUE_PROMISE,
    Finding,
    ReviewContext,
    review,
)

# A Tuesday morning in London: the clock the whole labelled set is written against.
DEFAULT_NOW = datetime(2026, 6, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
LABELLED_SET = Path(__file__).resolve().parents[3] / "tests" / "coach" / "labelled.jsonl"
PROMISE_CODES: frozenset[str] = frozenset({PROMISE_DETECTED, VAGUE_PROMISE})

# Replies where keepwell.commitments.promises (which the coach uses, not duplicates) reads a
# promise differently from the labels. Kept out of the promise codes' scores; the test below
# (tests/coach/test_evaluation.py) fails when one starts agreeing, so the list only shrinks.
KNOWN_PROMISE_FINDER_GAPS: dict[str, str] = {
    "ord-024": "the bank's timing ('you should see it back in 3-5 working days') read as ours",
    "len-033": "an estimate ('should arrive tomorrow') read as a promise",
    "fx-041": "an estimate ('should arrive by Thursday') read as a promise",
    "fz-020": "a typical transit time ('normally arrives in 3 to 5 working days') read as ours",
    "fy-039": "the courier's text ('you will receive a text ... tomorrow morning') read as ours",
    "pp-008": "a booking's state ('the engineer is booked for Thursday morning') read as a promise",
    "len-044": "'will arrive between 8 and 9am' on an unnamed installation day read as tomorrow",
    "fr-007": "'a fix is on the way' not seen as a vague promise",
    "fr-008": "present-tense schedule ('goes live tonight at 10pm') missed; 'once it's out' vague",
    "fx-037": "'I've asked a claims handler to give you a call' not seen as a vague promise",
    "fx-048": "'will have it fixed by 3pm' missed; 'as soon as you're back online' read as vague",
    "fy-003": "a conditional update ('we'll post ... if anything changes') read as vague",
    "fy-035": "'he'll be back to finish it in the next few days' treated as a state, not a pledge",
    "fy-036": "'he'll be back on Thursday at 8am' treated as a state, not a pledge",
    "fz-007": "an offer ('or we'll refund you in full, whichever you prefer') read as vague",
    "fz-017": "'I've made a note to follow this up' not seen as a vague promise",
    "fw-010": "'he'll call you to arrange a time' not seen as a vague promise",
    "fw-020": "'We'll see you then!' read as a vague promise",
}


def promise_finder_gaps() -> dict[str, frozenset[str]]:
    """The `ignore` argument of `evaluate` that leaves the known gaps out of the promise codes."""
    return dict.fromkeys(KNOWN_PROMISE_FINDER_GAPS, PROMISE_CODES)


@dataclass(frozen=True)
class LabelledReply:
    """One reply of the labelled set and the codes a careful reviewer expects."""

    id: str
    text: str
    codes: frozenset[str]
    customer_message: str | None = None
    prefers: str | None = None
    now: datetime = DEFAULT_NOW
    split: str = "dev"

    def context(self) -> ReviewContext:
        """The review context this reply is evaluated in."""
        return ReviewContext(
            customer_message=self.customer_message, prefers=self.prefers, now=self.now
        )


@dataclass(frozen=True)
class CodeScore:
    """Counts and scores for one code."""

    code: str
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        """Share of flagged replies that should have been flagged (1.0 when none flagged)."""
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of replies that should have been flagged that were (1.0 when none expected)."""
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def support(self) -> int:
        """Replies labelled with this code."""
        return self.true_positives + self.false_negatives


@dataclass(frozen=True)
class Mistake:
    """A reply whose findings differ from its labels."""

    id: str
    missed: frozenset[str]
    unexpected: frozenset[str]


@dataclass(frozen=True)
class EvaluationReport:
    """Scores of the coach on a labelled set."""

    size: int
    scores: dict[str, CodeScore]
    good_replies: int
    good_replies_flagged: int
    mistakes: list[Mistake] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float:
        """Share of good replies (labelled with no code) that got any finding."""
        return self.good_replies_flagged / self.good_replies if self.good_replies else 0.0

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "size": self.size,
            "good_replies": self.good_replies,
            "false_alarm_rate": round(self.false_alarm_rate, 4),
            "codes": {
                code: {
                    "support": s.support,
                    "precision": round(s.precision, 4),
                    "recall": round(s.recall, 4),
                    "f1": round(s.f1, 4),
                }
                for code, s in self.scores.items()
            },
        }


def load_labelled(path: Path | str = LABELLED_SET) -> list[LabelledReply]:
    """Read a labelled set from a JSON Lines file; raises ValueError on unknown codes."""
    items: list[LabelledReply] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        raw = json.loads(line)
        codes = frozenset(raw.get("codes", ()))
        unknown = codes - set(CODES)
        if unknown:
            raise ValueError(f"line {number}: unknown codes {sorted(unknown)}")
        items.append(
            LabelledReply(
                id=raw["id"],
                text=raw["text"],
                codes=codes,
                customer_message=raw.get("customer_message"),
                prefers=raw.get("prefers"),
                now=datetime.fromisoformat(raw["now"]) if raw.get("now") else DEFAULT_NOW,
                split=raw.get("split", "dev"),
            )
        )
    return items


def evaluate(
    items: Iterable[LabelledReply],
    reviewer: Callable[[str, ReviewContext], Sequence[Finding]] = review,
    codes: Sequence[str] = CODES,
    ignore: Mapping[str, Collection[str]] | None = None,
) -> EvaluationReport:
    """Run the reviewer on each labelled reply and score it per code.

    `ignore` maps reply ids to codes left out of the scores for that reply (known disagreements
    that belong to another module); they still appear in `mistakes`.
    """
    counts = {code: [0, 0, 0] for code in codes}
    size = good = good_flagged = 0
    mistakes: list[Mistake] = []
    for item in items:
        size += 1
        found = frozenset(f.code for f in reviewer(item.text, item.context()))
        skipped = frozenset(ignore.get(item.id, ())) if ignore else frozenset()
        for code in codes:
            if code in skipped:
                continue
            expected, got = code in item.codes, code in found
            if expected and got:
                counts[code][0] += 1
            elif got:
                counts[code][1] += 1
            elif expected:
                counts[code][2] += 1
        if not item.codes:
            good += 1
            good_flagged += bool(found - skipped)
        if found != item.codes:
            mistakes.append(Mistake(item.id, item.codes - found, found - item.codes))
    scores = {code: CodeScore(code, *counts[code]) for code in codes}
    return EvaluationReport(size, scores, good, good_flagged, mistakes)
