from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from keepwell.demo import PASSWORD, demo_agents, demo_is_loaded, load_demo
from keepwell.tickets.models import Ticket


class Command(BaseCommand):
    help = "Load the demo shop (3 agents, 2 teams, 40 customers, 200 tickets)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if tickets exist")
        parser.add_argument("--tickets", type=int, default=200)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        if Ticket.objects.exists():
            if options["if_empty"]:
                if demo_is_loaded():
                    self._print_sign_ins(PASSWORD, demo_agents())
                return
            self.stderr.write(
                "The desk already has tickets; the demo only loads into an empty desk."
            )
            raise SystemExit(1)
        self.stdout.write(f"Loading the demo shop ({options['tickets']} tickets)…")
        load_demo(seed=options["seed"], tickets=options["tickets"])
        self.stdout.write(self.style.SUCCESS("Demo loaded: Fernhill Pottery."))
        self._print_sign_ins(PASSWORD, demo_agents())

    def _print_sign_ins(self, password: str, agents: list[tuple[str, str, str]]) -> None:
        self.stdout.write(f"Demo sign-ins at /login/ (password: {password}):")
        for email, name, role in agents:
            self.stdout.write(f"  {email:28} {name} ({role})")
