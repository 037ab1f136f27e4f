"""The reply box's assistant: coach findings and promises to track, refreshed as the agent types."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from keepwell.coach.engine import INFORMATIONAL_CODES
from keepwell.coach.service import apply_suggestion, review_reply
from keepwell.core.web import HtmxHttpRequest, agent_required
from keepwell.tickets import selectors

MAX_DRAFT = 20_000


@require_GET
@agent_required
def review(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Findings on the draft (with one-click fixes) and the promise it makes, if any."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    body = request.GET.get("body", "")[:MAX_DRAFT]
    findings = review_reply(ticket, body)
    promises = [
        {"text": body[f.start : f.end].strip(), "due": datetime.fromisoformat(f.data["due"])}
        for f in findings
        if f.code == "promise-detected" and f.data and f.data.get("due")
    ]
    advisory = [(i, f) for i, f in enumerate(findings) if f.code not in INFORMATIONAL_CODES]
    advice = [
        {"finding": f, "excerpt": body[f.start : f.end].strip(), "index": i} for i, f in advisory
    ]
    return render(
        request,
        "coach/_review.html",
        {
            "ticket": ticket,
            "advice": advice,
            "promises": promises[:1],
            "codes": ",".join(f.code for _, f in advisory),
            "apply_url": reverse("coach:apply", args=[ticket.number]),
        },
    )


@require_GET
@agent_required
def apply(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The reply box with one finding's suggestion applied (HTMX swaps the textarea)."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    body = request.GET.get("body", "")[:MAX_DRAFT]
    findings = review_reply(ticket, body)  # the same list, and order, the review showed
    try:
        finding = findings[int(request.GET.get("index", ""))]
    except (ValueError, IndexError):
        finding = None
    if finding is not None and finding.code not in INFORMATIONAL_CODES and finding.suggestion:
        body = apply_suggestion(body, finding)
    return render(
        request,
        "tickets/_reply_body.html",
        {"body": body, "detect_url": reverse("coach:review", args=[ticket.number])},
    )
