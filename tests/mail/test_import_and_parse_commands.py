"""`keepwell mail import` (eml, mbox, Maildir) and `keepwell mail parse --json`."""

from __future__ import annotations

import json
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from keepwell.mail.models import InboundEmail, Mailbox
from keepwell.mail.sources import iter_mbox
from keepwell.tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def mail_bytes(n: int, body: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"Customer {n} <c{n}@example.com>"
    msg["To"] = "help@shop.test"
    msg["Subject"] = f"Question {n}"
    msg["Message-ID"] = f"<q{n}@example.com>"
    msg.set_content(body or f"Question number {n}.\nFrom the beginning of a line.")
    return msg.as_bytes()


def write_mbox(path: Path, mails: list[bytes]) -> None:
    with path.open("wb") as out:
        for raw in mails:
            out.write(b"From sender@example.com Mon Nov 23 10:00:00 2026\n")
            for line in raw.replace(b"\r\n", b"\n").splitlines(keepends=True):
                out.write(b">" + line if line.startswith(b"From ") else line)
            out.write(b"\n")


def test_mbox_reader_unquotes_and_splits(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    write_mbox(path, [mail_bytes(1, "Hello\nFrom here on it gets better.\n"), mail_bytes(2)])
    items = list(iter_mbox(path))
    assert len(items) == 2
    assert b"\nFrom here on it gets better.\n" in items[0].raw
    assert items[1].raw.startswith(b"From: Customer 2")


def test_import_everything_then_again(tmp_path: Path, team: Any) -> None:
    Mailbox.objects.create(address="help@shop.test", team=team)
    write_mbox(tmp_path / "archive.mbox", [mail_bytes(1), mail_bytes(2), mail_bytes(3)])
    (tmp_path / "one.eml").write_bytes(mail_bytes(4))
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (maildir / "new" / "1700000000.M1.host").write_bytes(mail_bytes(5))
    (maildir / "cur" / "1700000001.M2.host:2,S").write_bytes(mail_bytes(6))
    paths = [str(tmp_path / "archive.mbox"), str(tmp_path / "one.eml"), str(maildir)]
    out, err = StringIO(), StringIO()
    call_command("mail", "import", *paths, "--mailbox", "help@shop.test", stdout=out, stderr=err)
    assert (
        "Imported 6, duplicates 0, ignored 0 (bounces, our own mail), failed 0." in out.getvalue()
    )
    assert "100%" in err.getvalue()
    assert Ticket.objects.count() == 6
    assert set(Ticket.objects.values_list("team", flat=True)) == {team.pk}
    assert Message.objects.get(message_id="<q1@example.com>").body_text.endswith(
        "From the beginning of a line."
    )
    out = StringIO()
    call_command(
        "mail", "import", *paths, "--mailbox", "help@shop.test", stdout=out, stderr=StringIO()
    )
    assert "Imported 0, duplicates 6" in out.getvalue()
    assert InboundEmail.objects.count() == 6


def test_import_names_unknown_mailbox(tmp_path: Path) -> None:
    (tmp_path / "one.eml").write_bytes(mail_bytes(1))
    with pytest.raises(CommandError, match=r"No mailbox nobody@shop\.test"):
        call_command("mail", "import", str(tmp_path / "one.eml"), "--mailbox", "nobody@shop.test")


def test_parse_json_has_exactly_the_documented_keys(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(mail_bytes(7))
    out = StringIO()
    call_command("mail", "parse", str(path), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == [
        "from",
        "from_email",
        "from_display_name",
        "to",
        "cc",
        "reply_to",
        "subject",
        "date",
        "message_id",
        "in_reply_to",
        "references",
        "content_type",
        "body_text",
        "body_html",
        "reply_text",
        "attachments",
        "is_auto_reply",
        "is_bounce",
        "defects",
    ]
    assert data["from_email"] == "c7@example.com"
    assert data["subject"] == "Question 7"
    assert data["content_type"] == "text/plain"
