"""Receiving mail: keep the raw bytes first, then understand them.

`store_raw` commits the bytes in a transaction of their own before anything parses them, so a
crash, a bug or a worker killed mid-way loses nothing. `process_inbound` is idempotent: the same
mail stored twice (same bytes, or same Message-ID) makes one message. A mail that cannot be turned
into a message is marked failed with the reason and waits on the owner's "Unprocessed mail" page.

States::

    pending ──► processed
       │  └───► ignored   (our own mail, bounces, automatic replies to nothing, duplicates)
       └──────► failed ──► pending (retry) | discarded
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from keepwell.accounts.policies import ensure_owner
from keepwell.core.clock import now
from keepwell.core.errors import Conflict
from keepwell.customers.actions import find_or_create_contact
from keepwell.customers.models import Channel
from keepwell.mail.models import InboundEmail, InboundState, Mailbox
from keepwell.mail.parsing import ParsedMail, parse_message, rewrite_cid_links
from keepwell.mail.threading import find_ticket
from keepwell.tickets import actions as ticket_actions
from keepwell.tickets.attachments import NewAttachment
from keepwell.tickets.models import Message

log = logging.getLogger(__name__)
MAX_RAW_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Stored:
    inbound: InboundEmail
    created: bool


def store_raw(raw: bytes, *, mailbox: Mailbox | None, source: str) -> Stored:
    """Keep the mail's bytes (committed at once); the same bytes twice are stored once."""
    digest = hashlib.sha256(raw).hexdigest()
    existing = InboundEmail.objects.filter(sha256=digest).defer("raw").first()
    if existing is not None:
        return Stored(existing, created=False)
    try:
        with transaction.atomic():
            inbound = InboundEmail.objects.create(
                mailbox=mailbox,
                raw=raw,
                size=len(raw),
                sha256=digest,
                source=source,
                received_at=now(),
            )
    except IntegrityError:
        return Stored(InboundEmail.objects.get(sha256=digest), created=False)
    return Stored(inbound, created=True)


def _bracketed(message_id: str | None) -> str:
    if not message_id:
        return ""
    message_id = message_id.strip()
    return (message_id if message_id.startswith("<") else f"<{message_id}>")[:500]


def _attachments(parsed: ParsedMail) -> list[NewAttachment]:
    return [
        NewAttachment(
            filename=a.filename or "attachment",
            content=a.payload,
            content_type=a.content_type,
            content_id=a.content_id or "",
            inline=a.inline,
        )
        for a in parsed.attachments
    ]


def _finish(
    inbound: InboundEmail, state: str, reason: str = "", message: Message | None = None
) -> None:
    inbound.state = state
    inbound.reason = reason
    inbound.processed_at = now()
    if message is not None:
        inbound.message = message
        inbound.ticket = message.ticket
    inbound.save(update_fields=["state", "reason", "processed_at", "message", "ticket"])


def _mark_bounced_reply(parsed: ParsedMail) -> bool:
    """A bounce of one of our replies marks that reply as failed; True when one was found."""
    ids = {_bracketed(m) for m in [parsed.in_reply_to, *parsed.references] if m}
    text = parsed.body_text or ""
    for attachment in parsed.attachments:
        if attachment.content_type in (
            "message/rfc822",
            "text/rfc822-headers",
            "message/rfc822-headers",
        ):
            text += "\n" + attachment.payload.decode("utf-8", "replace")
    for token in text.split():
        if token.startswith("<kw.") and token.rstrip(">").count("@") == 1:
            ids.add(token if token.endswith(">") else token + ">")
    bounced = Message.objects.filter(message_id__in=ids).exclude(delivery="").first()
    if bounced is None:
        return False
    ticket_actions.record_delivery(
        message=bounced, error="The customer's mail server returned this reply as undeliverable."
    )
    return True


def process_inbound(inbound_id: int) -> InboundEmail:
    """Turn a stored mail into a ticket or a message; never raises for a bad mail."""
    try:
        with transaction.atomic():
            inbound = (
                InboundEmail.objects.select_for_update(of=("self",))
                .select_related("mailbox")
                .get(pk=inbound_id)
            )
            if inbound.state != InboundState.PENDING:
                return inbound
            inbound.attempts += 1
            _process(inbound)
            return inbound
    except Exception as exc:
        log.exception("inbound mail %s failed", inbound_id)
        reason = f"{exc.__class__.__name__}: {exc}\n\n{traceback.format_exc(limit=8)}"
        InboundEmail.objects.filter(pk=inbound_id).update(
            state=InboundState.FAILED, reason=reason[:10_000], processed_at=now()
        )
    return InboundEmail.objects.defer("raw").get(pk=inbound_id)


def _process(inbound: InboundEmail) -> None:
    parsed = parse_message(bytes(inbound.raw))
    sender = (parsed.from_email or (parsed.reply_to_addresses or [""])[0]).strip().lower()
    inbound.header_message_id = _bracketed(parsed.message_id)
    inbound.sender = sender[:254]
    inbound.subject = (parsed.subject or "")[:250]
    inbound.save(update_fields=["header_message_id", "sender", "subject", "attempts"])

    if sender and Mailbox.objects.filter(address__iexact=sender).exists():
        return _finish(inbound, InboundState.IGNORED, "Sent from one of our own mailboxes.")
    if parsed.is_bounce:
        found = _mark_bounced_reply(parsed)
        reason = "A bounce of one of our replies." if found else "A bounce notice."
        return _finish(inbound, InboundState.IGNORED, reason)
    if inbound.header_message_id:
        # No ORDER BY: with one, SQLite may walk the primary key instead of the message_id index.
        seen = list(
            Message.objects.filter(message_id=inbound.header_message_id)
            .order_by()
            .values_list("ticket__number", flat=True)[:1]
        )
        if seen:
            return _finish(
                inbound, InboundState.IGNORED, f"Already received as part of #{seen[0]}."
            )
    if not sender:
        raise ValueError("The mail has no sender address we could read.")

    contact = find_or_create_contact(email=sender, name=parsed.from_display_name)
    ticket = find_ticket(parsed, contact)
    body = (parsed.reply_text or parsed.body_text or "").strip() or "(This mail had no text.)"
    attachments = _attachments(parsed)
    html = parsed.body_html or ""
    if ticket is None:
        automatic = parsed.is_auto_reply or parsed.is_bulk
        mailbox = inbound.mailbox
        created = ticket_actions.create_ticket(
            actor=None,
            contact=contact,
            subject=parsed.subject or "(no subject)",
            body=body,
            channel=Channel.EMAIL,
            team=mailbox.team if mailbox else None,
            attachments=attachments,
            acknowledge=bool(mailbox and mailbox.send_acknowledgement and not automatic),
            message_id=inbound.header_message_id,
            body_html=html,
        )
        message = created.messages.get()
    else:
        message = ticket_actions.add_customer_message(
            contact=contact,
            ticket=ticket,
            body=body,
            channel=Channel.EMAIL,
            attachments=attachments,
            message_id=inbound.header_message_id,
            body_html=html,
        )
    if html and "cid:" in html:
        mapping = {
            a.content_id: f"/desk/attachments/{a.pk}/{a.filename}"
            for a in message.attachments.all()
            if a.content_id
        }
        message.body_html = rewrite_cid_links(html, mapping)
        message.save(update_fields=["body_html"])
    _finish(inbound, InboundState.PROCESSED, message=message)


def receive(raw: bytes, *, mailbox: Mailbox | None, source: str) -> InboundEmail:
    """Store then process one mail in this process (imports and tests); returns its record."""
    stored = store_raw(raw, mailbox=mailbox, source=source)
    if stored.inbound.state == InboundState.PENDING:
        return process_inbound(stored.inbound.pk)
    return stored.inbound


@transaction.atomic
def retry_inbound(*, actor: Any, inbound: InboundEmail) -> InboundEmail:
    """Put a failed mail back in the queue (after a fix); raises Conflict unless it failed."""
    ensure_owner(actor)
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state != InboundState.FAILED:
        raise Conflict("Only mail that failed can be tried again.")
    inbound.state = InboundState.PENDING
    inbound.reason = ""
    inbound.save(update_fields=["state", "reason"])
    from keepwell.mail import tasks

    transaction.on_commit(lambda: tasks.process_inbound_email.delay(inbound.pk))
    return inbound


@transaction.atomic
def discard_inbound(*, actor: Any, inbound: InboundEmail) -> InboundEmail:
    """Set a failed mail aside for good; its bytes stay downloadable."""
    ensure_owner(actor)
    inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
    if inbound.state not in (InboundState.FAILED, InboundState.IGNORED):
        raise Conflict("Only failed or ignored mail can be discarded.")
    inbound.state = InboundState.DISCARDED
    inbound.save(update_fields=["state"])
    return inbound
