"""The coach in the reply box: findings as you type, one-click fixes, sending anyway recorded."""

from __future__ import annotations

import html
import os
from datetime import UTC, datetime
from typing import Any

import pytest
from django.urls import reverse

from keepwell.core.clock import travel
from keepwell.tickets.models import EventKind, TicketEvent

pytestmark = pytest.mark.django_db
TUESDAY_10 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def test_dead_end_is_flagged_with_a_fix(agent_client: Any, ticket: Any) -> None:
    url = reverse("coach:review", args=[ticket.number])
    with travel(TUESDAY_10):
        body = agent_client.get(url, {"body": "I have no idea."}).content.decode()
    assert 'name="coach_codes" value="dead-end"' in body
    assert "<mark>I have no idea.</mark>" in body
    assert "Use: “" in body
    with travel(TUESDAY_10):
        fixed = agent_client.get(
            reverse("coach:apply", args=[ticket.number]), {"body": "I have no idea.", "index": 0}
        ).content.decode()
    # A next step with a real time: five business hours on, lunch included.
    assert "I have no idea. I&#x27;ll find out and get back to you by 4pm today." in fixed
    with travel(TUESDAY_10):
        text = html.unescape(fixed.split(">", 1)[1].rsplit("</textarea>", 1)[0])
        again = agent_client.get(url, {"body": text}).content.decode()
    assert "dead-end" not in again


def test_the_customers_question_and_preference_are_used(
    agent_client: Any, ticket: Any, contact: Any
) -> None:
    from keepwell.tickets import actions

    contact.detail_level = "brief"
    contact.save()
    actions.add_customer_message(contact=contact, ticket=ticket, body="Do you ship to Norway?")
    long_reply = " ".join(["We are a small studio and everything is made by hand."] * 20)
    body = agent_client.get(
        reverse("coach:review", args=[ticket.number]), {"body": long_reply}
    ).content.decode()
    assert "unanswered-question" in body
    assert "length-preference" in body


def test_sending_despite_the_coach_is_recorded(agent_client: Any, ticket: Any, agent: Any) -> None:
    seen = ticket.messages.get().pk
    agent_client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {
            "kind": "reply",
            "body": "I have no idea.",
            "seen_up_to": seen,
            "next_status": "open",
            "coach_codes": "dead-end",
        },
    )
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.COACH_OVERRIDDEN)
    assert event.data == {"codes": ["dead-end"]} and event.actor_user == agent


def test_cli_agrees_with_the_engine(tmp_path: Any) -> None:
    import json
    import subprocess
    import sys

    customer = tmp_path / "customer.txt"
    customer.write_text("Where is my order? It was due on Monday.")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keepwell.cli",
            "coach",
            "--json",
            "--customer-message",
            str(customer),
            "--prefers",
            "brief",
        ],
        input="I have no idea.",
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "KEEPWELL_DATA_DIR": str(tmp_path),
            "KEEPWELL_SECRET_KEY": "x" * 60,
        },
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {f["code"] for f in findings} >= {"dead-end"}
    assert set(findings[0]) == {"code", "message", "start", "end", "suggestion"}
    dead_end = next(f for f in findings if f["code"] == "dead-end")
    assert (dead_end["start"], dead_end["end"]) == (0, 15)
