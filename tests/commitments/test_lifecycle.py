"""Commitments made, kept, paused, renegotiated and broken through the ticket's own actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from keepwell.commitments import actions
from keepwell.commitments.models import Commitment, Source, State, Target
from keepwell.core.clock import travel
from keepwell.core.errors import Conflict, InvalidInput
from keepwell.tickets import actions as tickets
from keepwell.tickets.models import Status
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

# Tuesday 2 June 2026, 10:00 in London (09:00 UTC); office hours 09:00-12:30, 13:30-17:30.
TUESDAY_10 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def london(day: int, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime(2026, 6, day, hour, minute, tzinfo=ZoneInfo("Europe/London"))


def service(ticket: Any, target: Target) -> Commitment:
    return Commitment.objects.filter(
        ticket=ticket, source=Source.SERVICE_LEVEL, target=target
    ).latest("pk")


def test_new_ticket_gets_first_response_and_resolution_in_business_time(contact: Any) -> None:
    with travel(TUESDAY_10):
        ticket = make_ticket(contact)  # normal priority: 4 h first response, 24 h resolution
    first = service(ticket, Target.FIRST_RESPONSE)
    assert first.due_at == london(2, 15)  # 10:00 + 2.5 h to lunch + 1.5 h after it
    assert first.visible_to_customer and first.state == State.OPEN
    resolution = service(ticket, Target.RESOLUTION)
    # 24 business hours of 7.5 a day: Tue 10:00 -> Fri 11:30
    assert resolution.due_at == london(5, 11, 30)


def test_reply_keeps_first_response_on_time_or_late(contact: Any, agent: Any) -> None:
    with travel(TUESDAY_10):
        on_time = make_ticket(contact)
        late = make_ticket(contact)
    with travel(london(2, 11)):
        tickets.reply_to_ticket(actor=agent, ticket=on_time, body="Hi", seen_up_to=None)
    with travel(london(3, 9, 30)):
        tickets.reply_to_ticket(actor=agent, ticket=late, body="Hi", seen_up_to=None)
    assert service(on_time, Target.FIRST_RESPONSE).kept_on_time
    late_one = service(late, Target.FIRST_RESPONSE)
    assert late_one.state == State.KEPT and not late_one.kept_on_time


def test_next_reply_owed_after_each_customer_message(contact: Any, agent: Any) -> None:
    with travel(TUESDAY_10):
        ticket = make_ticket(contact)
    with travel(london(2, 11)):
        tickets.reply_to_ticket(actor=agent, ticket=ticket, body="Which size?", seen_up_to=None)
    with travel(london(2, 16)):
        tickets.add_customer_message(contact=contact, ticket=ticket, body="Large")
        tickets.add_customer_message(contact=contact, ticket=ticket, body="And blue, please")
    owed = Commitment.objects.filter(ticket=ticket, target=Target.NEXT_REPLY, state=State.OPEN)
    assert owed.count() == 1  # one answer owed, not one per message
    assert owed.get().due_at == london(3, 16, 30)  # 8 business hours: 1.5 today, 6.5 tomorrow
    with travel(london(3, 10)):
        tickets.reply_to_ticket(actor=agent, ticket=ticket, body="Done", seen_up_to=None)
    assert service(ticket, Target.NEXT_REPLY).kept_on_time


def test_waiting_on_the_customer_pauses_the_clock(contact: Any, agent: Any) -> None:
    with travel(TUESDAY_10):
        ticket = make_ticket(contact)
    with travel(london(2, 11)):
        tickets.reply_to_ticket(
            actor=agent,
            ticket=ticket,
            body="Photo please?",
            seen_up_to=None,
            next_status=Status.WAITING,
        )
    resolution = service(ticket, Target.RESOLUTION)
    assert resolution.paused_remaining == timedelta(hours=23)
    # The customer answers a week later: 23 business hours from then.
    with travel(london(9, 10)):
        tickets.add_customer_message(contact=contact, ticket=ticket, body="Here it is")
    resolution.refresh_from_db()
    assert resolution.paused_remaining is None
    assert resolution.due_at == london(12, 10, 30)  # Tue 10:00 + 23 h (7.5 h days): Fri 10:30
    with travel(london(10, 12)):
        tickets.reply_to_ticket(
            actor=agent,
            ticket=ticket,
            body="Replaced",
            seen_up_to=None,
            next_status=Status.RESOLVED,
        )
    resolution.refresh_from_db()
    assert resolution.kept_on_time


def test_closing_cancels_what_is_left(contact: Any, agent: Any) -> None:
    ticket = make_ticket(contact)
    tickets.customer_close_ticket(contact=contact, ticket=ticket)
    states = set(Commitment.objects.filter(ticket=ticket).values_list("state", flat=True))
    assert states == {
        State.CANCELLED,
        State.KEPT,
    }  # resolution kept on resolving, first answer cancelled


def test_promise_made_in_a_reply(contact: Any, agent: Any) -> None:
    ticket = make_ticket(contact)
    due = london(5, 15)
    with travel(TUESDAY_10):
        message = tickets.reply_to_ticket(
            actor=agent,
            ticket=ticket,
            body="I'll call you on Friday at 3pm.",
            seen_up_to=None,
            promise=("Call the customer", due),
        )
    promise = Commitment.objects.get(ticket=ticket, source=Source.REPLY)
    assert (promise.what, promise.due_at, promise.message, promise.owner) == (
        "Call the customer",
        due,
        message,
        agent,
    )
    # It survives any number of customer replies.
    for text in ("Thanks!", "Great", "See you then"):
        tickets.add_customer_message(contact=contact, ticket=ticket, body=text)
    promise.refresh_from_db()
    assert promise.state == State.OPEN


def test_renegotiation_keeps_history_and_tells_the_customer(
    contact: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    ticket = make_ticket(contact)
    with travel(TUESDAY_10):
        promise = actions.make_commitment(
            actor=agent, ticket=ticket, what="Send the invoice", due_at=london(3, 12)
        )
    with travel(london(3, 11)), pytest.raises(InvalidInput, match="tell them"):
        actions.renegotiate_and_tell(
            actor=agent,
            commitment=promise,
            new_due=london(4, 12),
            reason="Accounts is closed",
            message_to_customer=" ",
        )
    with travel(london(3, 11)), django_capture_on_commit_callbacks(execute=True):
        draft = actions.renegotiation_draft(promise, london(4, 12), "Accounts is closed today")
        renewed = actions.renegotiate_and_tell(
            actor=agent,
            commitment=promise,
            new_due=london(4, 12),
            reason="Accounts is closed today",
            message_to_customer=draft,
        )
    promise.refresh_from_db()
    assert promise.state == State.RENEGOTIATED and renewed.replaces == promise
    assert renewed.due_at == london(4, 12) and renewed.state == State.OPEN
    assert "by Thursday 4 June, 12:00 instead" in draft
    assert "send the invoice" in draft
    assert [m.body.split("\n")[0] for m in mail.outbox] == [draft]
    kinds = list(promise.history.values_list("kind", flat=True))
    assert kinds == ["commitment_made", "commitment_renegotiated"]
    assert promise.history.last().data["reason"] == "Accounts is closed today"


def test_states_are_final(contact: Any, agent: Any) -> None:
    promise = actions.make_commitment(
        actor=agent,
        ticket=make_ticket(contact),
        what="Call back",
        due_at=datetime.now(UTC) + timedelta(hours=2),
    )
    actions.keep_commitment(actor=agent, commitment=promise)
    with pytest.raises(Conflict):
        actions.break_commitment(actor=agent, commitment=promise, reason="x")
    with pytest.raises(InvalidInput):
        actions.make_commitment(
            actor=agent, ticket=None, what="Past", due_at=datetime.now(UTC) - timedelta(hours=1)
        )
    with pytest.raises(InvalidInput):
        actions.break_commitment(actor=agent, commitment=promise, reason=" ")
