"""What customers see: the request form, their private link and their requests."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial, wraps
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keepwell.commitments.calendars import customer_zone
from keepwell.commitments.selectors import visible_promises
from keepwell.core.errors import DomainError, InvalidInput
from keepwell.core.forms import to_new_attachments
from keepwell.customers.actions import find_or_create_contact
from keepwell.customers.models import Channel, Contact, ContactEmail
from keepwell.mail.outbound import answer_by_text
from keepwell.offers import published
from keepwell.portal import links
from keepwell.portal.forms import CustomerReplyForm, LinkRequestForm, RequestForm
from keepwell.portal.tasks import send_portal_link
from keepwell.tickets import actions
from keepwell.tickets.models import Attachment, Message, MessageKind, Ticket, TicketEvent
from keepwell.tickets.views import attachment_response

SESSION_KEY = "portal_contact"


def _contact(request: HttpRequest) -> Contact | None:
    contact_id = request.session.get(SESSION_KEY)
    return Contact.objects.filter(pk=contact_id).first() if contact_id else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public front page of the help desk."""
    return render(request, "portal/home.html", {"contact": _contact(request)})


@require_http_methods(["GET", "POST"])
def new_request(request: HttpRequest) -> HttpResponse:
    """The public request form: creates the contact and the ticket."""
    form = RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # A bot: answer as if it worked, create nothing.
            request.session["portal_sent"] = {"number": None, "email": data["email"]}
            return redirect("portal:sent")
        try:
            with transaction.atomic():
                contact = find_or_create_contact(email=data["email"], name=data["name"])
                ticket = actions.create_ticket(
                    actor=None,
                    contact=contact,
                    subject=data["subject"],
                    body=data["message"],
                    channel=Channel.WEB,
                    attachments=to_new_attachments(data["attachments"]),
                    restrict_attachment_types=True,
                    acknowledge=True,
                )
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            request.session["portal_sent"] = {
                "number": ticket.number,
                "email": contact.email,
                "answer_by": answer_by_text(ticket),
            }
            return redirect("portal:sent")
    status = 422 if form.errors else 200
    return render(request, "portal/new_request.html", {"form": form}, status=status)


@require_GET
def request_sent(request: HttpRequest) -> HttpResponse:
    """Confirmation after the form, saying where the private link went."""
    sent = request.session.get("portal_sent")
    if not sent:
        return redirect("portal:new_request")
    return render(request, "portal/sent.html", {"sent": sent})


@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    """Ask for a fresh private link; the answer is the same whether or not we know the address."""
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        known = ContactEmail.objects.filter(address=email).values_list("contact_id", flat=True)
        for contact_id in known[:1]:
            transaction.on_commit(partial(send_portal_link.delay, contact_id))
        messages.success(
            request,
            f"If {email} has written to us before, a private link is on its way to it now.",
        )
        return redirect("portal:request_link")
    return render(request, "portal/request_link.html", {"form": form})


@require_GET
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """A customer's private link: remembers who they are for this browser session."""
    contact = links.contact_for_token(token)
    if contact is None:
        return render(request, "portal/link_expired.html", status=410)
    request.session.cycle_key()
    request.session[SESSION_KEY] = contact.pk
    return redirect("portal:my_requests")


def customer_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Pages behind the private link: the view receives the contact, others go to the link form."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        contact = _contact(request)
        if contact is None:
            return redirect("portal:request_link")
        return view(request, contact, *args, **kwargs)

    return wrapped


@require_GET
@customer_required
def my_requests(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The customer's requests, newest first."""
    tickets = Ticket.objects.filter(contact=contact).order_by("-created_at")[:200]
    return render(request, "portal/my_requests.html", {"contact": contact, "tickets": tickets})


def _customer_ticket(contact: Contact, number: int) -> Ticket:
    return get_object_or_404(
        Ticket.objects.select_related("contact"), contact=contact, number=number
    )


@require_GET
@customer_required
def request_detail(request: HttpRequest, contact: Contact, number: int) -> HttpResponse:
    """One request as the customer sees it: public messages only."""
    ticket = _customer_ticket(contact, number)
    return render(
        request,
        "portal/request_detail.html",
        _detail_context(ticket, contact, CustomerReplyForm()),
    )


def _detail_context(ticket: Ticket, contact: Contact, form: CustomerReplyForm) -> dict[str, object]:
    conversation = (
        Message.objects.filter(ticket=ticket)
        .exclude(kind=MessageKind.NOTE)
        .select_related("author_user__agent_profile")
        .prefetch_related("attachments")
    )
    follow_up = TicketEvent.objects.filter(ticket=ticket, kind="follow_up_opened").last()
    zone = customer_zone(ticket)
    promises = [(c, c.due_at.astimezone(zone)) for c in visible_promises(ticket)]
    return {
        "ticket": ticket,
        "contact": contact,
        "conversation": conversation,
        "form": form,
        "follow_up": follow_up,
        "promises": promises,
    }


@require_POST
@customer_required
def request_reply(request: HttpRequest, contact: Contact, number: int) -> HttpResponse:
    """The customer adds a message to their request."""
    ticket = _customer_ticket(contact, number)
    form = CustomerReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = actions.add_customer_message(
                contact=contact,
                ticket=ticket,
                body=form.cleaned_data["message"],
                channel=Channel.PORTAL,
                attachments=to_new_attachments(form.cleaned_data["attachments"]),
                restrict_attachment_types=True,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Thank you, your message has been added.")
            return redirect("portal:request_detail", number=message.ticket.number)
    context = _detail_context(ticket, contact, form)
    return render(request, "portal/request_detail.html", context, status=422)


@require_POST
@customer_required
def request_close(request: HttpRequest, contact: Contact, number: int) -> HttpResponse:
    """The customer closes their request."""
    ticket = _customer_ticket(contact, number)
    actions.customer_close_ticket(contact=contact, ticket=ticket)
    messages.success(request, f"Request #{ticket.number} is closed. Thank you!")
    return redirect("portal:request_detail", number=number)


@require_GET
@customer_required
def attachment(
    request: HttpRequest, contact: Contact, attachment_id: int, filename: str
) -> HttpResponseBase:
    """An attachment of one of the customer's own public messages."""
    item = get_object_or_404(
        Attachment.objects.exclude(message__kind=MessageKind.NOTE),
        pk=attachment_id,
        message__ticket__contact=contact,
    )
    return attachment_response(item)


@require_GET
def offers(request: HttpRequest) -> HttpResponse:
    """What we offer: the public catalogue, with what is and is not included."""
    return render(request, "portal/offers.html", {"offers": published.public_offers()})


@require_GET
def policies(request: HttpRequest) -> HttpResponse:
    """Our policies, with response times made from the desk's real service levels."""
    return render(request, "portal/policies.html", {"policies": published.public_policies()})
