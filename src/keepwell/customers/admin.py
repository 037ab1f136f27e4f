from django.contrib import admin

from keepwell.customers.models import Contact, ContactEmail, Organisation


class ContactEmailInline(admin.TabularInline):
    model = ContactEmail
    extra = 0


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organisation", "detail_level", "language"]
    search_fields = ["name", "email"]
    list_filter = ["detail_level", "preferred_channel"]
    inlines = [ContactEmailInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name"]
