"""Business calendars, service levels, and commitments: promises made to customers, tracked."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from keepwell.accounts.models import Team
from keepwell.tickets.models import Message, Ticket


def default_hours() -> dict[str, list[str]]:
    return {day: ["09:00-12:30", "13:30-17:30"] for day in ("mon", "tue", "wed", "thu", "fri")}


class Calendar(models.Model):
    """When the desk is open: weekly hours, public holidays and closures, in one time zone."""

    name = models.CharField(max_length=80, unique=True)
    time_zone = models.CharField(max_length=64, default="Europe/London")
    hours = models.JSONField(
        default=default_hours,
        help_text='Per weekday, opening intervals: {"mon": ["09:00-12:30", "13:30-17:30"], …}',
    )
    holiday_country = models.CharField(max_length=2, blank=True, default="GB")
    holiday_subdivision = models.CharField(max_length=10, blank=True, default="ENG")
    closures = models.JSONField(
        default=list, blank=True, help_text='Extra closed days: ["2026-12-24", "2026-12-31"]'
    )
    team = models.OneToOneField(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="calendar"
    )
    is_default = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_calendar"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ServiceLevel(models.Model):
    """Targets in business time for tickets of one priority (or of any priority)."""

    name = models.CharField(max_length=80)
    priority = models.PositiveSmallIntegerField(
        null=True, blank=True, unique=True, help_text="Empty: tickets of any other priority."
    )
    first_response = models.DurationField(default=timedelta(hours=4))
    next_reply = models.DurationField(default=timedelta(hours=8))
    resolution = models.DurationField(default=timedelta(hours=24))

    class Meta:
        ordering = ["-priority"]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    SERVICE_LEVEL = "service_level", "Service level"
    REPLY = "reply", "Promise in a reply"
    MANUAL = "manual", "Added by hand"
    SELF_CARE = "self_care", "Self-care"


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", "First response"
    NEXT_REPLY = "next_reply", "Next reply"
    RESOLUTION = "resolution", "Resolution"
    OTHER = "", "Promise"


class State(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    RENEGOTIATED = "renegotiated", "Renegotiated"
    BROKEN = "broken", "Broken"
    CANCELLED = "cancelled", "Cancelled"


class Commitment(models.Model):
    # No single-column indexes: commitment_ticket and commitment_owner lead with these, and
    # every index costs the reminder sweep an entry per claimed row.
    ticket = models.ForeignKey(
        Ticket,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="commitments",
        db_index=False,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        db_index=False,
    )
    what = models.CharField(max_length=300)
    conditions = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField()
    visible_to_customer = models.BooleanField(default=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    target = models.CharField(max_length=20, choices=Target.choices, blank=True, default="")
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # While a ticket waits on the customer its service-level clocks stop; the business time
    # left is kept here and the due time set again when the customer answers.
    paused_remaining = models.DurationField(null=True, blank=True)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            # The reminder sweep: open commitments not yet reminded about, by due time.
            models.Index(
                fields=["state", "overdue_notified_at", "due_at"], name="commitment_overdue_sweep"
            ),
            models.Index(
                fields=["state", "at_risk_notified_at", "due_at"], name="commitment_at_risk_sweep"
            ),
            models.Index(fields=["owner", "state", "due_at"], name="commitment_owner"),
            models.Index(fields=["ticket", "state"], name="commitment_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.what} (due {self.due_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.state == State.OPEN

    @property
    def kept_on_time(self) -> bool:
        return (
            self.state == State.KEPT
            and self.closed_at is not None
            and self.closed_at <= self.due_at
        )


class CommitmentEvent(models.Model):
    """The history of a commitment: made, paused, resumed, kept, renegotiated, broken…"""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} on commitment {self.commitment_id}"
