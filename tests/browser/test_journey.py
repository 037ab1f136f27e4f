"""The whole journey in headless Chromium: a customer asks, an agent answers, the customer reads."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from tests.factories import make_agent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _outbox(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_customer_asks_agent_replies_customer_reads(
    page: Page, live_server: Any, settings: Any, artifacts: Path, team: Any
) -> None:
    settings.KEEPWELL = type(settings.KEEPWELL)(
        **{**settings.KEEPWELL.__dict__, "base_url": live_server.url}
    )
    make_agent(
        teams=[team],
        email="priya@desk.test",
        display_name="Priya Shah",
        password="correct horse battery",
    )

    # The customer writes in through the web form.
    page.goto(f"{live_server.url}/help/")
    page.get_by_role("link", name="Ask for help").first.click()
    page.get_by_label("Your name").fill("Olivia Bennett")
    page.get_by_label("Your e-mail address").fill("olivia@example.com")
    page.get_by_label("What is it about?").fill("Teapot lid cracked")
    page.get_by_label("How can we help?").fill(
        "The lid of my teapot arrived cracked. Can you help?"
    )
    page.screenshot(path=artifacts / "01-customer-form.png", full_page=True)
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("we have your request #1001")
    page.screenshot(path=artifacts / "02-customer-confirmation.png", full_page=True)
    link = re.search(r"http://\S+/help/l/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    # An agent signs in, finds it in the inbox and replies.
    agent = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    agent.goto(f"{live_server.url}/login/")
    agent.get_by_label("E-mail").fill("priya@desk.test")
    agent.get_by_label("Password").fill("correct horse battery")
    agent.get_by_role("button", name="Sign in").click()
    expect(agent).to_have_url(re.compile(r"/desk/$"))
    agent.get_by_role("link", name="Unassigned").first.click()
    row = agent.get_by_role("link", name=re.compile("Teapot lid cracked"))
    expect(row).to_be_visible()
    agent.screenshot(path=artifacts / "03-agent-inbox.png", full_page=True)
    row.click()
    expect(agent.get_by_text("The lid of my teapot arrived cracked.")).to_be_visible()
    agent.get_by_label("Your message").fill(
        "I'm sorry, Olivia. A new lid is on its way today, tracking TT123456789GB."
    )
    agent.get_by_role("button", name="Send, wait for customer").click()
    expect(agent.locator(".msg-reply")).to_contain_text("A new lid is on its way today")
    expect(agent.locator(".ticket-head .badge").first).to_have_text("Waiting on customer")
    # HTMX: changing the priority updates the sidebar and the timeline without a reload.
    agent.get_by_label("Priority").select_option(label="High")
    expect(agent.locator("#timeline")).to_contain_text("changed the priority from Normal to High")
    agent.screenshot(path=artifacts / "04-agent-ticket.png", full_page=True)

    # The customer opens their private link and sees the reply.
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your requests, Olivia Bennett")
    page.get_by_role("link", name=re.compile("Teapot lid cracked")).click()
    expect(page.get_by_text("A new lid is on its way today")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Waiting for your reply")
    page.screenshot(path=artifacts / "05-customer-sees-reply.png", full_page=True)
    page.get_by_label("Message").fill("Thank you, that was quick!")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("Thank you, your message has been added.")).to_be_visible()

    # Back in the desk, the ticket is open again with the customer's thanks.
    agent.reload()
    expect(agent.get_by_text("Thank you, that was quick!")).to_be_visible()
    expect(agent.locator(".ticket-head .badge").first).to_have_text("Open")
