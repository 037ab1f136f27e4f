from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from keepwell.tickets import actions
from keepwell.tickets.models import CannedReply, EventKind, MessageKind, Status, TicketEvent
from tests.factories import TeamFactory, make_agent, make_contact, make_ticket

pytestmark = pytest.mark.django_db


def inbox_numbers(response: Any) -> list[int]:
    return [
        int(n) for n in re.findall(r'<span class="num">#(\d+)</span>', response.content.decode())
    ]


def test_inbox_views_and_filters(agent_client: Any, agent: Any, team: Any, contact: Any) -> None:
    other_team = TeamFactory(name="Bookings")
    mine = make_ticket(contact, team=team, subject="Mine")
    actions.assign_ticket(actor=agent, ticket=mine, assignee=agent)
    urgent = make_ticket(contact, team=team, subject="Urgent one", priority=4)
    elsewhere = make_ticket(contact, team=other_team, subject="Other team")
    done = make_ticket(contact, team=team, subject="Done")
    actions.change_status(actor=agent, ticket=done, status=Status.RESOLVED)
    actions.set_tags(actor=agent, ticket=urgent, names=["breakage"])
    url = reverse("tickets:inbox")

    assert inbox_numbers(agent_client.get(url)) == [urgent.number, mine.number]
    assert inbox_numbers(agent_client.get(url, {"view": "mine"})) == [mine.number]
    assert inbox_numbers(agent_client.get(url, {"view": "unassigned"})) == [
        urgent.number,
        elsewhere.number,
    ]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "sort": "newest"})) == [
        elsewhere.number,
        urgent.number,
        mine.number,
    ]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "status": "resolved"})) == [
        done.number
    ]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "tag": "breakage"})) == [
        urgent.number
    ]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "team": other_team.pk})) == [
        elsewhere.number
    ]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "priority": 4})) == [urgent.number]
    assert inbox_numbers(agent_client.get(url, {"view": "all", "q": "other team"})) == [
        elsewhere.number
    ]
    # Nonsense filters fall back to defaults instead of failing.
    assert (
        agent_client.get(url, {"view": "x", "sort": "y", "page": "z", "priority": "q"}).status_code
        == 200
    )


def test_inbox_htmx_returns_only_results(agent_client: Any, ticket: Any) -> None:
    response = agent_client.get(reverse("tickets:inbox"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body
    assert f"#{ticket.number}" in body


def test_inbox_empty_state(agent_client: Any) -> None:
    response = agent_client.get(reverse("tickets:inbox"), {"view": "mine"})
    assert "Nothing assigned to you needs an answer" in response.content.decode()


def test_inbox_paginates(agent_client: Any, contact: Any, team: Any) -> None:
    for i in range(52):
        make_ticket(contact, team=team, subject=f"Request {i}")
    first = agent_client.get(reverse("tickets:inbox"))
    assert len(inbox_numbers(first)) == 50
    assert "Next →" in first.content.decode()
    second = agent_client.get(reverse("tickets:inbox"), {"page": 2})
    assert len(inbox_numbers(second)) == 2


def test_ticket_page_shows_conversation_and_sidebar(
    agent_client: Any, ticket: Any, agent: Any, contact: Any
) -> None:
    actions.add_internal_note(actor=agent, ticket=ticket, body="Stock checked.")
    other = make_ticket(contact, subject="Earlier question")
    response = agent_client.get(reverse("tickets:detail", args=[ticket.number]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "I ordered a teapot last week" in body
    assert "Stock checked." in body and "msg-note" in body
    assert "olivia@example.com" in body
    assert f"#{other.number} Earlier question" in body
    assert "prefers <strong>standard</strong>" in body


def test_reply_through_the_page(
    agent_client: Any, ticket: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seen = ticket.messages.get().pk
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("tickets:reply", args=[ticket.number]),
            {
                "kind": "reply",
                "body": "Dispatched today!",
                "seen_up_to": seen,
                "next_status": "waiting",
            },
        )
    assert response.status_code == 302
    reply = ticket.messages.get(kind=MessageKind.REPLY)
    assert response["Location"] == f"/desk/tickets/{ticket.number}/#m{reply.pk}"
    ticket.refresh_from_db()
    assert ticket.status == Status.WAITING
    assert len(mail.outbox) == 1


def test_stale_reply_keeps_draft_and_highlights_new_message(
    agent_client: Any, ticket: Any, contact: Any
) -> None:
    seen = ticket.messages.get().pk
    newer = actions.add_customer_message(
        contact=contact, ticket=ticket, body="Please use the side door."
    )
    url = reverse("tickets:reply", args=[ticket.number])
    response = agent_client.post(
        url, {"kind": "reply", "body": "On its way.", "seen_up_to": seen, "next_status": "open"}
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "A new message arrived while you were writing" in body
    assert ">On its way.</textarea>" in body
    assert f'value="{newer.pk}"' in body  # seen_up_to now covers the new message
    assert f'class="msg msg-customer unseen" id="m{newer.pk}"' in body
    assert not ticket.messages.filter(kind=MessageKind.REPLY).exists()
    again = agent_client.post(
        url, {"kind": "reply", "body": "On its way.", "seen_up_to": newer.pk, "next_status": "open"}
    )
    assert again.status_code == 302


def test_empty_reply_says_what_to_fix(agent_client: Any, ticket: Any) -> None:
    response = agent_client.post(
        reverse("tickets:reply", args=[ticket.number]), {"kind": "reply", "body": ""}
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()


def test_note_through_the_page(agent_client: Any, ticket: Any) -> None:
    response = agent_client.post(
        reverse("tickets:reply", args=[ticket.number]), {"kind": "note", "body": "Call back later"}
    )
    assert response.status_code == 302
    assert ticket.messages.filter(kind=MessageKind.NOTE, body_text="Call back later").exists()


def test_property_changes_with_and_without_htmx(
    agent_client: Any, ticket: Any, other_agent: Any
) -> None:
    url = reverse("tickets:assign", args=[ticket.number])
    response = agent_client.post(url, {"assignee": other_agent.pk}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="properties"')
    assert 'id="timeline" class="conversation" hx-swap-oob="true"' in body
    assert "assigned the ticket to Sam Okafor" in body
    response = agent_client.post(reverse("tickets:priority", args=[ticket.number]), {"priority": 3})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.priority) == (other_agent, 3)


def test_impossible_status_is_a_clear_conflict(agent_client: Any, ticket: Any) -> None:
    response = agent_client.post(
        reverse("tickets:status", args=[ticket.number]), {"status": "closed"}
    )
    assert response.status_code == 409
    assert "A new ticket cannot become closed." in response.content.decode()


def test_tags_and_preferences(agent_client: Any, ticket: Any, contact: Any) -> None:
    agent_client.post(reverse("tickets:tags", args=[ticket.number]), {"tags": "Gift, urgent ,"})
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["gift", "urgent"]
    response = agent_client.post(
        reverse("tickets:preferences", args=[contact.pk]),
        {
            "detail_level": "brief",
            "preferred_channel": "email",
            "language": "de",
            "notes": "Prefers mornings",
            "ticket": ticket.number,
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.detail_level, contact.language, contact.notes) == (
        "brief",
        "de",
        "Prefers mornings",
    )


def test_canned_reply_is_filled_and_appended(agent_client: Any, ticket: Any) -> None:
    reply = CannedReply.objects.create(
        title="Thanks",
        body="Hi {customer_first_name}, {agent_name} here about #{ticket_number}. {unknown}",
    )
    listing = agent_client.get(reverse("tickets:canned", args=[ticket.number]))
    assert "Thanks" in listing.content.decode()
    response = agent_client.get(
        reverse("tickets:canned_insert", args=[ticket.number, reply.pk]), {"body": "Draft so far"}
    )
    assert response.content.decode() == (
        '<textarea name="body" id="reply-body" rows="8" required aria-label="Your message" '
        f'hx-get="/desk/tickets/{ticket.number}/coach/" '
        'hx-trigger="keyup changed delay:500ms, load" hx-target="#detected-promises">'
        "Draft so far\n\n"
        f"Hi Olivia, Priya Shah here about #{ticket.number}. {{unknown}}</textarea>\n"
    )


def test_attachment_download_is_safe(
    agent_client: Any, contact: Any, settings: Any, tmp_path: Any
) -> None:
    from keepwell.tickets.attachments import NewAttachment

    settings.MEDIA_ROOT = tmp_path
    ticket = make_ticket(
        contact, attachments=[NewAttachment("page.html", b"<script>alert(1)</script>", "text/html")]
    )
    attachment = ticket.messages.get().attachments.get()
    response = agent_client.get(
        reverse("tickets:attachment", args=[attachment.pk, attachment.filename])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


def _grow(ticket: Any, agent: Any, contact: Any, n: int) -> None:
    from keepwell.tickets.attachments import NewAttachment

    for i in range(n):
        actions.add_customer_message(
            contact=contact,
            ticket=ticket,
            body=f"More {i}",
            attachments=[NewAttachment(f"f{i}.txt", b"x")],
        )
        actions.reply_to_ticket(actor=agent, ticket=ticket, body=f"Reply {i}", seen_up_to=None)
        actions.set_tags(actor=agent, ticket=ticket, names=[f"t{i}"])


def test_ticket_page_query_budget_is_constant(
    client: Any,
    agent: Any,
    ticket: Any,
    contact: Any,
    django_assert_max_num_queries: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(agent)
    url = reverse("tickets:detail", args=[ticket.number])
    with django_assert_max_num_queries(10) as small:
        assert client.get(url).status_code == 200
    _grow(ticket, agent, contact, 15)
    for i in range(5):
        make_ticket(contact, subject=f"Other {i}")
    make_agent(display_name="Extra agent")
    with django_assert_max_num_queries(10) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_inbox_query_budget_is_constant(
    client: Any, agent: Any, team: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(agent)
    url = reverse("tickets:inbox")
    contact = make_contact()
    make_ticket(contact, team=team)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for i in range(60):
        t = make_ticket(make_contact(), team=team, subject=f"Request {i}")
        actions.set_tags(actor=agent, ticket=t, names=[f"tag{i % 7}"])
        if i % 2:
            actions.assign_ticket(actor=agent, ticket=t, assignee=agent)
    with django_assert_max_num_queries(10) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert TicketEvent.objects.filter(kind=EventKind.TAGS).count() == 60
