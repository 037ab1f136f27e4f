"""Reminders before a promise breaks, and notice when it has.

A sweep claims the commitments to remind about with one UPDATE … RETURNING per calendar: the
database marks each row once, so several workers sweeping at the same moment never send the
same notice twice, and a sweep costs a few indexed statements however many commitments exist.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import connection, transaction

from keepwell.commitments.businesstime import add_business
from keepwell.commitments.calendars import FALLBACK, to_business_calendar
from keepwell.commitments.models import Calendar, Commitment

AT_RISK = timedelta(hours=1)  # business time before the due time
NOTICE_COLUMNS = ("at_risk_notified_at", "overdue_notified_at")


@dataclass
class SweepResult:
    at_risk: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)


def _claim(
    column: str,
    *,
    at: datetime,
    upto: datetime,
    future_only: bool,
    team_sql: str,
    params: list[Any],
) -> list[int]:
    """Stamp `column` with `at` on matching rows and return their ids, in one statement."""
    if column not in NOTICE_COLUMNS:
        raise ValueError(column)
    # The column comes from NOTICE_COLUMNS; every value is a parameter.
    sql = (
        f"UPDATE commitments_commitment SET {column} = %s "  # noqa: S608
        f"WHERE state = 'open' AND paused_remaining IS NULL AND {column} IS NULL AND due_at <= %s"
        + (" AND due_at > %s" if future_only else "")
        + team_sql
        + " RETURNING id"
    )
    # Raw SQL gets no ORM conversion: store-format (UTC) values, or SQLite compares text wrongly.
    adapt = connection.ops.adapt_datetimefield_value
    stamp, limit = adapt(at.astimezone(UTC)), adapt(upto.astimezone(UTC))
    values: list[Any] = [stamp, limit, *([stamp] if future_only else []), *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [row[0] for row in cursor.fetchall()]


def _team_filters() -> list[tuple[Calendar, str, list[Any]]]:
    """(calendar, SQL restricting commitments to it, parameters), the default calendar last."""
    team_calendars = list(Calendar.objects.exclude(team=None))
    filters: list[tuple[Calendar, str, list[Any]]] = [
        (cal, " AND ticket_id IN (SELECT id FROM tickets_ticket WHERE team_id = %s)", [cal.team_id])
        for cal in team_calendars
    ]
    default = Calendar.objects.filter(is_default=True).first() or FALLBACK
    if team_calendars:
        placeholders = ", ".join(["%s"] * len(team_calendars))
        # Only placeholders are formatted in; the team ids are parameters.
        rest = (
            " AND (ticket_id IS NULL OR ticket_id NOT IN (SELECT id FROM tickets_ticket"  # noqa: S608
            f" WHERE team_id IN ({placeholders})))"
        )
        filters.append((default, rest, [c.team_id for c in team_calendars]))
    else:
        filters.append((default, "", []))
    return filters


@transaction.atomic
def sweep(at: datetime) -> SweepResult:
    """Mark commitments newly at risk or overdue, and mail their owners once (after commit)."""
    result = SweepResult()
    result.overdue = _claim(
        "overdue_notified_at", at=at, upto=at, future_only=False, team_sql="", params=[]
    )
    for calendar, team_sql, params in _team_filters():
        threshold = add_business(to_business_calendar(calendar), at, AT_RISK)
        ids = _claim(
            "at_risk_notified_at",
            at=at,
            upto=threshold,
            future_only=True,
            team_sql=team_sql,
            params=params,
        )
        result.at_risk.extend(ids)
    if result.at_risk or result.overdue:
        transaction.on_commit(lambda: send_notices(result))
    return result


def send_notices(result: SweepResult) -> int:
    """One mail per person: their promises at risk, and overdue ones (to the team as well)."""
    claimed = [*result.at_risk, *result.overdue]
    rows = [
        commitment
        for start in range(0, len(claimed), 1000)  # SQLite caps the parameters of one query
        for commitment in Commitment.objects.filter(
            pk__in=claimed[start : start + 1000]
        ).select_related("owner", "ticket")
    ]
    overdue = set(result.overdue)
    team_members: dict[int, list[str]] = defaultdict(list)
    team_ids = {c.ticket.team_id for c in rows if c.ticket is not None and c.ticket.team_id}
    if team_ids:
        from keepwell.accounts.models import AgentProfile

        for profile in (
            AgentProfile.objects.filter(teams__in=team_ids, user__is_active=True)
            .select_related("user")
            .prefetch_related("teams")
        ):
            for team in profile.teams.all():
                team_members[team.pk].append(profile.user.email)
    lines: dict[str, list[str]] = defaultdict(list)
    for c in rows:
        label = f"#{c.ticket.number} " if c.ticket else ""
        state = "OVERDUE" if c.pk in overdue else "due soon"
        line = f"- {state}: {label}{c.what} (due {c.due_at:%a %d %b %H:%M} UTC)"
        recipients = {c.owner.email} if c.owner and c.owner.email else set()
        if (c.pk in overdue or not recipients) and c.ticket is not None and c.ticket.team_id:
            recipients |= set(team_members.get(c.ticket.team_id, []))
        for address in recipients:
            lines[address].append(line)
    messages = [
        (
            "Promises that need you",
            "These promises to customers need attention:\n\n" + "\n".join(items),
            settings.DEFAULT_FROM_EMAIL,
            [address],
        )
        for address, items in lines.items()
    ]
    return send_mass_mail(messages, fail_silently=False) if messages else 0
