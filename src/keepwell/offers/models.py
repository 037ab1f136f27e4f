"""The service catalogue, published policies, referral partners, and what was declined."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from keepwell.offers.matching import lines, shown

CURRENCY_SIGNS = {"GBP": "£", "EUR": "€", "USD": "$"}


class Offer(models.Model):
    """Something the shop does for customers, with what is and is not part of it."""

    name = models.CharField(max_length=120, unique=True)
    summary = models.CharField(max_length=300, help_text="One sentence customers see first.")
    description = models.TextField(blank=True)
    price_amount = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text="Empty: price on request.",
    )
    currency = models.CharField(max_length=3, default="GBP")
    price_note = models.CharField(
        max_length=80, blank=True, help_text='Shown with the price, e.g. "from" or "per hour".'
    )
    included = models.TextField(blank=True, help_text="What is included, one item per line.")
    not_included = models.TextField(
        blank=True,
        help_text="What is explicitly not included, one item per line; requests for these are "
        "flagged as out of scope. Words in [brackets] help recognise them and are not shown "
        "to customers: Classes for children under 16 [kids, son, daughter].",
    )
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Words customers use when they ask for this (not shown to them).",
    )
    turnaround = models.DurationField(
        null=True,
        blank=True,
        help_text="Business time to deliver, e.g. 5 days 0:00:00 for 40 open hours; it becomes "
        "the ticket's resolution promise.",
    )
    public = models.BooleanField(default=True, help_text="Shown on “What we offer”.")
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def included_items(self) -> tuple[str, ...]:
        return lines(self.included)

    @property
    def excluded_items(self) -> tuple[str, ...]:
        return tuple(shown(line) for line in lines(self.not_included))

    @property
    def price_text(self) -> str:
        """The price as customers read it: "from £120.00", "£45.00 per piece", "On request"."""
        if self.price_amount is None:
            return "Price on request"
        sign = CURRENCY_SIGNS.get(self.currency.upper())
        amount = (
            f"{sign}{self.price_amount:,.2f}"
            if sign
            else f"{self.price_amount:,.2f} {self.currency}"
        )
        note = self.price_note.strip()
        if note.startswith("from"):
            rest = note[4:].strip(" ,")
            return f"from {amount}" + (f", {rest}" if rest else "")
        return f"{amount} {note}".strip()


class PolicyKind(models.TextChoices):
    TEXT = "text", "Written policy"
    RESPONSE_TIMES = "response_times", "Response times (made from the service levels)"


class Policy(models.Model):
    """A published rule of the shop, written in Markdown."""

    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=PolicyKind.choices, default=PolicyKind.TEXT)
    body = models.TextField(
        blank=True,
        help_text="Markdown. For response times, an introduction: the times themselves come "
        "from the service levels and opening hours.",
    )
    public = models.BooleanField(default=True, help_text="Shown on “Our policies”.")
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title


class Partner(models.Model):
    """Someone the shop sends customers to for what it does not do itself."""

    name = models.CharField(max_length=120, unique=True)
    what_they_do = models.TextField()
    keywords = models.CharField(
        max_length=500, blank=True, help_text="Words of requests they are right for."
    )
    contact = models.CharField(
        max_length=300, help_text="How customers reach them: name, email, phone, website."
    )
    notes = models.TextField(blank=True, help_text="For the team only.")
    public = models.BooleanField(default=True, help_text="May be named to customers.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Decline(models.Model):
    """A request the shop said no to, with what it offered instead: the demand signal."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="declines")
    message = models.OneToOneField(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.CharField(max_length=200)
    alternative = models.ForeignKey(
        Offer, null=True, blank=True, on_delete=models.SET_NULL, related_name="offered_instead"
    )
    partner = models.ForeignKey(
        Partner, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"], name="decline_time")]

    def __str__(self) -> str:
        return f"{self.topic} (#{self.ticket_id})"
