"""The scope panel on the ticket page, the decline draft, and the owner's demand page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from keepwell.core.errors import InvalidInput
from keepwell.core.web import HtmxHttpRequest, agent_required, owner_required
from keepwell.offers import actions, catalogue
from keepwell.offers.drafts import Alternative, Referral, decline_draft
from keepwell.offers.models import Offer, Partner
from keepwell.tickets import selectors


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
@agent_required
def scope(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """What the request matches in the catalogue; loaded into the ticket page's sidebar."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    return render(
        request,
        "offers/_scope.html",
        {
            "ticket": ticket,
            "scope": catalogue.scope_for(ticket),
            "public_offers": Offer.objects.filter(public=True),
            "public_partners": Partner.objects.filter(public=True),
        },
    )


@require_POST
@agent_required
def set_offer(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Set (or clear) the ticket's offer; its turnaround becomes the resolution promise."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    offer_id = _int(request.POST.get("offer"))
    offer = Offer.objects.filter(pk=offer_id).first() if offer_id else None
    if offer_id and offer is None:
        raise InvalidInput("That offer no longer exists.")
    actions.set_ticket_offer(actor=request.user, ticket=ticket, offer=offer)
    return redirect("tickets:detail", number=number)


@require_GET
@agent_required
def draft(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The reply box filled with a decline-with-alternative, and the fields that record it."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    topic = " ".join(request.GET.get("topic", "").split())[:200] or ticket.subject
    offer = Offer.objects.filter(pk=_int(request.GET.get("alternative")) or 0, public=True).first()
    partner = Partner.objects.filter(pk=_int(request.GET.get("partner")) or 0, public=True).first()
    excluded_from = Offer.objects.filter(pk=_int(request.GET.get("excluded_from")) or 0).first()
    view = catalogue.offer_views([offer], ticket)[0] if offer else None
    body = decline_draft(
        customer_name=ticket.contact.name,
        topic=topic,
        part_of=f"our {excluded_from.name}" if excluded_from else "",
        alternative=Alternative(offer.name, offer.summary, offer.price_text, view.turnaround)
        if offer and view
        else None,
        referral=Referral(partner.name, partner.what_they_do, partner.contact) if partner else None,
    )
    return render(
        request,
        "offers/_draft.html",
        {
            "body": body,
            "detect_url": reverse("coach:review", args=[ticket.number]),
            "topic": topic,
            "alternative": offer,
            "partner": partner,
        },
    )


@require_GET
@owner_required
def demand(request: HtmxHttpRequest) -> HttpResponse:
    """What customers asked for that the shop does not offer, and where they were sent."""
    days = _int(request.GET.get("days")) or 90
    days = days if days in (30, 90, 365) else 90
    return render(
        request, "offers/demand.html", {"demand": catalogue.demand(days=days), "days": days}
    )
