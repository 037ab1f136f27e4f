"""Business time: parameter tables for the rules, hypothesis for the algebra."""

from __future__ import annotations

import pickle
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from keepwell.commitments.businesstime import (
    BusinessCalendar,
    add_business,
    add_business_days,
    business_elapsed,
    describe_duration,
    end_of_business_day,
    format_clock,
    is_business_day,
    is_open,
    local_datetime,
    next_business_day,
    next_opening,
    opening_hours,
    parse_clock,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")

# Plain "GB" leaves out Easter Monday and the August bank holiday; a London desk uses England's.
GB_LUNCH = BusinessCalendar.standard(
    "Europe/London",
    opens="09:00",
    closes="17:30",
    lunch=("12:30", "13:30"),
    holiday_country="GB",
    holiday_subdivision="ENG",
)
US_CA = BusinessCalendar.standard(
    "America/Los_Angeles", opens="08:00", closes="17:00", holiday_country="US",
    holiday_subdivision="CA",
)  # fmt: skip
DE_BY = BusinessCalendar.from_hours(
    "Europe/Berlin",
    {
        "mon": ["08:00-12:00", "13:00-16:00"],
        "tue": ["08:00-12:00", "13:00-16:00"],
        "wed": ["08:00-12:00", "13:00-16:00"],
        "thu": ["08:00-12:00", "13:00-16:00"],
        "fri": [("08:00", "13:00")],
    },
    holiday_country="DE",
    holiday_subdivision="BY",
)
NY_NIGHTS = BusinessCalendar.from_hours(
    "America/New_York", dict.fromkeys(range(7), ("00:00-06:00", "22:00-24:00"))
)
LONDON_ALWAYS = BusinessCalendar.always_open("Europe/London")
WITH_CLOSURES = BusinessCalendar.standard(
    "Europe/London",
    closures=[
        date(2026, 3, 13),
        "2026-03-20",
        (datetime(2026, 3, 16, 12, tzinfo=LONDON), datetime(2026, 3, 17, 10, tzinfo=LONDON)),
    ],
)
# Boundaries inside London's skipped hour (01:00-02:00 on 29 March 2026) and repeated hour.
LONDON_SMALL_HOURS = BusinessCalendar.from_hours(
    "Europe/London", dict.fromkeys(range(7), ("01:30-03:00",))
)
LONDON_IN_GAP = BusinessCalendar.from_hours("Europe/London", {6: ["01:10-01:50"]})
LONDON_REPEATED = BusinessCalendar.from_hours("Europe/London", {6: ["01:00-02:00"]})


def at(zone: ZoneInfo, text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


ADD_CASES = [
    ("inside the morning", GB_LUNCH, "2026-03-11 10:00", hours(1), "2026-03-11 11:00"),
    ("across lunch", GB_LUNCH, "2026-03-11 12:00", hours(1), "2026-03-11 14:00"),
    ("ends exactly at lunch", GB_LUNCH, "2026-03-11 12:00", minutes(30), "2026-03-11 12:30"),
    ("starts during lunch", GB_LUNCH, "2026-03-11 12:45", minutes(30), "2026-03-11 14:00"),
    ("starts before opening", GB_LUNCH, "2026-03-11 07:00", hours(1), "2026-03-11 10:00"),
    ("ends exactly at closing", GB_LUNCH, "2026-03-11 16:30", hours(1), "2026-03-11 17:30"),
    ("after Friday closing", GB_LUNCH, "2026-03-13 18:00", hours(1), "2026-03-16 10:00"),
    ("starts on Saturday", GB_LUNCH, "2026-03-14 11:00", hours(2), "2026-03-16 11:00"),
    ("one whole day", GB_LUNCH, "2026-03-11 09:00", hours(7.5), "2026-03-11 17:30"),
    ("two whole weeks", GB_LUNCH, "2026-03-02 09:00", hours(75), "2026-03-13 17:30"),
    ("Good Friday and Easter Monday", GB_LUNCH, "2026-04-02 16:00", hours(2), "2026-04-07 09:30"),
    ("Boxing Day observed", GB_LUNCH, "2026-12-24 17:00", hours(1), "2026-12-29 09:30"),
    ("across the year end", GB_LUNCH, "2026-12-31 17:00", hours(1), "2027-01-04 09:30"),
    ("zero at a closing time", GB_LUNCH, "2026-03-11 17:30", hours(0), "2026-03-11 17:30"),
    ("zero when closed", GB_LUNCH, "2026-03-11 18:00", hours(0), "2026-03-12 09:00"),
    ("zero during lunch", GB_LUNCH, "2026-03-11 12:40", hours(0), "2026-03-11 13:30"),
    ("backwards", GB_LUNCH, "2026-03-12 10:00", hours(-2), "2026-03-11 16:30"),
    ("Cesar Chavez Day", US_CA, "2026-03-30 16:00", hours(2), "2026-04-01 09:00"),
    ("Thanksgiving and the day after", US_CA, "2026-11-25 16:00", hours(3), "2026-11-30 10:00"),
    ("Corpus Christi", DE_BY, "2026-06-03 15:00", hours(3), "2026-06-05 10:00"),
    ("Epiphany", DE_BY, "2026-01-05 15:30", hours(1), "2026-01-07 08:30"),
    ("Bavarian lunch break", DE_BY, "2026-06-02 11:30", hours(1), "2026-06-02 13:30"),
    ("short Friday", DE_BY, "2026-06-12 12:00", hours(2), "2026-06-15 09:00"),
    ("closed date", WITH_CLOSURES, "2026-03-12 16:00", hours(2), "2026-03-16 10:00"),
    ("closed range", WITH_CLOSURES, "2026-03-16 11:00", hours(2), "2026-03-17 11:00"),
    ("London spring weekend", GB_LUNCH, "2026-03-27 17:00", hours(1), "2026-03-30 09:30"),
    ("London autumn weekend", GB_LUNCH, "2026-10-23 17:00", hours(1), "2026-10-26 09:30"),
    ("24/7 over spring forward", LONDON_ALWAYS, "2026-03-28 12:00", hours(24), "2026-03-29 13:00"),
    ("24/7 over fall back", LONDON_ALWAYS, "2026-10-24 12:00", hours(24), "2026-10-25 11:00"),
    ("NY night, spring forward", NY_NIGHTS, "2026-03-08 00:00", hours(5), "2026-03-08 06:00"),
    ("NY night, fall back", NY_NIGHTS, "2026-11-01 00:00", hours(6), "2026-11-01 05:00"),
    ("NY night, fall back full", NY_NIGHTS, "2026-11-01 00:00", hours(7), "2026-11-01 06:00"),
    ("NY night into the evening", NY_NIGHTS, "2026-11-01 05:00", hours(2), "2026-11-01 23:00"),
    ("opening in the skipped hour", LONDON_SMALL_HOURS, "2026-03-29 00:00", hours(1),
     "2026-03-29 03:00"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "expected"),
    [case[1:] for case in ADD_CASES],
    ids=[case[0] for case in ADD_CASES],
)
def test_add_business(
    calendar: BusinessCalendar, start: str, duration: timedelta, expected: str
) -> None:
    zone = calendar.zone
    result = add_business(calendar, at(zone, start), duration)
    assert result == at(zone, expected)
    assert result.tzinfo is zone
    assert result.replace(tzinfo=None) == datetime.fromisoformat(expected)


def test_add_business_accepts_any_time_zone_and_answers_in_the_calendars() -> None:
    start = datetime(2026, 3, 11, 10, tzinfo=UTC)  # 10:00 in London too
    result = add_business(GB_LUNCH, start, hours(3))
    assert result == at(LONDON, "2026-03-11 14:00")
    assert result.tzinfo is LONDON


def test_add_business_keeps_microseconds() -> None:
    start = at(LONDON, "2026-03-11 10:00:00.000001")
    assert add_business(GB_LUNCH, start, timedelta(microseconds=5)) == at(
        LONDON, "2026-03-11 10:00:00.000006"
    )


def test_add_business_over_many_years_is_exact() -> None:
    start = at(LONDON, "2026-01-01 00:00")
    duration = hours(7.5 * 253 * 5)  # about five years of days
    result = add_business(GB_LUNCH, start, duration)
    assert business_elapsed(GB_LUNCH, start, result) == duration
    assert datetime(2030, 12, 1, tzinfo=UTC) < result < datetime(2031, 2, 1, tzinfo=UTC)


ELAPSED_CASES = [
    ("skips lunch", GB_LUNCH, "2026-03-11 10:00", "2026-03-11 15:00", hours(4)),
    ("over a weekend", GB_LUNCH, "2026-03-13 16:00", "2026-03-16 10:00", hours(2.5)),
    ("over Easter", GB_LUNCH, "2026-04-02 09:00", "2026-04-08 09:00", hours(15)),
    ("England 2026", GB_LUNCH, "2026-01-01 00:00", "2027-01-01 00:00", hours(7.5 * 253)),
    ("closed range", WITH_CLOSURES, "2026-03-16 00:00", "2026-03-18 00:00", hours(3 + 7)),
    ("NY nights, spring day", NY_NIGHTS, "2026-03-08 00:00", "2026-03-09 00:00", hours(7)),
    ("NY nights, autumn day", NY_NIGHTS, "2026-11-01 00:00", "2026-11-02 00:00", hours(9)),
    ("24/7 spring day", LONDON_ALWAYS, "2026-03-29 00:00", "2026-03-30 00:00", hours(23)),
    ("skipped hour", LONDON_SMALL_HOURS, "2026-03-29 00:00", "2026-03-30 00:00", hours(1)),
    ("repeated hour", LONDON_REPEATED, "2026-10-25 00:00", "2026-10-26 00:00", hours(2)),
    ("ordinary small hours", LONDON_SMALL_HOURS, "2026-03-30 00:00", "2026-03-31 00:00",
     hours(1.5)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [case[1:] for case in ELAPSED_CASES],
    ids=[case[0] for case in ELAPSED_CASES],
)
def test_business_elapsed(
    calendar: BusinessCalendar, start: str, end: str, expected: timedelta
) -> None:
    zone = calendar.zone
    assert business_elapsed(calendar, at(zone, start), at(zone, end)) == expected
    assert business_elapsed(calendar, at(zone, end), at(zone, start)) == -expected


def test_dst_boundaries_follow_the_documented_rule() -> None:
    # 01:30 never happens on 29 March: the opening takes effect at the change (01:00 UTC).
    assert opening_hours(LONDON_SMALL_HOURS, date(2026, 3, 29)) == [
        (datetime(2026, 3, 29, 1, tzinfo=UTC), at(LONDON, "2026-03-29 03:00"))
    ]
    # 01:00 happens twice on 25 October: the first one opens, the second 02:00 closes.
    # (Compared in UTC: Python never equates an ambiguous local time with another zone's.)
    [(opens, closes)] = opening_hours(LONDON_REPEATED, date(2026, 10, 25))
    assert opens.astimezone(UTC) == datetime(2026, 10, 25, 0, tzinfo=UTC)
    assert opens.fold == 0
    assert closes.astimezone(UTC) == datetime(2026, 10, 25, 2, tzinfo=UTC)
    assert local_datetime(GB_LUNCH, date(2026, 3, 29), 5400) == datetime(2026, 3, 29, 1, tzinfo=UTC)
    # An interval wholly inside the skipped hour does not happen that day.
    assert not is_business_day(LONDON_IN_GAP, date(2026, 3, 29))
    assert is_business_day(LONDON_IN_GAP, date(2026, 4, 5))


OPEN_CASES = [
    ("at opening", "2026-03-11 09:00", True),
    ("just before opening", "2026-03-11 08:59:59", False),
    ("at lunch", "2026-03-11 12:30", False),
    ("after lunch", "2026-03-11 13:30", True),
    ("at closing", "2026-03-11 17:30", False),
    ("Saturday", "2026-03-14 11:00", False),
    ("Good Friday", "2026-04-03 11:00", False),
    ("Easter Monday", "2026-04-06 11:00", False),
]


@pytest.mark.parametrize(
    ("moment", "expected"), [c[1:] for c in OPEN_CASES], ids=[c[0] for c in OPEN_CASES]
)
def test_is_open(moment: str, expected: bool) -> None:
    assert is_open(GB_LUNCH, at(LONDON, moment)) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-11 10:00", "2026-03-11 10:00"),
        ("2026-03-11 12:30", "2026-03-11 13:30"),
        ("2026-03-11 17:30", "2026-03-12 09:00"),
        ("2026-03-13 18:00", "2026-03-16 09:00"),
        ("2026-04-02 17:45", "2026-04-07 09:00"),
        ("2026-12-31 18:00", "2027-01-04 09:00"),
    ],
)
def test_next_opening(moment: str, expected: str) -> None:
    assert next_opening(GB_LUNCH, at(LONDON, moment)) == at(LONDON, expected)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-11 07:00", "2026-03-11 17:30"),
        ("2026-03-11 12:45", "2026-03-11 17:30"),
        ("2026-03-11 17:30", "2026-03-11 17:30"),
        ("2026-03-11 17:31", "2026-03-12 17:30"),
        ("2026-03-14 10:00", "2026-03-16 17:30"),
        ("2026-04-02 18:00", "2026-04-07 17:30"),
    ],
)
def test_end_of_business_day(moment: str, expected: str) -> None:
    assert end_of_business_day(GB_LUNCH, at(LONDON, moment)) == at(LONDON, expected)


DAYS_CASES = [
    ("open start", GB_LUNCH, "2026-03-11 10:00", 1, "2026-03-12 10:00"),
    ("after Friday closing", GB_LUNCH, "2026-03-13 18:00", 1, "2026-03-16 17:30"),
    ("Saturday", GB_LUNCH, "2026-03-14 10:00", 1, "2026-03-16 17:30"),
    ("at a closing time", GB_LUNCH, "2026-03-13 17:30", 1, "2026-03-16 17:30"),
    ("during lunch", GB_LUNCH, "2026-03-11 12:45", 1, "2026-03-12 12:30"),
    ("over Easter", GB_LUNCH, "2026-04-02 10:15", 2, "2026-04-08 10:15"),
    ("backwards", GB_LUNCH, "2026-03-16 10:00", -1, "2026-03-13 10:00"),
    ("zero when closed", GB_LUNCH, "2026-03-14 10:00", 0, "2026-03-16 09:00"),
    ("onto a short day", DE_BY, "2026-06-03 15:00", 1, "2026-06-05 13:00"),
    ("a closed date skipped", WITH_CLOSURES, "2026-03-12 10:00", 1, "2026-03-16 10:00"),
    ("into a closed range", WITH_CLOSURES, "2026-03-13 00:00", 1, "2026-03-16 12:00"),
]


@pytest.mark.parametrize(
    ("calendar", "start", "days", "expected"),
    [case[1:] for case in DAYS_CASES],
    ids=[case[0] for case in DAYS_CASES],
)
def test_add_business_days(
    calendar: BusinessCalendar, start: str, days: int, expected: str
) -> None:
    zone = calendar.zone
    assert add_business_days(calendar, at(zone, start), days) == at(zone, expected)


def test_day_helpers() -> None:
    assert is_business_day(GB_LUNCH, date(2026, 4, 2))
    assert not is_business_day(GB_LUNCH, date(2026, 4, 3))
    assert next_business_day(GB_LUNCH, date(2026, 4, 2)) == date(2026, 4, 7)
    assert opening_hours(GB_LUNCH, date(2026, 3, 11)) == [
        (at(LONDON, "2026-03-11 09:00"), at(LONDON, "2026-03-11 12:30")),
        (at(LONDON, "2026-03-11 13:30"), at(LONDON, "2026-03-11 17:30")),
    ]
    assert opening_hours(GB_LUNCH, date(2026, 3, 14)) == []
    assert GB_LUNCH.usual_hours == (parse_clock("09:00"), parse_clock("17:30"))
    assert DE_BY.usual_hours == (8 * 3600, 16 * 3600)


def test_clock_strings() -> None:
    assert parse_clock("09:30") == 9 * 3600 + 30 * 60
    assert parse_clock("24:00") == 86400
    assert format_clock(parse_clock("13:05")) == "13:05"
    for bad in ("9", "25:00", "24:30", "12:60", "noon"):
        with pytest.raises(ValueError, match="clock time"):
            parse_clock(bad)


def test_construction_normalises_and_compares_by_value() -> None:
    a = BusinessCalendar.from_hours(
        "Europe/London", {0: ["13:00-17:00", "09:00-12:00", "12:00-13:00"]}
    )
    b = BusinessCalendar.from_hours("Europe/London", {"Monday": ["09:00-17:00"]})
    assert a == b
    assert hash(a) == hash(b)
    assert a.weekly[0] == ((9 * 3600, 17 * 3600),)
    copy = pickle.loads(pickle.dumps(GB_LUNCH))  # noqa: S301 (our own bytes)
    assert copy == GB_LUNCH
    assert add_business(copy, at(LONDON, "2026-04-02 16:00"), hours(2)) == at(
        LONDON, "2026-04-07 09:30"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tz": "Mars/Olympus", "weekly": (((0, 60),),) * 7}, "time zone"),
        ({"tz": "UTC", "weekly": ((),) * 7}, "at least one"),
        ({"tz": "UTC", "weekly": (((0, 60),),) * 6}, "seven days"),
        ({"tz": "UTC", "weekly": (((60, 0),),) * 7}, "bad opening interval"),
        ({"tz": "UTC", "weekly": (((0, 90000),),) * 7}, "bad opening interval"),
        ({"tz": "UTC", "weekly": (((0, 60),),) * 7, "holiday_country": "XX"}, "holidays"),
        (
            {
                "tz": "UTC",
                "weekly": (((0, 60),),) * 7,
                "closed_ranges": ((datetime(2026, 1, 2), datetime(2026, 1, 3)),),
            },
            "timezone-aware",
        ),
    ],
)
def test_construction_rejects_bad_data(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business(GB_LUNCH, datetime(2026, 3, 11, 10), hours(1))


def test_a_calendar_closed_for_years_fails_loudly() -> None:
    closed = BusinessCalendar.standard(
        "UTC",
        closures=[(datetime(2026, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC))],
    )
    with pytest.raises(ValueError, match="no opening hours"):
        add_business(closed, datetime(2026, 6, 1, tzinfo=UTC), hours(1))


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

CALENDARS = [GB_LUNCH, US_CA, DE_BY, NY_NIGHTS, WITH_CLOSURES, LONDON_SMALL_HOURS]
starts = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2028, 12, 31),
    timezones=st.sampled_from([UTC, LONDON, NEW_YORK, LOS_ANGELES, BERLIN, TOKYO]),
)
durations = st.one_of(
    st.integers(0, 3 * 86_400 * 10**6),
    st.integers(0, 400 * 3600 * 10**6),
).map(lambda us: timedelta(microseconds=us))
calendars = st.sampled_from(CALENDARS)
ONE_US = timedelta(microseconds=1)


def instant(moment: datetime) -> datetime:
    """In UTC: Python compares two times of one zone by wall clock, wrong for skipped times."""
    return moment.astimezone(UTC)


@settings(deadline=None)
@given(calendars, starts, durations, durations)
def test_adding_is_additive(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    step = add_business(calendar, add_business(calendar, start, first), second)
    assert step == add_business(calendar, start, first + second)


@settings(deadline=None)
@given(calendars, starts, durations)
def test_elapsed_undoes_adding(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    assert business_elapsed(calendar, start, add_business(calendar, start, duration)) == duration


@settings(deadline=None)
@given(calendars, starts, durations, durations)
def test_adding_is_monotonic(
    calendar: BusinessCalendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    shorter, longer = sorted((first, second))
    assert add_business(calendar, start, shorter) <= add_business(calendar, start, longer)


@settings(deadline=None)
@given(calendars, starts, durations)
def test_result_is_open_or_a_closing_time(
    calendar: BusinessCalendar, start: datetime, duration: timedelta
) -> None:
    result = add_business(calendar, start, duration)
    assert is_open(calendar, result) or is_open(calendar, result - ONE_US)
    if duration:
        assert instant(result) > instant(start)


@settings(deadline=None)
@given(calendars, starts, starts, starts)
def test_elapsed_adds_up(calendar: BusinessCalendar, a: datetime, b: datetime, c: datetime) -> None:
    ab = business_elapsed(calendar, a, b)
    assert ab + business_elapsed(calendar, b, c) == business_elapsed(calendar, a, c)
    assert ab == -business_elapsed(calendar, b, a)
    assert abs(ab) <= abs(instant(b) - instant(a))


@settings(deadline=None)
@given(calendars, starts, st.integers(1, 30), st.integers(1, 30))
def test_business_days_are_monotonic_and_land_in_hours(
    calendar: BusinessCalendar, start: datetime, first: int, second: int
) -> None:
    fewer, more = sorted((first, second))
    early = add_business_days(calendar, start, fewer)
    late = add_business_days(calendar, start, more)
    assert instant(start) < instant(early) <= instant(late)
    for result in (early, late):
        assert is_open(calendar, result) or is_open(calendar, result - ONE_US)
        assert end_of_business_day(calendar, result) >= result


ENGLAND = holidays.country_holidays("GB", subdiv="ENG", years=range(2025, 2028))


def _open_by_hand(moment: datetime) -> bool:
    """An independent statement of GB_LUNCH's hours, checked minute by minute."""
    local = moment.astimezone(LONDON)
    if local.weekday() >= 5 or local.date() in ENGLAND:
        return False
    clock = local.time()
    return time(9) <= clock < time(12, 30) or time(13, 30) <= clock < time(17, 30)


@settings(deadline=None, max_examples=40)
@given(
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 20)),
    st.integers(1, 3 * 450),
)
def test_matches_a_minute_by_minute_walk(start: datetime, minutes_needed: int) -> None:
    moment = start.replace(second=0, microsecond=0, tzinfo=UTC)
    expected, left = moment, minutes_needed
    while left:
        if _open_by_hand(expected):
            left -= 1
        expected += timedelta(minutes=1)
    assert add_business(GB_LUNCH, moment, timedelta(minutes=minutes_needed)) == expected


@pytest.mark.parametrize(
    ("hours", "words"),
    [
        (0.5, "30 working minutes"),
        (1, "1 working hour"),
        (4, "4 working hours"),
        (7.5, "1 working day"),
        (8, "8 working hours"),
        (12.25, "about 12 working hours"),
        (16, "about 2 working days"),
        (40, "about 5½ working days"),
        (225, "30 working days"),
    ],
)
def test_describe_duration(hours: float, words: str) -> None:
    calendar = BusinessCalendar.standard(opens="09:00", closes="17:30", lunch=("12:30", "13:30"))
    assert describe_duration(calendar, timedelta(hours=hours)) == words
