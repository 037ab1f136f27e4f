"""Mail in: raw first, idempotent processing, threading, loop protection, bounces, failures."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import pytest
from django.core import mail

from keepwell.mail import inbound as pipeline
from keepwell.mail.models import InboundEmail, InboundState, Mailbox
from keepwell.tickets import actions
from keepwell.tickets.models import Delivery, EventKind, MessageKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailbox(team: Any) -> Mailbox:
    return Mailbox.objects.create(address="help@shop.test", name="Fernhill Help", team=team)


def make_mail(
    *,
    sender: str = "Olivia Bennett <olivia@example.com>",
    subject: str = "Teapot lid cracked",
    body: str = "The lid arrived cracked.",
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "help@shop.test"
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.com")
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


BOUNCE = """From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: help@shop.test
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce.1@mx.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com
Final-Recipient: rfc822; olivia@example.com
Action: failed
Status: 5.1.1

--b1
Content-Type: message/rfc822

Message-ID: {message_id}
Subject: {subject}
From: help@shop.test

A new lid is on its way.
--b1--
"""


ATTRIBUTION = "On Mon, 23 Nov 2026 at 10:02, Fernhill Help <help@shop.test> wrote:"


def receive(raw: bytes, mailbox: Mailbox | None) -> InboundEmail:
    return pipeline.receive(raw, mailbox=mailbox, source="test")


def test_new_mail_opens_ticket_and_acknowledges(
    mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    raw = make_mail()
    with django_capture_on_commit_callbacks(execute=True):
        record = receive(raw, mailbox)
    assert record.state == InboundState.PROCESSED
    assert bytes(record.raw) == raw and record.size == len(raw)
    ticket = record.ticket
    assert ticket is not None
    assert (ticket.subject, ticket.channel, ticket.team) == (
        "Teapot lid cracked",
        "email",
        mailbox.team,
    )
    assert ticket.contact.email == "olivia@example.com" and ticket.contact.name == "Olivia Bennett"
    message = ticket.messages.get()
    assert message.body_text == "The lid arrived cracked."
    assert message.message_id == record.header_message_id and message.message_id.startswith("<")
    [ack] = mail.outbox
    assert ack.to == ["olivia@example.com"]
    assert ack.subject == f"[#{ticket.number}] Teapot lid cracked"
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert ack.extra_headers["In-Reply-To"] == message.message_id
    assert ack.from_email == "Fernhill Help <help@shop.test>"
    assert ack.reply_to == ["help@shop.test"]


def test_same_mail_twice_makes_one_message(mailbox: Mailbox) -> None:
    raw = make_mail()
    first = receive(raw, mailbox)
    again = receive(raw, mailbox)
    assert again.pk == first.pk
    # Same Message-ID with different bytes (fetched through another path): ignored as a duplicate.
    other_bytes = b"X-Fetched-By: other-client\r\n" + raw
    duplicate = receive(other_bytes, mailbox)
    assert duplicate.state == InboundState.IGNORED
    assert "Already received" in duplicate.reason
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.count() == 2


def _agent_reply(ticket: Ticket, agent: Any, capture: Any) -> Any:
    with capture(execute=True):
        actions.reply_to_ticket(
            actor=agent, ticket=ticket, body="A new lid is on its way.", seen_up_to=None
        )
    return mail.outbox[-1]


@pytest.mark.parametrize("client_drops", ["nothing", "subject tag", "References", "all headers"])
def test_customer_reply_threads_onto_the_ticket(
    mailbox: Mailbox, agent: Any, django_capture_on_commit_callbacks: Any, client_drops: str
) -> None:
    ticket = receive(make_mail(), mailbox).ticket
    sent = _agent_reply(ticket, agent, django_capture_on_commit_callbacks)
    our_id = sent.extra_headers["Message-ID"]
    assert sent.extra_headers["In-Reply-To"] == ticket.messages.first().message_id
    quoted = "\n".join("> " + line for line in sent.body.splitlines())
    subject = f"Re: {sent.subject}"
    headers = {"In-Reply-To": our_id, "References": our_id}
    if client_drops == "subject tag":
        subject = "Re: Teapot lid cracked"
    elif client_drops == "References":
        headers = {}
    elif client_drops == "all headers":
        headers, subject = {}, "Re: Teapot lid cracked"
    reply = make_mail(
        subject=subject,
        body=f"Thank you!\n\n{ATTRIBUTION}\n{quoted}",
        headers=headers,
    )
    record = receive(reply, mailbox)
    assert record.ticket == ticket, client_drops
    latest = ticket.messages.filter(kind=MessageKind.CUSTOMER).last()
    assert latest.body_text == "Thank you!"


def test_subject_tag_from_a_stranger_opens_a_new_ticket(mailbox: Mailbox) -> None:
    ticket = receive(make_mail(), mailbox).ticket
    stranger = make_mail(sender="mallory@example.net", subject=f"Re: [#{ticket.number}] Teapot")
    assert receive(stranger, mailbox).ticket != ticket
    assert Ticket.objects.count() == 2


def test_forged_reference_is_not_trusted(mailbox: Mailbox) -> None:
    ticket = receive(make_mail(), mailbox).ticket
    forged = make_mail(sender="mallory@example.net", body=f"Ref: kw-{ticket.number}-0123456789")
    assert receive(forged, mailbox).ticket != ticket


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.example.com>"},
    ],
)
def test_no_automatic_mail_to_automatic_mail(
    mailbox: Mailbox, headers: dict[str, str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record = receive(make_mail(headers=headers), mailbox)
    assert record.state == InboundState.PROCESSED
    assert mail.outbox == []


def test_mail_from_our_own_mailbox_is_ignored(mailbox: Mailbox) -> None:
    record = receive(make_mail(sender="help@shop.test"), mailbox)
    assert record.state == InboundState.IGNORED
    assert record.reason == "Sent from one of our own mailboxes."
    assert not Ticket.objects.exists()


def test_at_most_three_acknowledgements_per_sender_per_hour(
    mailbox: Mailbox, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(5):
            receive(make_mail(subject=f"Question {i}"), mailbox)
    assert Ticket.objects.count() == 5
    assert len(mail.outbox) == 3


def test_bounce_marks_our_reply_failed(
    mailbox: Mailbox, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    ticket = receive(make_mail(), mailbox).ticket
    sent = _agent_reply(ticket, agent, django_capture_on_commit_callbacks)
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    assert reply.delivery == Delivery.SENT
    bounce = BOUNCE.format(message_id=sent.extra_headers["Message-ID"], subject=sent.subject)
    record = receive(bounce.replace("\n", "\r\n").encode(), mailbox)
    assert record.state == InboundState.IGNORED
    assert record.reason == "A bounce of one of our replies."
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED
    assert "undeliverable" in reply.delivery_error
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.DELIVERY_FAILED).exists()
    assert Ticket.objects.count() == 1


def test_a_failure_keeps_the_mail_and_can_be_retried(
    mailbox: Mailbox, owner: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("contact store unavailable")

    monkeypatch.setattr(pipeline, "find_or_create_contact", broken)
    raw = make_mail()
    record = receive(raw, mailbox)
    assert record.state == InboundState.FAILED
    assert "RuntimeError: contact store unavailable" in record.reason
    assert bytes(record.raw) == raw
    assert not Ticket.objects.exists()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.retry_inbound(actor=owner, inbound=record)
    record.refresh_from_db()
    assert record.state == InboundState.PROCESSED
    assert record.ticket is not None


def test_garbage_bytes_are_kept_and_explained(mailbox: Mailbox) -> None:
    record = receive(b"\x00\xff\xfe not a mail at all \x00", mailbox)
    assert record.state in (InboundState.FAILED, InboundState.PROCESSED)
    assert InboundEmail.objects.filter(pk=record.pk).exists()
    if record.state == InboundState.FAILED:
        assert "no sender" in record.reason


def test_mail_stored_but_never_processed_is_picked_up(mailbox: Mailbox) -> None:
    """A worker killed between storing and processing: the periodic sweep finishes the job."""
    from datetime import timedelta

    from keepwell.core.clock import now
    from keepwell.mail.tasks import process_stalled_mail

    stored = pipeline.store_raw(make_mail(), mailbox=mailbox, source="test").inbound
    InboundEmail.objects.filter(pk=stored.pk).update(received_at=now() - timedelta(minutes=5))
    fresh = pipeline.store_raw(make_mail(subject="Just arrived"), mailbox=mailbox, source="test")
    process_stalled_mail()
    stored.refresh_from_db()
    assert stored.state == InboundState.PROCESSED and stored.ticket is not None
    fresh.inbound.refresh_from_db()
    assert fresh.inbound.state == InboundState.PENDING  # its own job may still be on the way
    process_stalled_mail()
    assert Ticket.objects.count() == 1
