"""Inbox and ticket-page server time on a desk with many tickets.

Creates N tickets (3 messages each, with their timeline events and search entries) in a fresh
database, then times the inbox page (first 50 active tickets of a team, by priority and age), a
ticket page, and the raw indexed SQL query behind the inbox as the floor. Prints JSON.

    python bench/inbox.py --tickets 100000 --json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepwell_bench python bench/inbox.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from common import progress, summary  # noqa: E402 - beside this file


def populate(n: int, seed: int = 1) -> dict[str, Any]:
    """Bulk-create the desk: 3 agents, 2 teams, 5,000 contacts, n tickets with 3 messages each."""
    from django.db import connection, transaction
    from django.utils import timezone

    from keepwell.accounts.actions import create_agent, create_team
    from keepwell.accounts.models import Role
    from keepwell.customers.models import Contact, ContactEmail
    from keepwell.tickets.models import (
        Counter,
        EventKind,
        Message,
        MessageKind,
        Status,
        Ticket,
        TicketEvent,
    )

    rng = random.Random(seed)
    teams = [create_team(actor=None, name=name) for name in ("Orders", "Bookings")]
    agents = [
        create_agent(
            actor=None,
            email=f"bench{i}@desk.test",
            display_name=f"Agent {i}",
            password=None,
            role=Role.OWNER if i == 0 else Role.AGENT,
            teams=teams,
        )
        for i in range(3)
    ]
    contacts = Contact.objects.bulk_create(
        [Contact(name=f"Customer {i}", email=f"c{i}@example.com") for i in range(5000)],
        batch_size=2000,
    )
    ContactEmail.objects.bulk_create(
        [ContactEmail(contact=c, address=c.email) for c in contacts], batch_size=2000
    )
    statuses = (
        [Status.NEW, Status.OPEN, Status.WAITING] + [Status.RESOLVED] * 3 + [Status.CLOSED] * 4
    )
    start = timezone.now() - timedelta(days=365)
    batch = 5000
    words = [
        "order",
        "parcel",
        "refund",
        "glaze",
        "teapot",
        "class",
        "booking",
        "voucher",
        "invoice",
        "broken",
        "late",
        "lid",
        "mug",
        "delivery",
        "address",
        "card",
        "payment",
        "studio",
        "wheel",
        "kiln",
    ]
    for offset in range(0, n, batch):
        size = min(batch, n - offset)
        with transaction.atomic():
            tickets = []
            for i in range(offset, offset + size):
                created = start + timedelta(seconds=365 * 86400 * i / n)
                tickets.append(
                    Ticket(
                        number=1001 + i,
                        subject=f"{rng.choice(words).title()} question {i}",
                        contact=contacts[rng.randrange(len(contacts))],
                        status=rng.choice(statuses),
                        priority=rng.choice([1, 2, 2, 2, 3, 4]),
                        team=teams[i % 2],
                        assignee=agents[i % 3].user if rng.random() < 0.6 else None,
                        created_at=created,
                        updated_at=created,
                    )
                )
            Ticket.objects.bulk_create(tickets)
            messages = []
            for t in tickets:
                for k, kind in enumerate(
                    (MessageKind.CUSTOMER, MessageKind.REPLY, MessageKind.CUSTOMER)
                ):
                    messages.append(
                        Message(
                            ticket=t,
                            kind=kind,
                            body_text=" ".join(rng.choices(words, k=40)),
                            author_contact=t.contact if kind == MessageKind.CUSTOMER else None,
                            author_user=agents[0].user if kind == MessageKind.REPLY else None,
                            created_at=t.created_at + timedelta(hours=k),
                        )
                    )
            Message.objects.bulk_create(messages)
            TicketEvent.objects.bulk_create(
                [
                    TicketEvent(
                        ticket_id=m.ticket_id,
                        message=m,
                        created_at=m.created_at,
                        kind=EventKind.CREATED
                        if i % 3 == 0
                        else (
                            EventKind.REPLY
                            if m.kind == MessageKind.REPLY
                            else EventKind.CUSTOMER_MESSAGE
                        ),
                        actor_contact=m.author_contact,
                        actor_user=m.author_user,
                    )
                    for i, m in enumerate(messages)
                ]
            )
            with connection.cursor() as cursor:
                rows = [(t.pk, t.subject, " ".join(rng.choices(words, k=60))) for t in tickets]
                if connection.vendor == "postgresql":
                    cursor.executemany(
                        "INSERT INTO tickets_search (ticket_id, document) VALUES (%s, "
                        "setweight(to_tsvector('english', %s), 'A') || to_tsvector('english', %s))",
                        rows,
                    )
                else:
                    cursor.executemany(
                        "INSERT INTO tickets_search (rowid, subject, body) VALUES (%s, %s, %s)",
                        rows,
                    )
        progress("creating tickets", offset + size, n)
    Counter.objects.update_or_create(name="ticket", defaults={"value": 1000 + n})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"agent": agents[1].user, "team": teams[0]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=60, help="timed requests per page (≥ 50)")
    parser.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="keepwell-bench-"))
    os.environ.setdefault("KEEPWELL_DATA_DIR", str(workdir))
    os.environ.setdefault("KEEPWELL_SECRET_KEY", "bench-secret-key-" + "x" * 50)
    os.environ["KEEPWELL_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepwell.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from keepwell.tickets.models import Ticket
    from keepwell.tickets.selectors import InboxFilters, _inbox_queryset

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    t0 = time.perf_counter()
    world = populate(args.tickets)
    populate_s = time.perf_counter() - t0
    settings.DEBUG = False

    client = Client()
    client.force_login(world["agent"])
    team_id = world["team"].pk
    inbox_url = f"/desk/?view=all&team={team_id}"
    numbers = list(Ticket.objects.values_list("number", flat=True)[:: max(1, args.tickets // 500)])

    def time_get(url: str) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(ctx.captured_queries)

    for _ in range(10):
        time_get(inbox_url)
        time_get(f"/desk/tickets/{random.choice(numbers)}/")
    inbox = [time_get(inbox_url) for _ in range(args.runs)]
    pages = [time_get(f"/desk/tickets/{random.choice(numbers)}/") for _ in range(args.runs)]

    filters = InboxFilters(view="all", team=team_id)
    qs = _inbox_queryset(world["agent"], filters, [])[:51]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            ("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params
        )
        plan = [" ".join(str(c) for c in row) for row in cursor.fetchall()]
        floor = []
        for _ in range(args.runs + 10):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            floor.append((time.perf_counter() - start) * 1000)
    floor = floor[10:]

    inbox_stats = summary([t for t, _ in inbox])
    figures = {
        "benchmark": "inbox",
        "database": connection.vendor,
        "tickets": args.tickets,
        "messages": args.tickets * 3,
        "populate_seconds": round(populate_s, 1),
        "inbox": {**inbox_stats, "queries": max(q for _, q in inbox)},
        "ticket_page": {**summary([t for t, _ in pages]), "queries": max(q for _, q in pages)},
        "inbox_sql_floor": summary(floor),
        "ratio_inbox_to_floor": round(inbox_stats["median_ms"] / statistics.median(floor), 1),
        "inbox_query_plan": plan,
        "targets": {"inbox_p95_ms": 25, "ticket_page_p95_ms": 25, "queries_per_page": 10},
    }
    figures["meets_targets"] = (
        figures["inbox"]["p95_ms"] <= 25
        and figures["ticket_page"]["p95_ms"] <= 25
        and figures["inbox"]["queries"] <= 10
        and figures["ticket_page"]["queries"] <= 10
    )
    print(json.dumps(figures, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
