"""Tickets, their messages and attachments, tags, canned replies and the append-only timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Value, When

from keepwell.accounts.models import Team
from keepwell.customers.models import Channel, Contact


class Status(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting on customer"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"


# Statuses in which a ticket still needs the desk; the inbox and its indexes are built on them.
ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.WAITING)


class Priority(models.IntegerChoices):
    LOW = 1, "Low"
    NORMAL = 2, "Normal"
    HIGH = 3, "High"
    URGENT = 4, "Urgent"


class Tag(models.Model):
    name = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Counter(models.Model):
    """Named counters for human numbers; incremented with a row lock, never reused."""

    name = models.CharField(max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.value}"


class Ticket(models.Model):
    number = models.PositiveBigIntegerField(unique=True)
    subject = models.CharField(max_length=250)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="tickets")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    tags = models.ManyToManyField(Tag, related_name="tickets", blank=True)
    # What in the catalogue the request is about; its turnaround is the resolution promise.
    offer = models.ForeignKey(
        "offers.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets"
    )
    follow_up_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    last_customer_message_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveIntegerField(default=0)
    # The soonest running promise on the ticket, kept by commitments.actions for inbox sorting.
    next_due_at = models.DateTimeField(null=True, blank=True)
    # Computed by the database from the status, so it can lead the inbox indexes: an equality
    # on it lets SQLite and PostgreSQL read a queue in index order and stop after 50 rows.
    is_active = models.GeneratedField(
        expression=Case(
            When(status__in=ACTIVE_STATUSES, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-priority", "created_at"]
        indexes = [
            # The inbox: active tickets of a team / of an agent / of everyone, by priority and age.
            models.Index(
                fields=["team", "is_active", "-priority", "created_at"], name="ticket_team_queue"
            ),
            models.Index(
                fields=["assignee", "is_active", "-priority", "created_at"],
                name="ticket_agent_queue",
            ),
            models.Index(
                fields=["is_active", "-priority", "created_at"], name="ticket_active_queue"
            ),
            models.Index(fields=["team", "is_active", "next_due_at"], name="ticket_team_due"),
            models.Index(fields=["status", "created_at"], name="ticket_status_age"),
            models.Index(fields=["contact", "created_at"], name="ticket_contact"),
        ]

    def __str__(self) -> str:
        return f"#{self.number} {self.subject}"


class MessageKind(models.TextChoices):
    CUSTOMER = "customer", "Customer message"
    REPLY = "reply", "Reply"
    NOTE = "note", "Internal note"
    SYSTEM = "system", "Automatic message"


class Delivery(models.TextChoices):
    NONE = "", "Not sent by mail"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=MessageKind.choices)
    author_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB)
    created_at = models.DateTimeField()
    # The mail Message-ID: ours for replies we send, the sender's for mail we received.
    message_id = models.CharField(max_length=500, blank=True, db_index=True)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, blank=True, default="")
    delivery_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_time")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under the checksum, never under the sender's file name.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_id = models.CharField(max_length=255, blank=True)
    inline = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "ticket_created", "created the ticket"
    CUSTOMER_MESSAGE = "customer_message_added", "wrote"
    REPLY = "reply_sent", "replied"
    NOTE = "note_added", "added a note"
    SYSTEM_MESSAGE = "automatic_message_sent", "sent an automatic message"
    STATUS = "status_changed", "changed the status"
    REOPENED = "ticket_reopened", "reopened the ticket"
    PRIORITY = "priority_changed", "changed the priority"
    ASSIGNED = "ticket_assigned", "changed the assignee"
    TEAM = "team_changed", "changed the team"
    TAGS = "tags_changed", "changed the tags"
    FOLLOW_UP = "follow_up_opened", "opened a follow-up"
    DELIVERY_FAILED = "reply_delivery_failed", "could not deliver a reply"
    COACH_OVERRIDDEN = "sent_despite_coach", "sent a reply despite the coach's advice"
    OFFER_SET = "offer_set", "set the offer"
    DECLINED = "request_declined", "declined the request"


class TicketEvent(models.Model):
    """Append-only record of what happened to a ticket; the conversation is read from it."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=40, choices=EventKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="event"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time")]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"


class CannedReply(models.Model):
    """A reusable reply; {customer_name}, {agent_name} and {ticket_number} are filled in."""

    title = models.CharField(max_length=120, unique=True)
    body = models.TextField()
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "canned replies"

    def __str__(self) -> str:
        return self.title
