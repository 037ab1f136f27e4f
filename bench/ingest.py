"""Mail ingest: parse-only throughput, full ingest (store raw, parse, thread, write), memory, and
threading accuracy against the generator's ground truth.

Generates N realistic mails (plain and HTML, several charsets, attachments, quoted replies; one
in three a reply to an earlier mail, as mail clients send them: with In-Reply-To/References, with
References only, or with every header dropped but the subject tag kept). Prints JSON.

    python bench/ingest.py --mails 5000 --json
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepwell_bench python bench/ingest.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from common import percentile  # noqa: E402 - beside this file

NAMES = [
    "Olivia Bennett",
    "Jürgen Weiß",
    "Zoë Martin",
    "Ana Lúcia",
    "Søren Kierkegaard",
    "Wei Zhang",
    "Fatima Khan",
    "Tom Walsh",
    "Élodie Durand",
    "Kofi Adeyemi",
]
TOPICS = [
    "my order has not arrived",
    "the teapot lid is cracked",
    "can I book a class",
    "please send a VAT invoice",
    "I was charged twice",
    "change my delivery address",
    "do you ship to Norway",
    "my voucher expired",
    "the glaze is chipped",
]
ATTRIBUTION = "On Mon, 2 Nov 2026 at 10:00, Help <help@shop.test> wrote:"
CHARSETS = ["utf-8", "utf-8", "iso-8859-1", "windows-1252", "iso-8859-15"]


@dataclass(frozen=True)
class Sample:
    raw: bytes
    conversation: int  # ground truth: which conversation the mail belongs to


def generate(n: int, seed: int = 3) -> Iterator[Sample]:
    """The mails, lazily (memory must not grow with N); tickets are numbered 1001, 1002, …"""
    rng = random.Random(seed)
    started: list[tuple[int, str, str, str]] = []  # (conversation, message-id, sender, subject)
    for i in range(n):
        msg = EmailMessage()
        if started and rng.random() < 1 / 3:
            conv, parent_id, sender, subject = rng.choice(started)
            mode = rng.random()
            msg["From"] = sender
            msg["Subject"] = f"Re: [#{1000 + conv}] {subject}" if mode >= 0.8 else f"Re: {subject}"
            if mode < 0.6:
                msg["In-Reply-To"] = parent_id
                msg["References"] = parent_id
            elif mode < 0.8:
                msg["References"] = parent_id
            quoted = "\n".join(f"> {line}" for line in f"About {subject}.\nThanks.".splitlines())
            text = f"Thanks, that helps a lot.\n\n{ATTRIBUTION}\n{quoted}\n"
        else:
            conv = len(started) + 1
            name = rng.choice(NAMES)
            address = f"customer{i}@example.com"
            sender = f"{name} <{address}>"
            subject = rng.choice(TOPICS).capitalize()
            msg["From"] = sender
            msg["Subject"] = subject
            text = f"Hello,\n\n{subject}. Order FH-{4000 + i}.\n\nBest wishes,\n{name}\n"
        msg["To"] = "help@shop.test"
        msg["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
        message_id = f"<bench{i}.{seed}@example.com>"
        msg["Message-ID"] = message_id
        charset = rng.choice(CHARSETS)
        try:
            text.encode(charset)
        except UnicodeEncodeError:
            charset = "utf-8"
        msg.set_content(text, charset=charset)
        if rng.random() < 0.4:
            html = (
                "<html><body>"
                + "".join(f"<p>{line}</p>" for line in text.splitlines() if line)
                + "</body></html>"
            )
            msg.add_alternative(html, subtype="html", charset="utf-8")
        if rng.random() < 0.15:
            msg.add_attachment(
                rng.randbytes(rng.randint(2_000, 60_000)),
                maintype="application",
                subtype="pdf",
                filename=f"receipt-{i}.pdf",
            )
        if "Re:" not in msg["Subject"]:
            started.append((conv, message_id, sender, subject))
        yield Sample(msg.as_bytes(), conv)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mails", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="keepwell-ingest-"))
    os.environ.setdefault("KEEPWELL_DATA_DIR", str(workdir))
    os.environ.setdefault("KEEPWELL_SECRET_KEY", "bench-secret-key-" + "x" * 50)
    os.environ.setdefault("KEEPWELL_EMAIL_URL", "memory://")
    os.environ["KEEPWELL_EAGER_TASKS"] = "1"
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepwell.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from keepwell.mail.inbound import process_inbound, store_raw
    from keepwell.mail.models import InboundEmail, InboundState, Mailbox
    from keepwell.mail.parsing import parse_message

    # (a) parse only
    parse_times: list[float] = []
    total_bytes = 0
    for sample in generate(args.mails):
        start = time.perf_counter()
        parse_message(sample.raw)
        parse_times.append(time.perf_counter() - start)
        total_bytes += len(sample.raw)
    parse_rate = len(parse_times) / sum(parse_times)

    # (b) full ingest into a fresh database
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    mailbox = Mailbox.objects.create(address="help@shop.test", send_acknowledgement=False)
    rss_before = peak_rss_mb()
    truth: dict[int, int] = {}  # inbound id -> conversation
    ingest_times: list[float] = []
    for done, sample in enumerate(generate(args.mails), 1):
        start = time.perf_counter()
        stored = store_raw(sample.raw, mailbox=mailbox, source="bench")
        process_inbound(stored.inbound.pk)
        ingest_times.append(time.perf_counter() - start)
        truth[stored.inbound.pk] = sample.conversation
        if not args.json and done % 500 == 0:
            sys.stderr.write(f"\ringested {done:,}/{args.mails:,}")
    ingest_rate = len(ingest_times) / sum(ingest_times)

    # (d) threading accuracy: mails of one conversation must share one ticket, and no other's.
    rows = InboundEmail.objects.values_list("pk", "ticket__number", "state")
    ticket_of_conversation: dict[int, int] = {}
    correct = 0
    failed = 0
    for pk, number, state in rows:
        if state != InboundState.PROCESSED:
            failed += 1
            continue
        expected = ticket_of_conversation.setdefault(truth[pk], number)
        correct += expected == number and number == 1000 + truth[pk]
    figures = {
        "benchmark": "ingest",
        "database": connection.vendor,
        "mails": args.mails,
        "megabytes": round(total_bytes / 1e6, 1),
        "parse_only": {
            "mails_per_second": round(parse_rate),
            "median_ms": round(statistics.median(parse_times) * 1000, 3),
            "p95_ms": round(percentile(parse_times, 0.95) * 1000, 3),
        },
        "full_ingest": {
            "mails_per_second": round(ingest_rate),
            "median_ms": round(statistics.median(ingest_times) * 1000, 3),
            "p95_ms": round(percentile(ingest_times, 0.95) * 1000, 3),
            "share_of_parse_rate": round(ingest_rate / parse_rate, 3),
        },
        "failed": failed,
        "threading_accuracy": round(correct / len(truth), 4),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_growth_during_ingest_mb": round(peak_rss_mb() - rss_before, 1),
        "targets": {
            "full_ingest_per_second": 300,
            "share_of_parse_rate": 0.4,
            "threading_accuracy": 0.99,
        },
    }
    print(json.dumps(figures, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
