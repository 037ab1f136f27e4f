"""Background work for tickets: each task takes ids, loads, does one thing, owns its retries."""

from __future__ import annotations

from celery import shared_task

from keepwell.tickets import notifications
from keepwell.tickets.models import Message, Ticket


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def send_public_message(self: object, message_id: int) -> None:
    """Mail a reply to the customer."""
    message = (
        Message.objects.select_related("ticket__contact", "author_user__agent_profile")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return
    notifications.public_message_email(message).send()


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def send_acknowledgement(self: object, ticket_id: int) -> None:
    """Mail the customer that their request arrived, with their private link."""
    ticket = Ticket.objects.select_related("contact").filter(pk=ticket_id).first()
    if ticket is None:
        return
    notifications.acknowledgement_email(ticket).send()
