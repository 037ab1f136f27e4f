"""Periodic commitment work."""

from __future__ import annotations

from celery import shared_task

from keepwell.commitments.reminders import sweep
from keepwell.core.clock import now


@shared_task
def sweep_commitments() -> dict[str, int]:
    """Remind owners of promises about to break and tell them (and the team) of broken ones."""
    result = sweep(now())
    return {"at_risk": len(result.at_risk), "overdue": len(result.overdue)}
