"""Mail to customers about their tickets, composed from templates; sending is the caller's job."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from keepwell.portal.links import make_link
from keepwell.tickets.models import Message, Ticket


def ticket_subject(ticket: Ticket) -> str:
    """Mail subject carrying the ticket number, so replies find their way back."""
    return f"[#{ticket.number}] {ticket.subject}"


def public_message_email(message: Message) -> EmailMultiAlternatives:
    """The mail that carries an agent's reply to the customer."""
    ticket = message.ticket
    context = {
        "message": message,
        "ticket": ticket,
        "contact": ticket.contact,
        "agent_name": message.author_user.agent_profile.display_name
        if message.author_user is not None
        else "",
        "link": make_link(ticket.contact),
    }
    mail = EmailMultiAlternatives(
        subject=ticket_subject(ticket),
        body=render_to_string("tickets/mail/public_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[ticket.contact.email],
    )
    mail.attach_alternative(
        render_to_string("tickets/mail/public_message.html", context), "text/html"
    )
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            mail.attach(attachment.filename, handle.read(), attachment.content_type)
    return mail


def acknowledgement_email(ticket: Ticket) -> EmailMultiAlternatives:
    """The confirmation a customer gets when their request is received, with their private link."""
    context = {"ticket": ticket, "contact": ticket.contact, "link": make_link(ticket.contact)}
    mail = EmailMultiAlternatives(
        subject=ticket_subject(ticket),
        body=render_to_string("tickets/mail/acknowledgement.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[ticket.contact.email],
        headers={"Auto-Submitted": "auto-replied"},
    )
    mail.attach_alternative(
        render_to_string("tickets/mail/acknowledgement.html", context), "text/html"
    )
    return mail
