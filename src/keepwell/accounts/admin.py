from django.contrib import admin

from keepwell.accounts.models import AgentProfile, Team


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "description"]


@admin.register(AgentProfile)
class AgentProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "role", "capacity", "time_zone"]
    list_filter = ["role", "teams"]
    filter_horizontal = ["teams"]
