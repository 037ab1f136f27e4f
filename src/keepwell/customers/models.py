"""Contacts (customers), their addresses and organisations, and their preferences."""

from __future__ import annotations

from django.db import models


class DetailLevel(models.TextChoices):
    BRIEF = "brief", "Brief answers"
    STANDARD = "standard", "Standard"
    DETAILED = "detailed", "Detailed answers"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEB = "web", "Web form"
    PORTAL = "portal", "Customer portal"
    PHONE = "phone", "Phone"
    API = "api", "API"


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    name = models.CharField(max_length=200)
    # The primary address is kept on the contact for display and sorting; every address,
    # primary included, is a ContactEmail so lookups go through one unique index.
    email = models.EmailField(max_length=254)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    detail_level = models.CharField(
        max_length=10, choices=DetailLevel.choices, default=DetailLevel.STANDARD
    )
    preferred_channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    language = models.CharField(max_length=16, default="en")
    time_zone = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    heard_about = models.CharField("How they heard of us", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="addresses")
    # Always stored lower-cased (customers.actions.normalise_address), so an exact, indexed
    # lookup finds the contact whatever case a mail client used.
    address = models.EmailField(max_length=254, unique=True)

    class Meta:
        ordering = ["address"]

    def __str__(self) -> str:
        return self.address
