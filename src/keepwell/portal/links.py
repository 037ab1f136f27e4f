"""Private customer links: signed, expiring, naming one contact and nothing else."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from keepwell.customers.models import Contact

_SALT = "keepwell.portal.link"


def make_token(contact: Contact) -> str:
    """A signed token for this contact; it expires after KEEPWELL_PORTAL_LINK_DAYS."""
    return signing.dumps({"c": contact.pk, "e": contact.email}, salt=_SALT, compress=True)


def make_link(contact: Contact) -> str:
    """The absolute private link a customer opens to see their requests."""
    path = reverse("portal:open_link", args=[make_token(contact)])
    return f"{settings.KEEPWELL.base_url}{path}"


def contact_for_token(token: str) -> Contact | None:
    """The contact a valid, unexpired token names; None for anything else."""
    max_age = settings.KEEPWELL.portal_link_days * 24 * 3600
    try:
        payload = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        return None
    contact_id: int = payload["c"]
    # The address is signed in too: once a contact's primary address changes, old links die.
    return Contact.objects.filter(pk=contact_id, email=payload.get("e")).first()
