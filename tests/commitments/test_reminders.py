"""The reminder sweep: at risk and overdue notices, each sent once, also with workers racing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from keepwell.commitments.actions import make_commitment
from keepwell.commitments.models import Commitment
from keepwell.commitments.reminders import sweep
from keepwell.core.clock import travel
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db

TUESDAY_10 = datetime(2026, 6, 2, 9, 0, tzinfo=UTC)  # 10:00 in London


@pytest.fixture
def promises(contact: Any, agent: Any, team: Any) -> dict[str, Commitment]:
    ticket = make_ticket(contact, team=team)
    Commitment.objects.all().delete()  # only the promises below, not the service levels
    with travel(TUESDAY_10 - timedelta(days=1)):
        made = {
            "soon": make_commitment(
                actor=agent,
                ticket=ticket,
                what="Call back",
                due_at=TUESDAY_10 + timedelta(minutes=45),
            ),
            "later": make_commitment(
                actor=agent,
                ticket=ticket,
                what="Send invoice",
                due_at=TUESDAY_10 + timedelta(hours=5),
            ),
            "late": make_commitment(
                actor=agent, ticket=ticket, what="Refund", due_at=TUESDAY_10 - timedelta(minutes=5)
            ),
        }
    return made


def test_sweep_reminds_once(
    promises: dict[str, Commitment],
    agent: Any,
    other_agent: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep(TUESDAY_10)
    assert result.at_risk == [promises["soon"].pk]
    assert result.overdue == [promises["late"].pk]
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "due soon: #1001 Call back" in by_person["priya@desk.test"]
    assert "OVERDUE: #1001 Refund" in by_person["priya@desk.test"]
    assert "Send invoice" not in by_person["priya@desk.test"]
    assert "OVERDUE: #1001 Refund" in by_person["sam@desk.test"]  # the team hears of broken ones
    assert "Call back" not in by_person["sam@desk.test"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = sweep(TUESDAY_10 + timedelta(minutes=1))
    assert (again.at_risk, again.overdue) == ([], [])
    assert mail.outbox == []


def test_at_risk_counts_business_time(contact: Any, agent: Any) -> None:
    ticket = make_ticket(contact)
    Commitment.objects.all().delete()
    friday_5pm = datetime(2026, 6, 5, 16, 0, tzinfo=UTC)  # 17:00 in London
    monday_930 = datetime(2026, 6, 8, 8, 30, tzinfo=UTC)  # 09:30 in London
    with travel(friday_5pm - timedelta(hours=1)):
        promise = make_commitment(actor=agent, ticket=ticket, what="Call back", due_at=monday_930)
    # 64 hours away on the clock, one business hour (17:00-17:30, 09:00-09:30) in the shop.
    assert sweep(friday_5pm).at_risk == [promise.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the race is run on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_notice_once(agent: Any, contact: Any, tmp_path: Path) -> None:
    ticket = make_ticket(contact)
    Commitment.objects.all().delete()
    with travel(TUESDAY_10 - timedelta(days=1)):
        for i in range(200):
            make_commitment(
                actor=agent,
                ticket=ticket,
                what=f"Promise {i}",
                due_at=TUESDAY_10 - timedelta(minutes=i + 1),
            )
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    script = (
        "import django, json; django.setup();"
        "from datetime import datetime, UTC; from keepwell.commitments.reminders import sweep;"
        "from django.db import transaction;"
        "r = sweep(datetime(2026, 6, 2, 9, 0, tzinfo=UTC)); print(json.dumps(r.overdue))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "keepwell.config.settings",
        "KEEPWELL_DATA_DIR": str(tmp_path),
        "KEEPWELL_SECRET_KEY": "x" * 60,
        "KEEPWELL_EMAIL_URL": "memory://",
    }
    workers = [
        subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE)
        for _ in range(4)
    ]
    claimed: list[int] = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        claimed.extend(int(x) for x in out.decode().strip().strip("[]").split(",") if x.strip())
    assert len(claimed) == 200
    assert len(set(claimed)) == 200  # nobody claimed a commitment twice


def test_at_risk_window_in_summer_time(contact: Any, agent: Any) -> None:
    """The cut-off is compared in UTC: in British Summer Time the window is still one hour."""
    ticket = make_ticket(contact)
    Commitment.objects.all().delete()
    with travel(TUESDAY_10 - timedelta(days=1)):
        far = make_commitment(
            actor=agent, ticket=ticket, what="Later", due_at=TUESDAY_10 + timedelta(minutes=90)
        )
        near = make_commitment(
            actor=agent, ticket=ticket, what="Soon", due_at=TUESDAY_10 + timedelta(minutes=50)
        )
    assert sweep(TUESDAY_10).at_risk == [near.pk]
    assert far.pk not in sweep(TUESDAY_10).at_risk
