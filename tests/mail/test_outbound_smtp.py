"""Replies leave through a real SMTP server (aiosmtpd on 127.0.0.1), threaded and tracked."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from keepwell.mail.models import Mailbox
from keepwell.tickets import actions
from keepwell.tickets.models import Delivery, EventKind, TicketEvent
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


class Recorder:
    def __init__(self) -> None:
        self.received: list[Envelope] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.received.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[Recorder]:
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield recorder
    finally:
        controller.stop()


def test_reply_is_delivered_with_threading_headers(
    smtp: Recorder, agent: Any, contact: Any, team: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Mailbox.objects.create(address="help@shop.test", name="Fernhill Help")
    ticket = make_ticket(contact, team=team, subject="Teapot lid")
    first = ticket.messages.get()
    first.message_id = "<original.1@example.com>"
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.reply_to_ticket(
            actor=agent, ticket=ticket, body="On its way!", seen_up_to=None
        )
    [envelope] = smtp.received
    assert envelope.rcpt_tos == ["olivia@example.com"]
    sent = message_from_bytes(envelope.original_content, policy=policy.default)
    assert sent["Subject"] == f"[#{ticket.number}] Teapot lid"
    assert sent["Message-ID"] == reply.message_id
    assert sent["In-Reply-To"] == "<original.1@example.com>"
    assert sent["References"] == "<original.1@example.com>"
    assert sent["Reply-To"] == "help@shop.test"
    assert sent["From"] == "Fernhill Help <help@shop.test>"
    assert sent.get_content_type() == "multipart/alternative"
    assert "On its way!" in sent.get_body(("plain",)).get_content()
    assert "kw-" in sent.get_body(("html",)).get_content()
    reply.refresh_from_db()
    assert reply.delivery == Delivery.SENT and reply.delivered_at is not None


def test_refused_recipient_marks_reply_failed_and_retry_sends(
    smtp: Recorder, agent: Any, contact: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.refuse.add("olivia@example.com")
    ticket = make_ticket(contact)
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.reply_to_ticket(actor=agent, ticket=ticket, body="Hello", seen_up_to=None)
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED
    assert "refused the recipient" in reply.delivery_error and "550" in reply.delivery_error
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.DELIVERY_FAILED).count() == 1
    smtp.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.retry_delivery(actor=agent, message=reply)
    reply.refresh_from_db()
    assert reply.delivery == Delivery.SENT
    assert len(smtp.received) == 1


def test_unreachable_server_fails_in_plain_words(
    settings: Any,
    agent: Any,
    contact: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from keepwell.mail import tasks

    monkeypatch.setattr(tasks.deliver_message, "max_retries", 0)  # the last of the retries
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    ticket = make_ticket(contact)
    with django_capture_on_commit_callbacks(execute=True):
        reply = actions.reply_to_ticket(actor=agent, ticket=ticket, body="Hello", seen_up_to=None)
    reply.refresh_from_db()
    assert reply.delivery == Delivery.FAILED
    assert reply.delivery_error.startswith("Could not reach the mail server")
