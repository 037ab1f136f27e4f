"""Mailboxes the desk reads, every mail received (raw, before parsing), automatic mail sent."""

from __future__ import annotations

from django.db import models

from keepwell.accounts.models import Team
from keepwell.tickets.models import Message, Ticket


class Security(models.TextChoices):
    SSL = "ssl", "SSL/TLS (port 993)"
    STARTTLS = "starttls", "STARTTLS (port 143)"
    NONE = "none", "None (only for a server on this machine)"


class AfterFetch(models.TextChoices):
    KEEP = "keep", "Leave it as it is"
    SEEN = "seen", "Mark it as read"
    MOVE = "move", "Move it to another folder"


class Mailbox(models.Model):
    address = models.EmailField(unique=True, help_text="The address customers write to.")
    name = models.CharField(max_length=120, blank=True, help_text="Sender name on replies.")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL)
    send_acknowledgement = models.BooleanField(
        default=True, help_text="Confirm new requests by mail, with the private link."
    )
    is_active = models.BooleanField(default=True)
    imap_host = models.CharField(max_length=200, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    imap_user = models.CharField(max_length=200, blank=True)
    imap_password_encrypted = models.TextField(blank=True, editable=False)
    imap_folder = models.CharField(max_length=200, default="INBOX")
    after_fetch = models.CharField(
        max_length=10, choices=AfterFetch.choices, default=AfterFetch.KEEP
    )
    move_to_folder = models.CharField(max_length=200, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=60)
    # Where polling got to: a UIDVALIDITY change means the server renumbered the folder.
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.address


class InboundState(models.TextChoices):
    PENDING = "pending", "Waiting to be processed"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"
    IGNORED = "ignored", "Ignored"
    DISCARDED = "discarded", "Discarded by an owner"


class InboundEmail(models.Model):
    """A received mail, kept byte for byte before anything tries to understand it."""

    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL)
    raw = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    source = models.CharField(max_length=20, default="imap")
    received_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=InboundState.choices, default=InboundState.PENDING
    )
    reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    header_message_id = models.CharField("Message-ID", max_length=500, blank=True, db_index=True)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=250, blank=True)
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL)
    message = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound"
    )
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["state", "received_at"], name="inbound_state")]

    def __str__(self) -> str:
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"


class AutomaticMail(models.Model):
    """Automatic mail we sent (acknowledgements), to rate-limit it per recipient."""

    address = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "sent_at"], name="automail_address_time")]

    def __str__(self) -> str:
        return f"{self.address} at {self.sent_at:%Y-%m-%d %H:%M}"
