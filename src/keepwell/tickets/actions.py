"""Every change to a ticket goes through here.

Status machine::

    new ──► open ◄──► waiting ──► resolved ──► closed
     │        └──────────────────►   │
     └──────────────────────────────►│
                 customer writes:  waiting → open, resolved → open (a reopen), closed → follow-up

Each action checks permission, locks the ticket row, writes, records one TicketEvent and
schedules mail after commit. Customers act through the portal or mail: their actions take the
contact instead of an agent user.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from keepwell.accounts.models import Team
from keepwell.accounts.policies import agent_profile, ensure_agent
from keepwell.commitments import actions as commitments
from keepwell.core.clock import now
from keepwell.core.errors import Conflict, InvalidInput, NotFound
from keepwell.customers.models import Channel, Contact
from keepwell.offers import actions as offers
from keepwell.tickets import search
from keepwell.tickets.attachments import NewAttachment, check_uploads, store_attachments
from keepwell.tickets.models import (
    ACTIVE_STATUSES,
    Counter,
    Delivery,
    EventKind,
    Message,
    MessageKind,
    Priority,
    Status,
    Tag,
    Ticket,
    TicketEvent,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.WAITING, Status.RESOLVED}),
    Status.OPEN: frozenset({Status.WAITING, Status.RESOLVED}),
    Status.WAITING: frozenset({Status.OPEN, Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}
MAX_SUBJECT = 250
MAX_BODY = 100_000


class StaleReply(Conflict):
    """Someone wrote on the ticket after the agent last looked; the reply waits to be re-read."""

    def __init__(self, new_messages: list[Message]) -> None:
        if len(new_messages) == 1:
            text = "A new message arrived while you were writing. Read it below, then send again."
        else:
            text = (
                f"{len(new_messages)} new messages arrived while you were writing. "
                "Read them below, then send again."
            )
        super().__init__(text)
        self.new_messages = new_messages


def new_message_id(ticket_number: int) -> str:
    """A fresh RFC 5322 Message-ID for mail about this ticket; replies to it thread back here."""
    domain = settings.KEEPWELL.mail_domain
    return f"<kw.{ticket_number}.{secrets.token_hex(8)}@{domain}>"


def _next_ticket_number() -> int:
    # One statement: the UPDATE holds the row lock until commit, so concurrent creators never
    # share a number. The row is created by migration tickets.0002.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tickets_counter SET value = value + 1 WHERE name = %s RETURNING value",
            ["ticket"],
        )
        row = cursor.fetchone()
    if row is None:
        Counter.objects.create(name="ticket", value=1001)
        return 1001
    return int(row[0])


def _record(
    ticket: Ticket,
    kind: EventKind,
    *,
    actor: Any | None = None,
    contact: Contact | None = None,
    message: Message | None = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor_user=actor,
        actor_contact=contact,
        message=message,
        data=data or {},
        created_at=now(),
    )


def _locked(ticket: Ticket) -> Ticket:
    """Reload the ticket under a row lock (a no-op lock on SQLite, whose writes are serial)."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _clean_body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise InvalidInput("Write a message first.", field="body")
    if len(body) > MAX_BODY:
        raise InvalidInput(
            f"The message is too long ({len(body):,} characters; limit {MAX_BODY:,}).",
            field="body",
        )
    return body


def _add_message(
    ticket: Ticket,
    *,
    kind: MessageKind,
    body: str,
    channel: str,
    attachments: Sequence[NewAttachment],
    user: Any | None = None,
    contact: Contact | None = None,
    body_html: str = "",
    message_id: str = "",
    delivery: str = Delivery.NONE,
    index: bool = True,
) -> Message:
    message = Message.objects.create(
        ticket=ticket,
        kind=kind,
        author_user=user,
        author_contact=contact,
        body_text=body,
        body_html=body_html,
        channel=channel,
        created_at=now(),
        message_id=message_id,
        delivery=delivery,
    )
    store_attachments(message, attachments)
    if index:
        search.append_text(ticket.pk, body)
    return message


def _schedule_delivery(message: Message) -> None:
    from keepwell.mail import tasks

    transaction.on_commit(lambda: tasks.deliver_message.delay(message.pk))


@transaction.atomic
def create_ticket(
    *,
    actor: Any | None,
    contact: Contact,
    subject: str,
    body: str,
    channel: str = Channel.WEB,
    priority: int = Priority.NORMAL,
    team: Team | None = None,
    attachments: Sequence[NewAttachment] = (),
    restrict_attachment_types: bool = False,
    follow_up_of: Ticket | None = None,
    acknowledge: bool = False,
    message_id: str = "",
    body_html: str = "",
) -> Ticket:
    """Open a ticket with the customer's first message; the one creation path for every channel.

    actor is the agent who logged it on the customer's behalf, or None when the customer wrote
    in themselves; acknowledge mails the customer a confirmation with their private link after
    commit. Raises InvalidInput for an empty subject or body or a refused attachment.
    """
    if actor is not None:
        ensure_agent(actor)
    subject = " ".join(subject.split())[:MAX_SUBJECT]
    if not subject:
        raise InvalidInput("Give the request a subject.", field="subject")
    body = _clean_body(body)
    check_uploads(attachments, restrict_types=restrict_attachment_types)
    if priority not in Priority.values:
        raise InvalidInput("Unknown priority.", field="priority")
    at = now()
    ticket = Ticket.objects.create(
        number=_next_ticket_number(),
        subject=subject,
        contact=contact,
        priority=priority,
        team=team,
        channel=channel,
        follow_up_of=follow_up_of,
        created_at=at,
        updated_at=at,
        last_customer_message_at=at,
    )
    search.index_ticket(ticket.pk, subject, body)
    message = _add_message(
        ticket,
        kind=MessageKind.CUSTOMER,
        body=body,
        channel=channel,
        attachments=attachments,
        contact=contact,
        message_id=message_id,
        body_html=body_html,
        index=False,  # indexed with the subject above
    )
    _record(ticket, EventKind.CREATED, actor=actor, contact=contact, message=message)
    commitments.on_ticket_created(ticket)
    if acknowledge:
        from keepwell.mail import tasks

        transaction.on_commit(lambda: tasks.send_acknowledgement.delay(ticket.pk))
    return ticket


@transaction.atomic
def add_customer_message(
    *,
    contact: Contact,
    ticket: Ticket,
    body: str,
    channel: str = Channel.PORTAL,
    attachments: Sequence[NewAttachment] = (),
    restrict_attachment_types: bool = False,
    body_html: str = "",
    message_id: str = "",
) -> Message:
    """Add the customer's message; reopens a resolved ticket, opens a follow-up to a closed one.

    Returns the new message, which belongs to the follow-up ticket when the ticket was closed.
    """
    body = _clean_body(body)
    check_uploads(attachments, restrict_types=restrict_attachment_types)
    ticket = _locked(ticket)
    if ticket.status == Status.CLOSED:
        follow_up = create_ticket(
            actor=None,
            contact=contact,
            subject=ticket.subject,
            body=body,
            channel=channel,
            priority=ticket.priority,
            team=ticket.team,
            attachments=attachments,
            restrict_attachment_types=restrict_attachment_types,
            follow_up_of=ticket,
            message_id=message_id,
            body_html=body_html,
        )
        _record(ticket, EventKind.FOLLOW_UP, contact=contact, data={"number": follow_up.number})
        return follow_up.messages.get()
    message = _add_message(
        ticket,
        kind=MessageKind.CUSTOMER,
        body=body,
        channel=channel,
        attachments=attachments,
        contact=contact,
        body_html=body_html,
        message_id=message_id,
    )
    _record(ticket, EventKind.CUSTOMER_MESSAGE, contact=contact, message=message)
    at = message.created_at
    fields = ["last_customer_message_at", "updated_at"]
    ticket.last_customer_message_at = at
    ticket.updated_at = at
    if ticket.status == Status.RESOLVED:
        ticket.reopen_count += 1
        fields.append("reopen_count")
        _record(ticket, EventKind.REOPENED, contact=contact, data={"from": Status.RESOLVED})
    if ticket.status in (Status.WAITING, Status.RESOLVED):
        _set_status(ticket, Status.OPEN, fields, contact=contact)
    ticket.save(update_fields=fields)
    commitments.on_customer_message(ticket, message)
    return message


@transaction.atomic
def reply_to_ticket(
    *,
    actor: Any,
    ticket: Ticket,
    body: str,
    seen_up_to: int | None,
    next_status: str | None = None,
    attachments: Sequence[NewAttachment] = (),
    notify: bool = True,
    promise: tuple[str, datetime] | None = None,
    coach_codes: Sequence[str] = (),
    decline: offers.DeclineChoice | None = None,
) -> Message:
    """Send a public reply to the customer and move the ticket on (open by default).

    notify=False records a reply that was already delivered elsewhere (history imports);
    promise (what, due time) records the promise the reply makes as a commitment; coach_codes
    are the coach's findings the agent chose to send despite (recorded for insights); decline
    records that the reply says no to a request, with the alternative and referral it offers.
    seen_up_to is the id of the last message the agent had on screen: if someone else has
    written since, raises StaleReply carrying those messages and sends nothing.
    Raises Conflict for a closed ticket or an impossible next status.
    """
    ensure_agent(actor)
    body = _clean_body(body)
    check_uploads(attachments, restrict_types=False)
    ticket = _locked(ticket)
    if ticket.status == Status.CLOSED:
        raise Conflict("This ticket is closed; the customer's next message will open a follow-up.")
    if seen_up_to is not None:
        unseen = list(
            ticket.messages.filter(pk__gt=seen_up_to)
            .exclude(author_user=actor)
            .select_related("author_user__agent_profile", "author_contact")
        )
        if unseen:
            raise StaleReply(unseen)
    target = next_status or Status.OPEN
    if target not in (Status.OPEN, Status.WAITING, Status.RESOLVED):
        raise InvalidInput("After a reply a ticket is open, waiting or resolved.", field="status")
    message = _add_message(
        ticket,
        kind=MessageKind.REPLY,
        body=body,
        channel=Channel.EMAIL,
        attachments=attachments,
        user=actor,
        message_id=new_message_id(ticket.number),
        delivery=Delivery.QUEUED if notify else Delivery.NONE,
    )
    _record(ticket, EventKind.REPLY, actor=actor, message=message)
    commitments.on_agent_reply(ticket, message)
    if coach_codes:
        _record(
            ticket,
            EventKind.COACH_OVERRIDDEN,
            actor=actor,
            data={"codes": sorted(set(coach_codes))},
        )
    if promise is not None:
        what, due_at = promise
        commitments.make_commitment(
            actor=actor, ticket=ticket, what=what, due_at=due_at, source="reply", message=message
        )
    if decline is not None:
        offers.record_decline(actor=actor, ticket=ticket, message=message, choice=decline)
    fields = ["updated_at"]
    ticket.updated_at = message.created_at
    if ticket.first_response_at is None:
        ticket.first_response_at = message.created_at
        fields.append("first_response_at")
    if ticket.assignee_id is None:
        ticket.assignee = actor
        fields.append("assignee")
        _record(ticket, EventKind.ASSIGNED, actor=actor, data={"to": _name(actor), "auto": True})
    if target != ticket.status:
        _set_status(ticket, target, fields, actor=actor)
    ticket.save(update_fields=fields)
    if notify:
        _schedule_delivery(message)
    return message


@transaction.atomic
def add_internal_note(
    *, actor: Any, ticket: Ticket, body: str, attachments: Sequence[NewAttachment] = ()
) -> Message:
    """Add a note only agents see; it changes no status and sends nothing."""
    ensure_agent(actor)
    body = _clean_body(body)
    check_uploads(attachments, restrict_types=False)
    ticket = _locked(ticket)
    message = _add_message(
        ticket,
        kind=MessageKind.NOTE,
        body=body,
        channel=Channel.WEB,
        attachments=attachments,
        user=actor,
    )
    _record(ticket, EventKind.NOTE, actor=actor, message=message)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=message.created_at)
    return message


def _set_status(
    ticket: Ticket,
    status: str,
    fields: list[str],
    *,
    actor: Any | None = None,
    contact: Contact | None = None,
) -> None:
    """Apply a status change to an already locked ticket and record it (caller saves)."""
    previous = ticket.status
    at = now()
    ticket.status = status
    fields.append("status")
    if status == Status.RESOLVED:
        ticket.resolved_at = at
        fields.append("resolved_at")
    if status == Status.CLOSED:
        ticket.closed_at = at
        fields.append("closed_at")
    _record(
        ticket,
        EventKind.STATUS,
        actor=actor,
        contact=contact,
        data={"from": previous, "to": status},
    )
    commitments.on_status_changed(ticket, previous, status)


@transaction.atomic
def change_status(*, actor: Any, ticket: Ticket, status: str) -> Ticket:
    """Move a ticket along the status machine; raises Conflict for a move it does not allow."""
    ensure_agent(actor)
    ticket = _locked(ticket)
    if status == ticket.status:
        return ticket
    if status not in TRANSITIONS.get(ticket.status, frozenset()):
        raise Conflict(
            f"A {Status(ticket.status).label.lower()} ticket cannot become "
            f"{Status(status).label.lower() if status in Status.values else status}."
        )
    fields = ["updated_at"]
    ticket.updated_at = now()
    if ticket.status == Status.RESOLVED and status == Status.OPEN:
        ticket.reopen_count += 1
        fields.append("reopen_count")
        _record(ticket, EventKind.REOPENED, actor=actor, data={"from": Status.RESOLVED})
    _set_status(ticket, status, fields, actor=actor)
    ticket.save(update_fields=fields)
    return ticket


def _name(user: Any | None) -> str:
    profile = agent_profile(user)
    return profile.display_name if profile else "nobody"


@transaction.atomic
def assign_ticket(*, actor: Any, ticket: Ticket, assignee: Any | None) -> Ticket:
    """Give the ticket to an agent (or to nobody); raises InvalidInput for a non-agent."""
    ensure_agent(actor)
    if assignee is not None and agent_profile(assignee) is None:
        raise InvalidInput("Tickets can only be assigned to active agents.", field="assignee")
    ticket = _locked(ticket)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    previous = ticket.assignee
    ticket.assignee = assignee
    ticket.updated_at = now()
    ticket.save(update_fields=["assignee", "updated_at"])
    _record(
        ticket,
        EventKind.ASSIGNED,
        actor=actor,
        data={"from": _name(previous), "to": _name(assignee)},
    )
    return ticket


@transaction.atomic
def set_priority(*, actor: Any, ticket: Ticket, priority: int) -> Ticket:
    """Change the ticket's priority."""
    ensure_agent(actor)
    if priority not in Priority.values:
        raise InvalidInput("Unknown priority.", field="priority")
    ticket = _locked(ticket)
    if ticket.priority == priority:
        return ticket
    previous = ticket.priority
    ticket.priority = priority
    ticket.updated_at = now()
    ticket.save(update_fields=["priority", "updated_at"])
    _record(
        ticket,
        EventKind.PRIORITY,
        actor=actor,
        data={"from": Priority(previous).label, "to": Priority(priority).label},
    )
    return ticket


@transaction.atomic
def set_team(*, actor: Any, ticket: Ticket, team: Team | None) -> Ticket:
    """Move the ticket to another team's queue (or to no team)."""
    ensure_agent(actor)
    ticket = _locked(ticket)
    if ticket.team_id == (team.pk if team else None):
        return ticket
    previous = ticket.team
    ticket.team = team
    ticket.updated_at = now()
    ticket.save(update_fields=["team", "updated_at"])
    _record(
        ticket,
        EventKind.TEAM,
        actor=actor,
        data={"from": previous.name if previous else "none", "to": team.name if team else "none"},
    )
    return ticket


def normalise_tag(name: str) -> str:
    """Tags are lower-case slugs: 'Late Delivery' becomes 'late-delivery'."""
    from django.utils.text import slugify

    return slugify(name)[:50]


@transaction.atomic
def set_tags(*, actor: Any, ticket: Ticket, names: Sequence[str]) -> Ticket:
    """Replace the ticket's tags, creating new tags as needed."""
    ensure_agent(actor)
    ticket = _locked(ticket)
    wanted = sorted({t for t in (normalise_tag(n) for n in names) if t})
    current = sorted(ticket.tags.values_list("name", flat=True))
    if wanted == current:
        return ticket
    tags = []
    for name in wanted:
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    ticket.tags.set(tags)
    ticket.updated_at = now()
    ticket.save(update_fields=["updated_at"])
    _record(
        ticket,
        EventKind.TAGS,
        actor=actor,
        data={
            "added": sorted(set(wanted) - set(current)),
            "removed": sorted(set(current) - set(wanted)),
        },
    )
    return ticket


@transaction.atomic
def customer_close_ticket(*, contact: Contact, ticket: Ticket) -> Ticket:
    """The customer says they need nothing more: the ticket is resolved then closed."""
    ticket = _locked(ticket)
    if ticket.contact_id != contact.pk:
        raise NotFound("No such request.")
    if ticket.status == Status.CLOSED:
        return ticket
    fields = ["updated_at"]
    ticket.updated_at = now()
    if ticket.status in ACTIVE_STATUSES:
        _set_status(ticket, Status.RESOLVED, fields, contact=contact)
    _set_status(ticket, Status.CLOSED, fields, contact=contact)
    ticket.save(update_fields=list(dict.fromkeys(fields)))
    return ticket


@transaction.atomic
def record_delivery(*, message: Message, error: str = "") -> Message:
    """Note the outcome of mailing a message: sent, or failed with the reason in plain words."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if error:
        message.delivery = Delivery.FAILED
        message.delivery_error = error[:2000]
        _record(
            message.ticket,
            EventKind.DELIVERY_FAILED,
            message=None,
            data={"message": message.pk, "error": error[:500]},
        )
    else:
        message.delivery = Delivery.SENT
        message.delivery_error = ""
        message.delivered_at = now()
    message.save(update_fields=["delivery", "delivery_error", "delivered_at"])
    return message


@transaction.atomic
def retry_delivery(*, actor: Any, message: Message) -> Message:
    """Queue a failed reply to be mailed again; raises Conflict unless it failed."""
    ensure_agent(actor)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.delivery != Delivery.FAILED:
        raise Conflict("Only a reply that failed to send can be sent again.")
    message.delivery = Delivery.QUEUED
    message.save(update_fields=["delivery"])
    _schedule_delivery(message)
    return message
