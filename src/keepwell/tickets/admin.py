"""Tickets in the owner's admin are for looking, not changing.

Every change to a ticket goes through the desk (tickets/actions.py), which records it on the
timeline; editing rows here would bypass that, so these models are read-only. Canned replies and
tags are plain settings and stay editable.
"""

from django.contrib import admin

from keepwell.core.admin import ReadOnlyAdmin
from keepwell.tickets.models import (
    Attachment,
    CannedReply,
    Counter,
    Message,
    Tag,
    Ticket,
    TicketEvent,
)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "contact", "status", "priority", "team", "assignee"]
    list_filter = ["status", "priority", "team", "channel"]
    search_fields = ["number", "subject"]
    list_select_related = ["contact", "team", "assignee"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["ticket"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["ticket"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["filename", "content_type", "size", "sha256"]


@admin.register(Counter)
class CounterAdmin(ReadOnlyAdmin):
    list_display = ["name", "value"]


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ["title", "team"]


admin.site.register(Tag)
