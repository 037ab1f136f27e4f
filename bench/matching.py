"""Scope matching: time to match one request against a catalogue of 500 offers and partners.

The catalogue is the demo shop's nine offers and three partners plus generated ones (made of
trade words, each with keywords, a description, and two to four exclusions), 400 offers and
100 partners in all by default; the requests are the 72 labelled customer messages in
tests/offers/requests.jsonl, matched in turn. The target is 5 ms per request.

    python bench/matching.py --json
    python bench/matching.py --offers 2000 --partners 500 --runs 5000
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from common import progress, summary  # noqa: E402
from keepwell.offers.demo_data import OFFERS, PARTNERS  # noqa: E402
from keepwell.offers.matching import Matcher, OfferEntry, PartnerEntry, join, lines  # noqa: E402

_TRADES = """
repair restore clean fit install paint glaze fire throw sculpt frame deliver ship wrap
engrave print design sketch teach coach host rent hire lend sell buy trade wholesale
refill service inspect measure quote survey
"""
TRADES = _TRADES.split()
_THINGS = """
mug bowl plate jug vase tile lamp table chair frame canvas print card voucher class
course workshop kiln wheel glaze clay studio shelf window door garden fence roof floor
wall sink tap bike lock key watch ring necklace shoe bag coat dress shirt hat book album
photo film
"""
THINGS = _THINGS.split()
_WHEN = """
evening weekend saturday same-day overnight express monthly weekly seasonal
"""
WHEN = _WHEN.split()


def catalogue(offers: int, partners: int, rng: random.Random) -> Matcher:
    entries = [
        OfferEntry(
            i,
            o["name"],
            o["keywords"],
            join(o["summary"], o["description"], o["included"]),
            lines(o["not_included"]),
        )
        for i, o in enumerate(OFFERS, 1)
    ]
    for i in range(len(entries) + 1, offers + 1):
        trade, thing = rng.choice(TRADES), rng.choice(THINGS)
        words = rng.sample(THINGS + TRADES + WHEN, 12)
        entries.append(
            OfferEntry(
                i,
                f"{trade.title()} {thing}s {i}",
                " ".join(words[:6]),
                f"We {trade} {thing}s. " + " ".join(words[6:]),
                tuple(
                    f"{rng.choice(TRADES).title()} {rng.choice(THINGS)}s"
                    for _ in range(rng.randint(2, 4))
                ),
            )
        )
    people = [
        PartnerEntry(i, p["name"], p["keywords"], p["what_they_do"])
        for i, p in enumerate(PARTNERS, 1)
    ]
    for i in range(len(people) + 1, partners + 1):
        words = rng.sample(THINGS + TRADES, 8)
        people.append(PartnerEntry(i, f"Partner {i}", " ".join(words[:4]), " ".join(words[4:])))
    return Matcher(entries, people)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--offers", type=int, default=400)
    parser.add_argument("--partners", type=int, default=100)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = parser.parse_args()
    rng = random.Random(7)
    requests = [
        json.loads(line)["text"]
        for line in (ROOT / "tests/offers/requests.jsonl").read_text().splitlines()
        if line.strip()
    ]
    started = time.perf_counter()
    matcher = catalogue(args.offers, args.partners, rng)
    build_ms = (time.perf_counter() - started) * 1000
    for text in requests:  # warm up
        matcher.match(text)
    samples = []
    for n in range(args.runs):
        text = requests[n % len(requests)]
        started = time.perf_counter()
        matcher.match(text)
        samples.append((time.perf_counter() - started) * 1000)
        if not args.json and (n + 1) % 200 == 0:
            progress("matching", n + 1, args.runs)
    figures = {
        "offers": args.offers,
        "partners": args.partners,
        "requests": len(requests),
        "index_build_ms": round(build_ms, 1),
        "match": summary(samples),
        "target_ms": 5.0,
    }
    print(json.dumps(figures, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
