"""The owner-only admin site: every model, for owners and nobody else."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from keepwell.accounts.policies import is_owner


class OwnerAdminSite(admin.AdminSite):
    site_header = "Keepwell administration"
    site_title = "Keepwell admin"
    index_title = "Everything in this desk"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_owner(request.user)
