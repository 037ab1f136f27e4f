"""Polling a real IMAP server: Debian's dovecot on 127.0.0.1 with its own config and Maildir."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from keepwell.core.crypto import encrypt
from keepwell.mail import imap
from keepwell.mail.inbound import process_inbound
from keepwell.mail.models import AfterFetch, InboundEmail, Mailbox, Security
from keepwell.tickets.models import Message, Ticket

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.path.exists(DOVECOT), reason="dovecot is not installed"),
]
USER, PASSWORD = "help@shop.test", "imap-secret"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    """One dovecot instance in a temporary folder, started and stopped by the test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = _free_port()
        # Dovecot refuses to serve mail as root, so the Maildir belongs to an ordinary user.
        account = pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())
        self.uid, self.gid = account.pw_uid, account.pw_gid
        self.maildir = root / "home" / USER / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True)
        (root / "run").mkdir()
        (root / "state").mkdir()
        (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        internal = "dovecot" if os.getuid() == 0 else account.pw_name
        login = "dovenull" if os.getuid() == 0 else account.pw_name
        (root / "dovecot.conf").write_text(
            CONFIG.format(
                root=root,
                uid=self.uid,
                gid=self.gid,
                port=self.port,
                internal=internal,
                login=login,
            )
        )
        self._own(root / "home")
        self.process: subprocess.Popen[bytes] | None = None
        self.count = 0

    def _own(self, path: Path) -> None:
        if os.getuid() == 0:
            for p in [path, *path.rglob("*")]:
                os.chown(p, self.uid, self.gid)

    def start(self) -> None:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError((self.root / "dovecot.log").read_text())

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        while (self.root / "run" / "master.pid").exists():
            time.sleep(0.05)

    def deliver(self, subject: str, *, seen: bool = False) -> bytes:
        """Drop a mail into the Maildir; seen=True as if another client had read it."""
        self.count += 1
        msg = EmailMessage()
        msg["From"] = f"Customer {self.count} <c{self.count}@example.com>"
        msg["To"] = USER
        msg["Subject"] = subject
        msg["Message-ID"] = f"<imap{self.count}.{time.time_ns()}@example.com>"
        msg.set_content(f"Body of {subject}")
        raw = msg.as_bytes()
        name = f"{time.time_ns()}.M{self.count}.test"
        path = self.maildir / ("cur" if seen else "new") / (name + (":2,S" if seen else ""))
        path.write_bytes(raw)
        self._own(path)
        return raw

    def renumber(self) -> None:
        """Make the server assign a new UIDVALIDITY, as after a mailbox rebuild."""
        self.stop()
        for index in self.maildir.glob("dovecot*"):
            index.unlink()
        self.start()


@pytest.fixture
def dovecot() -> Iterator[Dovecot]:
    # Not pytest's tmp_path: dovecot's own users must be able to reach the files (0700 there).
    root = Path(tempfile.mkdtemp(prefix="keepwell-dovecot-"))
    root.chmod(0o755)
    server = Dovecot(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def mailbox(dovecot: Dovecot, team: Any) -> Mailbox:
    return Mailbox.objects.create(
        address=USER,
        team=team,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_security=Security.NONE,
        imap_user=USER,
        imap_password_encrypted=encrypt(PASSWORD),
    )


def poll_and_process(mailbox: Mailbox) -> imap.PollResult:
    mailbox.refresh_from_db()
    result = imap.poll(mailbox)
    for inbound_id in result.stored:
        process_inbound(inbound_id)
    return result


def test_new_and_already_read_mail_become_tickets(dovecot: Dovecot, mailbox: Mailbox) -> None:
    dovecot.deliver("Unread question")
    dovecot.deliver("Read in another client", seen=True)
    result = poll_and_process(mailbox)
    assert (result.fetched, len(result.stored), result.error) == (2, 2, "")
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [
        "Read in another client",
        "Unread question",
    ]
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 2 and mailbox.uidvalidity and mailbox.last_error == ""


def test_polling_again_fetches_only_new_mail(dovecot: Dovecot, mailbox: Mailbox) -> None:
    dovecot.deliver("First")
    poll_and_process(mailbox)
    assert poll_and_process(mailbox).fetched == 0
    dovecot.deliver("Second")
    result = poll_and_process(mailbox)
    assert result.fetched == 1
    assert Ticket.objects.count() == 2 and InboundEmail.objects.count() == 2


def test_survives_a_server_restart(dovecot: Dovecot, mailbox: Mailbox) -> None:
    dovecot.deliver("Before the restart")
    poll_and_process(mailbox)
    dovecot.stop()
    down = poll_and_process(mailbox)
    assert down.error == "The mail server refused the connection: check the host and port."
    mailbox.refresh_from_db()
    assert mailbox.last_error == down.error
    dovecot.deliver("While it was down")
    dovecot.start()
    assert poll_and_process(mailbox).fetched == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""
    assert Ticket.objects.count() == 2


def test_uidvalidity_change_refetches_without_duplicates(
    dovecot: Dovecot, mailbox: Mailbox
) -> None:
    dovecot.deliver("One")
    dovecot.deliver("Two")
    poll_and_process(mailbox)
    before = Mailbox.objects.get(pk=mailbox.pk).uidvalidity
    dovecot.renumber()
    dovecot.deliver("Three")
    result = poll_and_process(mailbox)
    assert Mailbox.objects.get(pk=mailbox.pk).uidvalidity != before
    assert result.fetched == 3  # everything again, from the new numbering
    assert len(result.stored) == 1  # but only the new mail is new
    assert Ticket.objects.count() == 3
    assert Message.objects.count() == 3


def test_mark_seen_after_fetching(dovecot: Dovecot, mailbox: Mailbox) -> None:
    mailbox.after_fetch = AfterFetch.SEEN
    mailbox.save()
    dovecot.deliver("Mark me")
    poll_and_process(mailbox)
    files = list((dovecot.maildir / "cur").iterdir())
    assert len(files) == 1 and files[0].name.endswith("S")


def test_wrong_password_is_explained(dovecot: Dovecot, mailbox: Mailbox) -> None:
    mailbox.imap_password_encrypted = encrypt("wrong")
    mailbox.save()
    problem = imap.test_connection(mailbox)
    assert problem == "The mail server did not accept the user name and password."
    mailbox.imap_password_encrypted = encrypt(PASSWORD)
    mailbox.save()
    assert imap.test_connection(mailbox) == ""
