"""What every benchmark shares: quantiles, the summary it prints, and a progress bar."""

from __future__ import annotations

import statistics
import sys


def percentile(values: list[float], q: float) -> float:
    """The q-quantile of values by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict[str, float]:
    """Median, p95, min and max of timings in milliseconds, and how many there were."""
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "min_ms": round(min(samples), 2),
        "max_ms": round(max(samples), 2),
        "runs": len(samples),
    }


def progress(label: str, done: int, total: int) -> None:
    """A progress bar on standard error (standard output stays pure JSON)."""
    width = 30
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\r{label:<22} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
