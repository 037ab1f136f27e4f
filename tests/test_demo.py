from __future__ import annotations

from typing import Any

import pytest

from keepwell.accounts.models import AgentProfile, Role, Team
from keepwell.customers.models import Contact
from keepwell.demo import load_demo
from keepwell.tickets.models import CannedReply, Message, MessageKind, Status, Ticket
from keepwell.tickets.search import matching_ticket_ids

pytestmark = pytest.mark.django_db


def test_demo_shop_is_believable(client: Any) -> None:
    info = load_demo(tickets=120)
    assert Team.objects.count() == 2
    assert AgentProfile.objects.count() == 3
    assert AgentProfile.objects.filter(role=Role.OWNER).count() == 1
    assert Contact.objects.count() == 40
    assert Ticket.objects.count() == 120
    assert CannedReply.objects.count() == 5
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert {Status.NEW, Status.RESOLVED, Status.CLOSED} <= statuses
    assert Message.objects.filter(kind=MessageKind.REPLY).count() > 60
    # Conversations happened in order, in the past.
    for ticket in Ticket.objects.exclude(first_response_at=None)[:30]:
        assert ticket.first_response_at > ticket.created_at
    from keepwell.commitments.models import Commitment, Source, State

    promised = Commitment.objects.filter(source=Source.REPLY)
    assert promised.filter(state=State.KEPT).exists()
    assert Commitment.objects.filter(source=Source.SERVICE_LEVEL).count() >= 2 * 120
    assert matching_ticket_ids("teapot broken") is not None
    assert matching_ticket_ids("booking")
    assert client.login(username=info["agents"][0][0], password=info["password"])  # type: ignore[index]
    assert client.get("/desk/?view=all").status_code == 200


def test_demo_refuses_a_desk_with_tickets(ticket: Any) -> None:
    with pytest.raises(RuntimeError):
        load_demo(tickets=5)
