from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keepwell.customers.models import Contact
from keepwell.portal.links import make_token
from keepwell.tickets import actions
from keepwell.tickets.models import MessageKind, Status, Ticket
from tests.factories import make_contact, make_ticket

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Olivia Bennett",
    "email": "Olivia@Example.com",
    "subject": "Mug handle came off",
    "message": "The handle of my new mug came off after one wash.",
    "website": "",
}


def submit(client: Any, capture: Any, **overrides: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse("portal:new_request"), {**FORM, **overrides})


def link_path(body: str) -> str:
    match = re.search(r"http://[^/\s]+(/help/l/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_request_form_creates_contact_ticket_and_sends_link(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    response = submit(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("portal:sent")
    ticket = Ticket.objects.get()
    assert (ticket.subject, ticket.channel, ticket.status) == (
        "Mug handle came off",
        "web",
        Status.NEW,
    )
    assert ticket.contact.email == "olivia@example.com"
    assert ticket.contact.name == "Olivia Bennett"
    confirmation = client.get(response["Location"]).content.decode()
    assert f"we have your request #{ticket.number}" in confirmation
    assert "olivia@example.com" in confirmation
    assert [m.to for m in mail.outbox] == [["olivia@example.com"]]
    assert link_path(mail.outbox[0].body)


def test_second_request_reuses_the_contact(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submit(client, django_capture_on_commit_callbacks)
    submit(
        client, django_capture_on_commit_callbacks, email="OLIVIA@example.com", subject="Another"
    )
    assert Contact.objects.count() == 1
    assert Ticket.objects.count() == 2


def test_honeypot_creates_nothing(client: Any, django_capture_on_commit_callbacks: Any) -> None:
    response = submit(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 302
    assert not Ticket.objects.exists() and not Contact.objects.exists()
    assert mail.outbox == []


def test_form_errors_say_what_to_fix(client: Any) -> None:
    response = client.post(
        reverse("portal:new_request"), {**FORM, "email": "not-an-address", "message": ""}
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid email address." in body
    assert "This field is required." in body
    assert 'value="Mug handle came off"' in body  # nothing typed is lost
    assert not Ticket.objects.exists()


def test_refused_attachment_type_is_explained(client: Any) -> None:
    upload = SimpleUploadedFile("invoice.exe", b"MZ...", content_type="application/octet-stream")
    response = client.post(reverse("portal:new_request"), {**FORM, "attachments": [upload]})
    assert response.status_code == 422
    assert "invoice.exe: files of type .exe cannot be attached" in response.content.decode()
    assert not Ticket.objects.exists()


def test_attachment_is_kept(
    client: Any, django_capture_on_commit_callbacks: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff fake jpeg", content_type="image/jpeg")
    submit(client, django_capture_on_commit_callbacks, attachments=[upload])
    attachment = Ticket.objects.get().messages.get().attachments.get()
    assert (attachment.filename, attachment.size, attachment.content_type) == (
        "photo.jpg",
        13,
        "image/jpeg",
    )


def test_private_link_flow_reply_and_close(
    client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    submit(client, django_capture_on_commit_callbacks)
    ticket = Ticket.objects.get()
    path = link_path(mail.outbox[0].body)
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == reverse("portal:my_requests")
    listing = client.get(reverse("portal:my_requests")).content.decode()
    assert f"#{ticket.number}</span> Mug handle came off" in listing

    detail_url = reverse("portal:request_detail", args=[ticket.number])
    response = client.post(
        reverse("portal:request_reply", args=[ticket.number]), {"message": "Photo attached soon."}
    )
    assert response.status_code == 302
    assert ticket.messages.filter(kind=MessageKind.CUSTOMER).count() == 2
    assert "Photo attached soon." in client.get(detail_url).content.decode()

    client.post(reverse("portal:request_close", args=[ticket.number]))
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED


def test_customer_sees_replies_but_never_notes(client: Any, agent: Any, contact: Any) -> None:
    ticket = make_ticket(contact)
    actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="Replacement on its way.", seen_up_to=None
    )
    actions.add_internal_note(actor=agent, ticket=ticket, body="SECRET: supplier issue")
    client.get(reverse("portal:open_link", args=[make_token(contact)]))
    body = client.get(reverse("portal:request_detail", args=[ticket.number])).content.decode()
    assert "Replacement on its way." in body
    assert "Priya Shah" in body
    assert "SECRET" not in body


def test_customer_reply_reopens_resolved_request(client: Any, agent: Any, contact: Any) -> None:
    ticket = make_ticket(contact)
    actions.change_status(actor=agent, ticket=ticket, status=Status.RESOLVED)
    client.get(reverse("portal:open_link", args=[make_token(contact)]))
    client.post(reverse("portal:request_reply", args=[ticket.number]), {"message": "Still broken."})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == (Status.OPEN, 1)


def test_customers_only_reach_their_own_requests(
    client: Any, contact: Any, settings: Any, tmp_path: Any
) -> None:
    from keepwell.tickets.attachments import NewAttachment

    settings.MEDIA_ROOT = tmp_path
    mine = make_ticket(contact)
    theirs = make_ticket(make_contact(), attachments=[NewAttachment("private.pdf", b"%PDF")])
    client.get(reverse("portal:open_link", args=[make_token(contact)]))
    assert client.get(reverse("portal:request_detail", args=[mine.number])).status_code == 200
    assert client.get(reverse("portal:request_detail", args=[theirs.number])).status_code == 404
    assert (
        client.post(
            reverse("portal:request_reply", args=[theirs.number]), {"message": "x"}
        ).status_code
        == 404
    )
    assert client.post(reverse("portal:request_close", args=[theirs.number])).status_code == 404
    attachment = theirs.messages.get().attachments.get()
    assert (
        client.get(reverse("portal:attachment", args=[attachment.pk, "private.pdf"])).status_code
        == 404
    )


@pytest.mark.parametrize("tamper", ["expired", "forged", "garbage", "address-changed"])
def test_bad_links_are_refused(client: Any, contact: Any, settings: Any, tamper: str) -> None:
    token = make_token(contact)
    if tamper == "expired":
        settings.KEEPWELL = type(settings.KEEPWELL)(
            **{**settings.KEEPWELL.__dict__, "portal_link_days": 0}
        )
    elif tamper == "forged":
        token = signing.dumps({"c": contact.pk, "e": contact.email}, salt="other", compress=True)
    elif tamper == "garbage":
        token = "abc"
    else:
        Contact.objects.filter(pk=contact.pk).update(email="new@example.com")
    if tamper == "expired":
        import time

        time.sleep(1.1)
    response = client.get(reverse("portal:open_link", args=[token]))
    assert response.status_code == 410
    assert "This link no longer works" in response.content.decode()
    assert client.get(reverse("portal:my_requests")).status_code == 302


def test_link_request_answers_the_same_for_unknown_addresses(
    client: Any, contact: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(
            reverse("portal:request_link"), {"email": "olivia@example.com"}, follow=True
        )
        unknown = client.post(
            reverse("portal:request_link"), {"email": "nobody@example.com"}, follow=True
        )
    assert "a private link is on its way" in known.content.decode()
    assert "a private link is on its way" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [["olivia@example.com"]]
    assert link_path(mail.outbox[0].body)
