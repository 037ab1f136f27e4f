"""Wording for customers: statuses said the way a customer would understand them."""

from django import template

from keepwell.tickets.models import Status

register = template.Library()

CUSTOMER_STATUS = {
    Status.NEW: "Received",
    Status.OPEN: "In progress",
    Status.WAITING: "Waiting for your reply",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}


@register.filter
def customer_status(status: str) -> str:
    """The status as the customer sees it."""
    return CUSTOMER_STATUS.get(status, status)  # type: ignore[call-overload]
