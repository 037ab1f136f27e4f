"""The one place that reads the time, so the demo loader and tests can set it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.utils import timezone

_local = threading.local()


def now() -> datetime:
    """The current aware time in UTC (or the time set by `travel`)."""
    override: datetime | None = getattr(_local, "at", None)
    return override if override is not None else timezone.now()


@contextmanager
def travel(at: datetime) -> Iterator[None]:
    """Within the block, `now()` returns `at` (this thread only): for loading history."""
    previous = getattr(_local, "at", None)
    _local.at = at
    try:
        yield
    finally:
        _local.at = previous
