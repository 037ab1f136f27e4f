"""Commitments: every promise to a customer, from making it to keeping (or not keeping) it.

State machine::

    open ──► kept            (fulfilled; on time or late, by closed_at versus due_at)
      ├────► renegotiated    (replaced by a new commitment with a new due time and a reason)
      ├────► broken          (the owner says it cannot be kept)
      └────► cancelled       (no longer needed: the ticket closed, or it was made in error)

Service-level commitments are made and fulfilled by the ticket actions calling the hooks at the
end of this module; their clocks pause while the ticket waits on the customer. Every change is
recorded in the commitment's history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from keepwell.accounts.policies import ensure_agent
from keepwell.commitments.businesstime import add_business, business_elapsed
from keepwell.commitments.calendars import calendar_for, service_level_for
from keepwell.commitments.models import Commitment, CommitmentEvent, Source, State, Target
from keepwell.core.clock import now
from keepwell.core.errors import Conflict, InvalidInput
from keepwell.tickets.models import Message, Status, Ticket

SERVICE_LEVEL_WORDING = {
    Target.FIRST_RESPONSE: "First answer to the customer",
    Target.NEXT_REPLY: "Answer the customer's latest message",
    Target.RESOLUTION: "Resolve the request",
}


def _history(commitment: Commitment, kind: str, actor: Any | None = None, **data: Any) -> None:
    CommitmentEvent.objects.create(
        commitment=commitment, kind=kind, actor=actor, data=data, created_at=now()
    )


def refresh_ticket_due(ticket_id: int | None) -> None:
    """Keep Ticket.next_due_at equal to the soonest open, running commitment on the ticket."""
    if ticket_id is None:
        return
    soonest = (
        Commitment.objects.filter(ticket_id=ticket_id, state=State.OPEN, paused_remaining=None)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    Ticket.objects.filter(pk=ticket_id).update(next_due_at=soonest)


def _close(commitment: Commitment, state: State, actor: Any | None, **data: Any) -> Commitment:
    commitment.state = state
    commitment.closed_at = now()
    commitment.save(update_fields=["state", "closed_at"])
    _history(commitment, f"commitment_{state}", actor, **data)
    refresh_ticket_due(commitment.ticket_id)
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().get(pk=commitment.pk)


@transaction.atomic
def make_commitment(
    *,
    actor: Any,
    ticket: Ticket | None,
    what: str,
    due_at: datetime,
    source: str = Source.MANUAL,
    conditions: str = "",
    visible_to_customer: bool = True,
    message: Message | None = None,
) -> Commitment:
    """Record a promise; raises InvalidInput for an empty promise or a due time in the past."""
    ensure_agent(actor)
    what = " ".join(what.split())[:300]
    if not what:
        raise InvalidInput("Say what was promised.", field="what")
    if due_at <= now() - timedelta(minutes=1):
        raise InvalidInput(
            "The due time has already passed; choose a time to come.", field="due_at"
        )
    if source == Source.SELF_CARE:
        ticket, visible_to_customer = None, False
    commitment = Commitment.objects.create(
        ticket=ticket,
        owner=actor,
        what=what,
        conditions=conditions.strip()[:300],
        due_at=due_at,
        visible_to_customer=visible_to_customer,
        source=source,
        message=message,
        created_at=now(),
    )
    _history(commitment, "commitment_made", actor, due_at=due_at.isoformat())
    refresh_ticket_due(commitment.ticket_id)
    return commitment


@transaction.atomic
def keep_commitment(*, actor: Any, commitment: Commitment) -> Commitment:
    """Mark a promise kept now (on time or late); raises Conflict unless it is open."""
    ensure_agent(actor)
    commitment = _locked(commitment)
    if commitment.state != State.OPEN:
        raise Conflict(f"This promise is already {commitment.get_state_display().lower()}.")
    return _close(commitment, State.KEPT, actor)


@transaction.atomic
def break_commitment(*, actor: Any, commitment: Commitment, reason: str) -> Commitment:
    """Say plainly that a promise will not be kept; raises InvalidInput without a reason."""
    ensure_agent(actor)
    if not reason.strip():
        raise InvalidInput("Say why the promise cannot be kept.", field="reason")
    commitment = _locked(commitment)
    if commitment.state != State.OPEN:
        raise Conflict(f"This promise is already {commitment.get_state_display().lower()}.")
    return _close(commitment, State.BROKEN, actor, reason=reason.strip())


@transaction.atomic
def cancel_commitment(*, actor: Any, commitment: Commitment, reason: str = "") -> Commitment:
    """Withdraw a promise that is no longer needed."""
    ensure_agent(actor)
    commitment = _locked(commitment)
    if commitment.state != State.OPEN:
        raise Conflict(f"This promise is already {commitment.get_state_display().lower()}.")
    return _close(commitment, State.CANCELLED, actor, reason=reason.strip())


@transaction.atomic
def renegotiate_commitment(
    *, actor: Any, commitment: Commitment, new_due: datetime, reason: str
) -> Commitment:
    """Replace a promise with one due later, keeping the history; returns the new commitment.

    Raises InvalidInput without a reason or for a new time that is not later. When the promise
    is visible to the customer, the caller must also tell the customer (the desk drafts it).
    """
    ensure_agent(actor)
    if not reason.strip():
        raise InvalidInput("Say why the time has to change.", field="reason")
    commitment = _locked(commitment)
    if commitment.state != State.OPEN:
        raise Conflict(f"This promise is already {commitment.get_state_display().lower()}.")
    if new_due <= now():
        raise InvalidInput("Choose a new time in the future.", field="new_due")
    _close(
        commitment, State.RENEGOTIATED, actor, reason=reason.strip(), new_due=new_due.isoformat()
    )
    renewed = Commitment.objects.create(
        ticket=commitment.ticket,
        owner=commitment.owner or actor,
        what=commitment.what,
        conditions=commitment.conditions,
        due_at=new_due,
        visible_to_customer=commitment.visible_to_customer,
        source=commitment.source,
        target=commitment.target,
        message=commitment.message,
        replaces=commitment,
        created_at=now(),
    )
    _history(renewed, "commitment_made", actor, due_at=new_due.isoformat(), replaces=commitment.pk)
    refresh_ticket_due(renewed.ticket_id)
    return renewed


@transaction.atomic
def renegotiate_and_tell(
    *, actor: Any, commitment: Commitment, new_due: datetime, reason: str, message_to_customer: str
) -> Commitment:
    """Renegotiate, and when the customer was promised, tell them in the same step.

    Raises InvalidInput when a promise the customer can see would change without a message.
    """
    from keepwell.tickets.actions import reply_to_ticket

    renewed = renegotiate_commitment(
        actor=actor, commitment=commitment, new_due=new_due, reason=reason
    )
    if commitment.visible_to_customer and commitment.ticket is not None:
        if not message_to_customer.strip():
            raise InvalidInput(
                "The customer was promised this time: tell them about the new one.",
                field="message_to_customer",
            )
        reply_to_ticket(
            actor=actor, ticket=commitment.ticket, body=message_to_customer, seen_up_to=None
        )
    return renewed


def renegotiation_draft(commitment: Commitment, new_due: datetime, reason: str) -> str:
    """A reply telling the customer about the new time, for the agent to edit and send."""
    when = new_due.astimezone(calendar_for(commitment.ticket).zone)
    return (
        f"I'm sorry: I won't be able to {commitment.what[0].lower() + commitment.what[1:]} "
        f"by the time I promised. {reason.strip().rstrip('.')}. "
        f"I will do it by {when:%A %-d %B, %H:%M} instead."
    )


# --- Service-level hooks, called by keepwell.tickets.actions inside its transactions. ---


def _service_commitments(
    ticket: Ticket, targets: list[tuple[Target, timedelta]], start: datetime
) -> None:
    """Make service-level commitments in a few statements (this runs for every new ticket)."""
    calendar = calendar_for(ticket)
    made = Commitment.objects.bulk_create(
        [
            Commitment(
                ticket=ticket,
                owner=ticket.assignee,
                what=SERVICE_LEVEL_WORDING[target],
                due_at=add_business(calendar, start, duration),
                visible_to_customer=target == Target.FIRST_RESPONSE,
                source=Source.SERVICE_LEVEL,
                target=target,
                created_at=start,
            )
            for target, duration in targets
        ]
    )
    CommitmentEvent.objects.bulk_create(
        [
            CommitmentEvent(
                commitment=c,
                kind="commitment_made",
                data={"due_at": c.due_at.isoformat()},
                created_at=now(),
            )
            for c in made
        ]
    )
    refresh_ticket_due(ticket.pk)


def _open_targets(ticket: Ticket, *targets: Target) -> list[Commitment]:
    return list(
        Commitment.objects.select_for_update().filter(
            ticket=ticket, state=State.OPEN, source=Source.SERVICE_LEVEL, target__in=targets
        )
    )


def on_ticket_created(ticket: Ticket) -> None:
    """Make the first-response and resolution commitments of the ticket's service level."""
    level = service_level_for(ticket)
    if level is None:
        return
    _service_commitments(
        ticket,
        [(Target.FIRST_RESPONSE, level.first_response), (Target.RESOLUTION, level.resolution)],
        ticket.created_at,
    )


def on_customer_message(ticket: Ticket, message: Message) -> None:
    """A customer wrote again: the next reply is owed (once), and paused clocks resume."""
    resume_clocks(ticket)
    if _open_targets(ticket, Target.FIRST_RESPONSE, Target.NEXT_REPLY):
        return
    level = service_level_for(ticket)
    if level is not None:
        _service_commitments(ticket, [(Target.NEXT_REPLY, level.next_reply)], message.created_at)


def on_agent_reply(ticket: Ticket, message: Message) -> None:
    """A public reply keeps the first-response and next-reply commitments."""
    for commitment in _open_targets(ticket, Target.FIRST_RESPONSE, Target.NEXT_REPLY):
        _close(commitment, State.KEPT, message.author_user, message=message.pk)


def on_status_changed(ticket: Ticket, previous: str, status: str) -> None:
    """Waiting pauses the clocks, answering resumes them; resolving keeps the resolution."""
    if status == Status.WAITING:
        pause_clocks(ticket)
    elif previous == Status.WAITING:
        resume_clocks(ticket)
    if status == Status.RESOLVED:
        for commitment in _open_targets(ticket, Target.RESOLUTION):
            _close(commitment, State.KEPT, None)
    elif status == Status.CLOSED:
        for commitment in _open_targets(
            ticket, Target.FIRST_RESPONSE, Target.NEXT_REPLY, Target.RESOLUTION
        ):
            _close(commitment, State.CANCELLED, None, reason="ticket closed")
    elif previous == Status.RESOLVED and status == Status.OPEN:
        level = service_level_for(ticket)
        if level is not None and not _open_targets(ticket, Target.RESOLUTION):
            _service_commitments(ticket, [(Target.RESOLUTION, level.resolution)], now())


def pause_clocks(ticket: Ticket) -> None:
    """Stop the service-level clocks while the ticket waits on the customer."""
    at = now()
    calendar = calendar_for(ticket)
    for commitment in _open_targets(ticket, Target.NEXT_REPLY, Target.RESOLUTION):
        if commitment.paused_remaining is not None:
            continue
        remaining = (
            business_elapsed(calendar, at, commitment.due_at)
            if commitment.due_at > at
            else timedelta(0)
        )
        commitment.paused_remaining = remaining
        commitment.save(update_fields=["paused_remaining"])
        _history(commitment, "commitment_paused", None, remaining=remaining.total_seconds())
    refresh_ticket_due(ticket.pk)


def resume_clocks(ticket: Ticket) -> None:
    """Start the paused clocks again, with the business time they had left."""
    at = now()
    calendar = calendar_for(ticket)
    for commitment in Commitment.objects.select_for_update().filter(
        ticket=ticket, state=State.OPEN, paused_remaining__isnull=False
    ):
        remaining = commitment.paused_remaining or timedelta(0)
        commitment.due_at = add_business(calendar, at, remaining)
        commitment.paused_remaining = None
        commitment.save(update_fields=["due_at", "paused_remaining"])
        _history(commitment, "commitment_resumed", None, due_at=commitment.due_at.isoformat())
    refresh_ticket_due(ticket.pk)


def set_resolution_time(
    ticket: Ticket, duration: timedelta, *, actor: Any, what: str
) -> Commitment:
    """Replace the open resolution promise with one due `duration` of business time from now.

    Used when a ticket is matched to an offer: the offer's advertised turnaround becomes what
    the customer is promised. The replaced promise is cancelled, with the reason, and the new
    one starts paused when the ticket is waiting on the customer.
    """
    replaced = _open_targets(ticket, Target.RESOLUTION)
    for commitment in replaced:
        _close(commitment, State.CANCELLED, actor, reason=f"replaced: {what}")
    at = now()
    waiting = ticket.status == Status.WAITING
    commitment = Commitment.objects.create(
        ticket=ticket,
        owner=ticket.assignee or actor,
        what=what,
        due_at=add_business(calendar_for(ticket), at, duration),
        visible_to_customer=True,
        source=Source.SERVICE_LEVEL,
        target=Target.RESOLUTION,
        replaces=replaced[0] if replaced else None,
        paused_remaining=duration if waiting else None,
        created_at=at,
    )
    _history(commitment, "commitment_made", actor, due_at=commitment.due_at.isoformat())
    refresh_ticket_due(ticket.pk)
    return commitment
