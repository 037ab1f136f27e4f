from django.contrib import admin

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
class TicketAdmin(admin.ModelAdmin):
    list_display = ["number", "subject", "contact", "status", "priority", "team", "assignee"]
    list_filter = ["status", "priority", "team", "channel"]
    search_fields = ["number", "subject"]
    raw_id_fields = ["contact", "assignee", "follow_up_of"]
    list_select_related = ["contact", "team", "assignee"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["ticket", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["ticket", "author_user", "author_contact"]


@admin.register(TicketEvent)
class TicketEventAdmin(admin.ModelAdmin):
    """The timeline is append-only, here too."""

    list_display = ["ticket", "kind", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["ticket", "actor_user", "actor_contact", "message"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def,unused-ignore]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def,unused-ignore]
        return False


admin.site.register(Attachment, list_display=["filename", "content_type", "size", "sha256"])
admin.site.register(CannedReply, list_display=["title", "team"])
admin.site.register(Tag)
admin.site.register(Counter, list_display=["name", "value"])
