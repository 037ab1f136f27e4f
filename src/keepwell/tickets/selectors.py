"""Reads for agents: the inbox and the ticket page as read models with a fixed query count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, Q, QuerySet

from keepwell.accounts.models import AgentProfile, Team
from keepwell.accounts.policies import ensure_agent
from keepwell.commitments.selectors import commitments_on_ticket
from keepwell.core.errors import NotFound
from keepwell.tickets import search
from keepwell.tickets.models import (
    Attachment,
    CannedReply,
    Priority,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)

INBOX_VIEWS = {
    "mine": "Mine",
    "team": "My teams",
    "unassigned": "Unassigned",
    "all": "All",
}
INBOX_SORTS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "priority": ("Priority, then oldest", ("-priority", "created_at")),
    "due": ("Next promise due", (F("next_due_at").asc(nulls_last=True), "created_at")),
    "oldest": ("Oldest first", ("created_at",)),
    "newest": ("Newest first", ("-created_at",)),
    "updated": ("Recently updated", ("-updated_at",)),
}
PAGE_SIZE = 50


@dataclass(frozen=True)
class InboxFilters:
    """What the agent asked the inbox for; unknown values fall back to the defaults."""

    view: str = "team"
    status: str = "active"
    priority: int | None = None
    tag: str = ""
    team: int | None = None
    sort: str = "priority"
    page: int = 1
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> InboxFilters:
        """Read filters from a QueryDict-like mapping, ignoring what does not parse."""

        def _int(name: str) -> int | None:
            try:
                return int(params.get(name, ""))
            except (TypeError, ValueError):
                return None

        view = params.get("view", "team")
        status = params.get("status", "active")
        sort = params.get("sort", "priority")
        return cls(
            view=view if view in INBOX_VIEWS else "team",
            status=status if status in {"active", "any", *Status.values} else "active",
            priority=_int("priority"),
            tag=params.get("tag", "")[:50],
            team=_int("team"),
            sort=sort if sort in INBOX_SORTS else "priority",
            page=max(1, min(_int("page") or 1, 10_000)),
            q=params.get("q", "").strip()[:200],
        )


_STATUS_LABELS = dict(Status.choices)
_PRIORITY_LABELS = dict(Priority.choices)


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox: plain values, so that 50 rows cost one query and no model objects."""

    number: int
    subject: str
    status: str
    priority: int
    created_at: datetime
    customer: str
    team: str | None
    assignee: str | None
    next_due_at: datetime | None
    tags: list[str]

    @property
    def status_label(self) -> str:
        return _STATUS_LABELS[self.status]

    @property
    def priority_label(self) -> str:
        return _PRIORITY_LABELS[self.priority]


_ROW_COLUMNS = (
    "pk",
    "number",
    "subject",
    "status",
    "priority",
    "created_at",
    "contact__name",
    "team__name",
    "assignee__agent_profile__display_name",
    "next_due_at",
)


def _inbox_rows(tickets: QuerySet[Ticket]) -> list[InboxRow]:
    values = list(tickets.values_list(*_ROW_COLUMNS))
    tags: dict[int, list[str]] = {}
    if values:
        pairs = Ticket.tags.through.objects.filter(ticket_id__in=[v[0] for v in values])
        for ticket_id, name in pairs.values_list("ticket_id", "tag__name").order_by("tag__name"):
            tags.setdefault(ticket_id, []).append(name)
    return [
        InboxRow(
            number=number,
            subject=subject,
            status=status,
            priority=priority,
            created_at=created_at,
            customer=customer,
            team=team,
            assignee=assignee,
            next_due_at=next_due,
            tags=tags.get(pk, []),
        )
        for (
            pk,
            number,
            subject,
            status,
            priority,
            created_at,
            customer,
            team,
            assignee,
            next_due,
        ) in values
    ]


@dataclass
class Inbox:
    filters: InboxFilters
    tickets: list[InboxRow]
    has_next: bool
    teams: list[Team]
    tags: list[Tag]
    my_team_ids: list[int] = field(default_factory=list)


def _inbox_queryset(actor: Any, filters: InboxFilters, team_ids: list[int]) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if filters.view == "mine":
        tickets = tickets.filter(assignee=actor)
    elif filters.view == "team":
        tickets = tickets.filter(team_id__in=team_ids) if team_ids else tickets.filter(team=None)
    elif filters.view == "unassigned":
        tickets = tickets.filter(assignee=None)
    if filters.status == "active":
        tickets = tickets.filter(is_active=True)
    elif filters.status != "any":
        tickets = tickets.filter(status=filters.status)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.team:
        tickets = tickets.filter(team_id=filters.team)
    if filters.tag:
        tickets = tickets.filter(tags__name=filters.tag)
    return tickets.order_by(*INBOX_SORTS[filters.sort][1], "pk")


def inbox_for_agent(*, actor: Any, filters: InboxFilters) -> Inbox:
    """One page of tickets for the agent's chosen view, with the choices its filters offer."""
    profile = ensure_agent(actor)
    teams = list(Team.objects.all())
    team_ids = list(profile.teams.values_list("pk", flat=True))
    tickets_qs: QuerySet[Ticket]
    if filters.q:
        ids = search.matching_ticket_ids(filters.q, limit=PAGE_SIZE)
        tickets_qs = Ticket.objects.filter(pk__in=ids)
        has_next = False
    else:
        tickets_qs = _inbox_queryset(actor, filters, team_ids)
    start = (filters.page - 1) * PAGE_SIZE
    rows = _inbox_rows(tickets_qs[start : start + PAGE_SIZE + 1])
    if filters.q:
        order = {pk: i for i, pk in enumerate(ids)}
        pks = dict(tickets_qs.values_list("number", "pk"))
        rows.sort(key=lambda r: order[pks[r.number]])
    else:
        has_next = len(rows) > PAGE_SIZE
    return Inbox(
        filters=filters,
        tickets=rows[:PAGE_SIZE],
        has_next=has_next,
        teams=teams,
        tags=list(Tag.objects.all()[:200]),
        my_team_ids=team_ids,
    )


@dataclass
class TicketPage:
    ticket: Ticket
    timeline: list[TicketEvent]
    last_message_id: int | None
    other_tickets: list[Ticket]
    teams: list[Team]
    agents: list[AgentProfile]
    commitments: list[Any]


def ticket_for_agent(
    *, actor: Any, number: int, queryset: QuerySet[Ticket] | None = None
) -> Ticket:
    """The ticket with this number; raises NotFound (agents see every ticket of the desk)."""
    ensure_agent(actor)
    base = Ticket.objects.all() if queryset is None else queryset
    ticket = base.filter(number=number).first()
    if ticket is None:
        raise NotFound(f"There is no ticket #{number}.")
    return ticket


def ticket_page(*, actor: Any, number: int) -> TicketPage:
    """Everything the ticket page shows, in a fixed number of queries (canned replies load
    on demand)."""
    ticket = ticket_for_agent(
        actor=actor,
        number=number,
        queryset=Ticket.objects.select_related(
            "contact__organisation", "team", "assignee__agent_profile"
        ).prefetch_related("tags", "contact__addresses"),
    )
    timeline = list(
        TicketEvent.objects.filter(ticket=ticket)
        .select_related("actor_user__agent_profile", "actor_contact", "message")
        .prefetch_related(
            Prefetch("message__attachments", queryset=Attachment.objects.order_by("pk"))
        )
    )
    last_message_id = max((e.message_id for e in timeline if e.message_id), default=None)
    other_tickets = list(
        Ticket.objects.filter(contact_id=ticket.contact_id)
        .exclude(pk=ticket.pk)
        .only("number", "subject", "status")
        .order_by("-created_at")[:10]
    )
    return TicketPage(
        ticket=ticket,
        timeline=timeline,
        last_message_id=last_message_id,
        other_tickets=other_tickets,
        teams=list(Team.objects.all()),
        agents=list(
            AgentProfile.objects.filter(user__is_active=True).only("user_id", "display_name")
        ),
        commitments=commitments_on_ticket(ticket),
    )


def canned_replies_for(*, actor: Any, ticket: Ticket) -> list[CannedReply]:
    """Canned replies usable on this ticket: the desk's and its team's."""
    ensure_agent(actor)
    return list(CannedReply.objects.filter(Q(team=None) | Q(team=ticket.team_id)))


def active_agents() -> QuerySet[Any]:
    """Users who are active agents, for assignment choices."""
    return get_user_model().objects.filter(is_active=True, agent_profile__isnull=False)
