"""The owner-only admin site: every model, for owners and nobody else."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from keepwell.accounts.policies import is_owner


class OwnerAdminSite(admin.AdminSite):
    site_header = "Keepwell administration"
    site_title = "Keepwell admin"
    index_title = "Everything in this desk"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_owner(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that change only through the desk's actions (tickets, mail, promises)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
