"""Test data made through the real actions, so every object has its events and index rows."""

from __future__ import annotations

import itertools
from typing import Any

import factory

from keepwell.accounts.actions import create_agent
from keepwell.accounts.models import AgentProfile, Role, Team
from keepwell.customers.actions import find_or_create_contact
from keepwell.customers.models import Contact
from keepwell.tickets import actions
from keepwell.tickets.models import Ticket

_seq = itertools.count(1)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


def make_agent(role: Role = Role.AGENT, teams: list[Team] | None = None, **kw: Any) -> Any:
    """An active agent user (with profile)."""
    n = next(_seq)
    profile: AgentProfile = create_agent(
        actor=None,
        email=kw.pop("email", f"agent{n}@desk.test"),
        display_name=kw.pop("display_name", f"Agent {n}"),
        password=kw.pop("password", "a-long-test-password"),
        role=role,
        teams=teams or [],
        check_password=False,
        **kw,
    )
    return profile.user


def make_contact(name: str = "", email: str = "") -> Contact:
    n = next(_seq)
    return find_or_create_contact(
        email=email or f"customer{n}@example.com", name=name or f"Customer {n}"
    )


def make_ticket(contact: Contact | None = None, **kw: Any) -> Ticket:
    """A ticket opened by a customer through the one creation path."""
    return actions.create_ticket(
        actor=kw.pop("actor", None),
        contact=contact or make_contact(),
        subject=kw.pop("subject", "My order has not arrived"),
        body=kw.pop("body", "I ordered a teapot last week and it is not here yet."),
        **kw,
    )
