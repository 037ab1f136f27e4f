"""Promises in replies: due times from a fixed clock on a London desk's calendar."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from keepwell.commitments.businesstime import BusinessCalendar
from keepwell.commitments.promises import (
    Promise,
    VaguePromise,
    find_promises,
    find_vague_promises,
    parse_due,
)

LONDON = ZoneInfo("Europe/London")
# 09:00-17:30 Monday to Friday with lunch 12:30-13:30; England's public holidays (plain "GB"
# lacks Easter Monday). Good Friday is 3 April 2026 and Easter Monday 6 April.
DESK = BusinessCalendar.standard(
    "Europe/London",
    opens="09:00",
    closes="17:30",
    lunch=("12:30", "13:30"),
    holiday_country="GB",
    holiday_subdivision="ENG",
)
NOW = datetime(2026, 4, 2, 10, 15, tzinfo=LONDON)  # Thursday before Easter, 10:15


def due(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


PROMISES = [
    # Times of day, today unless already past.
    ("Expect a reply by 3pm.", "2026-04-02 15:00"),
    ("I'll check with the warehouse and write back by 4pm.", "2026-04-02 16:00"),
    ("I'll send you the quote by 4.30pm.", "2026-04-02 16:30"),
    ("I'll ring you at 3.", "2026-04-02 15:00"),
    ("I'll phone you back by 12pm.", "2026-04-02 12:00"),
    ("I'll get this sorted by midday.", "2026-04-02 12:00"),
    ("We'll send a new one out by 5 o'clock.", "2026-04-02 17:00"),
    ("I'll look into it and let you know by 11am.", "2026-04-02 11:00"),
    ("Someone from our accounts team will email you by 2pm.", "2026-04-02 14:00"),
    ("I'll call you around 4 this afternoon.", "2026-04-02 16:00"),
    # End of the business day, and parts of the day as deadlines.
    ("I'll get back to you by end of day.", "2026-04-02 17:30"),
    ("I'll send the refund by EOD.", "2026-04-02 17:30"),
    ("I'll have it done by close of business.", "2026-04-02 17:30"),
    ("I'll get this done by COB Tuesday.", "2026-04-07 17:30"),
    ("I'll send it over later today.", "2026-04-02 17:30"),
    ("I'll post it today.", "2026-04-02 17:30"),
    ("I'll call you this afternoon.", "2026-04-02 17:00"),
    ("I'll call you tonight.", "2026-04-02 21:00"),
    ("I'll call you on Tuesday morning.", "2026-04-07 12:00"),
    ("Tomorrow morning I'll send you the tracking number.", "2026-04-03 12:00"),
    ("I promise to call you by Friday lunchtime.", "2026-04-03 12:00"),
    ("I'll email you first thing on Tuesday.", "2026-04-07 10:00"),
    ("I'll call you first thing Tuesday.", "2026-04-07 10:00"),
    # Relative days and weekdays (a weekday is never today; "next" is next week's).
    ("I'll call you tomorrow at 10am.", "2026-04-03 10:00"),
    ("I'll call you at 10 a.m. tomorrow.", "2026-04-03 10:00"),
    ("I'll call you back at 9:30 tomorrow.", "2026-04-03 09:30"),
    ("We'll confirm the booking by noon tomorrow.", "2026-04-03 12:00"),
    ("I'm sending the replacement tomorrow.", "2026-04-03 17:30"),
    ("I'll be back in touch tomorrow.", "2026-04-03 17:30"),
    ("I'll call you the day after tomorrow.", "2026-04-04 17:30"),
    ("You'll have the invoice by Friday.", "2026-04-03 17:30"),
    ("Our team will call you this coming Friday.", "2026-04-03 17:30"),
    ("I'll update you by Thursday 5pm.", "2026-04-09 17:00"),
    ("By Wednesday, you'll have a full refund.", "2026-04-08 17:30"),
    ("A courier will collect the parcel on Wednesday.", "2026-04-08 17:30"),
    ("I'll call you at 2pm on Tuesday.", "2026-04-07 14:00"),
    ("I'll send you the documents by Tues.", "2026-04-07 17:30"),
    ("We're going to replace it by Tuesday at the latest.", "2026-04-07 17:30"),
    ("The replacement arrives on Tuesday before 1pm.", "2026-04-07 13:00"),
    ("The engineer will visit on Tuesday between 8am and 10am.", "2026-04-07 10:00"),
    ("I'll call you next Monday at 10am.", "2026-04-06 10:00"),
    ("I'll call you at 10am next Tuesday.", "2026-04-07 10:00"),
    ("I'll get the parts ordered by Tuesday next week.", "2026-04-07 17:30"),
    ("I'll ring you a week on Friday.", "2026-04-10 17:30"),
    # Durations: real time for minutes and hours, business time when it says so.
    ("I'll reply within the hour.", "2026-04-02 11:15"),
    ("I'll ring you in 30 minutes.", "2026-04-02 10:45"),
    ("I will call you in half an hour.", "2026-04-02 10:45"),
    ("I'll email you in a couple of hours.", "2026-04-02 12:15"),
    ("Within the next 2 hours I'll confirm the refund.", "2026-04-02 12:15"),
    ("We'll be in touch within 24 hours.", "2026-04-03 10:15"),
    ("We'll reply within 4 business hours.", "2026-04-02 15:15"),
    ("We will ship it within 2 business days.", "2026-04-08 17:30"),
    ("I'll get back to you within 2-3 business days.", "2026-04-09 17:30"),
    ("Your refund will be processed within 5 working days.", "2026-04-13 17:30"),
    ("The refund should appear on your card within 3 to 5 working days.", "2026-04-13 17:30"),
    ("You should receive it in 5 days.", "2026-04-07 17:30"),
    ("I'll get back to you by the next business day.", "2026-04-07 17:30"),
    # Weeks and months, with Good Friday and Easter Monday closed.
    ("I'll have an answer for you by the end of the week.", "2026-04-02 17:30"),
    ("I'll sort this out for you by the weekend.", "2026-04-02 17:30"),
    ("I'll ship it this week.", "2026-04-02 17:30"),
    ("I'll send it next week.", "2026-04-10 17:30"),
    ("We'll have it fixed by the end of next week.", "2026-04-10 17:30"),
    ("We'll deliver it early next week.", "2026-04-08 17:30"),
    ("Your order will be dispatched by the end of the month.", "2026-04-30 17:30"),
    # Dates.
    ("I'll send it on 3 June at 10:00.", "2026-06-03 10:00"),
    ("I'll have the replacement with you by 10 April.", "2026-04-10 17:30"),
    ("I'll send the invoice by 15/04.", "2026-04-15 17:30"),
    ("I'll call you on the 14th.", "2026-04-14 17:30"),
    ("We will replace it by 9 June 2026.", "2026-06-09 17:30"),
]


@pytest.mark.parametrize(("text", "expected"), PROMISES, ids=[p[0] for p in PROMISES])
def test_promise_due_times(text: str, expected: str) -> None:
    promises = find_promises(text, now=NOW, calendar=DESK)
    assert [p.due for p in promises] == [due(expected)]
    assert promises[0].due.tzinfo == LONDON
    assert find_vague_promises(text) == []


NOT_PROMISES = [
    "We are open until 5pm.",
    "Your order was placed on Monday.",
    "You asked yesterday.",
    "Could you send it by Friday?",
    "Can you call me tomorrow at 10?",
    "Shall I call you at 3pm tomorrow?",
    "When would suit you for a call tomorrow?",
    "I'll call you tomorrow?",
    "If you send the parcel back by Friday, we'll refund you.",
    "Once you upload the photo on Monday, we'll assess it.",
    "Reply with your order number by Friday and I'll reissue the ticket.",
    "You will need to return it by Friday.",
    "You'll have to send it back by 15 April.",
    "Please reply by Friday.",
    "I'll be out of the office until Monday.",
    "I'll be back in the office on Monday.",
    "We'll be closed on Easter Monday.",
    "We'll start shipping from Monday.",
    "I won't be able to call tomorrow.",
    "I called the courier this morning.",
    "The delivery was due on 3 June.",
    "Our office reopens on Tuesday at 9am.",
    "Delivery usually takes 3-5 business days.",
    "I spoke to the warehouse yesterday and I'll chase them.",
    "I'll check what went wrong last week.",
    "I'll keep the ticket open until you confirm.",
    "The offer runs until the end of the month.",
    "We offer 24/7 support.",
    "It's been 2 days since you wrote to us.",
    "Step 2 may take a few minutes.",
    "I'll chase the courier, who promised delivery by Friday.",
]


@pytest.mark.parametrize("text", NOT_PROMISES)
def test_not_promises(text: str) -> None:
    assert find_promises(text, now=NOW, calendar=DESK) == []


OTHER_CLOCKS = [
    ("a time already past rolls to the next business day", "2026-04-10 16:00",
     "I'll reply by 3pm.", "2026-04-13 15:00"),
    ("end of day after closing is the next business day's", "2026-04-02 18:00",
     "I'll send it by end of day.", "2026-04-07 17:30"),
    ("today after closing is late tonight", "2026-04-02 18:00",
     "I'll do it today.", "2026-04-02 23:59"),
    ("a weekday is never today", "2026-04-08 10:00",
     "I'll call you on Wednesday.", "2026-04-15 17:30"),
    ("this Friday on a Friday is today", "2026-04-10 09:00",
     "I'll call you this Friday.", "2026-04-10 17:30"),
    ("business days counted from the last closing", "2026-04-04 11:00",
     "We'll ship it within 1 business day.", "2026-04-07 17:30"),
    ("business hours across the Easter weekend", "2026-04-02 16:45",
     "I'll reply within 2 business hours.", "2026-04-07 10:15"),
    ("real hours across the clocks going forward", "2026-03-28 23:30",
     "I'll email you in 3 hours.", "2026-03-29 03:30"),
    ("a past part of the day is not a promise", "2026-04-02 18:00",
     "I'll call you this afternoon.", None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("now", "text", "expected"), [c[1:] for c in OTHER_CLOCKS], ids=[c[0] for c in OTHER_CLOCKS]
)
def test_promise_due_times_at_other_moments(now: str, text: str, expected: str | None) -> None:
    promises = find_promises(text, now=due(now), calendar=DESK)
    assert [p.due for p in promises] == ([due(expected)] if expected else [])


def test_promise_fields_span_the_clause() -> None:
    text = "Hi Maya,\nThanks for waiting. I'll call you tomorrow at 10am, if that suits you.\nOllie"
    [promise] = find_promises(text, now=NOW, calendar=DESK)
    assert promise == Promise(
        start=text.index("I'll"),
        end=text.index(", if"),
        text="I'll call you tomorrow at 10am",
        time_text="tomorrow at 10am",
        due=due("2026-04-03 10:00"),
    )
    assert text[promise.start : promise.end] == promise.text


def test_several_promises_in_one_reply() -> None:
    text = (
        "Sorry about this! I'll call you tomorrow at 10am and send the invoice by Friday. "
        "Could you confirm your address by Monday? Our driver will collect the old one on "
        "Wednesday; if it isn't ready by then, tell me and I'll rebook."
    )
    promises = find_promises(text, now=NOW, calendar=DESK)
    assert [(p.text, p.time_text, p.due) for p in promises] == [
        ("I'll call you tomorrow at 10am", "tomorrow at 10am", due("2026-04-03 10:00")),
        ("send the invoice by Friday", "by Friday", due("2026-04-03 17:30")),
        (
            "Our driver will collect the old one on Wednesday",
            "on Wednesday",
            due("2026-04-08 17:30"),
        ),
    ]
    for promise in promises:
        assert text[promise.start : promise.end] == promise.text


def test_curly_apostrophes_and_wrapped_lines() -> None:
    text = (
        "Thanks for your patience while we looked into the missing parts for your order. I’ll\n"
        "send the replacement bracket by Thursday 5pm at the latest."
    )
    [promise] = find_promises(text, now=NOW, calendar=DESK)
    assert promise.time_text == "by Thursday 5pm"
    assert promise.text.startswith("I’ll\nsend")


def test_month_first_dates_for_us_calendars() -> None:
    new_york = BusinessCalendar.standard("America/New_York", holiday_country="US")
    now = datetime(2026, 4, 2, 10, 15, tzinfo=ZoneInfo("America/New_York"))
    [promise] = find_promises("We'll ship it by 4/6.", now=now, calendar=new_york)
    assert promise.due == datetime(2026, 4, 6, 17, tzinfo=ZoneInfo("America/New_York"))
    [promise] = find_promises("We'll ship it by 4/6.", now=NOW, calendar=DESK)
    assert promise.due == due("2026-06-04 17:30")


VAGUE = [
    ("I'll look into it and get back to you soon.", "soon"),
    ("We'll be in touch.", "be in touch"),
    ("The missing charger will be sent out ASAP.", "ASAP"),
    ("I'll sort it out shortly.", "shortly"),
    ("Our billing team will review this and get back to you in due course.", "in due course"),
    ("I'll let you know.", "let you know"),
    ("Good question, I'm not sure. I'll find out and let you know.", "find out"),
    ("We'll get back to you as soon as possible.", "as soon as possible"),
    ("Someone from our accounts team will contact you.", "our accounts team will contact"),
    ("We'll fix it at some point.", "at some point"),
    ("I'll send a replacement.", "I'll send"),
    ("I'm looking into it.", "looking into it"),
    ("We'll keep you posted.", "keep you posted"),
    ("A refund will be issued shortly.", "shortly"),
    ("Your query has been passed on to the team, who will respond in due course.", "in due course"),
    ("I'll chase the courier and update you once I hear back.", "once I hear"),
]


@pytest.mark.parametrize(("text", "words"), VAGUE, ids=[v[0] for v in VAGUE])
def test_vague_promises(text: str, words: str) -> None:
    [vague] = find_vague_promises(text)
    assert vague.vague_text == words
    assert text[vague.start : vague.end] == vague.text
    assert find_promises(text, now=NOW, calendar=DESK) == []


NOT_VAGUE = [
    "I'll let you know by Thursday 5pm.",
    "I'll look into it and get back to you by 3pm.",
    "I'll look into it, and I'll get back to you by 3pm.",
    "Get well soon!",
    "Please reply ASAP.",
    "Sorry it broke so soon.",
    "Could you let me know as soon as possible?",
    "If you send me a photo, I'll arrange a replacement.",
    "Send us your charity number and I'll apply the discount.",
    "Tell me which day suits you and I'll book it.",
    "If that ever changes, we'll give you two months' notice.",
    "I'll be happy to help.",
    "I'll send it now.",
    "I'll keep this ticket open until you confirm it's arrived.",
    "Could you send a photo of the damage? I'll send a replacement the same day I get it.",
    "It's a large letter, so it'll fit through the letterbox.",
]


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_not_vague(text: str) -> None:
    assert find_vague_promises(text) == []


def test_vague_promise_fields() -> None:
    text = "Thanks Tom. We've passed your query to dispatch, and we'll be in touch soon!"
    assert find_vague_promises(text) == [
        VaguePromise(
            start=text.index("we'll"),
            end=len(text) - 1,
            text="we'll be in touch soon",
            vague_text="soon",
        )
    ]


PARSE_DUE = [
    ("by Friday 3pm", "2026-04-03 15:00"),
    ("EOD", "2026-04-02 17:30"),
    ("end of next week", "2026-04-10 17:30"),
    ("within 2 business days", "2026-04-08 17:30"),
    ("next Monday", "2026-04-06 17:30"),
    ("Friday week", "2026-04-10 17:30"),
    ("on the 20th at 4pm", "2026-04-20 16:00"),
    ("Monday 13th April", "2026-04-13 17:30"),
    ("the 3rd of May", "2026-05-03 17:30"),
    ("first thing", "2026-04-07 10:00"),
    # Not in the grammar: dateparser reads them, as dates.
    ("3 weeks from now", "2026-04-23 17:30"),
    ("in a fortnight", "2026-04-16 17:30"),
    ("until 5pm", None),
    ("yesterday", None),
    ("after lunch", None),
    ("banana", None),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_DUE)
def test_parse_due(text: str, expected: str | None) -> None:
    result = parse_due(text, now=NOW, calendar=DESK)
    assert result == (due(expected) if expected else None)


def test_without_a_calendar_nine_to_five_in_nows_zone() -> None:
    chicago = ZoneInfo("America/Chicago")
    now = datetime(2026, 4, 2, 10, 15, tzinfo=chicago)
    assert parse_due("EOD", now=now) == datetime(2026, 4, 2, 17, tzinfo=chicago)
    assert parse_due("by 4pm", now=now.astimezone(UTC)) == datetime(2026, 4, 2, 16, tzinfo=UTC)


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="aware"):
        find_promises("I'll call you at 3pm.", now=datetime(2026, 4, 2, 10), calendar=DESK)


def test_finding_is_fast_without_dateparser() -> None:
    reply = (
        "Hi Maya,\nThanks so much for getting in touch about order {n}, and I'm really sorry it "
        "hasn't turned up yet. I've had a look at the tracking and it seems the parcel was handed "
        "to the courier on Monday, but there has been no scan since then, which usually means it "
        "is sitting in a depot waiting to be sorted. I've opened a trace with the courier and "
        "asked them to prioritise it. In the meantime I'll check with the warehouse whether we "
        "have another one in stock, and I'll call you tomorrow at 10am to let you know what they "
        "say. If the trace comes back empty I'll send a replacement by Thursday 5pm at the latest, "
        "at no cost to you. You don't need to do anything else for now. Thanks again for your "
        "patience, and sorry for the hassle.\nBest wishes,\nOllie"
    )
    assert 140 <= len(reply.split()) <= 160
    timings = []
    for n in range(60):  # a new text each time: nothing cached
        text = reply.format(n=4400 + n)
        started = time.perf_counter()
        promises = find_promises(text, now=NOW, calendar=DESK)
        find_vague_promises(text)
        timings.append(time.perf_counter() - started)
        assert len(promises) == 2
    assert statistics.median(timings) < 0.002
