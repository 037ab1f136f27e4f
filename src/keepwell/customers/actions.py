"""Contacts: found by any of their addresses, or created; preferences edited by agents."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from keepwell.accounts.policies import ensure_agent
from keepwell.core.errors import InvalidInput
from keepwell.customers.models import Contact, ContactEmail, DetailLevel


def normalise_address(address: str) -> str:
    """Lower-case and strip an address; raises InvalidInput when it is not an e-mail address."""
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError as exc:
        raise InvalidInput(
            f"{address or 'That'} is not a valid e-mail address.", field="email"
        ) from exc
    return address


def find_or_create_contact(*, email: str, name: str = "") -> Contact:
    """The contact owning this address, or a new one; safe when two requests race."""
    address = normalise_address(email)
    existing = Contact.objects.filter(addresses__address=address).first()
    if existing is not None:
        if name and not existing.name:
            existing.name = name
            existing.save(update_fields=["name"])
        return existing
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                name=name.strip() or address.split("@")[0], email=address
            )
            ContactEmail.objects.create(contact=contact, address=address)
            return contact
    except IntegrityError:
        return Contact.objects.get(addresses__address=address)


@transaction.atomic
def add_contact_address(*, actor: Any, contact: Contact, email: str) -> ContactEmail:
    """Attach another address to a contact; raises InvalidInput if it belongs to someone."""
    ensure_agent(actor)
    address = normalise_address(email)
    owner = ContactEmail.objects.filter(address=address).select_related("contact").first()
    if owner is not None:
        if owner.contact_id == contact.pk:
            return owner
        raise InvalidInput(f"{address} already belongs to {owner.contact.name}.", field="email")
    return ContactEmail.objects.create(contact=contact, address=address)


@transaction.atomic
def update_contact_preferences(
    *,
    actor: Any,
    contact: Contact,
    detail_level: str,
    preferred_channel: str,
    language: str,
    notes: str,
    heard_about: str = "",
) -> Contact:
    """Save how this customer likes to be served."""
    ensure_agent(actor)
    if detail_level not in DetailLevel.values:
        raise InvalidInput("Choose brief, standard or detailed.", field="detail_level")
    contact.detail_level = detail_level
    contact.preferred_channel = preferred_channel
    contact.language = language.strip() or "en"
    contact.notes = notes
    contact.heard_about = heard_about
    contact.save(
        update_fields=["detail_level", "preferred_channel", "language", "notes", "heard_about"]
    )
    return contact
