"""`keepwell coach [--json] [--customer-message FILE] [--prefers brief|standard|detailed]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from keepwell.coach.engine import ReviewContext, review


class Command(BaseCommand):
    help = "Review a reply read from standard input, as the reply box does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print the findings as JSON")
        parser.add_argument("--customer-message", type=Path, help="the customer's last message")
        parser.add_argument("--prefers", choices=["brief", "standard", "detailed"])

    def handle(self, *args: Any, **options: Any) -> None:
        text = sys.stdin.read()
        customer = None
        if options["customer_message"]:
            path: Path = options["customer_message"]
            if not path.is_file():
                raise CommandError(f"{path} is not a file.")
            customer = path.read_text(errors="replace")
        findings = review(
            text, ReviewContext(customer_message=customer, prefers=options["prefers"])
        )
        if options["json"]:
            data = {
                "findings": [
                    {
                        "code": f.code,
                        "message": f.message,
                        "start": f.start,
                        "end": f.end,
                        "suggestion": f.suggestion,
                    }
                    for f in findings
                ]
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if not findings:
            self.stdout.write("No findings: the reply looks good.")
        for f in findings:
            excerpt = text[f.start : f.end].strip()
            self.stdout.write(f"{f.code}: {f.message}")
            if excerpt:
                self.stdout.write(f"    “{excerpt}”")
            if f.suggestion:
                self.stdout.write(f"    suggestion: {f.suggestion}")
