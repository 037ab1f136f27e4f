"""Mail pages: the owner's Unprocessed mail list, and the original of any received mail."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from keepwell.core.web import HtmxHttpRequest, agent_required, owner_required
from keepwell.mail import inbound as pipeline
from keepwell.mail.models import InboundEmail, InboundState
from keepwell.mail.parsing import parse_message
from keepwell.tickets import actions as ticket_actions
from keepwell.tickets.models import Message

LIST_STATES = {
    "failed": (InboundState.FAILED,),
    "ignored": (InboundState.IGNORED,),
    "discarded": (InboundState.DISCARDED,),
}


@require_GET
@owner_required
def unprocessed(request: HtmxHttpRequest) -> HttpResponse:
    """Mail that did not become a message: failed (with why), ignored, discarded."""
    show = request.GET.get("show", "failed")
    states = LIST_STATES.get(show, LIST_STATES["failed"])
    mails = (
        InboundEmail.objects.filter(state__in=states)
        .select_related("mailbox", "ticket")
        .defer("raw")
        .order_by("-received_at")[:200]
    )
    counts = {
        key: InboundEmail.objects.filter(state__in=value).count()
        for key, value in LIST_STATES.items()
    }
    return render(
        request, "mail/unprocessed.html", {"mails": mails, "show": show, "counts": counts}
    )


@require_POST
@owner_required
def retry(request: HtmxHttpRequest, inbound_id: int) -> HttpResponse:
    pipeline.retry_inbound(
        actor=request.user, inbound=get_object_or_404(InboundEmail, pk=inbound_id)
    )
    return redirect("mail:unprocessed")


@require_POST
@owner_required
def discard(request: HtmxHttpRequest, inbound_id: int) -> HttpResponse:
    pipeline.discard_inbound(
        actor=request.user, inbound=get_object_or_404(InboundEmail, pk=inbound_id)
    )
    return redirect("mail:unprocessed")


@require_GET
@agent_required
def original(request: HtmxHttpRequest, inbound_id: int) -> HttpResponse:
    """A received mail as it arrived: headers, the whole text (quotes included), attachments."""
    mail = get_object_or_404(InboundEmail.objects.select_related("ticket"), pk=inbound_id)
    parsed = parse_message(bytes(mail.raw))
    return render(request, "mail/original.html", {"mail": mail, "parsed": parsed})


@require_GET
@agent_required
def original_of_message(request: HtmxHttpRequest, message_id: int) -> HttpResponse:
    """The original mail behind a customer message."""
    mail = get_object_or_404(InboundEmail.objects.only("pk"), message_id=message_id)
    return redirect("mail:original", inbound_id=mail.pk)


@require_GET
@agent_required
def download(request: HtmxHttpRequest, inbound_id: int) -> HttpResponse:
    """The raw bytes as an .eml file, exactly as received."""
    mail = get_object_or_404(InboundEmail, pk=inbound_id)
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{mail.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@agent_required
def retry_delivery(request: HtmxHttpRequest, message_id: int) -> HttpResponse:
    """Send a reply whose delivery failed once more."""
    message = get_object_or_404(Message.objects.select_related("ticket"), pk=message_id)
    ticket_actions.retry_delivery(actor=request.user, message=message)
    return redirect("tickets:detail", number=message.ticket.number)
