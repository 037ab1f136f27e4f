"""Mail the desk sends: replies (threaded, with our Message-ID) and acknowledgements (rate-limited).

Composing is separate from sending, so tests and previews can look at a mail without a server.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from keepwell.core.clock import now
from keepwell.mail.models import AutomaticMail, InboundEmail, Mailbox
from keepwell.portal.links import make_link
from keepwell.tickets.models import Message, MessageKind, Ticket

MAX_AUTOMATIC_PER_HOUR = 3
MAX_REFERENCES = 20
REF_PATTERN = re.compile(r"\bkw-(\d{1,12})-([0-9a-f]{10})\b")


def ticket_subject(ticket: Ticket) -> str:
    """Mail subject carrying the ticket number, so replies find their way back."""
    return f"[#{ticket.number}] {ticket.subject}"


def ticket_reference(number: int) -> str:
    """A short signed token for the ticket, printed in our mail; it survives lost headers."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"ticket:{number}".encode(), hashlib.sha256)
    return f"kw-{number}-{digest.hexdigest()[:10]}"


def ticket_number_from_reference(text: str) -> int | None:
    """The ticket number of the first genuine (correctly signed) reference in the text."""
    for match in REF_PATTERN.finditer(text):
        number = int(match.group(1))
        if hmac.compare_digest(ticket_reference(number), match.group(0)):
            return number
    return None


def mailbox_for(ticket: Ticket) -> Mailbox | None:
    """The mailbox the conversation came through, else the first active one."""
    inbound = (
        InboundEmail.objects.filter(ticket=ticket).exclude(mailbox=None).order_by("pk").first()
    )
    if inbound is not None and inbound.mailbox is not None:
        return inbound.mailbox
    return Mailbox.objects.filter(is_active=True).order_by("pk").first()


def _sender(mailbox: Mailbox | None) -> tuple[str, list[str]]:
    if mailbox is None:
        return settings.DEFAULT_FROM_EMAIL, []
    return formataddr((mailbox.name, mailbox.address)) if mailbox.name else mailbox.address, [
        mailbox.address
    ]


def _thread_headers(message: Message) -> dict[str, str]:
    earlier = list(
        Message.objects.filter(ticket_id=message.ticket_id, pk__lt=message.pk)
        .exclude(message_id="")
        .exclude(kind=MessageKind.NOTE)
        .order_by("-pk")
        .values_list("message_id", "kind")[:MAX_REFERENCES]
    )
    headers = {"Message-ID": message.message_id} if message.message_id else {}
    if earlier:
        customer = next(
            (mid for mid, kind in earlier if kind == MessageKind.CUSTOMER), earlier[0][0]
        )
        headers["In-Reply-To"] = customer
        headers["References"] = " ".join(mid for mid, _ in reversed(earlier))
    return headers


def public_message_email(message: Message) -> EmailMultiAlternatives:
    """The mail that carries an agent's reply to the customer, threaded on the conversation."""
    ticket = message.ticket
    mailbox = mailbox_for(ticket)
    sender, reply_to = _sender(mailbox)
    context = {
        "message": message,
        "ticket": ticket,
        "contact": ticket.contact,
        "agent_name": message.author_user.agent_profile.display_name
        if message.author_user is not None
        else "",
        "link": make_link(ticket.contact),
        "reference": ticket_reference(ticket.number),
    }
    mail = EmailMultiAlternatives(
        subject=ticket_subject(ticket),
        body=render_to_string("mail/public_message.txt", context),
        from_email=sender,
        to=[ticket.contact.email],
        reply_to=reply_to,
        headers=_thread_headers(message),
    )
    mail.attach_alternative(render_to_string("mail/public_message.html", context), "text/html")
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            mail.attach(attachment.filename, handle.read(), attachment.content_type)
    return mail


def automatic_mail_allowed(address: str) -> bool:
    """False for our own addresses and for anyone who had 3 automatic mails in the past hour."""
    address = address.strip().lower()
    if not address or Mailbox.objects.filter(address__iexact=address).exists():
        return False
    recent = AutomaticMail.objects.filter(address=address, sent_at__gte=now() - timedelta(hours=1))
    return recent.count() < MAX_AUTOMATIC_PER_HOUR


def acknowledgement_email(ticket: Ticket) -> EmailMultiAlternatives:
    """The confirmation a customer gets when their request arrives, with their private link."""
    mailbox = mailbox_for(ticket)
    sender, reply_to = _sender(mailbox)
    first = ticket.messages.order_by("pk").first()
    context = {
        "ticket": ticket,
        "contact": ticket.contact,
        "link": make_link(ticket.contact),
        "reference": ticket_reference(ticket.number),
        "answer_by": answer_by_text(ticket),
    }
    headers = {
        "Auto-Submitted": "auto-replied",
        "Message-ID": f"<kw.{ticket.number}.ack@{settings.KEEPWELL.mail_domain}>",
    }
    if first is not None and first.message_id:
        headers["In-Reply-To"] = first.message_id
        headers["References"] = first.message_id
    mail = EmailMultiAlternatives(
        subject=ticket_subject(ticket),
        body=render_to_string("mail/acknowledgement.txt", context),
        from_email=sender,
        to=[ticket.contact.email],
        reply_to=reply_to,
        headers=headers,
    )
    mail.attach_alternative(render_to_string("mail/acknowledgement.html", context), "text/html")
    return mail


def answer_by_text(ticket: Ticket) -> str:
    """'Monday 8 June, 12:30 (BST)': when the first answer is due, in the customer's zone."""
    due = first_answer_due(ticket)
    return f"{due:%A %-d %B, %H:%M} ({due:%Z})" if due else ""


def first_answer_due(ticket: Ticket) -> datetime | None:
    """When the customer will have an answer, in their time zone (from the service level)."""
    from keepwell.commitments.calendars import customer_zone
    from keepwell.commitments.models import Commitment, State, Target

    due = (
        Commitment.objects.filter(ticket=ticket, target=Target.FIRST_RESPONSE, state=State.OPEN)
        .values_list("due_at", flat=True)
        .first()
    )
    return due.astimezone(customer_zone(ticket)) if due else None


def record_automatic_mail(address: str) -> None:
    """Count an automatic mail towards the recipient's hourly limit."""
    AutomaticMail.objects.create(address=address.strip().lower(), sent_at=now())
