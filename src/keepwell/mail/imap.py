"""Fetching mail by IMAP.

Polling remembers UIDVALIDITY and the last UID fetched per mailbox, so mail already read in
another client is still fetched (the UNSEEN flag is never relied on) and nothing is fetched twice.
Each message is stored raw and its UID saved before the next is fetched: a connection dropped
half-way resumes where it stopped, and a message fetched again is recognised by its checksum.
"""

from __future__ import annotations

import imaplib
import socket
import ssl
from dataclasses import dataclass

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessageFlags
from imap_tools.mailbox import BaseMailBox

from keepwell.core.clock import now
from keepwell.core.crypto import decrypt
from keepwell.mail.inbound import store_raw
from keepwell.mail.models import AfterFetch, Mailbox, Security

TIMEOUT_SECONDS = 30
BATCH = 200


@dataclass(frozen=True)
class PollResult:
    fetched: int
    stored: list[int]  # ids of newly stored InboundEmail rows
    error: str = ""


def plain_words(exc: BaseException) -> str:
    """What went wrong talking to the mail server, for an owner rather than a programmer."""
    if isinstance(exc, socket.gaierror):
        return "The mail server's name could not be found: check the IMAP host."
    if isinstance(exc, ConnectionRefusedError):
        return "The mail server refused the connection: check the host and port."
    if isinstance(exc, TimeoutError | socket.timeout):
        return "The mail server did not answer in time: check the host, port and security setting."
    if isinstance(exc, ssl.SSLError):
        return f"The secure connection failed ({exc.reason or exc}): check security and port."
    text = str(exc)
    if "AUTHENTICATIONFAILED" in text.upper() or (
        "LOGIN" in text.upper() and "fail" in text.lower()
    ):
        return "The mail server did not accept the user name and password."
    if isinstance(exc, ValueError):
        return text
    return f"The mail server said: {text or exc.__class__.__name__}"


def connect(mailbox: Mailbox) -> BaseMailBox:
    """An open, logged-in connection to the mailbox's server."""
    password = decrypt(mailbox.imap_password_encrypted) if mailbox.imap_password_encrypted else ""
    if mailbox.imap_security == Security.SSL:
        client: BaseMailBox = MailBox(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
    elif mailbox.imap_security == Security.STARTTLS:
        client = MailBoxStartTls(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
    else:
        client = MailBoxUnencrypted(mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS)
    client.login(mailbox.imap_user, password, initial_folder=None)
    return client


def test_connection(mailbox: Mailbox) -> str:
    """Try to log in and open the folder; returns '' when it works, else the problem in words."""
    try:
        with connect(mailbox) as client:
            client.folder.set(mailbox.imap_folder)
            client.folder.status(mailbox.imap_folder, ["MESSAGES"])
    except Exception as exc:
        return plain_words(exc)
    return ""


def _raw_bytes(fetch_data: list[object]) -> bytes | None:
    for item in fetch_data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def poll(mailbox: Mailbox) -> PollResult:
    """Fetch every message after the last UID seen, store each raw, and remember where we are."""
    stored: list[int] = []
    fetched = 0
    try:
        with connect(mailbox) as client:
            client.folder.set(mailbox.imap_folder)
            status = client.folder.status(mailbox.imap_folder, ["UIDVALIDITY"])
            validity = int(status["UIDVALIDITY"])
            last_uid = mailbox.last_uid
            if mailbox.uidvalidity != validity:
                # The server renumbered the folder: start again; checksums prevent duplicates.
                last_uid = 0
                Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=validity, last_uid=0)
            uids = sorted(int(u) for u in client.uids(f"UID {last_uid + 1}:*") if int(u) > last_uid)
            for uid in uids[:BATCH]:
                typ, data = client.client.uid("fetch", str(uid), "(BODY.PEEK[])")
                raw = _raw_bytes(data) if typ == "OK" else None
                if raw is not None:
                    fetched += 1
                    result = store_raw(raw, mailbox=mailbox, source="imap")
                    if result.created:
                        stored.append(result.inbound.pk)
                    _after_fetch(client, mailbox, uid)
                Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
    except (imaplib.IMAP4.error, OSError, ValueError, KeyError) as exc:
        error = plain_words(exc)
        Mailbox.objects.filter(pk=mailbox.pk).update(last_error=error, last_polled_at=now())
        return PollResult(fetched, stored, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error="", last_polled_at=now())
    return PollResult(fetched, stored)


def _after_fetch(client: BaseMailBox, mailbox: Mailbox, uid: int) -> None:
    if mailbox.after_fetch == AfterFetch.SEEN:
        client.flag(str(uid), MailMessageFlags.SEEN, True)
    elif mailbox.after_fetch == AfterFetch.MOVE and mailbox.move_to_folder:
        client.move(str(uid), mailbox.move_to_folder)
