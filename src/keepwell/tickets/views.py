"""Agent desk pages: the inbox and the ticket page. Thin: parse, call the domain, render."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from keepwell.accounts.models import Team
from keepwell.core.clock import now
from keepwell.core.errors import InvalidInput
from keepwell.core.forms import to_new_attachments
from keepwell.core.web import HtmxHttpRequest, agent_required
from keepwell.customers.actions import update_contact_preferences
from keepwell.customers.models import Contact
from keepwell.offers.models import Offer, Partner
from keepwell.tickets import actions, selectors
from keepwell.tickets.canned import PLACEHOLDERS, render_canned_reply
from keepwell.tickets.forms import (
    AssignForm,
    PreferencesForm,
    PriorityForm,
    ReplyForm,
    StatusForm,
    TagsForm,
    TeamForm,
)
from keepwell.tickets.models import Attachment, CannedReply, Priority, Status


@require_GET
@agent_required
def inbox(request: HtmxHttpRequest) -> HttpResponse:
    """The agent's inbox; HTMX requests get just the ticket rows."""
    filters = selectors.InboxFilters.from_query(request.GET)
    data = selectors.inbox_for_agent(actor=request.user, filters=filters)
    context = {
        "inbox": data,
        "views": selectors.INBOX_VIEWS,
        "sorts": {k: v[0] for k, v in selectors.INBOX_SORTS.items()},
        "statuses": Status.choices,
        "priorities": Priority.choices,
    }
    template = "tickets/inbox.html#results" if request.htmx else "tickets/inbox.html"
    return render(request, template, context)


def _id(value: object) -> int:
    text = str(value)
    return int(text) if text.isdigit() else 0


def _ticket_context(request: HtmxHttpRequest, number: int, **extra: object) -> dict[str, object]:
    page = selectors.ticket_page(actor=request.user, number=number)
    reply_form = extra.pop("reply_form", None) or ReplyForm(
        initial={"seen_up_to": page.last_message_id}
    )
    assert isinstance(reply_form, ReplyForm)
    ticket = page.ticket
    decline: dict[str, object] = {}
    if reply_form["decline_topic"].value():  # a decline draft survives a re-rendered form
        decline = {
            "decline_alternative": Offer.objects.filter(
                pk=_id(reply_form["decline_alternative"].value())
            ).first(),
            "decline_partner": Partner.objects.filter(
                pk=_id(reply_form["decline_partner"].value())
            ).first(),
        }
    return {
        "page": page,
        "ticket": ticket,
        "reply_form": reply_form,
        "statuses": Status.choices,
        "allowed_statuses": actions.TRANSITIONS[ticket.status],
        "priorities": Priority.choices,
        "preferences_form": PreferencesForm(
            initial={
                "detail_level": ticket.contact.detail_level,
                "preferred_channel": ticket.contact.preferred_channel,
                "language": ticket.contact.language,
                "notes": ticket.contact.notes,
            }
        ),
        "tag_text": ", ".join(t.name for t in ticket.tags.all()),
        "commitments": page.commitments,
        "detect_url": reverse("coach:review", args=[ticket.number]),
        "now": now(),
        **decline,
        **extra,
    }


@require_GET
@agent_required
def ticket_detail(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The conversation, the reply box and the customer sidebar."""
    return render(request, "tickets/ticket.html", _ticket_context(request, number))


@require_POST
@agent_required
def ticket_reply(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """Send a reply or add a note; a stale reply re-renders the page with the draft kept."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        context = _ticket_context(request, number, reply_form=form)
        return render(request, "tickets/ticket.html", context, status=422)
    data = form.cleaned_data
    files = to_new_attachments(data["attachments"])
    try:
        if data["kind"] == "note":
            message = actions.add_internal_note(
                actor=request.user, ticket=ticket, body=data["body"], attachments=files
            )
        else:
            message = actions.reply_to_ticket(
                actor=request.user,
                ticket=ticket,
                body=data["body"],
                seen_up_to=data["seen_up_to"],
                next_status=data["next_status"] or None,
                attachments=files,
                promise=form.promise(),
                coach_codes=[c for c in data["coach_codes"].split(",") if c],
                decline=form.decline(),
            )
    except actions.StaleReply as exc:
        newest = max(m.pk for m in exc.new_messages)
        form = ReplyForm(
            initial={**data, "seen_up_to": newest, "attachments": None},
        )
        context = _ticket_context(
            request,
            number,
            reply_form=form,
            stale_message=exc.message,
            unseen_ids={m.pk for m in exc.new_messages},
        )
        return render(request, "tickets/ticket.html", context, status=409)
    except InvalidInput as exc:
        form.add_error("attachments" if exc.field == "attachments" else "body", exc.message)
        context = _ticket_context(request, number, reply_form=form)
        return render(request, "tickets/ticket.html", context, status=422)
    return redirect(f"{reverse('tickets:detail', args=[number])}#m{message.pk}")


def _after_change(request: HtmxHttpRequest, number: int) -> HttpResponse:
    if request.htmx:
        return render(
            request, "tickets/ticket.html#properties_update", _ticket_context(request, number)
        )
    return redirect("tickets:detail", number=number)


@require_POST
@agent_required
def ticket_status(request: HtmxHttpRequest, number: int) -> HttpResponse:
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a status from the list.")
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    actions.change_status(actor=request.user, ticket=ticket, status=form.cleaned_data["status"])
    return _after_change(request, number)


@require_POST
@agent_required
def ticket_priority(request: HtmxHttpRequest, number: int) -> HttpResponse:
    form = PriorityForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a priority from the list.")
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    actions.set_priority(actor=request.user, ticket=ticket, priority=form.cleaned_data["priority"])
    return _after_change(request, number)


@require_POST
@agent_required
def ticket_assign(request: HtmxHttpRequest, number: int) -> HttpResponse:
    form = AssignForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose an agent from the list.")
    assignee = None
    if form.cleaned_data["assignee"]:
        assignee = selectors.active_agents().filter(pk=form.cleaned_data["assignee"]).first()
        if assignee is None:
            raise InvalidInput("That agent is not active.")
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    actions.assign_ticket(actor=request.user, ticket=ticket, assignee=assignee)
    return _after_change(request, number)


@require_POST
@agent_required
def ticket_team(request: HtmxHttpRequest, number: int) -> HttpResponse:
    form = TeamForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Choose a team from the list.")
    team = None
    if form.cleaned_data["team"]:
        team = Team.objects.filter(pk=form.cleaned_data["team"]).first()
        if team is None:
            raise InvalidInput("That team does not exist.")
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    actions.set_team(actor=request.user, ticket=ticket, team=team)
    return _after_change(request, number)


@require_POST
@agent_required
def ticket_tags(request: HtmxHttpRequest, number: int) -> HttpResponse:
    form = TagsForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Tags are words separated by commas.")
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    actions.set_tags(actor=request.user, ticket=ticket, names=form.names())
    return _after_change(request, number)


@require_POST
@agent_required
def contact_preferences(request: HtmxHttpRequest, contact_id: int) -> HttpResponse:
    """Save a customer's preferences from the ticket sidebar."""
    contact = get_object_or_404(Contact, pk=contact_id)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        raise InvalidInput("Check the preferences: " + form.errors.as_text())
    update_contact_preferences(actor=request.user, contact=contact, **form.cleaned_data)
    back = request.POST.get("ticket", "")
    if back.isdigit():
        return _after_change(request, int(back))
    return redirect("tickets:inbox")


@require_GET
@agent_required
def canned_replies(request: HtmxHttpRequest, number: int) -> HttpResponse:
    """The canned replies offered on this ticket (loaded when the picker opens)."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    replies = selectors.canned_replies_for(actor=request.user, ticket=ticket)
    return render(
        request,
        "tickets/_canned_list.html",
        {"ticket": ticket, "replies": replies, "placeholders": PLACEHOLDERS},
    )


@require_GET
@agent_required
def canned_reply_insert(request: HtmxHttpRequest, number: int, reply_id: int) -> HttpResponse:
    """The reply box with the canned reply appended to the draft, filled for this ticket."""
    ticket = selectors.ticket_for_agent(actor=request.user, number=number)
    reply = get_object_or_404(CannedReply, pk=reply_id)
    text = render_canned_reply(reply, ticket=ticket, agent=request.user)
    draft = request.GET.get("body", "").rstrip()
    body = f"{draft}\n\n{text}" if draft else text
    detect_url = reverse("coach:review", args=[ticket.number])
    return render(request, "tickets/_reply_body.html", {"body": body, "detect_url": detect_url})


@require_GET
@agent_required
def attachment_download(
    request: HtmxHttpRequest, attachment_id: int, filename: str
) -> HttpResponseBase:
    """Serve an attachment as a download, never rendered in the desk's origin."""
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """A download response that browsers will not sniff or render inline."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
