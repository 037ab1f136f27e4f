"""A real Celery worker, started as `keepwell worker`, delivers a reply mail queued by the desk."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = """
from keepwell.accounts.actions import create_agent
from keepwell.customers.actions import find_or_create_contact
from keepwell.tickets import actions
agent = create_agent(actor=None, email="w@desk.test", display_name="Wendy Worker",
                     password=None).user
contact = find_or_create_contact(email="queue@example.com", name="Quinn")
ticket = actions.create_ticket(actor=None, contact=contact, subject="Queued", body="Hello?")
actions.reply_to_ticket(
    actor=agent, ticket=ticket, body="Delivered by the worker.", seen_up_to=None
)
"""


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _wait_for_mail(outbox: Path, needle: str, *, seconds: float) -> str:
    """The first mail file in the outbox holding the needle (files appear before their write)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in outbox.glob("*") if outbox.exists() else []:
            text = path.read_text()
            if needle in text:
                assert len(list(outbox.iterdir())) == 1
                return text
        time.sleep(0.1)
    raise AssertionError(f"the worker did not deliver the mail within {seconds} s")


@pytest.mark.parametrize("broker", ["filesystem://", "redis://127.0.0.1:6379/15"])
def test_worker_delivers_reply_mail(tmp_path: Path, broker: str) -> None:
    if broker.startswith("redis") and not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    if broker.startswith("redis"):
        import redis

        redis.Redis.from_url(broker).flushdb()  # no task left over from an earlier run
    outbox = tmp_path / "outbox"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("KEEPWELL_", "DATABASE_URL", "DJANGO_"))
        },
        "KEEPWELL_DATA_DIR": str(tmp_path),
        "KEEPWELL_SECRET_KEY": "worker-test-secret-key-0123456789-0123456789-0123456789",
        "KEEPWELL_EMAIL_URL": f"file://{outbox}",
        "BROKER_URL": broker,
    }
    cli = [sys.executable, "-m", "keepwell.cli"]
    subprocess.run([*cli, "migrate", "-v", "0"], env=env, check=True, timeout=120)
    worker = subprocess.Popen([*cli, "worker", "--quiet"], env=env)
    try:
        subprocess.run([*cli, "shell", "-c", SCRIPT], env=env, check=True, timeout=120)
        text = _wait_for_mail(outbox, "Delivered by the worker.", seconds=90)
        assert "To: queue@example.com" in text
        assert "Subject: [#1001] Queued" in text
        assert "Delivered by the worker." in text
    finally:
        worker.terminate()
        worker.wait(timeout=20)
