"""The coach applied to a ticket: the context comes from the conversation and the customer."""

from __future__ import annotations

from dataclasses import replace

from keepwell.coach.engine import DECLINE_WITHOUT_ALTERNATIVE, Finding, ReviewContext, review
from keepwell.commitments.calendars import calendar_for
from keepwell.core.clock import now
from keepwell.offers.catalogue import alternatives_for
from keepwell.tickets.models import Message, MessageKind, Ticket


def review_reply(ticket: Ticket, body: str) -> list[Finding]:
    """Findings on a draft reply, given the customer's last message and preferences."""
    last = (
        Message.objects.filter(ticket=ticket, kind=MessageKind.CUSTOMER)
        .order_by("-pk")
        .values_list("body_text", flat=True)
        .first()
    )
    context = ReviewContext(
        customer_message=last,
        prefers=ticket.contact.detail_level,
        now=now(),
        calendar=calendar_for(ticket),
    )
    findings = review(body, context)
    if any(f.code == DECLINE_WITHOUT_ALTERNATIVE for f in findings):
        # A "no" without an alternative: suggest the catalogue's (matched only when needed).
        alternatives = alternatives_for(ticket)
        if alternatives:
            findings = review(body, replace(context, alternatives=alternatives))
    return findings


def apply_suggestion(body: str, finding: Finding) -> str:
    """The draft with a suggestion applied: a rewrite of the span, or an added sentence."""
    if finding.end > finding.start and finding.code in ("vague-promise", "blame"):
        return body[: finding.start] + finding.suggestion + body[finding.end :]
    head, tail = body[: finding.end].rstrip(), body[finding.end :]
    return f"{head} {finding.suggestion}{tail}".strip()
