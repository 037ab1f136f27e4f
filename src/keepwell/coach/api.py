"""The coach over HTTP: the same review as the reply box and `keepwell coach`."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from keepwell.coach.engine import ReviewContext, review
from keepwell.coach.schemas import FindingOut, ReviewIn, ReviewOut
from keepwell.core.errors import InvalidInput

router = Router(tags=["coach"])
MAX_TEXT = 20_000


@router.post("/review", response=ReviewOut)
def review_reply(request: HttpRequest, payload: ReviewIn) -> ReviewOut:
    """Review a draft reply; findings carry the character span and a suggested fix."""
    if len(payload.text) > MAX_TEXT:
        raise InvalidInput(
            f"The reply is too long to review (limit {MAX_TEXT:,} characters).", field="text"
        )
    context = ReviewContext(customer_message=payload.customer_message, prefers=payload.prefers)
    findings = review(payload.text, context)
    return ReviewOut(
        findings=[
            FindingOut(
                code=f.code, message=f.message, start=f.start, end=f.end, suggestion=f.suggestion
            )
            for f in findings
        ]
    )
