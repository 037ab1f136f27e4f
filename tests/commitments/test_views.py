"""Promises in the desk and the portal: detection in the reply box, tracking, renegotiation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from keepwell.commitments.actions import make_commitment
from keepwell.commitments.models import Commitment, Source, State
from keepwell.core.clock import travel
from keepwell.portal.links import make_token
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db
TUESDAY_10 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)


def test_reply_box_offers_the_promise_it_finds(agent_client: Any, ticket: Any) -> None:
    url = reverse("coach:review", args=[ticket.number])
    with travel(TUESDAY_10):
        body = agent_client.get(
            url, {"body": "Thanks! I'll call you tomorrow at 10am to sort it."}
        ).content.decode()
    assert 'name="track_promise"' in body
    assert 'value="2026-06-03T10:00"' in body  # in the agent's time zone (London)
    no_promise = agent_client.get(url, {"body": "Your parcel left this morning."}).content.decode()
    assert no_promise.strip() == ""


def test_reply_with_a_tracked_promise(agent_client: Any, ticket: Any, agent: Any) -> None:
    seen = ticket.messages.get().pk
    response = agent_client.post(
        reverse("tickets:reply", args=[ticket.number]),
        {
            "kind": "reply",
            "body": "I'll call you on Friday at 3pm.",
            "seen_up_to": seen,
            "next_status": "open",
            "track_promise": "1",
            "promise_what": "Call the customer",
            "promise_due": "2030-06-07T15:00",
        },
    )
    assert response.status_code == 302
    promise = Commitment.objects.get(source=Source.REPLY)
    assert promise.what == "Call the customer" and promise.owner == agent
    assert promise.due_at == datetime(2030, 6, 7, 14, 0, tzinfo=UTC)  # 15:00 BST
    assert promise.message.body_text == "I'll call you on Friday at 3pm."
    page = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "Call the customer" in page and "promise in a reply" in page


def test_renegotiating_a_visible_promise_tells_the_customer(
    agent_client: Any, ticket: Any, agent: Any, django_capture_on_commit_callbacks: Any
) -> None:
    promise = make_commitment(
        actor=agent,
        ticket=ticket,
        what="Send the invoice",
        due_at=datetime.now(UTC) + timedelta(hours=2),
    )
    url = reverse("commitments:renegotiate", args=[promise.pk])
    form = agent_client.get(url).content.decode()
    assert "I won&#x27;t be able to send the invoice" in form
    refused = agent_client.post(
        url, {"new_due": "2030-01-08T12:00", "reason": "Accounts closed", "message_to_customer": ""}
    )
    assert refused.status_code == 422
    assert "tell them about the new one" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = agent_client.post(
            url,
            {
                "new_due": "2030-01-08T12:00",
                "reason": "Accounts closed",
                "message_to_customer": "Sorry, the invoice comes on 8 January by noon.",
            },
        )
    assert done.status_code == 302
    promise.refresh_from_db()
    assert promise.state == State.RENEGOTIATED
    assert promise.replaced_by.due_at == datetime(2030, 1, 8, 12, 0, tzinfo=UTC)
    assert "Sorry, the invoice comes on 8 January by noon." in mail.outbox[-1].body


def test_my_promises_and_kept_rate(agent_client: Any, agent: Any, contact: Any) -> None:
    ticket = make_ticket(contact)
    with travel(datetime.now(UTC) - timedelta(days=3)):
        kept = make_commitment(
            actor=agent,
            ticket=ticket,
            what="Ship the mugs",
            due_at=datetime.now(UTC) - timedelta(days=2),
        )
        late = make_commitment(
            actor=agent,
            ticket=ticket,
            what="Refund the postage",
            due_at=datetime.now(UTC) - timedelta(days=1),
        )
    with travel(datetime.now(UTC) - timedelta(days=2, hours=1)):
        agent_client.post(reverse("commitments:keep", args=[kept.pk]))
    agent_client.post(
        reverse("commitments:mine"), {"what": "Lunch break", "due_at": "2030-01-07T13:00"}
    )
    page = agent_client.get(reverse("commitments:mine")).content.decode()
    assert "Refund the postage" in page and "overdue" in page
    assert "Lunch break" in page and "for me" in page
    assert "kept <strong>50%</strong>" in page  # 1 of the 2 that came due
    assert Commitment.objects.get(what="Lunch break").ticket is None
    assert late.state == State.OPEN


def test_portal_shows_visible_promises_only(client: Any, agent: Any, contact: Any) -> None:
    contact.time_zone = "America/New_York"
    contact.save()
    with travel(TUESDAY_10):
        ticket = make_ticket(contact)
        make_commitment(
            actor=agent,
            ticket=ticket,
            what="Call you about the refund",
            due_at=datetime(2026, 6, 2, 14, 0, tzinfo=UTC),
        )
        make_commitment(
            actor=agent,
            ticket=ticket,
            what="Chase the supplier",
            due_at=datetime(2026, 6, 2, 15, 0, tzinfo=UTC),
            visible_to_customer=False,
        )
    client.get(reverse("portal:open_link", args=[make_token(contact)]))
    page = client.get(reverse("portal:request_detail", args=[ticket.number])).content.decode()
    assert "What we promised" in page
    assert "Call you about the refund</strong> by Tue 2 Jun, 10:00" in page  # New York time
    assert "An answer</strong> by Tue 2 Jun, 10:00" in page  # first response: 14:00 London
    assert "Chase the supplier" not in page


def test_acknowledgement_states_the_real_answer_time(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    friday_5pm = datetime(
        2026, 6, 5, 16, 0, tzinfo=UTC
    )  # 17:00 London, half an hour before closing
    with travel(friday_5pm), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:new_request"),
            {
                "name": "Olivia",
                "email": "olivia@example.com",
                "subject": "Lid",
                "message": "Cracked",
                "website": "",
            },
        )
    confirmation = client.get(response["Location"]).content.decode()
    # 4 business hours: 30 minutes on Friday, then Monday 09:00-12:30.
    assert "We will answer by <strong>Monday 8 June, 12:30 (BST)</strong>" in confirmation
    assert "We will answer by Monday 8 June, 12:30 (BST)." in mail.outbox[0].body


def test_inbox_sorts_and_badges_by_next_promise(
    agent_client: Any, agent: Any, contact: Any, team: Any
) -> None:
    import re

    from keepwell.commitments.actions import keep_commitment

    soon = make_ticket(contact, team=team, subject="Soon")
    later = make_ticket(contact, team=team, subject="Later")
    late = make_ticket(contact, team=team, subject="Late")
    Commitment.objects.all().delete()
    base = datetime.now(UTC)
    make_commitment(actor=agent, ticket=later, what="Call", due_at=base + timedelta(hours=30))
    first = make_commitment(
        actor=agent, ticket=soon, what="Call", due_at=base + timedelta(minutes=90)
    )
    with travel(base - timedelta(hours=2)):
        make_commitment(actor=agent, ticket=late, what="Call", due_at=base - timedelta(minutes=30))
    body = agent_client.get(reverse("tickets:inbox"), {"sort": "due"}).content.decode()
    order = re.findall(r'<span class="num">#\d+</span> (\w+)', body)
    assert order == ["Late", "Soon", "Later"]
    assert "overdue" in body and "due in 1 h" in body and "due in 1 d" in body
    keep_commitment(actor=agent, commitment=first)
    soon.refresh_from_db()
    assert soon.next_due_at is None


def test_owner_sees_kept_rates_per_agent_and_team(
    client: Any, owner: Any, agent: Any, contact: Any, team: Any
) -> None:
    from keepwell.commitments.actions import keep_commitment

    ticket = make_ticket(contact, team=team)
    Commitment.objects.all().delete()
    base = datetime.now(UTC)
    with travel(base - timedelta(days=3)):
        on_time = make_commitment(
            actor=agent, ticket=ticket, what="A", due_at=base - timedelta(days=2)
        )
        make_commitment(actor=agent, ticket=ticket, what="B", due_at=base - timedelta(days=1))
        mine = make_commitment(
            actor=owner, ticket=ticket, what="C", due_at=base - timedelta(days=1)
        )
    with travel(base - timedelta(days=2, hours=1)):
        keep_commitment(actor=agent, commitment=on_time)
        keep_commitment(actor=owner, commitment=mine)
    client.force_login(owner)
    page = client.get(reverse("commitments:mine"), {"days": "7"}).content.decode()
    assert "Promises kept on time, last 7 days" in page
    meter = '<meter min="0" max="100" low="80" optimum="100" value="{}"></meter> {}%'
    assert f"<td>Priya Shah</td><td>{meter.format(50, 50)}</td><td>2</td>" in page
    assert f"<td>Alex Morgan</td><td>{meter.format(100, 100)}</td><td>1</td>" in page
    assert "<td>Orders</td>" in page and "67%" in page
    client.force_login(agent)
    assert "Promises kept on time" not in client.get(reverse("commitments:mine")).content.decode()
