"""The coach against its labelled set: the quality targets, and the shape of the set itself."""

from __future__ import annotations

from collections import Counter

import pytest

from keepwell.coach.engine import CODES, ReviewContext, review
from keepwell.coach.evaluation import (
    DEFAULT_NOW,
    KNOWN_PROMISE_FINDER_GAPS,
    PROMISE_CODES,
    LabelledReply,
    evaluate,
    load_labelled,
)

F1_TARGET = 0.9
FALSE_ALARM_TARGET = 0.05


@pytest.fixture(scope="module")
def labelled() -> list[LabelledReply]:
    return load_labelled()


def test_labelled_set_is_large_and_varied(labelled: list[LabelledReply]) -> None:
    assert len(labelled) >= 300
    assert len({item.id for item in labelled}) == len(labelled)
    good = [item for item in labelled if not item.codes]
    assert len(good) >= len(labelled) / 3
    per_code = Counter(code for item in labelled for code in item.codes)
    assert all(per_code[code] >= 20 for code in CODES), per_code
    assert DEFAULT_NOW.weekday() == 1  # written against a Tuesday morning


def test_promise_codes_hold_their_level(labelled: list[LabelledReply]) -> None:
    """The two codes read by the promise finder: measured without exclusions.

    They are at F1 0.89-0.92 on this set, short of the 0.9 target for vague-promise; this floor
    catches regressions while the finder's known gaps (KNOWN_PROMISE_FINDER_GAPS) are worked on.
    """
    report = evaluate(labelled)
    low = {
        code: round(report.scores[code].f1, 3)
        for code in PROMISE_CODES
        if report.scores[code].f1 < 0.85
    }
    assert not low, f"F1 below 0.85: {low}"


def test_the_coachs_own_codes_meet_the_target_without_exclusions(
    labelled: list[LabelledReply],
) -> None:
    report = evaluate(labelled)
    low = {
        code: round(score.f1, 3)
        for code, score in report.scores.items()
        if code not in PROMISE_CODES and score.f1 < F1_TARGET
    }
    assert not low, f"F1 below {F1_TARGET}: {low}"


def test_good_replies_are_rarely_flagged(labelled: list[LabelledReply]) -> None:
    assert evaluate(labelled).false_alarm_rate <= FALSE_ALARM_TARGET


def test_known_promise_finder_gaps_are_still_gaps(labelled: list[LabelledReply]) -> None:
    by_id = {item.id: item for item in labelled}
    agreeing = []
    for reply_id in KNOWN_PROMISE_FINDER_GAPS:
        item = by_id[reply_id]
        found = {f.code for f in review(item.text, item.context())} & PROMISE_CODES
        if found == item.codes & PROMISE_CODES:
            agreeing.append(reply_id)
    assert not agreeing, f"now agree with their labels, remove from the list: {agreeing}"


def test_scores_on_a_toy_set() -> None:
    items = [
        LabelledReply("a", "I have no idea.", frozenset({"dead-end"})),
        LabelledReply("b", "Your parcel left this morning.", frozenset()),
        LabelledReply("c", "Sorry you feel that way.", frozenset()),
    ]
    report = evaluate(items)
    assert report.size == 3
    assert report.scores["dead-end"].f1 == 1.0
    assert report.scores["blame"].false_positives == 1
    assert report.false_alarm_rate == 0.5
    assert [m.id for m in report.mistakes] == ["c"]
    ignored = evaluate(items, ignore={"c": {"blame"}})
    assert ignored.scores["blame"].false_positives == 0
    assert ignored.false_alarm_rate == 0.0


def test_context_carries_the_labelled_fields() -> None:
    item = LabelledReply(
        "x", "Hi", frozenset(), customer_message="Is it in stock?", prefers="brief"
    )
    assert item.context() == ReviewContext(
        customer_message="Is it in stock?", prefers="brief", now=DEFAULT_NOW
    )
