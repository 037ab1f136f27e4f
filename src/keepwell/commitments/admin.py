"""Owners set calendars and service levels here; commitments change only through the desk."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from keepwell.commitments.models import Calendar, Commitment, CommitmentEvent, ServiceLevel


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


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Commitment)
class CommitmentAdmin(ReadOnly):
    list_display = ["what", "ticket", "owner", "due_at", "state", "source"]
    list_filter = ["state", "source", "target"]
    list_select_related = ["ticket", "owner"]


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnly):
    list_display = ["commitment", "kind", "created_at"]
    list_select_related = ["commitment"]
