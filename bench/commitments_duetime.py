"""Due-time computation in business time, as the service-level code will run it.

Creates N tickets at random moments of 2026 (nights and weekends included, in UTC) and computes
each one's due time on a London calendar with a lunch break and England's public holidays:
first with `add_business` alone (a few business hours to a few business days), then with the
mix a service level uses (business hours for urgent and high, business days for normal and
low). Prints the data size, calls per second (median and best of a few runs over all tickets)
and per-call median and p95 latency. The machine is shared: compare runs made close together.

    python bench/commitments_duetime.py --json
    python bench/commitments_duetime.py --tickets 20000
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from common import percentile  # noqa: E402 - beside this file
from keepwell.commitments.businesstime import (  # noqa: E402
    BusinessCalendar,
    add_business,
    add_business_days,
)

CALENDAR = BusinessCalendar.standard(
    "Europe/London",
    opens="09:00",
    closes="17:30",
    lunch=("12:30", "13:30"),
    holiday_country="GB",
    holiday_subdivision="ENG",
)
DURATIONS = [timedelta(hours=h) for h in (1, 2, 4, 8, 16, 24, 40)]
SLA = {
    "urgent": ("hours", 1),
    "high": ("hours", 4),
    "normal": ("days", 1),
    "low": ("days", 3),
}


def measure(calls: list[Callable[[], datetime]], repeat: int) -> dict[str, Any]:
    """Throughput over the whole list (median and best of `repeat` runs), then per-call latency."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        for call in calls:
            call()
        runs.append(time.perf_counter() - started)
    latencies = []
    clock = time.perf_counter_ns
    for call in calls:
        before = clock()
        call()
        latencies.append((clock() - before) / 1000)
    return {
        "calls_per_second": round(len(calls) / statistics.median(runs)),
        "calls_per_second_best": round(len(calls) / min(runs)),
        "median_us": round(statistics.median(latencies), 2),
        "p95_us": round(percentile(latencies, 0.95), 2),
        "run_s": [round(run, 3) for run in runs],
    }


def tickets(count: int, seed: int) -> list[tuple[datetime, str]]:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    seconds = 365 * 86_400
    priorities = list(SLA)
    return [
        (start + timedelta(seconds=rng.randrange(seconds)), rng.choice(priorities))
        for _ in range(count)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs over all tickets")
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()

    data = tickets(args.tickets, args.seed)
    rng = random.Random(args.seed + 1)
    cold_started = time.perf_counter()
    add_business(CALENDAR, data[0][0], DURATIONS[0])
    cold_ms = (time.perf_counter() - cold_started) * 1000
    for created, _ in data[:1000]:  # build the year tables the run will use
        add_business(CALENDAR, created, DURATIONS[-1])

    hour_calls: list[Callable[[], datetime]] = [
        partial(add_business, CALENDAR, created, rng.choice(DURATIONS)) for created, _ in data
    ]
    sla_calls: list[Callable[[], datetime]] = []
    for created, priority in data:
        unit, amount = SLA[priority]
        if unit == "hours":
            sla_calls.append(partial(add_business, CALENDAR, created, timedelta(hours=amount)))
        else:
            sla_calls.append(partial(add_business_days, CALENDAR, created, amount))

    result: dict[str, Any] = {
        "benchmark": "commitments_duetime",
        "tickets": len(data),
        "calendar": "Europe/London, Mon-Fri 09:00-12:30 and 13:30-17:30, GB-ENG holidays",
        "created": "uniform over 2026 in UTC",
        "python": platform.python_version(),
        "first_call_ms": round(cold_ms, 2),
        "add_business": {"durations_h": [d / timedelta(hours=1) for d in DURATIONS]}
        | measure(hour_calls, args.repeat),
        "service_level_mix": {
            "rules": {p: f"{n} business {u}" for p, (u, n) in SLA.items()},
        }
        | measure(sla_calls, args.repeat),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
