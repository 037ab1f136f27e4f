"""`keepwell mail import PATH... --mailbox ADDRESS` and `keepwell mail parse FILE [--json]`."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keepwell.mail.inbound import process_inbound, store_raw
from keepwell.mail.models import InboundState, Mailbox
from keepwell.mail.parsing import parse_message, to_json_dict
from keepwell.mail.sources import iter_paths, total_bytes


class Command(BaseCommand):
    help = "Import mail files into the desk, or show how a mail is read."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import .eml files, mbox files and Maildir folders")
        imp.add_argument("paths", nargs="+", type=Path)
        imp.add_argument("--mailbox", help="the address the mail was sent to (must exist)")
        parse = sub.add_parser("parse", help="show how Keepwell reads one mail")
        parse.add_argument("file", type=Path)
        parse.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "parse":
            self._parse(options["file"], as_json=options["json"])
        else:
            self._import(options["paths"], options["mailbox"])

    def _parse(self, file: Path, *, as_json: bool) -> None:
        if not file.is_file():
            raise CommandError(f"{file} is not a file.")
        parsed = parse_message(file.read_bytes())
        data = to_json_dict(parsed)
        if as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key in ("from", "to", "cc", "subject", "date", "message_id", "in_reply_to"):
            self.stdout.write(f"{key:>12}: {data[key] or ''}")
        flags = [k for k in ("is_auto_reply", "is_bounce") if data[k]]
        self.stdout.write(f"{'flags':>12}: {', '.join(flags) or 'none'}")
        for a in data["attachments"]:
            self.stdout.write(
                f"{'attachment':>12}: {a['filename']} ({a['content_type']}, {a['size']:,} bytes)"
            )
        for d in data["defects"]:
            self.stdout.write(f"{'defect':>12}: {d}")
        self.stdout.write("\n--- the new part of the message ---\n" + (data["reply_text"] or ""))

    def _import(self, paths: list[Path], address: str | None) -> None:
        for path in paths:
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
        mailbox = None
        if address:
            mailbox = Mailbox.objects.filter(address__iexact=address).first()
            if mailbox is None:
                known = ", ".join(Mailbox.objects.values_list("address", flat=True)) or "none yet"
                raise CommandError(f"No mailbox {address}. Mailboxes: {known}.")
        total = max(1, total_bytes(paths))
        counts = {"imported": 0, "duplicates": 0, "failed": 0, "ignored": 0}
        done = 0
        started = time.monotonic()
        for item in iter_paths(paths):
            done += len(item.raw)
            stored = store_raw(item.raw, mailbox=mailbox, source="import")
            if not stored.created:
                counts["duplicates"] += 1
            else:
                state = process_inbound(stored.inbound.pk).state
                if state == InboundState.PROCESSED:
                    counts["imported"] += 1
                elif state == InboundState.FAILED:
                    counts["failed"] += 1
                    self.stderr.write(
                        f"\n  could not process {item.origin} (kept; see Unprocessed mail)"
                    )
                else:
                    counts["ignored"] += 1
            self._progress(done, total, sum(counts.values()), started)
        self._progress(total, total, sum(counts.values()), started)
        self.stderr.write("")
        self.stdout.write(
            f"Imported {counts['imported']}, duplicates {counts['duplicates']}, "
            f"ignored {counts['ignored']} (bounces, our own mail), failed {counts['failed']}."
        )

    def _progress(self, done: int, total: int, mails: int, started: float) -> None:
        width = 30
        filled = int(width * min(done, total) / total)
        rate = mails / max(0.001, time.monotonic() - started)
        bar = f"[{'#' * filled}{'.' * (width - filled)}]"
        self.stderr.write(
            f"\r{bar} {done * 100 // total:3d}%  {mails:,} mails  {rate:,.0f}/s", ending=""
        )
        self.stderr.flush()
