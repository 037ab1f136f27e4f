"""Owners set calendars and service levels here; commitments change only through the desk."""

from __future__ import annotations

from django.contrib import admin

from keepwell.commitments.models import Calendar, Commitment, CommitmentEvent, ServiceLevel
from keepwell.core.admin import ReadOnlyAdmin


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "time_zone",
        "holiday_country",
        "holiday_subdivision",
        "team",
        "is_default",
    ]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["name", "priority", "first_response", "next_reply", "resolution"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["what", "ticket", "owner", "due_at", "state", "source"]
    list_filter = ["state", "source", "target"]
    list_select_related = ["ticket", "owner"]


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "kind", "created_at"]
    list_select_related = ["commitment"]
