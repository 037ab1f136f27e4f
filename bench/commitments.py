"""Commitments at scale: due-time computation and the reminder sweep.

(a) Due times: runs bench/commitments_duetime.py (100,000 tickets at random moments of 2026, a
    London calendar with a lunch break and England's public holidays) and includes its figures.
    Target: at least 100,000 `add_business` calls per second.
(b) The reminder sweep: creates 1,000,000 commitments in a fresh database, of which 10,000 are
    newly due at the sweep time (half overdue, half due within the next business hour); the rest
    are closed, paused, due later, or already reminded about. Rows are inserted in the order
    they were made (--layout created), or with the due ones spread all over the table
    (--layout shuffled, the worst case). Then times `reminders.sweep(at)` (its claiming
    UPDATE … RETURNING statements and the commit; the notice mail it schedules after commit is
    timed apart), at least 20 runs after 3 warm-up runs, each from the same state: between runs,
    outside the timing, the rows a run claimed are reset (then SQLite's log is checkpointed, or
    PostgreSQL's table vacuumed). Prints the query plans of the sweep's UPDATE statements.
    Target: at most 200 ms per sweep (p95), on SQLite and on PostgreSQL.

Prints JSON (only JSON on stdout with --json; progress goes to stderr). Mail goes to memory.

    python bench/commitments.py --json
    python bench/commitments.py --commitments 20000 --due 2000       # a quick smoke test
    python bench/commitments.py --layout shuffled
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/keepwell_bench python bench/commitments.py
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from common import progress, summary  # noqa: E402 - beside this file

# The sweep time: a Wednesday morning in winter (London is on UTC), the desk open.
SWEEP_AT = datetime(2026, 2, 11, 10, 0, tzinfo=UTC)
AGENTS = 20
BATCH = 20_000
SWEEP_P95_TARGET_MS = 200.0
DUETIME_TARGET_PER_S = 100_000
COLUMNS = (
    "ticket_id",
    "owner_id",
    "what",
    "conditions",
    "due_at",
    "visible_to_customer",
    "source",
    "target",
    "state",
    "message_id",
    "replaces_id",
    "created_at",
    "closed_at",
    "paused_remaining",
    "at_risk_notified_at",
    "overdue_notified_at",
)

# Kinds of row: only NEW_OVERDUE and NEW_AT_RISK are claimed by the sweep at SWEEP_AT.
NEW_OVERDUE, NEW_AT_RISK, AT_RISK_DONE, OVERDUE_DONE, PAUSED, FUTURE, CLOSED = range(7)
KIND_NAMES = (
    "open_newly_overdue",
    "open_newly_at_risk",
    "open_at_risk_already_reminded",
    "open_overdue_already_reminded",
    "open_paused",
    "open_due_later",
    "closed",
)


def duetime_figures(tickets: int) -> dict[str, Any]:
    """Part (a): bench/commitments_duetime.py's own figures, from a fresh process."""
    script = ROOT / "bench" / "commitments_duetime.py"
    sys.stderr.write(f"due times: {tickets:,} tickets…\n")
    done = subprocess.run(
        [sys.executable, str(script), "--json", "--tickets", str(tickets)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    rate = figures["add_business"]["calls_per_second"]
    figures["target_calls_per_second"] = DUETIME_TARGET_PER_S
    figures["meets_target"] = rate >= DUETIME_TARGET_PER_S
    return figures


def prepare_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` if it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    with psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def kinds(n: int, due: int, rng: random.Random) -> list[int]:
    """The kind of each of the n rows, in random order."""
    counts = {
        NEW_OVERDUE: due // 2,
        NEW_AT_RISK: due - due // 2,
        AT_RISK_DONE: due // 10,
        OVERDUE_DONE: n * 2 // 100,
        PAUSED: n // 100,
        FUTURE: n * 10 // 100,
    }
    counts[CLOSED] = n - sum(counts.values())
    if counts[CLOSED] < 0:
        raise SystemExit(f"--commitments {n:,} is too few for --due {due:,}")
    order = [kind for kind, count in counts.items() for _ in range(count)]
    rng.shuffle(order)
    return order


def rows(
    order: list[int],
    owners: list[int],
    at: datetime,
    threshold: datetime,
    pause: timedelta | int,
    rng: random.Random,
) -> Iterator[tuple[Any, ...]]:
    """Column values (COLUMNS order) of each row, with times and `pause` as the database takes
    them (on SQLite: naive UTC datetimes and microseconds)."""
    day = 86_400
    window = int((threshold - at).total_seconds())  # the next business hour, in seconds
    choice, randint, random_ = rng.choice, rng.randint, rng.random
    targets = ("first_response", "next_reply", "resolution")
    closed_states = ("kept",) * 7 + ("broken", "renegotiated", "cancelled")

    def moment(seconds: int | None) -> datetime | None:
        return None if seconds is None else at + timedelta(seconds=seconds)

    for kind in order:
        # Times in seconds from the sweep time, negative before it.
        at_risk = overdue = closed = None
        paused: timedelta | int | None = None
        state = "open"
        if kind == NEW_OVERDUE:
            due = -randint(1, 3 * day)
            if random_() < 0.7:
                at_risk = due - 3600
        elif kind in (NEW_AT_RISK, AT_RISK_DONE):
            due = randint(1, window - 1)
            if kind == AT_RISK_DONE:
                at_risk = -600
        elif kind == OVERDUE_DONE:
            due = -randint(61, 365 * day)
            at_risk, overdue = due - 3600, due + 60
        elif kind == PAUSED:
            # Waiting on the customer: the clock stopped, the due time left as it was.
            due = randint(-60 * day, 30 * day)
            paused = pause
        elif kind == FUTURE:
            due = window + randint(1, 60 * day)
        else:
            due = randint(-730 * day, 7 * day)
            state = choice(closed_states)
            if state == "broken" and due > -day:
                state = "kept"
        # Made a few hours to a few days ahead, and before the sweep time.
        created = due - randint(3600, 5 * day)
        if created >= 0:
            created = -randint(60, 30 * day)
        if state == "broken":
            closed, at_risk, overdue = due + randint(60, day), due - 3600, due + 60
        elif state != "open":
            closed = created + int(random_() * (min(due, 0) - created))
            if due - 3600 < 0 and random_() < 0.2:
                at_risk = due - 3600
        from_reply = random_() < 0.3
        yield (
            None,
            choice(owners) if random_() < 0.9 else None,
            "Reply to the customer" if not from_reply else "Send the replacement lid",
            "",
            moment(due),
            True,
            "reply" if from_reply else "service_level",
            "" if from_reply else choice(targets),
            state,
            None,
            None,
            moment(created),
            moment(closed),
            paused,
            moment(at_risk),
            moment(overdue),
        )


def populate(n: int, due: int, threshold: datetime, layout: str, seed: int = 1) -> dict[str, Any]:
    """Create AGENTS agents and n commitments without tickets; return the expected claims.

    Layout "created" inserts the rows in the order they were made, as a desk does, so that the
    rows due now lie in the newest part of the table; "shuffled" spreads them all over it.
    """
    from django.db import connection, transaction

    from keepwell.accounts.actions import create_agent, create_team
    from keepwell.commitments.models import Commitment

    columns = {f.column for f in Commitment._meta.concrete_fields if not f.primary_key}
    assert columns == set(COLUMNS), f"the commitment table changed: {columns ^ set(COLUMNS)}"
    rng = random.Random(seed)
    team = create_team(actor=None, name="Bench")
    owners = [
        create_agent(
            actor=None,
            email=f"bench{i}@desk.test",
            display_name=f"Agent {i}",
            password=None,
            teams=[team],
        ).user.pk
        for i in range(AGENTS)
    ]
    order = kinds(n, due, rng)
    postgres = connection.vendor == "postgresql"
    pause = timedelta(hours=2)
    if postgres:
        generated = rows(order, owners, SWEEP_AT, threshold, pause, rng)
    else:
        # SQLite stores datetimes as naive UTC text and durations as microseconds.
        at, upto = SWEEP_AT.replace(tzinfo=None), threshold.astimezone(UTC).replace(tzinfo=None)
        generated = rows(order, owners, at, upto, pause // timedelta(microseconds=1), rng)
    if layout == "created":
        generated = iter(sorted(generated, key=itemgetter(COLUMNS.index("created_at"))))
    table = Commitment._meta.db_table
    if not postgres:
        # Loading only: 512 MB of page cache for this connection, closed before the timing.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")
    done = 0
    progress("creating commitments", 0, n)
    while done < n:
        size = min(BATCH, n - done)
        batch = [next(generated) for _ in range(size)]
        with transaction.atomic(), connection.cursor() as cursor:
            if postgres:
                copy_sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
                with cursor.cursor.copy(copy_sql) as copy:
                    for row in batch:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
                    batch,
                )
        done += size
        progress("creating commitments", done, n)
    return {
        "rows": {name: order.count(kind) for kind, name in enumerate(KIND_NAMES)},
        "expected_overdue": order.count(NEW_OVERDUE),
        "expected_at_risk": order.count(NEW_AT_RISK),
    }


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


def explain(statements: list[tuple[str, list[Any]]], *, analyze: bool = False) -> list[list[str]]:
    """The plan of each statement; with analyze (PostgreSQL), run it in a rolled-back block."""
    from django.db import connection, transaction

    if connection.vendor == "sqlite":
        prefix = "EXPLAIN QUERY PLAN "
    else:
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if analyze else "EXPLAIN "
    plans = []
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(prefix + sql, params)
            plans.append([" ".join(str(c) for c in row) for row in cursor.fetchall()])
        transaction.set_rollback(True)
    return plans


class StatementLog:
    """An execute wrapper: the sweep's statements, and the time each UPDATE took."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, list[Any]]] = []
        self.update_ms: list[float] = []
        self.commit_ms = 0.0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.statements.append((sql, list(params or [])))
            if sql.startswith("UPDATE"):
                self.update_ms.append(elapsed)

    def timed(self, commit: Callable[[], None]) -> Callable[[], None]:
        """`commit`, timed into commit_ms (the sweep commits once, when its block ends)."""

        def timed_commit() -> None:
            started = time.perf_counter()
            try:
                commit()
            finally:
                self.commit_ms += (time.perf_counter() - started) * 1000

        return timed_commit

    def clear(self) -> None:
        self.statements.clear()
        self.update_ms.clear()
        self.commit_ms = 0.0


def reset(ids_by_column: dict[str, list[int]]) -> None:
    """Undo a sweep: clear the notice column of the rows it claimed, then tidy up."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for column, ids in ids_by_column.items():
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                cursor.execute(
                    f"UPDATE commitments_commitment SET {column} = NULL "  # noqa: S608
                    f"WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Each sweep starts with an empty write-ahead log, as after a checkpoint.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # Claims and resets leave dead row versions (the updates change indexed columns, so
            # none are HOT); vacuum them, as autovacuum would between real sweeps.
            cursor.execute("VACUUM commitments_commitment")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commitments", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000, help="newly due at the sweep time")
    parser.add_argument(
        "--layout",
        choices=["created", "shuffled"],
        default="created",
        help="rows in the order they were made (default), or the due ones spread all over",
    )
    parser.add_argument("--runs", type=int, default=25, help="timed sweeps (at least 20)")
    parser.add_argument("--duetime-tickets", type=int, default=100_000)
    parser.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = parser.parse_args()
    if args.runs < 20:
        parser.error("--runs must be at least 20")

    duetime = duetime_figures(args.duetime_tickets)

    workdir = Path(tempfile.mkdtemp(prefix="keepwell-bench-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    os.environ.setdefault("KEEPWELL_DATA_DIR", str(workdir))
    os.environ.setdefault("KEEPWELL_SECRET_KEY", "bench-secret-key-" + "x" * 50)
    os.environ["KEEPWELL_EMAIL_URL"] = "memory://"
    os.environ["DJANGO_SETTINGS_MODULE"] = "keepwell.config.settings"
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        prepare_database(database_url)
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

    from keepwell.commitments import reminders
    from keepwell.commitments.businesstime import add_business
    from keepwell.commitments.calendars import to_business_calendar
    from keepwell.commitments.models import Calendar

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    # A flush also empties the default calendar the migrations made; the desk has one.
    calendar = Calendar.objects.filter(is_default=True).first() or Calendar.objects.create(
        name="Office hours", is_default=True
    )
    threshold = add_business(to_business_calendar(calendar), SWEEP_AT, reminders.AT_RISK)

    t0 = time.perf_counter()
    world = populate(args.commitments, args.due, threshold, args.layout)
    populate_s = time.perf_counter() - t0
    expected = world["expected_overdue"] + world["expected_at_risk"]

    log = StatementLog()
    deferred: list[reminders.SweepResult] = []

    def one_sweep() -> tuple[float, reminders.SweepResult]:
        log.clear()
        with connection.execute_wrapper(log):
            started = time.perf_counter()
            result = reminders.sweep(SWEEP_AT)
            elapsed = (time.perf_counter() - started) * 1000
        return elapsed, result

    # Mail is timed apart: the sweep's after-commit hook only records what it would send.
    database = connections[DEFAULT_DB_ALIAS]
    with (
        mock.patch.object(reminders, "send_notices", deferred.append),
        mock.patch.object(database, "commit", log.timed(database.commit)),
    ):
        # The statements, and their plans before the statistics exist.
        with transaction.atomic():
            one_sweep()
            transaction.set_rollback(True)
        updates = [(sql, params) for sql, params in log.statements if sql.startswith("UPDATE")]
        plans_before_analyze = explain(updates)
        t1 = time.perf_counter()
        analyze()
        analyze_s = time.perf_counter() - t1
        connection.close()  # a fresh connection, as a worker would have

        samples: list[float] = []
        update_ms: list[list[float]] = []
        commit_ms: list[float] = []
        claimed: list[tuple[int, int]] = []
        queries = 0
        for run in range(3 + args.runs):
            elapsed, result = one_sweep()
            if run >= 3:
                samples.append(elapsed)
                update_ms.append(list(log.update_ms))
                commit_ms.append(log.commit_ms)
                claimed.append((len(result.overdue), len(result.at_risk)))
                queries = max(queries, len(log.statements))
            reset({"overdue_notified_at": result.overdue, "at_risk_notified_at": result.at_risk})
    assert len(deferred) == 3 + args.runs, "the sweep did not schedule its notices"
    last = deferred[-1]

    notices = []
    for _ in range(5):
        mail.outbox = []
        started = time.perf_counter()
        reminders.send_notices(last)
        notices.append((time.perf_counter() - started) * 1000)
    mails = len(mail.outbox)
    mail.outbox = []

    plans = explain(updates)
    plans_analyze = explain(updates, analyze=True) if connection.vendor == "postgresql" else None

    stats = summary(samples)
    per_statement = [
        summary([run[i] for run in update_ms]) | {"sql": updates[i][0]} for i in range(len(updates))
    ]
    rest = [
        total - sum(run) - commit
        for total, run, commit in zip(samples, update_ms, commit_ms, strict=True)
    ]
    claimed_overdue = sorted({o for o, _ in claimed})
    claimed_at_risk = sorted({a for _, a in claimed})
    sweep_figures: dict[str, Any] = {
        "database": connection.vendor,
        "commitments": args.commitments,
        "rows": world["rows"],
        "layout": args.layout,
        "populate_seconds": round(populate_s, 1),
        "populate_rows_per_second": round(args.commitments / populate_s),
        "analyze_seconds": round(analyze_s, 1),
        "sweep_at": SWEEP_AT.isoformat(),
        "at_risk_until": threshold.isoformat(),
        "sweep": stats,
        "sweep_samples_ms": [round(s, 1) for s in samples],
        "queries_per_sweep": queries,
        "update_statements": per_statement,
        "commit": summary(commit_ms),
        "rest_calendars_and_python": summary(rest),
        "claimed_per_sweep": {
            "overdue": claimed_overdue,
            "at_risk": claimed_at_risk,
            "expected": expected,
        },
        "claims_as_expected": claimed_overdue == [world["expected_overdue"]]
        and claimed_at_risk == [world["expected_at_risk"]],
        "notices_after_commit": summary(notices) | {"mails": mails, "commitments": expected},
        "query_plans": plans,
        "query_plans_before_analyze": plans_before_analyze,
    }
    if plans_analyze is not None:
        sweep_figures["query_plans_analyze"] = plans_analyze
    sweep_figures["target_p95_ms"] = SWEEP_P95_TARGET_MS
    sweep_figures["meets_target"] = stats["p95_ms"] <= SWEEP_P95_TARGET_MS

    figures = {
        "benchmark": "commitments",
        "duetime": duetime,
        "reminder_sweep": sweep_figures,
        "meets_targets": duetime["meets_target"] and sweep_figures["meets_target"],
    }
    print(json.dumps(figures, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
