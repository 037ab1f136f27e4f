"""Background work for the portal."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from keepwell.customers.models import Contact
from keepwell.portal.links import make_link


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=30, max_retries=8)
def send_portal_link(self: object, contact_id: int) -> None:
    """Mail a customer a fresh private link to their requests."""
    contact = Contact.objects.filter(pk=contact_id).first()
    if contact is None:
        return
    context = {"contact": contact, "link": make_link(contact)}
    mail = EmailMultiAlternatives(
        subject="Your link to your requests",
        body=render_to_string("portal/mail/link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[contact.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    mail.send()
