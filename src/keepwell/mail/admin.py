"""Owners set up mailboxes here; the IMAP password is write-only and stored encrypted."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from keepwell.core.admin import ReadOnlyAdmin
from keepwell.core.crypto import encrypt
from keepwell.mail import imap
from keepwell.mail.models import InboundEmail, Mailbox


class MailboxForm(forms.ModelForm):
    imap_password = forms.CharField(
        label="IMAP password",
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Stored encrypted and never shown again. Leave empty to keep the saved one.",
    )

    class Meta:
        model = Mailbox
        fields = [
            "address",
            "name",
            "team",
            "send_acknowledgement",
            "is_active",
            "imap_host",
            "imap_port",
            "imap_security",
            "imap_user",
            "imap_folder",
            "after_fetch",
            "move_to_folder",
            "poll_interval_seconds",
        ]

    def save(self, commit: bool = True) -> Mailbox:
        mailbox: Mailbox = super().save(commit=False)
        if self.cleaned_data.get("imap_password"):
            mailbox.imap_password_encrypted = encrypt(self.cleaned_data["imap_password"])
        if commit:
            mailbox.save()
        return mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    form = MailboxForm
    list_display = ["address", "team", "imap_host", "is_active", "last_polled_at", "last_error"]
    readonly_fields = ["last_polled_at", "last_error", "last_uid", "uidvalidity"]
    actions = ["test_connection"]
    fieldsets = [
        (None, {"fields": ["address", "name", "team", "send_acknowledgement", "is_active"]}),
        (
            "Fetching mail (IMAP)",
            {
                "fields": [
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_user",
                    "imap_password",
                    "imap_folder",
                    "after_fetch",
                    "move_to_folder",
                    "poll_interval_seconds",
                ]
            },
        ),
        ("Status", {"fields": ["last_polled_at", "last_error", "last_uid", "uidvalidity"]}),
    ]

    @admin.action(description="Test the connection")
    def test_connection(self, request: HttpRequest, queryset: QuerySet[Mailbox]) -> None:
        for mailbox in queryset:
            if not mailbox.imap_host:
                self.message_user(request, f"{mailbox}: no IMAP server set up.", messages.WARNING)
                continue
            problem = imap.test_connection(mailbox)
            if problem:
                self.message_user(request, f"{mailbox}: {problem}", messages.ERROR)
            else:
                self.message_user(request, f"{mailbox}: connected, folder found.", messages.SUCCESS)


@admin.register(InboundEmail)
class InboundEmailAdmin(ReadOnlyAdmin):
    """Received mail is evidence: look, download from the desk, never edit."""

    list_display = ["received_at", "sender", "subject", "state", "mailbox"]
    list_filter = ["state", "mailbox", "source"]
    search_fields = ["sender", "subject", "header_message_id"]
    exclude = ["raw"]
