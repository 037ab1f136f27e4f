"""Changes that concern the catalogue: a ticket's offer, and a request declined with care."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from keepwell.accounts.policies import ensure_agent
from keepwell.commitments import actions as commitments
from keepwell.core.clock import now
from keepwell.core.errors import InvalidInput
from keepwell.offers.models import Decline, Offer, Partner
from keepwell.tickets.models import EventKind, Message, Ticket, TicketEvent


@dataclass(frozen=True)
class DeclineChoice:
    """What an agent's reply says no to, and what it offers instead (ids from the scope panel)."""

    topic: str
    alternative_id: int | None = None
    partner_id: int | None = None


def _event(ticket: Ticket, kind: EventKind, actor: Any, **data: Any) -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor_user=actor, data=data, created_at=now()
    )


@transaction.atomic
def set_ticket_offer(*, actor: Any, ticket: Ticket, offer: Offer | None) -> Ticket:
    """Set the ticket's offer; the offer's turnaround becomes the resolution promise."""
    ensure_agent(actor)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.offer_id == (offer.pk if offer else None):
        return ticket
    ticket.offer = offer
    ticket.save(update_fields=["offer"])
    _event(ticket, EventKind.OFFER_SET, actor, offer=offer.name if offer else "")
    if offer is not None and offer.turnaround:
        commitments.set_resolution_time(
            ticket, offer.turnaround, actor=actor, what=f"Deliver the {offer.name}"
        )
    return ticket


def record_decline(
    *, actor: Any, ticket: Ticket, message: Message, choice: DeclineChoice
) -> Decline:
    """Record that this reply declined a request (called inside the reply's transaction)."""
    topic = " ".join(choice.topic.split())[:200]
    if not topic:
        raise InvalidInput("Say what is being declined.", field="decline_topic")
    alternative = (
        Offer.objects.filter(pk=choice.alternative_id).first() if choice.alternative_id else None
    )
    partner = Partner.objects.filter(pk=choice.partner_id).first() if choice.partner_id else None
    decline = Decline.objects.create(
        ticket=ticket,
        message=message,
        topic=topic,
        alternative=alternative,
        partner=partner,
        actor=actor,
        created_at=now(),
    )
    _event(
        ticket,
        EventKind.DECLINED,
        actor,
        topic=topic,
        alternative=alternative.name if alternative else "",
        partner=partner.name if partner else "",
    )
    return decline
