from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from keepwell.core.errors import Conflict, Forbidden, InvalidInput
from keepwell.tickets import actions
from keepwell.tickets.attachments import NewAttachment
from keepwell.tickets.models import EventKind, MessageKind, Status, Ticket, TicketEvent
from tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db


def kinds(ticket: Ticket) -> list[str]:
    return list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))


def test_create_ticket_numbers_records_and_indexes(contact: Any) -> None:
    first = make_ticket(contact, subject="  Broken   teapot ")
    second = make_ticket(contact)
    assert first.subject == "Broken teapot"
    assert second.number == first.number + 1
    assert first.status == Status.NEW
    assert kinds(first) == [EventKind.CREATED]
    event = TicketEvent.objects.get(ticket=first)
    assert event.message is not None and event.message.kind == MessageKind.CUSTOMER
    assert event.actor_contact == contact and event.actor_user is None


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("subject", {"subject": "   "}), ("body", {"body": " \n "})],
)
def test_create_ticket_refuses_empty_input(
    contact: Any, field: str, kwargs: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as exc:
        make_ticket(contact, **kwargs)
    assert exc.value.field == field
    assert not Ticket.objects.exists()


def test_acknowledgement_mail_carries_number_and_private_link(
    contact: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        ticket = make_ticket(contact, acknowledge=True)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["olivia@example.com"]
    assert sent.subject == f"[#{ticket.number}] My order has not arrived"
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "/help/l/" in sent.body


# (from, to, allowed)
TRANSITION_TABLE = [
    (Status.NEW, Status.OPEN, True),
    (Status.NEW, Status.WAITING, True),
    (Status.NEW, Status.RESOLVED, True),
    (Status.NEW, Status.CLOSED, False),
    (Status.OPEN, Status.WAITING, True),
    (Status.OPEN, Status.RESOLVED, True),
    (Status.OPEN, Status.NEW, False),
    (Status.OPEN, Status.CLOSED, False),
    (Status.WAITING, Status.OPEN, True),
    (Status.WAITING, Status.RESOLVED, True),
    (Status.RESOLVED, Status.OPEN, True),
    (Status.RESOLVED, Status.CLOSED, True),
    (Status.RESOLVED, Status.WAITING, False),
    (Status.CLOSED, Status.OPEN, False),
]


@pytest.mark.parametrize(("start", "target", "allowed"), TRANSITION_TABLE)
def test_status_machine(ticket: Any, agent: Any, start: str, target: str, allowed: bool) -> None:
    Ticket.objects.filter(pk=ticket.pk).update(status=start)
    ticket.refresh_from_db()
    if allowed:
        actions.change_status(actor=agent, ticket=ticket, status=target)
        ticket.refresh_from_db()
        assert ticket.status == target
        event = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.STATUS).last()
        assert event is not None and event.data == {"from": start, "to": target}
        assert event.actor_user == agent
    else:
        with pytest.raises(Conflict):
            actions.change_status(actor=agent, ticket=ticket, status=target)
        ticket.refresh_from_db()
        assert ticket.status == start


def test_reopen_by_agent_counts(ticket: Any, agent: Any) -> None:
    actions.change_status(actor=agent, ticket=ticket, status=Status.RESOLVED)
    actions.change_status(actor=agent, ticket=ticket, status=Status.OPEN)
    ticket.refresh_from_db()
    assert ticket.reopen_count == 1
    assert EventKind.REOPENED in kinds(ticket)


def test_reply_opens_assigns_and_mails(
    ticket: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = actions.reply_to_ticket(
            actor=agent, ticket=ticket, body="It left today, tracking TT123.", seen_up_to=None
        )
    ticket.refresh_from_db()
    assert message.kind == MessageKind.REPLY
    assert ticket.status == Status.OPEN
    assert ticket.assignee == agent
    assert ticket.first_response_at == message.created_at
    assert kinds(ticket) == [
        EventKind.CREATED,
        EventKind.REPLY,
        EventKind.ASSIGNED,
        EventKind.STATUS,
    ]
    assert len(mail.outbox) == 1
    assert "It left today, tracking TT123." in mail.outbox[0].body
    assert "Priya Shah" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_reply_with_next_status_waiting_and_resolved(ticket: Any, agent: Any) -> None:
    actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="Which size?", seen_up_to=None, next_status=Status.WAITING
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="Done.", seen_up_to=None, next_status=Status.RESOLVED
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolved_at is not None


def test_first_response_time_is_kept_after_later_replies(ticket: Any, agent: Any) -> None:
    first = actions.reply_to_ticket(actor=agent, ticket=ticket, body="One", seen_up_to=None)
    actions.reply_to_ticket(actor=agent, ticket=ticket, body="Two", seen_up_to=None)
    ticket.refresh_from_db()
    assert ticket.first_response_at == first.created_at


def test_customer_message_moves_waiting_to_open(ticket: Any, agent: Any, contact: Any) -> None:
    actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="Which size?", seen_up_to=None, next_status=Status.WAITING
    )
    actions.add_customer_message(contact=contact, ticket=ticket, body="Large, please.")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.reopen_count == 0


def test_customer_reply_reopens_resolved_ticket(ticket: Any, agent: Any, contact: Any) -> None:
    actions.change_status(actor=agent, ticket=ticket, status=Status.RESOLVED)
    actions.add_customer_message(
        contact=contact, ticket=ticket, body="Actually it is still broken."
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.reopen_count == 1
    reopened = TicketEvent.objects.get(ticket=ticket, kind=EventKind.REOPENED)
    assert reopened.actor_contact == contact


def test_customer_reply_to_closed_ticket_opens_follow_up(
    ticket: Any, agent: Any, contact: Any
) -> None:
    actions.change_status(actor=agent, ticket=ticket, status=Status.RESOLVED)
    actions.change_status(actor=agent, ticket=ticket, status=Status.CLOSED)
    message = actions.add_customer_message(contact=contact, ticket=ticket, body="One more thing!")
    follow_up = message.ticket
    assert follow_up.pk != ticket.pk
    assert follow_up.follow_up_of == ticket
    assert follow_up.subject == ticket.subject
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.FOLLOW_UP)
    assert event.data == {"number": follow_up.number}


def test_stale_reply_is_held_until_seen(
    ticket: Any, agent: Any, other_agent: Any, contact: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seen = ticket.messages.get().pk
    newer = actions.add_customer_message(
        contact=contact, ticket=ticket, body="Also, can it be gift-wrapped?"
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.StaleReply) as exc:
        actions.reply_to_ticket(actor=agent, ticket=ticket, body="On its way!", seen_up_to=seen)
    assert [m.pk for m in exc.value.new_messages] == [newer.pk]
    assert exc.value.status_code == 409
    assert not ticket.messages.filter(kind=MessageKind.REPLY).exists()
    assert mail.outbox == []
    # Having seen it, the agent can send.
    actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="On its way, gift-wrapped!", seen_up_to=newer.pk
    )
    assert ticket.messages.filter(kind=MessageKind.REPLY).count() == 1


def test_stale_guard_ignores_the_agents_own_messages(
    ticket: Any, agent: Any, other_agent: Any
) -> None:
    seen = ticket.messages.get().pk
    actions.add_internal_note(actor=agent, ticket=ticket, body="Checking stock")
    actions.reply_to_ticket(actor=agent, ticket=ticket, body="In stock!", seen_up_to=seen)
    note = actions.add_internal_note(
        actor=other_agent, ticket=ticket, body="FYI it is the last one"
    )
    with pytest.raises(actions.StaleReply) as exc:
        actions.reply_to_ticket(actor=agent, ticket=ticket, body="Again", seen_up_to=seen)
    assert [m.pk for m in exc.value.new_messages] == [note.pk]


def test_internal_note_sends_nothing_and_keeps_status(
    ticket: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        note = actions.add_internal_note(actor=agent, ticket=ticket, body="Customer called too.")
    ticket.refresh_from_db()
    assert note.kind == MessageKind.NOTE
    assert ticket.status == Status.NEW
    assert mail.outbox == []


def test_non_agents_cannot_act(ticket: Any, django_user_model: Any) -> None:
    stranger = django_user_model.objects.create_user("stranger", "s@example.com", "x")
    with pytest.raises(Forbidden):
        actions.reply_to_ticket(actor=stranger, ticket=ticket, body="hi", seen_up_to=None)
    with pytest.raises(Forbidden):
        actions.change_status(actor=stranger, ticket=ticket, status=Status.OPEN)


def test_assign_records_names_and_refuses_non_agents(
    ticket: Any, agent: Any, other_agent: Any, django_user_model: Any
) -> None:
    actions.assign_ticket(actor=agent, ticket=ticket, assignee=other_agent)
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.ASSIGNED)
    assert event.data == {"from": "nobody", "to": "Sam Okafor"}
    stranger = django_user_model.objects.create_user("stranger", "s@example.com", "x")
    with pytest.raises(InvalidInput):
        actions.assign_ticket(actor=agent, ticket=ticket, assignee=stranger)
    actions.assign_ticket(actor=agent, ticket=ticket, assignee=None)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_tags_are_normalised_and_diffed(ticket: Any, agent: Any) -> None:
    actions.set_tags(actor=agent, ticket=ticket, names=["Late Delivery", "refund", "refund"])
    actions.set_tags(actor=agent, ticket=ticket, names=["refund", "VIP"])
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["refund", "vip"]
    events = TicketEvent.objects.filter(ticket=ticket, kind=EventKind.TAGS)
    assert [e.data for e in events] == [
        {"added": ["late-delivery", "refund"], "removed": []},
        {"added": ["vip"], "removed": ["late-delivery"]},
    ]


def test_priority_and_team_changes_are_recorded(ticket: Any, agent: Any) -> None:
    from tests.factories import TeamFactory

    actions.set_priority(actor=agent, ticket=ticket, priority=4)
    actions.set_team(actor=agent, ticket=ticket, team=TeamFactory(name="Bookings"))
    data = [
        e.data for e in TicketEvent.objects.filter(ticket=ticket).exclude(kind=EventKind.CREATED)
    ]
    assert data == [{"from": "Normal", "to": "Urgent"}, {"from": "Orders", "to": "Bookings"}]
    with pytest.raises(InvalidInput):
        actions.set_priority(actor=agent, ticket=ticket, priority=9)


def test_attachments_are_stored_by_checksum(contact: Any, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    pdf = NewAttachment(filename="../../etc/receipt.pdf", content=b"%PDF-1.4 receipt")
    ticket = make_ticket(contact, attachments=[pdf, pdf])
    stored = list(ticket.messages.get().attachments.all())
    assert [a.filename for a in stored] == ["receipt.pdf", "receipt.pdf"]
    assert stored[0].size == 16
    assert stored[0].content_type == "application/pdf"
    import hashlib

    assert stored[0].sha256 == hashlib.sha256(b"%PDF-1.4 receipt").hexdigest()
    assert stored[0].file.name == stored[1].file.name  # one copy on disk
    assert stored[0].file.read() == b"%PDF-1.4 receipt"


def test_attachment_limits(contact: Any, settings: Any) -> None:
    limit = settings.KEEPWELL.max_upload_bytes
    big = NewAttachment(filename="huge.zip", content=b"x" * (limit + 1))
    with pytest.raises(InvalidInput, match=r"huge\.zip"):
        make_ticket(contact, attachments=[big])
    exe = NewAttachment(filename="setup.exe", content=b"MZ")
    with pytest.raises(InvalidInput, match=r"\.exe"):
        make_ticket(contact, attachments=[exe], restrict_attachment_types=True)
    assert not Ticket.objects.exists()


def test_contact_found_by_any_address(contact: Any, agent: Any) -> None:
    from keepwell.customers.actions import add_contact_address, find_or_create_contact

    add_contact_address(actor=agent, contact=contact, email="Olivia.B@Work.example")
    assert find_or_create_contact(email="olivia.b@work.example") == contact
    assert find_or_create_contact(email="OLIVIA@example.com") == contact
    other = make_contact(email="someone@example.com")
    with pytest.raises(InvalidInput):
        add_contact_address(actor=agent, contact=other, email="olivia@example.com")
