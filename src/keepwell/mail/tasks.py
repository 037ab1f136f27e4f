"""Background mail work: each task takes ids, loads, does one thing, and owns its retries."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import shared_task

from keepwell.mail import outbound
from keepwell.tickets.actions import record_delivery
from keepwell.tickets.models import Delivery, Message, Ticket

# Worth another try later: the server was away or said "try again" (4xx).
TRANSIENT = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _plain_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{addr}: {code} {msg!r}" for addr, (code, msg) in exc.recipients.items())
        return f"The mail server refused the recipient ({codes})."
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "The mail server did not accept our user name and password."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server answered {exc.smtp_code}: {exc.smtp_error!r}."
    return f"Could not reach the mail server ({exc.__class__.__name__}: {exc})."


@shared_task(bind=True, max_retries=6)
def deliver_message(self: Any, message_id: int) -> None:
    """Mail a reply to the customer; transient failures retry with back-off, then mark failed."""
    message = (
        Message.objects.select_related("ticket__contact", "author_user__agent_profile")
        .filter(pk=message_id)
        .first()
    )
    if message is None or message.delivery != Delivery.QUEUED:
        return  # gone, or already sent: a retried task must not mail twice
    try:
        outbound.public_message_email(message).send()
    except smtplib.SMTPResponseException as exc:
        if 400 <= exc.smtp_code < 500 and self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
        record_delivery(message=message, error=_plain_reason(exc))
    except smtplib.SMTPRecipientsRefused as exc:
        record_delivery(message=message, error=_plain_reason(exc))
    except TRANSIENT as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
        record_delivery(message=message, error=_plain_reason(exc))
    else:
        record_delivery(message=message)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=30, max_retries=6)
def send_acknowledgement(self: Any, ticket_id: int) -> None:
    """Confirm a new request by mail, unless loop protection says no."""
    ticket = Ticket.objects.select_related("contact").filter(pk=ticket_id).first()
    if ticket is None or not outbound.automatic_mail_allowed(ticket.contact.email):
        return
    outbound.acknowledgement_email(ticket).send()
    outbound.record_automatic_mail(ticket.contact.email)


@shared_task
def process_inbound_email(inbound_id: int) -> None:
    """Parse a stored mail and file it on its ticket (idempotent; failures are recorded)."""
    from keepwell.mail.inbound import process_inbound

    process_inbound(inbound_id)


@shared_task
def poll_mailbox(mailbox_id: int) -> None:
    """Fetch new mail from one mailbox and queue each new message for processing."""
    from django.core.cache import cache

    from keepwell.mail import imap
    from keepwell.mail.models import Mailbox

    lock = f"keepwell:poll:{mailbox_id}"
    if not cache.add(lock, 1, timeout=imap.TIMEOUT_SECONDS * 10):
        return  # another worker is polling this mailbox right now
    try:
        mailbox = Mailbox.objects.filter(pk=mailbox_id, is_active=True).first()
        if mailbox is None:
            return
        for inbound_id in imap.poll(mailbox).stored:
            process_inbound_email.delay(inbound_id)
    finally:
        cache.delete(lock)


@shared_task
def poll_mailboxes() -> None:
    """Periodic: poll each mailbox whose interval has passed."""
    from datetime import timedelta

    from keepwell.core.clock import now
    from keepwell.mail.models import Mailbox

    for mailbox in Mailbox.objects.filter(is_active=True).exclude(imap_host=""):
        due = mailbox.last_polled_at is None or mailbox.last_polled_at <= now() - timedelta(
            seconds=mailbox.poll_interval_seconds
        )
        if due:
            poll_mailbox.delay(mailbox.pk)


@shared_task
def process_stalled_mail() -> None:
    """Periodic: process stored mail whose processing job was lost (a worker killed mid-way)."""
    from datetime import timedelta

    from keepwell.core.clock import now
    from keepwell.mail.models import InboundEmail, InboundState

    stalled = InboundEmail.objects.filter(
        state=InboundState.PENDING, received_at__lte=now() - timedelta(minutes=2)
    ).values_list("pk", flat=True)
    for inbound_id in stalled[:500]:
        process_inbound_email.delay(inbound_id)
