"""Which calendar applies, as the pure module's BusinessCalendar (built once per version)."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from keepwell.commitments.businesstime import BusinessCalendar
from keepwell.commitments.models import Calendar, ServiceLevel
from keepwell.tickets.models import Ticket

FALLBACK = Calendar(name="Office hours")


@functools.lru_cache(maxsize=64)
def _compiled(
    pk: int | None,
    updated: datetime | None,
    tz: str,
    hours: str,
    country: str,
    subdivision: str,
    closures: str,
) -> BusinessCalendar:
    return BusinessCalendar.from_hours(
        tz,
        json.loads(hours),
        holiday_country=country or None,
        holiday_subdivision=subdivision or None,
        closures=json.loads(closures),
    )


def to_business_calendar(calendar: Calendar) -> BusinessCalendar:
    """The pure calendar for a Calendar row; cached, so repeated use costs nothing."""
    return _compiled(
        calendar.pk,
        calendar.updated_at,
        calendar.time_zone,
        json.dumps(calendar.hours, sort_keys=True),
        calendar.holiday_country,
        calendar.holiday_subdivision,
        json.dumps(calendar.closures),
    )


def calendar_row_for(ticket: Ticket | None) -> Calendar:
    """The ticket's team calendar, else the desk's default, else office hours in London."""
    if ticket is not None and ticket.team_id is not None:
        team_calendar = Calendar.objects.filter(team_id=ticket.team_id).first()
        if team_calendar is not None:
            return team_calendar
    return Calendar.objects.filter(is_default=True).first() or FALLBACK


def calendar_for(ticket: Ticket | None) -> BusinessCalendar:
    """The business calendar that times commitments on this ticket."""
    return to_business_calendar(calendar_row_for(ticket))


def customer_zone(ticket: Ticket) -> ZoneInfo:
    """The time zone to show the customer times in: theirs if known, else the desk's."""
    if ticket.contact.time_zone:
        try:
            return ZoneInfo(ticket.contact.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return calendar_for(ticket).zone


def service_level_for(ticket: Ticket) -> ServiceLevel | None:
    """The targets for the ticket's priority (or the catch-all level), if the desk has any."""
    levels = {level.priority: level for level in ServiceLevel.objects.all()}
    return levels.get(ticket.priority) or levels.get(None)
