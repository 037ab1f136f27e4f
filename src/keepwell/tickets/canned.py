"""Filling canned replies for one ticket."""

from __future__ import annotations

from typing import Any

from keepwell.accounts.policies import agent_profile
from keepwell.core.text import fill_placeholders
from keepwell.tickets.models import CannedReply, Ticket

PLACEHOLDERS = {
    "customer_name": "the customer's name",
    "customer_first_name": "the customer's first name",
    "agent_name": "your name",
    "ticket_number": "the ticket number",
}


def render_canned_reply(reply: CannedReply, *, ticket: Ticket, agent: Any) -> str:
    """The canned reply's text with this ticket's customer, agent and number filled in."""
    profile = agent_profile(agent)
    name = ticket.contact.name
    return fill_placeholders(
        reply.body,
        {
            "customer_name": name,
            "customer_first_name": name.split(" ")[0] if name else "",
            "agent_name": profile.display_name if profile else "",
            "ticket_number": str(ticket.number),
        },
    )
