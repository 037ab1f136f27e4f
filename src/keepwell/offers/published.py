"""What the public pages show: the catalogue, the policies, and response times made from the desk's
real service levels and opening hours, so the page cannot promise what the desk does not do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from keepwell.commitments.businesstime import describe_duration
from keepwell.commitments.calendars import calendar_row_for, to_business_calendar
from keepwell.commitments.models import Calendar, ServiceLevel
from keepwell.core.clock import now
from keepwell.offers.catalogue import OfferView, offer_views
from keepwell.offers.models import Offer, Policy, PolicyKind
from keepwell.tickets.models import Priority

# CommonMark without raw HTML; nh3 then keeps only these tags, whatever the renderer produced.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False})
_TAGS = {
    "p",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def render_markdown(text: str) -> SafeString:
    """Owner-written Markdown as safe HTML: no raw HTML, no scripts, links marked external."""
    html = _MARKDOWN.render(text or "")
    clean = nh3.clean(html, tags=_TAGS, url_schemes={"http", "https", "mailto", "tel"})
    return mark_safe(clean)


@dataclass(frozen=True)
class LevelRow:
    label: str
    first_response: str
    next_reply: str
    resolution: str


@dataclass(frozen=True)
class ResponseTimes:
    """The desk's real targets and opening hours, as customers read them."""

    opening: list[tuple[str, str]]  # ("Monday to Friday", "09:00–12:30 and 13:30–17:30")
    time_zone: str
    levels: list[LevelRow]
    closed_days: list[tuple[date, str]]  # upcoming holidays and closures


def _opening(calendar: Calendar) -> list[tuple[str, str]]:
    spans = [
        " and ".join(s.replace("-", "–") for s in calendar.hours.get(day, [])) or "closed"
        for day in _DAYS
    ]
    rows: list[tuple[str, str]] = []
    start = 0
    for index in range(1, 8):
        if index == 7 or spans[index] != spans[start]:
            days = _DAY_NAMES[start]
            if index - start == 2:
                days += f" and {_DAY_NAMES[index - 1]}"
            elif index - start > 2:
                days += f" to {_DAY_NAMES[index - 1]}"
            rows.append((days, spans[start]))
            start = index
    return rows


def _closed_days(calendar: Calendar, *, within: int = 90) -> list[tuple[date, str]]:
    today = now().date()
    end = today + timedelta(days=within)
    found: dict[date, str] = {}
    if calendar.holiday_country:
        try:
            years = sorted({today.year, end.year})
            found.update(
                holidays.country_holidays(
                    calendar.holiday_country,
                    subdiv=calendar.holiday_subdivision or None,
                    years=years,
                )
            )
        except NotImplementedError:
            pass
    for closure in calendar.closures or []:
        try:
            found.setdefault(date.fromisoformat(str(closure)), "Closed")
        except ValueError:
            continue
    return sorted((d, name) for d, name in found.items() if today <= d <= end)


def response_times() -> ResponseTimes:
    """Response times from the service levels and the desk's default calendar."""
    row = calendar_row_for(None)
    calendar = to_business_calendar(row)
    levels = []
    for level in ServiceLevel.objects.order_by("-priority"):
        label = (
            f"{Priority(level.priority).label} requests"
            if level.priority in Priority.values
            else "Other requests"
        )
        levels.append(
            LevelRow(
                label,
                describe_duration(calendar, level.first_response),
                describe_duration(calendar, level.next_reply),
                describe_duration(calendar, level.resolution),
            )
        )
    return ResponseTimes(_opening(row), row.time_zone, levels, _closed_days(row))


@dataclass(frozen=True)
class PolicyView:
    policy: Policy
    html: SafeString
    times: ResponseTimes | None


def public_policies() -> list[PolicyView]:
    views = []
    times = None
    for policy in Policy.objects.filter(public=True):
        if policy.kind == PolicyKind.RESPONSE_TIMES and times is None:
            times = response_times()
        views.append(
            PolicyView(
                policy,
                render_markdown(policy.body),
                times if policy.kind == PolicyKind.RESPONSE_TIMES else None,
            )
        )
    return views


def public_offers() -> list[OfferView]:
    return offer_views(Offer.objects.filter(public=True))
