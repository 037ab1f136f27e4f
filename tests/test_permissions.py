"""Every URL pattern as an anonymous visitor, a customer with a private link, an agent, an owner.

A new URL without a row here fails the test: access rules are decided, never left to chance.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from keepwell.accounts.models import Role
from keepwell.commitments.actions import make_commitment
from keepwell.mail.inbound import receive
from keepwell.mail.models import Mailbox
from keepwell.portal.links import make_token
from keepwell.tickets import actions
from keepwell.tickets.attachments import NewAttachment
from keepwell.tickets.models import CannedReply
from tests.factories import make_agent, make_ticket

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "customer", "agent", "owner")
LOGIN = "/login/"
LINK_FORM = "/help/link/"


def agent_only(ok: int = 200) -> dict[str, Any]:
    return {"anonymous": (302, LOGIN), "customer": (302, LOGIN), "agent": ok, "owner": ok}


def customer_only(ok: Any = 200) -> dict[str, Any]:
    return {
        "anonymous": (302, LINK_FORM),
        "customer": ok,
        "agent": (302, LINK_FORM),
        "owner": (302, LINK_FORM),
    }


def everyone(status: Any) -> dict[str, Any]:
    return dict.fromkeys(ROLES, status)


def owner_only(ok: Any = 200) -> dict[str, Any]:
    return {"anonymous": (302, LOGIN), "customer": (302, LOGIN), "agent": 403, "owner": ok}


# name -> (method, data, expected per role). Expected is a status or (status, location prefix).
EXPECTED: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "root": (
        "get",
        {},
        {
            "anonymous": (302, "/help/"),
            "customer": (302, "/help/"),
            "agent": (302, "/desk/"),
            "owner": (302, "/desk/"),
        },
    ),
    "healthz": ("get", {}, everyone(200)),
    "login": (
        "get",
        {},
        {"anonymous": 200, "customer": 200, "agent": (302, "/desk/"), "owner": (302, "/desk/")},
    ),
    "logout": ("post", {}, everyone((302, LOGIN))),
    "tickets:inbox": ("get", {}, agent_only()),
    "tickets:detail": ("get", {}, agent_only()),
    "tickets:reply": ("post", {"kind": "note", "body": "checked"}, agent_only(302)),
    "tickets:status": ("post", {"status": "open"}, agent_only(302)),
    "tickets:priority": ("post", {"priority": 3}, agent_only(302)),
    "tickets:assign": ("post", {"assignee": ""}, agent_only(302)),
    "tickets:team": ("post", {"team": ""}, agent_only(302)),
    "tickets:tags": ("post", {"tags": "vip"}, agent_only(302)),
    "tickets:canned": ("get", {}, agent_only()),
    "tickets:canned_insert": ("get", {}, agent_only()),
    "tickets:preferences": (
        "post",
        {"detail_level": "brief", "preferred_channel": "email", "language": "en"},
        agent_only(302),
    ),
    "tickets:attachment": ("get", {}, agent_only()),
    "portal:home": ("get", {}, everyone(200)),
    "portal:new_request": ("get", {}, everyone(200)),
    "portal:sent": ("get", {}, everyone((302, "/help/new/"))),
    "portal:request_link": ("get", {}, everyone(200)),
    "portal:open_link": ("get", {}, everyone((302, "/help/requests/"))),
    "portal:my_requests": ("get", {}, customer_only()),
    "portal:request_detail": ("get", {}, customer_only()),
    "portal:request_reply": ("post", {"message": "more"}, customer_only((302, "/help/requests/"))),
    "portal:request_close": ("post", {}, customer_only((302, "/help/requests/"))),
    "portal:attachment": ("get", {}, customer_only()),
    "mail:unprocessed": ("get", {}, owner_only()),
    "mail:original": ("get", {}, agent_only()),
    "mail:download": ("get", {}, agent_only()),
    "mail:message_original": ("get", {}, agent_only(302)),
    "mail:retry": ("post", {}, owner_only(302)),
    "mail:discard": ("post", {}, owner_only(302)),
    "mail:retry_delivery": ("post", {}, agent_only(302)),
    "commitments:mine": ("get", {}, agent_only()),
    "commitments:add": (
        "post",
        {"what": "Call back", "due_at": "2030-01-07T10:00"},
        agent_only(302),
    ),
    # The schema and its docs are public; every operation needs an agent (JSON bodies only).
    "api:api-root": ("get", {}, everyone(404)),
    "api:openapi-json": ("get", {}, everyone(200)),
    "api:openapi-view": ("get", {}, everyone(200)),
    "api:review_reply": (
        "post",
        {"text": "hi"},
        {"anonymous": 401, "customer": 401, "agent": 400, "owner": 400},
    ),
    "coach:review": (
        "get",
        {"body": "I have no idea. I'll call you tomorrow at 10am."},
        agent_only(),
    ),
    "coach:apply": ("get", {"body": "I have no idea.", "index": "0"}, agent_only()),
    "commitments:keep": ("post", {}, agent_only(302)),
    "commitments:break": ("post", {"reason": "Supplier closed"}, agent_only(302)),
    "commitments:renegotiate": ("get", {}, agent_only()),
    "offers:scope": ("get", {}, agent_only()),
    "offers:set_offer": ("post", {"offer": ""}, agent_only(302)),
    "offers:draft": ("get", {"topic": "Fitting tiles"}, agent_only()),
    "offers:demand": ("get", {}, owner_only()),
    "portal:offers": ("get", {}, everyone(200)),
    "portal:policies": ("get", {}, everyone(200)),
}
# URL arguments that must point at a different object than the default one of that name.
ARGUMENTS = {
    "mail:discard": {"inbound_id": "ignored_inbound_id"},
    "commitments:break": {"pk": "other_commitment"},
}


def all_patterns() -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and p.name:
                found.append((f"{namespace}{p.name}", p))

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def world(contact: Any, team: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    mailbox = Mailbox.objects.create(address="help@shop.test")
    ticket = make_ticket(contact, team=team, attachments=[NewAttachment("a.txt", b"hello")])
    reply = CannedReply.objects.create(title="Hi", body="Hi {customer_name}")
    failed = receive(b"not a mail", mailbox=None, source="test")
    ignored = receive(
        b"From: help@shop.test\r\nSubject: loop\r\n\r\nhi", mailbox=mailbox, source="test"
    )
    emailed = receive(
        b"From: olivia@example.com\r\nSubject: Hello\r\nMessage-ID: <p1@example.com>\r\n\r\nHi",
        mailbox=mailbox,
        source="test",
    )
    agent = make_agent(display_name="Replier")
    bounced = actions.reply_to_ticket(
        actor=agent, ticket=ticket, body="Hi", seen_up_to=None, notify=False
    )
    actions.record_delivery(message=bounced, error="Refused")
    assert (failed.state, ignored.state) == ("failed", "ignored")
    due = timezone.now() + timedelta(days=2)
    promise = make_commitment(actor=agent, ticket=ticket, what="Call back", due_at=due)
    other = make_commitment(actor=agent, ticket=ticket, what="Send invoice", due_at=due)
    return {
        "inbound_id": failed.pk,
        "ignored_inbound_id": ignored.pk,
        "message_id": bounced.pk,
        "number": ticket.number,
        "contact_id": contact.pk,
        "attachment_id": ticket.messages.order_by("pk").first().attachments.get().pk,
        "filename": "a.txt",
        "reply_id": reply.pk,
        "token": make_token(contact),
        "pk": promise.pk,
        "other_commitment": other.pk,
        "emailed_message_id": emailed.message_id,
        "ticket": ticket,
        "contact": contact,
    }


def login_as(client: Any, role: str, world: dict[str, Any]) -> None:
    if role == "agent":
        client.force_login(make_agent(display_name="Matrix Agent"))
    elif role == "owner":
        client.force_login(make_agent(Role.OWNER, display_name="Matrix Owner"))
    elif role == "customer":
        client.get(reverse("portal:open_link", args=[world["token"]]))


def test_every_url_has_a_rule() -> None:
    names = {name for name, _ in all_patterns() if not name.startswith("admin:")}
    assert names == set(EXPECTED), (
        f"missing rules: {names - set(EXPECTED)}; stale rules: {set(EXPECTED) - names}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client: Any, role: str, world: dict[str, Any]) -> None:
    failures = []
    for name, pattern in all_patterns():
        if name.startswith("admin:"):
            continue
        method, data, expected_by_role = EXPECTED[name]
        login_as(client, role, world)
        overrides = ARGUMENTS.get(name, {})
        kwargs = {k: world[overrides.get(k, k)] for k in pattern.pattern.converters}
        if name == "mail:message_original":
            kwargs = {"message_id": world["emailed_message_id"]}
        url = reverse(name, kwargs=kwargs)
        response = getattr(client, method)(url, data)
        expected = expected_by_role[role]
        status, prefix = expected if isinstance(expected, tuple) else (expected, None)
        got_location = response.get("Location", "")
        if response.status_code != status or (prefix and not got_location.startswith(prefix)):
            failures.append(
                f"{name} as {role}: {response.status_code} {got_location!r}, expected {expected}"
            )
        client.logout()
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_owners_only(client: Any, role: str, world: dict[str, Any]) -> None:
    login_as(client, role, world)
    pages = [
        "/admin/",
        "/admin/commitments/servicelevel/",
        "/admin/commitments/calendar/",
        "/admin/commitments/commitment/",
        "/admin/offers/offer/",
        "/admin/offers/offer/add/",
        "/admin/offers/policy/add/",
        "/admin/offers/partner/",
        "/admin/offers/decline/",
        "/admin/mail/mailbox/",
        "/admin/mail/mailbox/add/",
        "/admin/tickets/ticket/",
        f"/admin/tickets/ticket/{world['ticket'].pk}/change/",
        "/admin/customers/contact/",
        "/admin/accounts/agentprofile/",
        "/admin/auth/user/",
    ]
    for page in pages:
        response = client.get(page)
        if role == "owner":
            assert response.status_code == 200, page
        else:
            assert response.status_code == 302 and response["Location"].startswith(
                "/admin/login/"
            ), page


def test_every_admin_url_refuses_agents(client: Any, world: dict[str, Any]) -> None:
    login_as(client, "agent", world)
    for name, pattern in all_patterns():
        if not name.startswith("admin:") or name in {
            "admin:login",
            "admin:logout",
            "admin:view_on_site",
            "admin:jsi18n",
        }:
            continue
        kwargs = {
            k: "tickets" if k == "app_label" else "1" for k in pattern.pattern.regex.groupindex
        }
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code in (302, 404), (name, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/"), name
