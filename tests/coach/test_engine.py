"""Unit tests for the reply coach engine: one parameter table per code, hard negatives included."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepwell.coach import rules_en
from keepwell.coach.engine import (
    BLAME,
    CODES,
    DEAD_END,
    DECLINE_WITHOUT_ALTERNATIVE,
    LENGTH_PREFERENCE,
    PERSONAL_PROBLEMS,
    PROMISE_DETECTED,
    UNANSWERED_QUESTION,
    VAGUE_PROMISE,
    Finding,
    ReviewContext,
    count_words,
    customer_questions,
    review,
    split_sentences,
    suggest_due,
)
from keepwell.commitments.businesstime import BusinessCalendar

LONDON = ZoneInfo("Europe/London")
TUESDAY_10AM = datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)


def codes(text: str, **context: object) -> set[str]:
    ctx = ReviewContext(now=TUESDAY_10AM, **context)  # type: ignore[arg-type]
    return {f.code for f in review(text, ctx)}


def findings(text: str, code: str, **context: object) -> list[Finding]:
    ctx = ReviewContext(now=TUESDAY_10AM, **context)  # type: ignore[arg-type]
    return [f for f in review(text, ctx) if f.code == code]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have no idea.", True),
        ("Not my department.", True),
        ("There's nothing I can do.", True),
        ("No clue, sorry.", True),
        ("I'm not sure, to be honest.", True),
        ("That's out of my hands, I'm afraid.", True),
        ("We don't know what caused it.", True),
        ("I couldn't tell you.", True),
        ("My hands are tied on this one.", True),
        ("I'm not the right person to ask about invoices.", True),
        # Hard negatives: a next step follows the admission.
        ("I don't know yet, but I'll ask the warehouse and write back by 4pm.", False),
        ("I have no idea, but let me check on that.", False),
        ("I'm not sure, so I've asked our engineer and she'll reply to you directly.", False),
        ("Not my area, but Sam in accounts can help: sam@example.com.", False),
        ("I don't know offhand. Could you send me the order number?", False),
        ("Not sure if you saw, but we've extended returns to 60 days.", False),
        ("Nothing to worry about: the payment went through.", False),
        ("There's nothing you need to do.", False),
    ],
)
def test_dead_end(text: str, expected: bool) -> None:
    assert (DEAD_END in codes(text)) is expected


def test_dead_end_suggests_a_next_step_with_a_real_time() -> None:
    [finding] = findings("I have no idea.", DEAD_END)
    assert finding.suggestion == "I'll find out and get back to you by 3pm today."
    assert (finding.start, finding.end) == (0, len("I have no idea."))


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 6, 2, 10, 0, tzinfo=LONDON), "by 3pm today"),
        (datetime(2026, 6, 2, 15, 20, tzinfo=LONDON), "by 1pm tomorrow"),
        (datetime(2026, 6, 5, 16, 0, tzinfo=LONDON), "by 1pm on Monday"),
        (datetime(2026, 6, 6, 11, 0, tzinfo=LONDON), "by 2pm on Monday"),
    ],
)
def test_suggested_time_is_computed_from_now(now: datetime, expected: str) -> None:
    [finding] = review("Not my department.", ReviewContext(now=now))
    assert expected in finding.suggestion


def test_suggested_time_follows_the_agents_calendar() -> None:
    # Closed on Wednesday 3 June: a Tuesday-afternoon follow-up lands on Thursday.
    calendar = BusinessCalendar.standard("Europe/London", closures=["2026-06-03"])
    now = datetime(2026, 6, 2, 15, 0, tzinfo=LONDON)
    assert suggest_due(now, calendar) == datetime(2026, 6, 4, 12, 0, tzinfo=LONDON)
    [finding] = review("No idea.", ReviewContext(now=now, calendar=calendar))
    assert "by 12pm on Thursday" in finding.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "I'll look into it and get back to you soon.",
        "We'll be in touch.",
        "I'll let you know.",
        "Your replacement will be sent ASAP.",
        "Someone from the billing team will contact you shortly.",
    ],
)
def test_vague_promise_with_a_concrete_rewrite(text: str) -> None:
    [finding] = findings(text, VAGUE_PROMISE)
    assert "by 3pm today" in finding.suggestion
    assert PROMISE_DETECTED not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll check with the warehouse and write back by Thursday 5pm.",
        "Your refund will be processed within 2 hours.",
        "I'll call you at 2pm today.",
    ],
)
def test_concrete_promise_is_detected_with_its_due_time(text: str) -> None:
    [finding] = findings(text, PROMISE_DETECTED)
    assert finding.data is not None
    due = datetime.fromisoformat(finding.data["due"])
    assert due > TUESDAY_10AM
    assert VAGUE_PROMISE not in codes(text)


def test_promise_due_time_is_parsed() -> None:
    [finding] = findings("I'll send the invoice by 4pm today.", PROMISE_DETECTED)
    assert finding.data == {"due": "2026-06-02T16:00:00+01:00", "time_text": "by 4pm today"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You should have read the instructions.", True),
        ("As I already told you, refunds take five days.", True),
        ("That's not our fault.", True),
        ("I'm sorry you feel that way.", True),
        ("If you had checked your spam folder you would have seen it.", True),
        ("It's the courier's fault, not ours.", True),
        ("Like I said, the shop is closed on Sundays.", True),
        ("You obviously didn't read the email.", True),
        ("The listing clearly states it is the small size.", True),
        ("Sorry if our reply came across as rude.", True),
        ("You probably dropped it.", True),
        ("We're not responsible for what the courier does.", True),
        # Hard negatives: ownership, reassurance and neutral wording.
        ("You should have received a confirmation email; I've resent it just now.", False),
        ("That's our fault entirely, and I'm sorry.", False),
        ("It wasn't your fault at all.", False),
        ("I'm sorry you've had such a stressful week.", False),
        ("You're right, we got this wrong.", False),
        ("I should have checked the address before sending it.", False),
        ("As mentioned on the phone, the form is attached.", False),
        ("I've looked at your error report and found the cause.", False),
        ("You clearly haven't had the service you deserve from us.", False),
    ],
)
def test_blame(text: str, expected: bool) -> None:
    assert (BLAME in codes(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I've had an awful week.", True),
        ("I'm exhausted.", True),
        ("Sorry, I'm completely swamped and my head is pounding.", True),
        ("My kids have been ill all week so I'm behind.", True),
        ("Honestly I'm at the end of my tether with this job.", True),
        ("We're so short-staffed I haven't had a lunch break since Monday.", True),
        ("I'm having a terrible day, but here's your code.", True),
        # Hard negatives: empathy about the customer, neutral absence, polite formulae.
        ("I'm sorry to hear you had an awful week.", False),
        ("That sounds exhausting, I hope you get some rest.", False),
        ("I'm out of office on Monday; my colleague Sam will cover.", False),
        ("I'm afraid the blue one is sold out.", False),
        ("I'm happy to help with that.", False),
        ("I'm back from holiday and catching up on messages.", False),
        ("I feel terrible that this happened to you.", False),
        ("I'm struggling to find your order; could you send the number?", False),
    ],
)
def test_personal_problems(text: str, expected: bool) -> None:
    assert (PERSONAL_PROBLEMS in codes(text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We don't offer refunds.", True),
        ("Sorry, no.", True),
        ("Late checkout isn't available on Sundays.", True),
        ("Tickets are non-transferable.", True),
        ("We're unable to split orders once they've been placed.", True),
        ("I'm afraid we don't deliver to PO boxes.", True),
        ("That won't be possible, as stated in our terms.", True),
        ("We won't be sending a replacement.", True),
        # Hard negatives: an alternative, referral or next step follows the no.
        (
            "Refunds aren't possible for downloads, but I can swap it for another title today.",
            False,
        ),
        ("We can't ship to Norway, but our partner NordPost can: nordpost.example.", False),
        ("Saturday is fully booked, but I've put you on the waiting list.", False),
        ("We don't price match. Instead, I've added a free set of bits to your order.", False),
        ("Pets aren't allowed inside, but they're welcome on the terrace.", False),
        # Not refusals at all.
        ("We don't charge for returns.", False),
        ("You don't need to print anything.", False),
        ("No, you won't be charged.", False),
        ("If we can't fix it, we'll replace it.", False),
    ],
)
def test_decline_without_alternative(text: str, expected: bool) -> None:
    assert (DECLINE_WITHOUT_ALTERNATIVE in codes(text)) is expected


def test_decline_suggests_an_alternative_from_the_catalogue() -> None:
    [finding] = findings(
        "We don't do gift wrapping.", DECLINE_WITHOUT_ALTERNATIVE, alternatives=["a gift card"]
    )
    assert "a gift card" in finding.suggestion
    mentioned = "We don't do gift wrapping. A gift card is another nice option."
    assert not findings(mentioned, DECLINE_WITHOUT_ALTERNATIVE, alternatives=["a gift card"])


@pytest.mark.parametrize(
    ("customer", "reply", "expected"),
    [
        (
            "Do you ship to Ireland? And how much is postage?",
            "Yes, we ship to Ireland with tracking.",
            True,
        ),
        (
            "When will my refund arrive?",
            "Thanks for your email, we appreciate your patience.",
            True,
        ),
        (
            "I'd like to know whether the cover is machine washable.",
            "Thanks for your order! It will be delivered on Friday.",
            True,
        ),
        (
            "Can you tell me if the lamp needs a special bulb, and what the cable length is?",
            "It takes any standard E27 bulb.",
            True,
        ),
        # Answered with different words, cues or a deferral.
        ("How much is postage to France?", "It's £9.50 with tracking.", False),
        ("When does the shop close on Saturday?", "We're open until 5:30pm on Saturdays.", False),
        ("Is the café dog friendly?", "Absolutely, dogs are welcome inside.", False),
        (
            "Can I return it without the receipt?",
            "Of course, bring your order number instead.",
            False,
        ),
        (
            "Does it run small? And is it itchy?",
            "It's true to size, and soft, not scratchy.",
            False,
        ),
        ("Why was I charged twice?", "Because the first payment failed and was retried.", False),
        ("How do I reset my PIN?", "Open the app and tap Profile > Security > Change PIN.", False),
        ("Is my parcel lost?", "I'm not sure yet, so I've asked the courier to trace it.", False),
        ("How are you? Hope all is well.", "All good here, thanks!", False),
        ("Is this a joke?", "I'm sorry, we got it wrong. A replacement is on its way.", False),
    ],
)
def test_unanswered_question(customer: str, reply: str, expected: bool) -> None:
    assert (UNANSWERED_QUESTION in codes(reply, customer_message=customer)) is expected


def test_unanswered_question_names_the_question() -> None:
    [finding] = findings(
        "Yes, we ship to Ireland.",
        UNANSWERED_QUESTION,
        customer_message="Do you ship to Ireland? And how much is postage?",
    )
    assert finding.data is not None
    assert finding.data["question"] == "And how much is postage?"


def test_customer_questions_include_indirect_ones() -> None:
    message = "Hi! I'd like to know whether the table is oak. Also, can you deliver on Saturday?"
    questions = [q.text for q in customer_questions(message)]
    assert questions == [
        "I'd like to know whether the table is oak.",
        "Also, can you deliver on Saturday?",
    ]


def test_no_customer_message_means_no_unanswered_question() -> None:
    assert UNANSWERED_QUESTION not in codes("Thanks!")


LONG = " ".join(["We have checked your order and everything looks fine on our side."] * 12)


@pytest.mark.parametrize(
    ("prefers", "text", "expected"),
    [
        ("brief", LONG, True),
        ("brief", "Yes, it shipped this morning.", False),
        ("detailed", "It's based on your usage.", True),
        ("detailed", LONG, False),
        ("standard", LONG, False),
        ("standard", "Yes.", False),
        (None, LONG, False),
        ("unknown-level", LONG, False),
    ],
)
def test_length_preference(prefers: str | None, text: str, expected: bool) -> None:
    assert (LENGTH_PREFERENCE in codes(text, prefers=prefers)) is expected


def test_word_count_leaves_out_greeting_and_sign_off() -> None:
    assert count_words("Hi Sam,\nYour parcel left today.\nKind regards,\nOllie") == 4


def test_thresholds_are_data() -> None:
    assert rules_en.LENGTH_PREFERENCES["brief"] == (None, 80)
    assert rules_en.LENGTH_PREFERENCES["detailed"] == (60, None)


def test_good_reply_has_no_findings() -> None:
    reply = (
        "Hi Maya,\nThanks for flagging this. Your parcel left us on Thursday and is out for "
        "delivery today. If it hasn't arrived by tonight, reply here and I'll send a "
        "replacement with next-day delivery.\nBest,\nOllie"
    )
    assert review(reply, ReviewContext(now=TUESDAY_10AM, prefers="standard")) == []


def test_sentences_carry_their_spans() -> None:
    text = "Hi Sam,\nThanks, e.g. the blue one. It costs £3.50! Done?\n> quoted line"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Hi Sam,",
        "Thanks, e.g. the blue one.",
        "It costs £3.50!",
        "Done?",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_curly_quotes_are_understood() -> None:
    assert DEAD_END in codes("I don\u2019t know.")


def test_unknown_language_returns_nothing() -> None:
    assert review("I have no idea.", ReviewContext(now=TUESDAY_10AM, language="xx")) == []


def test_findings_are_ordered_and_codes_are_known() -> None:
    text = "I've had an awful week. We don't offer refunds. You should have read the terms."
    found = review(text, ReviewContext(now=TUESDAY_10AM))
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert {f.code for f in found} <= set(CODES)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.text(max_size=120))
def test_any_text_gives_valid_spans(text: str, customer: str) -> None:
    ctx = ReviewContext(now=TUESDAY_10AM, customer_message=customer, prefers="brief")
    for finding in review(text, ctx):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.code in CODES
        assert finding.message and finding.suggestion


def test_lower_case_patterns_have_no_capitals() -> None:
    # The engine matches most patterns against a lower-cased copy of the reply.
    families = [
        rules_en.GENERIC_CLOSERS,
        rules_en.NEXT_STEP_PATTERNS,
        rules_en.DECLINE_PATTERNS,
        rules_en.PERSONAL_PATTERNS,
        rules_en.DEFERRAL_PATTERNS,
        *(patterns for _, patterns, _ in rules_en.DEAD_END_RULES),
        *(patterns for _, patterns, _, _ in rules_en.BLAME_RULES),
    ]
    for family in families:
        for pattern in family:
            plain = re.sub(r"\(\?-i:[^)]*\)", "", pattern)
            plain = re.sub(r"\\[A-Za-z]", "", plain)
            assert not re.search(r"[A-Z]", plain), pattern


def test_engine_is_pure() -> None:
    code = (
        "import sys; sys.path[:0] = sys.argv[1:]; import keepwell.coach.evaluation; "
        "print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    paths = [p for p in sys.path if p]
    out = subprocess.run(
        [sys.executable, "-c", code, *paths], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
