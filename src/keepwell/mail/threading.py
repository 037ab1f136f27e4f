"""Which ticket does an incoming mail belong to?

In order of strength: a Message-ID we know in In-Reply-To/References; our signed reference
printed in earlier mail (it survives clients that drop headers and subject tags); the ticket number
in the subject, trusted only when the sender is that ticket's customer. Otherwise: a new ticket.
"""

from __future__ import annotations

import re

from keepwell.customers.models import Contact
from keepwell.mail.outbound import ticket_number_from_reference
from keepwell.mail.parsing import ParsedMail
from keepwell.tickets.models import Message, Ticket

SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")


def _bracketed(message_id: str) -> str:
    message_id = message_id.strip()
    return message_id if message_id.startswith("<") else f"<{message_id}>"


def find_ticket(parsed: ParsedMail, contact: Contact) -> Ticket | None:
    """The ticket this mail continues, or None when it starts a new conversation."""
    candidates = [
        _bracketed(m) for m in [parsed.in_reply_to or "", *parsed.references] if m.strip()
    ]
    if candidates:
        # Unordered on purpose (see inbound._process); the newest match wins.
        known = list(
            Message.objects.filter(message_id__in=candidates)
            .order_by()
            .values_list("pk", "ticket_id")
        )
        if known:
            return Ticket.objects.get(pk=max(known)[1])
    number = ticket_number_from_reference(parsed.body_text or "")
    if number is None and parsed.body_html:
        number = ticket_number_from_reference(parsed.body_html)
    if number is not None:
        ticket = Ticket.objects.filter(number=number).first()
        if ticket is not None:
            return ticket
    for match in SUBJECT_TAG.finditer(parsed.subject or ""):
        ticket = Ticket.objects.filter(number=int(match.group(1)), contact=contact).first()
        if ticket is not None:
            return ticket
    return None
