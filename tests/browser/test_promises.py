"""A promise in the browser: tracked from a reply, renegotiated, shown to the customer."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from keepwell.portal.links import make_token
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_promise_tracked_then_renegotiated(
    page: Page, live_server: Any, settings: Any, artifacts: Path, team: Any, contact: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_agent(
        teams=[team],
        email="priya@desk.test",
        display_name="Priya Shah",
        password="correct horse battery",
    )
    ticket = make_ticket(contact, team=team, subject="Refund for the chipped mug")

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill("priya@desk.test")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/desk/tickets/{ticket.number}/")

    # The reply makes a promise with a time: the reply box offers to track it.
    page.get_by_label("Your message").fill(
        "I'm sorry about the mug. I'll call you tomorrow at 10am about the refund."
    )
    page.get_by_label("Your message").press("End")
    track = page.get_by_role("checkbox", name=re.compile("Track this promise"))
    expect(track).to_be_checked()
    page.get_by_label("Promise", exact=True).fill("Call about the refund")
    page.screenshot(path=artifacts / "10-promise-detected.png", full_page=True)
    page.get_by_role("button", name="Send", exact=True).click()
    panel = page.locator("#promises")
    expect(panel).to_contain_text("Call about the refund")
    expect(panel).to_contain_text("promise in a reply")

    # A new time, with the customer told in the same step.
    panel.get_by_role("link", name="New time…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "A new time for “Call about the refund”"
    )
    expect(page.get_by_label("Message to the customer")).to_have_value(
        re.compile("I won't be able to call about the refund")
    )
    page.get_by_label("New time").fill("2030-01-08T11:00")
    page.get_by_label("Why it has to change").fill("The supplier answers on Tuesdays")
    page.get_by_label("Message to the customer").fill(
        "Sorry, I need a little longer: I'll call you on 8 January at 11:00."
    )
    page.screenshot(path=artifacts / "11-renegotiate.png", full_page=True)
    page.get_by_role("button", name="Change the time and tell the customer").click()
    expect(panel).to_contain_text("renegotiated")
    expect(page.locator(".msg-reply").last).to_contain_text("I'll call you on 8 January at 11:00.")
    page.screenshot(path=artifacts / "12-promise-renegotiated.png", full_page=True)

    # The customer sees the new promise in their own words.
    customer = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    customer.goto(f"{live_server.url}/help/l/{make_token(contact)}/")
    customer.get_by_role("link", name=re.compile("Refund for the chipped mug")).click()
    expect(customer.locator(".promised")).to_contain_text(
        "Call about the refund by Tue 8 Jan, 11:00"
    )
    customer.screenshot(path=artifacts / "13-customer-sees-promise.png", full_page=True)
