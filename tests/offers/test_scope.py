"""Scope on the ticket page: setting the offer, declining with an alternative, the demand page,
and the public pages that must match what the desk delivers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from keepwell.coach.engine import ReviewContext, review
from keepwell.coach.service import review_reply
from keepwell.commitments.businesstime import add_business
from keepwell.commitments.calendars import calendar_for
from keepwell.commitments.models import ServiceLevel, Target
from keepwell.core.clock import now
from keepwell.offers import catalogue
from keepwell.offers.actions import DeclineChoice, set_ticket_offer
from keepwell.offers.demo_data import load_catalogue
from keepwell.offers.drafts import Alternative, Referral, decline_draft
from keepwell.offers.models import Decline, Offer, Partner, Policy
from keepwell.tickets import actions
from keepwell.tickets.models import EventKind
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TILES = "Could one of you come and fit the tiles you made for our kitchen splashback?"


@pytest.fixture
def shop(db: Any) -> None:
    load_catalogue()


@pytest.fixture
def tiles_ticket(shop: None, contact: Any, team: Any) -> Any:
    return make_ticket(contact, team=team, subject="Fitting the tiles", body=TILES)


def test_scope_of_an_out_of_scope_request(tiles_ticket: Any) -> None:
    scope = catalogue.scope_for(tiles_ticket)
    assert scope.out_of_scope
    assert scope.topic == "Installing or fitting tiles"
    assert scope.partner == Partner.objects.get(name="Hearth & Tile Fitters")
    assert scope.best_offer == Offer.objects.get(name="Custom commission")
    assert scope.alternative is None  # the only matching offer is the one that excludes it


def test_setting_the_offer_makes_its_turnaround_the_resolution_promise(
    shop: None, ticket: Any, agent: Any
) -> None:
    offer = Offer.objects.get(name="Repair of Fernhill pieces")
    old = ticket.commitments.get(target=Target.RESOLUTION, state="open")
    set_ticket_offer(actor=agent, ticket=ticket, offer=offer)
    ticket.refresh_from_db()
    assert ticket.offer == offer
    new = ticket.commitments.get(target=Target.RESOLUTION, state="open")
    expected = add_business(calendar_for(ticket), now(), offer.turnaround)
    assert abs(new.due_at - expected) < timedelta(seconds=5)
    assert new.visible_to_customer and new.replaces == old
    old.refresh_from_db()
    assert old.state == "cancelled"
    assert ticket.events.filter(kind=EventKind.OFFER_SET, data__offer=offer.name).exists()
    # Setting it again changes nothing.
    set_ticket_offer(actor=agent, ticket=ticket, offer=offer)
    assert ticket.commitments.filter(target=Target.RESOLUTION).count() == 2


def test_set_offer_view_is_one_click(agent_client: Any, shop: None, ticket: Any) -> None:
    offer = Offer.objects.get(name="Gift vouchers")
    url = reverse("offers:set_offer", args=[ticket.number])
    response = agent_client.post(url, {"offer": offer.pk})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.offer == offer
    assert agent_client.post(url, {"offer": 999_999}).status_code == 422


def test_the_draft_declines_with_the_partner_and_passes_the_coach(
    agent_client: Any, tiles_ticket: Any
) -> None:
    partner = Partner.objects.get(name="Hearth & Tile Fitters")
    offer = Offer.objects.get(name="Custom commission")
    response = agent_client.get(
        reverse("offers:draft", args=[tiles_ticket.number]),
        {"topic": "Installing or fitting tiles", "partner": partner.pk, "excluded_from": offer.pk},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "07700 900 303" in html and "Hearth &amp; Tile Fitters" in html
    assert "isn&#x27;t part of our Custom commission" in html
    assert f'name="decline_partner" value="{partner.pk}"' in html
    assert 'name="decline_topic" value="Installing or fitting tiles"' in html


@pytest.mark.parametrize("with_alternative", [True, False])
@pytest.mark.parametrize("with_referral", [True, False])
def test_drafts_leave_no_dead_end(with_alternative: bool, with_referral: bool) -> None:
    text = decline_draft(
        customer_name="Olivia Bennett",
        topic="Delivery outside the UK",
        part_of="our UK delivery and breakage cover",
        alternative=Alternative(
            "Gift vouchers", "Vouchers from £25.", "from £25.00", "1 working day"
        )
        if with_alternative
        else None,
        referral=Referral("Mended & Gold", "Restores china", "hello@mended.example")
        if with_referral
        else None,
    )
    codes = {f.code for f in review(text, ReviewContext(now=now()))}
    assert not codes & {"dead-end", "decline-without-alternative", "vague-promise", "blame"}
    assert text.startswith("Hello Olivia,")
    if with_referral:
        assert "hello@mended.example" in text
    if with_alternative:
        assert "from £25.00 and takes 1 working day" in text


def test_sending_the_draft_records_the_decline_and_referral(
    agent_client: Any, tiles_ticket: Any, owner: Any, client: Any
) -> None:
    partner = Partner.objects.get(name="Hearth & Tile Fitters")
    response = agent_client.post(
        reverse("tickets:reply", args=[tiles_ticket.number]),
        {
            "kind": "reply",
            "body": "Sorry, we don't fit tiles. Hearth & Tile Fitters can: 07700 900 303.",
            "next_status": "resolved",
            "decline_topic": "Installing or fitting tiles",
            "decline_partner": partner.pk,
        },
    )
    assert response.status_code == 302
    decline = Decline.objects.get()
    assert (decline.ticket, decline.partner, decline.topic) == (
        tiles_ticket,
        partner,
        "Installing or fitting tiles",
    )
    assert decline.message is not None and "07700" in decline.message.body_text
    event = tiles_ticket.events.get(kind=EventKind.DECLINED)
    assert event.data["partner"] == "Hearth & Tile Fitters"
    page = agent_client.get(reverse("tickets:detail", args=[tiles_ticket.number]))
    assert "referred the customer to Hearth &amp; Tile Fitters" in page.content.decode()
    client.force_login(owner)
    demand = client.get(reverse("offers:demand")).content.decode()
    assert "Installing or fitting tiles" in demand and "Hearth &amp; Tile Fitters" in demand


def test_demand_groups_topics_and_counts_referrals(shop: None, contact: Any, agent: Any) -> None:
    partner = Partner.objects.get(name="Little Clay Club")
    for topic in ["Classes for children under 16", "classes for children under 16", "Raku"]:
        ticket = make_ticket(contact, subject=topic)
        actions.reply_to_ticket(
            actor=agent,
            ticket=ticket,
            body="Not something we do; Little Clay Club can help.",
            seen_up_to=None,
            notify=False,
            decline=DeclineChoice(topic, None, partner.pk if "class" in topic.lower() else None),
        )
    demand = catalogue.demand(days=30)
    assert demand.total == 3
    assert [(r.topic.lower(), r.count) for r in demand.topics] == [
        ("classes for children under 16", 2),
        ("raku", 1),
    ]
    assert demand.partners == [("Little Clay Club", 2)]


def test_coach_suggests_the_catalogues_alternatives(tiles_ticket: Any) -> None:
    findings = review_reply(tiles_ticket, "We don't offer tile fitting.")
    decline = [f for f in findings if f.code == "decline-without-alternative"]
    assert decline and "Hearth & Tile Fitters" in decline[0].suggestion
    assert "07700 900 303" in decline[0].suggestion


def test_public_pages_show_only_public_items(client: Any, shop: None) -> None:
    offers = client.get(reverse("portal:offers")).content.decode()
    assert "Custom commission" in offers and "from £120.00" in offers
    assert "Installing or fitting tiles" in offers
    assert "Studio hire" not in offers  # internal
    assert "[tall" not in offers and "Pieces taller than 45 cm" in offers  # hints stay hidden
    policies = client.get(reverse("portal:policies")).content.decode()
    assert "Returns and refunds" in policies
    assert "Damaged-parcel claims" not in policies  # internal


def test_policies_page_reflects_the_real_service_levels(client: Any, shop: None) -> None:
    url = reverse("portal:policies")
    html = client.get(url).content.decode()
    assert "How quickly we answer" in html
    assert "4 working hours" in html  # Normal first response, from the default service levels
    assert "Monday to Friday" in html and "09:00–12:30 and 13:30–17:30" in html
    ServiceLevel.objects.filter(priority=2).update(first_response=timedelta(hours=2))
    html = client.get(url).content.decode()
    normal = html.split("Normal requests", 1)[1].split("</tr>", 1)[0]
    assert "2 working hours" in normal and "4 working hours" not in normal


def test_policy_markdown_is_sanitised(client: Any, shop: None) -> None:
    Policy.objects.create(
        title="Tricky",
        slug="tricky",
        body="**Bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)",
    )
    html = client.get(reverse("portal:policies")).content.decode()
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert 'href="https://a.example"' in html


def test_empty_catalogue_pages_say_what_to_do(client: Any, agent_client: Any, ticket: Any) -> None:
    assert "Ask us" in client.get(reverse("portal:offers")).content.decode()
    scope = agent_client.get(reverse("offers:scope", args=[ticket.number])).content.decode()
    assert "Nothing in the catalogue fits this request well" in scope
