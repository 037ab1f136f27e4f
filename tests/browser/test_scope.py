"""Saying no well in the browser: an out-of-scope request declined with a referral, two clicks."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from keepwell.commitments.models import ServiceLevel
from keepwell.offers.demo_data import load_catalogue
from keepwell.offers.models import Decline
from keepwell.portal.links import make_token
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_decline_with_a_referral_in_two_clicks(
    page: Page, live_server: Any, settings: Any, artifacts: Path, team: Any, contact: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    load_catalogue()
    # Transactional tests empty the tables the migrations filled: the targets the page states.
    ServiceLevel.objects.update_or_create(
        priority=2, defaults={"name": "Normal", "first_response": timedelta(hours=4)}
    )
    make_agent(
        teams=[team], email="priya@desk.test", display_name="Priya Shah", password="tiles-2026-ok"
    )
    ticket = make_ticket(
        contact,
        team=team,
        subject="Fitting the tiles",
        body="The tiles you made are lovely. Could one of you come and fit them as a splashback?",
    )
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill("priya@desk.test")
    page.get_by_label("Password").fill("tiles-2026-ok")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")

    scope = page.locator("#scope")
    expect(scope).to_contain_text("Not included in Custom commission: Installing or fitting tiles")
    expect(page.get_by_label("Refer to")).to_have_value(re.compile(r"\d+"))
    page.screenshot(path=artifacts / "20-scope-out-of-scope.png", full_page=True)

    # Click one: the reply box gets the decline, with the referral.
    scope.get_by_role("button", name="Draft the reply").click()
    body = page.get_by_label("Your message")
    expect(body).to_have_value(re.compile("I recommend Hearth & Tile Fitters"))
    expect(body).to_have_value(re.compile("07700 900 303"))
    expect(page.locator("#decline-fields")).to_contain_text("referred the customer to Hearth")
    page.screenshot(path=artifacts / "21-decline-drafted.png", full_page=True)

    # Click two: send.
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".msg-reply").last).to_contain_text("Hearth & Tile Fitters")
    expect(page.locator("#timeline")).to_contain_text(
        "referred the customer to Hearth & Tile Fitters"
    )
    decline = Decline.objects.get()
    assert decline.partner is not None and decline.partner.name == "Hearth & Tile Fitters"

    # The customer reads the no, the reason, and where to go instead.
    customer = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    customer.goto(f"{live_server.url}/help/l/{make_token(contact)}/")
    customer.get_by_role("link", name=re.compile("Fitting the tiles")).click()
    expect(customer.locator("main")).to_contain_text("isn't something we offer")
    expect(customer.locator("main")).to_contain_text("07700 900 303")
    customer.screenshot(path=artifacts / "22-customer-sees-referral.png", full_page=True)
    customer.goto(f"{live_server.url}/help/offers/")
    expect(customer.get_by_role("heading", name="Custom commission")).to_be_visible()
    customer.screenshot(path=artifacts / "23-what-we-offer.png", full_page=True)
    customer.goto(f"{live_server.url}/help/policies/")
    expect(customer.locator("#how-quickly-we-answer")).to_contain_text("4 working hours")
    customer.screenshot(path=artifacts / "24-our-policies.png", full_page=True)
