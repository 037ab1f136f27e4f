"""Commitment pages: the ticket's promises panel actions, renegotiation, and "My promises"."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from keepwell.accounts.policies import is_owner
from keepwell.commitments import actions, selectors
from keepwell.commitments.businesstime import add_business_days
from keepwell.commitments.calendars import calendar_for
from keepwell.commitments.forms import BreakForm, CommitmentForm, RenegotiateForm, SelfCareForm
from keepwell.commitments.models import Commitment, Source
from keepwell.core.clock import now
from keepwell.core.errors import InvalidInput
from keepwell.core.web import HtmxHttpRequest, agent_required
from keepwell.tickets import selectors as ticket_selectors


def _back(commitment: Commitment) -> HttpResponse:
    if commitment.ticket is not None:
        return redirect("tickets:detail", number=commitment.ticket.number)
    return redirect("commitments:mine")


def _commitment(pk: int) -> Commitment:
    return get_object_or_404(Commitment.objects.select_related("ticket"), pk=pk)


@require_POST
@agent_required
def add(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Record a promise on the ticket by hand."""
    ticket = ticket_selectors.ticket_for_agent(actor=request.user, number=number)
    form = CommitmentForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Check the promise: " + form.errors.as_text())
    actions.make_commitment(
        actor=request.user, ticket=ticket, source=Source.MANUAL, **form.cleaned_data
    )
    return redirect("tickets:detail", number=number)


@require_POST
@agent_required
def keep(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment(pk)
    actions.keep_commitment(actor=request.user, commitment=commitment)
    return _back(commitment)


@require_POST
@agent_required
def break_(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    commitment = _commitment(pk)
    form = BreakForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Say why the promise cannot be kept.")
    actions.break_commitment(
        actor=request.user, commitment=commitment, reason=form.cleaned_data["reason"]
    )
    return _back(commitment)


@require_http_methods(["GET", "POST"])
@agent_required
def renegotiate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """A new time for a promise; the customer is told when they were promised the old one."""
    commitment = _commitment(pk)
    if request.method == "POST":
        form = RenegotiateForm(request.POST)
        if form.is_valid():
            try:
                actions.renegotiate_and_tell(
                    actor=request.user, commitment=commitment, **form.cleaned_data
                )
            except InvalidInput as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return _back(commitment)
        status = 422
    else:
        suggested = add_business_days(
            calendar_for(commitment.ticket), max(commitment.due_at, now()), 1
        )
        reason = "It is taking longer than I expected"
        form = RenegotiateForm(
            initial={
                "new_due": suggested.astimezone(calendar_for(commitment.ticket).zone).replace(
                    tzinfo=None
                ),
                "reason": reason,
                "message_to_customer": actions.renegotiation_draft(commitment, suggested, reason)
                if commitment.visible_to_customer
                else "",
            }
        )
        status = 200
    return render(
        request,
        "commitments/renegotiate.html",
        {"commitment": commitment, "form": form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@agent_required
def mine(request: HtmxHttpRequest) -> HttpResponse:
    """The agent's open promises by due time, and promises to themselves."""
    form = SelfCareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.make_commitment(
            actor=request.user, ticket=None, source=Source.SELF_CARE, **form.cleaned_data
        )
        return redirect("commitments:mine")
    promises = selectors.promises_for_agent(actor=request.user)
    days = {"7": 7, "90": 90}.get(request.GET.get("days", ""), 30)
    since = now() - timedelta(days=days)
    rate = selectors.kept_rate(since=since, owner=request.user)
    by_agent, by_team = (
        selectors.kept_rates_for_owner(actor=request.user, since=since)
        if is_owner(request.user)
        else ([], [])
    )
    return render(
        request,
        "commitments/mine.html",
        {
            "promises": promises,
            "rate": rate,
            "days": days,
            "by_agent": by_agent,
            "by_team": by_team,
            "form": form,
            "now": now(),
        },
    )
