"""Reply coach: quality on the labelled set and review latency.

Scores the engine on tests/coach/labelled.jsonl (precision, recall and F1 per code, the share of
good replies that get any finding, and the same per split of the set), then times `review` on a
155-word reply with a customer message and a detail preference, pinned to one core, three ways:
the same reply every run (`latency`, as asked for); a draft whose first sentence changes every
run, as while an agent types (`latency_edited_drafts`); and a draft whose every sentence is new
every run, so that no cache can answer (`latency_cold`). Wall-clock and CPU times are both
reported: on a shared machine the first includes waiting for the core.

    python bench/coach_eval.py --json
    python bench/coach_eval.py --runs 5000
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from common import percentile  # noqa: E402 - beside this file
from keepwell.coach.engine import ReviewContext, review  # noqa: E402
from keepwell.coach.evaluation import (  # noqa: E402
    DEFAULT_NOW,
    PROMISE_CODES,
    LabelledReply,
    evaluate,
    load_labelled,
    promise_finder_gaps,
)

CUSTOMER = (
    "Hi, my order #{number} was meant to arrive on Friday and the tracking hasn't moved since. "
    "Can you tell me where it is? And could I change the delivery address to my office?"
)
REPLY = (
    "Hi Maya,\n"
    "Thanks for getting in touch, and I'm sorry your order #{number} is late. I've checked with "
    "the courier: the parcel was held at their Leeds depot because the label was damaged in "
    "transit, so it missed Friday's van. They've relabelled it this morning and it's back on the "
    "road now, so it should be with you tomorrow. You don't need to do anything to get it moving "
    "again, and there's nothing extra to pay.\n"
    "Yes, I can change the delivery address to your office. I've updated it on the courier's "
    "system, and the driver will text you a one-hour window on the day. If it hasn't reached "
    "you by Thursday, I'll send a replacement by express at no cost, and we'll refund the "
    "delivery charge as well. I'll look into why the label was damaged and let you know soon. "
    "Thanks again for your patience, and for letting us know.\n"
    "Best wishes,\n"
    "Ollie"
)


def pin_to_one_core() -> int | None:
    """Run on a single CPU where the platform allows it; returns that CPU."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def quality(items: list[LabelledReply]) -> dict[str, Any]:
    """Scores on the whole set and on each split."""
    report = evaluate(items).as_dict()
    by_split: dict[str, list[LabelledReply]] = defaultdict(list)
    for item in items:
        by_split[item.split].append(item)
    splits = {}
    for name, part in sorted(by_split.items()):
        scored = evaluate(part)
        splits[name] = {
            "size": len(part),
            "false_alarm_rate": round(scored.false_alarm_rate, 4),
            "f1": {code: round(score.f1, 4) for code, score in scored.scores.items()},
        }
    report["splits"] = splits
    # The promise codes come from keepwell.commitments.promises; these are their scores without
    # the replies it is known to read differently from the labels (see evaluation.py).
    without_gaps = evaluate(items, ignore=promise_finder_gaps())
    report["promise_codes_excluding_known_finder_gaps"] = {
        "excluded_replies": len(promise_finder_gaps()),
        "false_alarm_rate": round(without_gaps.false_alarm_rate, 4),
        "f1": {code: round(without_gaps.scores[code].f1, 4) for code in sorted(PROMISE_CODES)},
    }
    return report


def drafts(runs: int, mode: str) -> list[str]:
    """The replies to time: the same one, one edited sentence, or every sentence new."""
    if mode == "same":
        return [REPLY.format(number="40000")] * runs
    edited = [REPLY.format(number=str(40000 + run)) for run in range(runs)]
    if mode == "edited":
        return edited
    # Mark every sentence of every draft with the run number, so nothing can be cached.
    return [re.sub(r"([.!?])(\s)", rf" (ref {run})\1\2", text) for run, text in enumerate(edited)]


def latency(runs: int, mode: str) -> dict[str, Any]:
    """Median and p95 of `review` on a 155-word reply, in milliseconds of wall and CPU time."""
    # As in the reply box: one customer message while the draft is reviewed again and again.
    context = ReviewContext(
        customer_message=CUSTOMER.format(number="40000"), prefers="standard", now=DEFAULT_NOW
    )
    replies = drafts(runs, mode)
    for warm_up in drafts(50, "cold"):
        review(warm_up + " Thanks.", context)
    gc.collect()
    wall: list[float] = []
    cpu_time: list[float] = []
    for reply in replies:
        started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
        review(reply, context)
        cpu_time.append((time.thread_time_ns() - started_cpu) / 1e6)
        wall.append((time.perf_counter_ns() - started) / 1e6)
    return {
        "reply_words": len(REPLY.format(number="40000").split()),
        "runs": runs,
        "median_ms": round(statistics.median(wall), 3),
        "p95_ms": round(percentile(wall, 0.95), 3),
        "max_ms": round(max(wall), 3),
        "cpu_median_ms": round(statistics.median(cpu_time), 3),
        "cpu_p95_ms": round(percentile(cpu_time, 0.95), 3),
    }


def main() -> None:
    """Print the quality and latency figures, as JSON with --json."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--runs", type=int, default=2000, help="timed reviews (at least 1000)")
    args = parser.parse_args()
    runs = max(args.runs, 1000)
    items = load_labelled()
    cpu = pin_to_one_core()
    result: dict[str, Any] = {
        "benchmark": "coach_eval",
        "python": platform.python_version(),
        "data_size": len(items),
        "quality": quality(items),
        "latency": latency(runs, "same"),
        "latency_edited_drafts": latency(runs, "edited"),
        "latency_cold": latency(runs, "cold"),
        "latency_targets_ms": {"median": 2, "p95": 10},
        "cpu": cpu,
        "load_average": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    q = result["quality"]
    print(f"labelled replies: {result['data_size']}, good replies: {q['good_replies']}")
    print(f"false alarms on good replies: {q['false_alarm_rate']:.1%}")
    for code, s in q["codes"].items():
        print(f"  {code:30} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}")
    for key, label in (
        ("latency", "same reply"),
        ("latency_edited_drafts", "one sentence edited"),
        ("latency_cold", "every sentence new"),
    ):
        lat = result[key]
        print(
            f"review of a {lat['reply_words']}-word reply, {lat['runs']} runs ({label}): "
            f"median {lat['median_ms']} ms, p95 {lat['p95_ms']} ms"
        )


if __name__ == "__main__":
    main()
