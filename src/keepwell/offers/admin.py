"""Owners write the catalogue, the policies and the partner directory here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from keepwell.core.admin import ReadOnlyAdmin
from keepwell.offers.models import Decline, Offer, Partner, Policy


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["name", "price_text", "turnaround", "public", "position"]
    list_editable = ["public", "position"]
    search_fields = ["name", "summary", "keywords"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "public", "position", "updated_at"]
    list_editable = ["public", "position"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "contact", "public", "referral_count"]
    search_fields = ["name", "what_they_do", "keywords"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Partner]:
        return super().get_queryset(request).annotate(referral_total=Count("referrals"))

    @admin.display(description="Referrals", ordering="referral_total")
    def referral_count(self, partner: Partner) -> int:
        return getattr(partner, "referral_total", 0)


@admin.register(Decline)
class DeclineAdmin(ReadOnlyAdmin):
    list_display = ["topic", "ticket", "alternative", "partner", "actor", "created_at"]
    list_filter = ["partner", "alternative"]
    list_select_related = ["ticket", "alternative", "partner", "actor"]
