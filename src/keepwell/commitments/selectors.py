"""Reads about commitments: a ticket's promises, an agent's promises, and how many were kept."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q

from keepwell.accounts.policies import ensure_agent, ensure_owner
from keepwell.commitments.models import Commitment, Source, State
from keepwell.core.clock import now
from keepwell.tickets.models import Ticket


def commitments_on_ticket(ticket: Ticket) -> list[Commitment]:
    """The ticket's promises worth showing: open ones first, then what became of the rest."""
    rows = list(
        Commitment.objects.filter(ticket=ticket)
        .exclude(state=State.RENEGOTIATED)
        .select_related("owner__agent_profile", "replaces")
        .order_by("state", "due_at")
    )
    rows.sort(key=lambda c: (c.state != State.OPEN, c.due_at))
    return rows


def visible_promises(ticket: Ticket) -> list[Commitment]:
    """What the customer was promised and is still waiting for."""
    return list(
        Commitment.objects.filter(ticket=ticket, state=State.OPEN, visible_to_customer=True)
        .exclude(source=Source.SERVICE_LEVEL, paused_remaining__isnull=False)
        .order_by("due_at")
    )


def promises_for_agent(*, actor: Any) -> list[Commitment]:
    """The agent's open promises, soonest due first (self-care ones included)."""
    ensure_agent(actor)
    return list(
        Commitment.objects.filter(owner=actor, state=State.OPEN)
        .select_related("ticket")
        .order_by("due_at")[:500]
    )


@dataclass(frozen=True)
class KeptRate:
    kept_on_time: int
    came_due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.kept_on_time / self.came_due) if self.came_due else None


_KEPT_ON_TIME = Q(state=State.KEPT, closed_at__lte=F("due_at"))


def _came_due(since: datetime) -> Any:
    """Customer promises whose due time fell in the period (renegotiated ones count once)."""
    return (
        Commitment.objects.filter(due_at__gte=since, due_at__lte=now())
        .exclude(source=Source.SELF_CARE)
        .exclude(state__in=[State.RENEGOTIATED, State.CANCELLED])
    )


def kept_rate(*, since: datetime, owner: Any | None = None, team_id: int | None = None) -> KeptRate:
    """Promises kept on time ÷ promises whose due time has passed (customer promises only)."""
    base = _came_due(since)
    if owner is not None:
        base = base.filter(owner=owner)
    if team_id is not None:
        base = base.filter(ticket__team_id=team_id)
    counts = base.aggregate(
        came_due=Count("pk"),
        kept=Count("pk", filter=_KEPT_ON_TIME),
    )
    return KeptRate(kept_on_time=counts["kept"], came_due=counts["came_due"])


@dataclass(frozen=True)
class KeptRow:
    label: str
    rate: KeptRate


def kept_rates_for_owner(*, actor: Any, since: datetime) -> tuple[list[KeptRow], list[KeptRow]]:
    """Kept-on-time rates per agent and per team over the period (owners only)."""
    ensure_owner(actor)
    base = _came_due(since)

    def rows(field: str, label: str) -> list[KeptRow]:
        grouped = (
            base.exclude(**{f"{field}__isnull": True})
            .values(label)
            .annotate(came_due=Count("pk"), kept=Count("pk", filter=_KEPT_ON_TIME))
            .order_by(label)
        )
        return [
            KeptRow(g[label], KeptRate(kept_on_time=g["kept"], came_due=g["came_due"]))
            for g in grouped
        ]

    return rows("owner", "owner__agent_profile__display_name"), rows(
        "ticket__team", "ticket__team__name"
    )
