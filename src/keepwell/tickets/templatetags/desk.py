"""Presentation helpers for the desk's templates: wording only, no queries or decisions."""

from __future__ import annotations

import functools
from datetime import datetime

from django import template
from django.urls import get_script_prefix, reverse

from keepwell.core.clock import now
from keepwell.tickets.models import EventKind, Status, TicketEvent

register = template.Library()

_STATUS_LABELS = dict(Status.choices)


@register.filter
def actor_name(event: TicketEvent) -> str:
    """Who did it, as people would say it."""
    if event.actor_user_id and hasattr(event.actor_user, "agent_profile"):
        return event.actor_user.agent_profile.display_name  # type: ignore[union-attr]
    if event.actor_contact_id and event.actor_contact is not None:
        return event.actor_contact.name
    return "Keepwell"


@register.filter
def describe_event(event: TicketEvent) -> str:
    """A one-line description of a timeline event that carries no message."""
    data = event.data or {}
    if event.kind == EventKind.STATUS:
        before = _STATUS_LABELS.get(data.get("from", ""), data.get("from", ""))
        after = _STATUS_LABELS.get(data.get("to", ""), data.get("to", ""))
        return f"changed the status from {before} to {after}"
    if event.kind in (EventKind.PRIORITY, EventKind.TEAM):
        what = "priority" if event.kind == EventKind.PRIORITY else "team"
        return f"changed the {what} from {data.get('from')} to {data.get('to')}"
    if event.kind == EventKind.ASSIGNED:
        if data.get("auto"):
            return "took the ticket by replying"
        return f"assigned the ticket to {data.get('to')}"
    if event.kind == EventKind.TAGS:
        parts = []
        if data.get("added"):
            parts.append("added " + ", ".join(data["added"]))
        if data.get("removed"):
            parts.append("removed " + ", ".join(data["removed"]))
        return "tags: " + "; ".join(parts)
    if event.kind == EventKind.OFFER_SET:
        return f"set the offer to {data.get('offer')}" if data.get("offer") else "cleared the offer"
    if event.kind == EventKind.DECLINED:
        text = f"declined “{data.get('topic')}”"
        if data.get("alternative"):
            text += f", offered {data['alternative']} instead"
        if data.get("partner"):
            text += f", referred the customer to {data['partner']}"
        return text
    if event.kind == EventKind.FOLLOW_UP:
        return f"wrote after closing; follow-up #{data.get('number')} opened"
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind


@register.filter
def age(moment: datetime | None) -> str:
    """A compact age for lists: '5 min', '3 h', '2 d', '6 wk' (cheap enough for 50 rows)."""
    if moment is None:
        return ""
    seconds = (now() - moment).total_seconds()
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h"
    if seconds < 86400 * 28:
        return f"{int(seconds // 86400)} d"
    return f"{int(seconds // (86400 * 7))} wk"


@functools.cache
def _ticket_url_prefix(script_prefix: str) -> str:
    return reverse("tickets:detail", args=[0]).removesuffix("0/")


@register.filter
def ticket_url(number: int) -> str:
    """The desk URL of a ticket, without a full URL reversal per row."""
    return f"{_ticket_url_prefix(get_script_prefix())}{number}/"


@register.filter
def due_badge(moment: datetime | None) -> str:
    """'overdue', 'due in 40 min', 'due in 3 h', 'due in 2 d' for the inbox."""
    if moment is None:
        return ""
    seconds = (moment - now()).total_seconds()
    if seconds < 0:
        return "overdue"
    if seconds < 3600:
        return f"due in {int(seconds // 60)} min"
    if seconds < 86400:
        return f"due in {int(seconds // 3600)} h"
    return f"due in {int(seconds // 86400)} d"
