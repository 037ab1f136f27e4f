"""Business time: weekly opening hours minus public holidays and closures, and arithmetic on it.

A pure module (no Django). Functions take aware datetimes and return aware datetimes in the
calendar's time zone.

How it is computed. For each local calendar year, a table of that year's open intervals is built
once, day by day, from the weekly hours, the holidays and the closures: interval boundaries as
integer microseconds since the Unix epoch plus the running total of open time before each
interval. Adding or measuring business time is then a binary search in that table (plus one step
per new year crossed), so the cost grows neither with the minutes nor with the days spanned.
Tables are cached per calendar (calendars are frozen and hashable, and equal calendars share one
cache), and holiday sets are cached per country, subdivision and year.

Daylight saving time. Opening hours are wall-clock times, and each boundary is converted on its
own date with zoneinfo:

- a wall time that happens twice (clocks go back) means its first occurrence;
- a wall time that never happens (clocks go forward) takes effect at the moment of the change.

So an interval always measures real elapsed time: 00:00-06:00 lasts 5 hours on the spring-forward
night and 7 hours on the fall-back night, and an interval lying wholly inside the skipped hour
does not exist.

Conventions.

- Intervals are half-open: open at the opening instant, closed at the closing instant.
- `add_business` returns the earliest instant at which the duration has elapsed, so a duration
  that uses up an interval exactly ends at its closing time (17:30), not at the next opening.
  Adding zero returns the start if it is open or a closing time, else the next opening. Negative
  durations count backwards by the same rule.
- A "business day" is a local date with at least one open interval left after holidays and
  closures.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

__all__ = [
    "BusinessCalendar",
    "Interval",
    "add_business",
    "add_business_days",
    "business_elapsed",
    "describe_duration",
    "end_of_business_day",
    "format_clock",
    "is_business_day",
    "is_open",
    "local_datetime",
    "next_business_day",
    "next_opening",
    "opening_hours",
    "parse_clock",
    "typical_day",
]

type Interval = tuple[int, int]
"""An opening interval as seconds after local midnight; the end may be 86400 (24:00)."""

type IntervalSpec = str | tuple[str, str]
"""An interval written as "09:00-12:30" or ("09:00", "12:30")."""

type ClosureSpec = date | str | tuple[datetime, datetime]
"""A closed date (a date or "YYYY-MM-DD") or a closed range of aware datetimes."""

DAY_SECONDS = 86_400
_US = 1_000_000
_ONE_US = timedelta(microseconds=1)
_ONE_S = timedelta(seconds=1)
_ONE_DAY = timedelta(days=1)
_DAY_US = DAY_SECONDS * _US
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
# A calendar with no opening left for this long is broken (e.g. closed "forever"); fail loudly.
_MAX_EMPTY_YEARS = 10
_MAX_EMPTY_DAYS = 366 * _MAX_EMPTY_YEARS

_CLOCK = re.compile(r"([01]?\d|2[0-4]):([0-5]\d)(?::([0-5]\d))?", re.ASCII)
_WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("mon", "monday"),
            ("tue", "tuesday"),
            ("wed", "wednesday"),
            ("thu", "thursday"),
            ("fri", "friday"),
            ("sat", "saturday"),
            ("sun", "sunday"),
        )
    )
    for name in names
}


def parse_clock(text: str) -> int:
    """Seconds after midnight for "HH:MM" or "HH:MM:SS"; "24:00" is the end of the day."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a clock time (HH:MM): {text!r}")
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours == 24 and (minutes or seconds):
        raise ValueError(f"not a clock time (HH:MM): {text!r}")
    return hours * 3600 + minutes * 60 + seconds


def format_clock(seconds: int) -> str:
    """Seconds after midnight as "HH:MM" (with ":SS" when there are seconds)."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")


def _parse_interval(spec: IntervalSpec) -> Interval:
    if isinstance(spec, str):
        opens, sep, closes = spec.partition("-")
        if not sep:
            raise ValueError(f"not an interval (HH:MM-HH:MM): {spec!r}")
    else:
        opens, closes = spec
    return parse_clock(opens), parse_clock(closes)


def _normalise_day(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, validated intervals with touching or overlapping ones merged."""
    merged: list[Interval] = []
    for start, end in sorted((int(s), int(e)) for s, e in intervals):
        if not 0 <= start < end <= DAY_SECONDS:
            raise ValueError(f"bad opening interval {format_clock(start)}-{format_clock(end)}")
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


@functools.cache
def _check_holiday_region(country: str, subdivision: str | None) -> None:
    try:
        holidays.country_holidays(country, subdiv=subdivision, years=2000)
    except NotImplementedError as exc:
        raise ValueError(f"no public holidays known for {country!r} {subdivision or ''}") from exc


@functools.lru_cache(maxsize=1024)
def _holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year))


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly opening hours in one time zone, minus public holidays and custom closures.

    `weekly` has seven entries, Monday first, each a tuple of (open, close) intervals in seconds
    after local midnight; `closed_dates` are whole local dates; `closed_ranges` are aware
    (start, end) ranges. Build one with `standard`, `from_hours` or `always_open`.
    """

    tz: str
    weekly: tuple[tuple[Interval, ...], ...]
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = frozenset()
    closed_ranges: tuple[tuple[datetime, datetime], ...] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.tz!r}") from exc
        weekly = tuple(_normalise_day(day) for day in self.weekly)
        if len(weekly) != 7:
            raise ValueError("weekly hours need seven days, Monday first")
        if not any(weekly):
            raise ValueError("a business calendar needs at least one opening interval")
        ranges = []
        for start, end in self.closed_ranges:
            if start.tzinfo is None or end.tzinfo is None:
                raise ValueError("closed ranges need timezone-aware datetimes")
            if not start < end:
                raise ValueError(f"closed range ends before it starts: {start} - {end}")
            ranges.append((start, end))
        if self.holiday_country:
            _check_holiday_region(self.holiday_country, self.holiday_subdivision or None)
        object.__setattr__(self, "weekly", weekly)
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "closed_ranges", tuple(sorted(ranges)))
        object.__setattr__(self, "holiday_country", self.holiday_country or None)
        object.__setattr__(self, "holiday_subdivision", self.holiday_subdivision or None)

    # The generated hash would rebuild a tuple of every field on each cache lookup.
    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        return hash(tuple(getattr(self, f.name) for f in fields(self)))

    @cached_property
    def _compiled(self) -> _Compiled:
        return _compile(self)

    # Caches must not travel: string hashes differ between processes.
    def __getstate__(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_hours(
        cls,
        tz: str,
        hours: Mapping[int | str, Iterable[IntervalSpec]],
        *,
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        closures: Iterable[ClosureSpec] = (),
    ) -> BusinessCalendar:
        """A calendar from plain data: {"mon": ["09:00-12:30", ("13:30", "17:30")], 5: [...]}."""
        weekly: list[list[Interval]] = [[] for _ in range(7)]
        for key, specs in hours.items():
            index = _WEEKDAYS.get(key.strip().lower()) if isinstance(key, str) else key
            if index is None or not 0 <= index <= 6:
                raise ValueError(f"not a weekday: {key!r}")
            weekly[index].extend(_parse_interval(spec) for spec in specs)
        closed_dates: set[date] = set()
        closed_ranges: list[tuple[datetime, datetime]] = []
        for closure in closures:
            if isinstance(closure, str):
                closed_dates.add(date.fromisoformat(closure))
            elif isinstance(closure, date) and not isinstance(closure, datetime):
                closed_dates.add(closure)
            elif isinstance(closure, tuple) and len(closure) == 2:
                closed_ranges.append(closure)
            else:
                raise ValueError(f"not a closure (date or (start, end)): {closure!r}")
        return cls(
            tz=tz,
            weekly=tuple(tuple(day) for day in weekly),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closed_dates=frozenset(closed_dates),
            closed_ranges=tuple(closed_ranges),
        )

    @classmethod
    def standard(
        cls,
        tz: str = "Europe/London",
        *,
        opens: str = "09:00",
        closes: str = "17:00",
        lunch: tuple[str, str] | None = None,
        weekdays: Iterable[int] = range(5),
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
        closures: Iterable[ClosureSpec] = (),
    ) -> BusinessCalendar:
        """The same hours on each working weekday (Monday to Friday unless told), lunch optional."""
        day: list[IntervalSpec] = [(opens, closes)]
        if lunch is not None:
            day = [(opens, lunch[0]), (lunch[1], closes)]
        return cls.from_hours(
            tz,
            dict.fromkeys(weekdays, day),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
            closures=closures,
        )

    @classmethod
    def always_open(cls, tz: str = "UTC") -> BusinessCalendar:
        """Open around the clock every day: business time equals real elapsed time."""
        return cls(tz=tz, weekly=(((0, DAY_SECONDS),),) * 7)

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone."""
        return self._compiled.zone

    @cached_property
    def usual_hours(self) -> tuple[int, int]:
        """The most common (first opening, last closing) of open weekdays, in seconds."""
        open_days = [day for day in self.weekly if day]
        opening = Counter(day[0][0] for day in open_days).most_common(1)[0][0]
        closing = Counter(day[-1][1] for day in open_days).most_common(1)[0][0]
        return opening, closing


class _YearTable:
    """Open intervals of one local year, as epoch microseconds, with running open totals."""

    __slots__ = ("business_days", "by_day", "cum", "days", "ends", "midnights", "starts", "total")

    def __init__(self, starts: list[int], ends: list[int], days: list[int], zone: ZoneInfo) -> None:
        self.starts = starts
        self.ends = ends
        self.days = days
        cum = [0]
        for start, end in zip(starts, ends, strict=True):
            cum.append(cum[-1] + end - start)
        self.cum = cum
        self.total = cum[-1]
        by_day: dict[int, tuple[int, int]] = {}
        for index, ordinal in enumerate(days):
            first = by_day.get(ordinal, (index, index))[0]
            by_day[ordinal] = (first, index + 1)
        self.by_day = by_day
        self.business_days = list(by_day)
        # Local midnight and day length of each business day: on days without a clock change,
        # wall time is plain arithmetic from midnight.
        midnights: dict[int, tuple[int, int]] = {}
        for ordinal in by_day:
            midnight = datetime.combine(date.fromordinal(ordinal), time())
            low = _wall_to_us(midnight, zone)
            midnights[ordinal] = (low, _wall_to_us(midnight + _ONE_DAY, zone) - low)
        self.midnights = midnights


class _Compiled:
    """Per-calendar caches shared by equal calendars."""

    __slots__ = ("_lows", "_ranges", "_tables", "cal", "zone")

    def __init__(self, cal: BusinessCalendar) -> None:
        self.cal = cal
        self.zone = ZoneInfo(cal.tz)
        self._tables: dict[int, _YearTable] = {}
        self._lows: dict[int, int] = {}
        self._ranges = [(_to_us(start), _to_us(end)) for start, end in cal.closed_ranges]

    def table(self, year: int) -> _YearTable:
        table = self._tables.get(year)
        if table is None:
            table = self._tables[year] = self._build(year)
        return table

    def low(self, year: int) -> int:
        """Epoch microseconds of local midnight starting 1 January of `year`."""
        low = self._lows.get(year)
        if low is None:
            low = self._lows[year] = _wall_to_us(datetime(year, 1, 1), self.zone)
        return low

    def year_of(self, us: int, guess: int) -> int:
        year = guess
        while us < self.low(year):
            year -= 1
        while us >= self.low(year + 1):
            year += 1
        return year

    def table_of(self, ordinal: int) -> _YearTable:
        return self.table(date.fromordinal(ordinal).year)

    def day_slice(self, ordinal: int) -> tuple[_YearTable, int, int] | None:
        table = self.table_of(ordinal)
        found = table.by_day.get(ordinal)
        return None if found is None else (table, found[0], found[1])

    def _build(self, year: int) -> _YearTable:
        cal, zone = self.cal, self.zone
        closed = cal.closed_dates
        if cal.holiday_country:
            closed = closed | _holiday_dates(cal.holiday_country, cal.holiday_subdivision, year)
        starts: list[int] = []
        ends: list[int] = []
        days: list[int] = []
        first = date(year, 1, 1).toordinal()
        first_weekday = date(year, 1, 1).weekday()
        for ordinal in range(first, date(year, 12, 31).toordinal() + 1):
            intervals = cal.weekly[(first_weekday + ordinal - first) % 7]
            if not intervals:
                continue
            day = date.fromordinal(ordinal)
            if day in closed:
                continue
            midnight = datetime(day.year, day.month, day.day)
            for open_s, close_s in intervals:
                start = _wall_to_us(midnight + timedelta(seconds=open_s), zone)
                end = _wall_to_us(midnight + timedelta(seconds=close_s), zone)
                if start < end:
                    starts.append(start)
                    ends.append(end)
                    days.append(ordinal)
        if self._ranges and starts:
            starts, ends, days = _subtract(starts, ends, days, self._ranges)
        return _YearTable(starts, ends, days, zone)


@functools.lru_cache(maxsize=128)
def _compile(cal: BusinessCalendar) -> _Compiled:
    return _Compiled(cal)


def _subtract(
    starts: list[int], ends: list[int], days: list[int], ranges: list[tuple[int, int]]
) -> tuple[list[int], list[int], list[int]]:
    """The intervals with the closed ranges cut out."""
    lo, hi = starts[0], ends[-1]
    ranges = [(s, e) for s, e in ranges if s < hi and e > lo]
    if not ranges:
        return starts, ends, days
    out_s: list[int] = []
    out_e: list[int] = []
    out_d: list[int] = []
    for start, end, day in zip(starts, ends, days, strict=True):
        pieces = [(start, end)]
        for cut_s, cut_e in ranges:
            next_pieces = []
            for s, e in pieces:
                if cut_e <= s or cut_s >= e:
                    next_pieces.append((s, e))
                    continue
                if s < cut_s:
                    next_pieces.append((s, cut_s))
                if cut_e < e:
                    next_pieces.append((cut_e, e))
            pieces = next_pieces
        for s, e in pieces:
            out_s.append(s)
            out_e.append(e)
            out_d.append(day)
    return out_s, out_e, out_d


def _to_us(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError(f"a timezone-aware datetime is needed, got {moment!r}")
    return (moment - _EPOCH) // _ONE_US


def _from_us(us: int, zone: ZoneInfo) -> datetime:
    seconds, micros = divmod(us, _US)
    return datetime.fromtimestamp(seconds, zone).replace(microsecond=micros)


def _wall_to_us(wall: datetime, zone: ZoneInfo) -> int:
    """Epoch microseconds of a naive local wall time, by the module's DST rule."""
    local = wall.replace(tzinfo=zone)
    before = local.utcoffset()
    after = local.replace(fold=1).utcoffset()
    assert before is not None and after is not None
    if before >= after:
        # Normal, or repeated (fold=0 is the first occurrence).
        return (local - _EPOCH) // _ONE_US
    # Skipped wall time: find the change, which lies between the two readings (whole seconds).
    wall_s = (wall - _NAIVE_EPOCH) // _ONE_S
    lo, hi = wall_s - after // _ONE_S, wall_s - before // _ONE_S
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if datetime.fromtimestamp(mid, zone).utcoffset() == after:
            hi = mid
        else:
            lo = mid
    return hi * _US


def _position(table: _YearTable, us: int) -> int:
    """Open microseconds of the year's table elapsed at `us`."""
    i = bisect_right(table.starts, us) - 1
    if i < 0:
        return 0
    if us < table.ends[i]:
        return table.cum[i] + us - table.starts[i]
    return table.cum[i + 1]


def _instant(table: _YearTable, position: int) -> int:
    """Earliest instant at which `position` (0 < position <= total) open time has elapsed."""
    j = bisect_left(table.cum, position)
    return table.ends[j - 1] - (table.cum[j] - position)


def _too_empty(cal: BusinessCalendar) -> ValueError:
    return ValueError(f"calendar {cal.tz} has no opening hours for years: check its closures")


def _carry(comp: _Compiled, year: int, table: _YearTable, position: int) -> tuple[int, int]:
    """Move a position that falls outside `year` into the year that holds it."""
    empty = 0
    while position > table.total:
        position -= table.total
        year += 1
        table = comp.table(year)
        empty = empty + 1 if not table.total else 0
        if empty > _MAX_EMPTY_YEARS:
            raise _too_empty(comp.cal)
    while position <= 0:
        year -= 1
        table = comp.table(year)
        position += table.total
        empty = empty + 1 if not table.total else 0
        if empty > _MAX_EMPTY_YEARS:
            raise _too_empty(comp.cal)
    return year, position


def _next_start(comp: _Compiled, year: int, us: int) -> int:
    """The first opening at or after `us`."""
    table = comp.table(year)
    for _ in range(_MAX_EMPTY_YEARS + 1):
        i = bisect_left(table.starts, us)
        if i < len(table.starts):
            return table.starts[i]
        year += 1
        table = comp.table(year)
    raise _too_empty(comp.cal)


def _last_end_before(comp: _Compiled, year: int, us: int) -> tuple[int, int]:
    """(closing instant, its day ordinal) of the last interval that closes at or before `us`."""
    table = comp.table(year)
    for _ in range(_MAX_EMPTY_YEARS + 1):
        i = bisect_right(table.ends, us) - 1
        if i >= 0:
            return table.ends[i], table.days[i]
        year -= 1
        table = comp.table(year)
    raise _too_empty(comp.cal)


def _rests_at(comp: _Compiled, year: int, table: _YearTable, us: int) -> bool:
    """Whether `us` is open or exactly a closing time."""
    i = bisect_right(table.starts, us) - 1
    if i >= 0:
        return us <= table.ends[i]
    # Only a closing at 24:00 on 31 December can end exactly at the start of a year.
    previous = comp.table(year - 1)
    return bool(previous.ends) and previous.ends[-1] == us


def add_business(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The earliest instant by which `duration` of open time has elapsed since `start`."""
    comp = cal._compiled
    us = _to_us(start)
    year = comp.year_of(us, start.year)
    table = comp.table(year)
    delta = duration // _ONE_US
    if delta == 0:
        if _rests_at(comp, year, table, us):
            return _from_us(us, comp.zone)
        return _from_us(_next_start(comp, year, us), comp.zone)
    position = _position(table, us) + delta
    if not 0 < position <= table.total:
        year, position = _carry(comp, year, table, position)
        table = comp.table(year)
    return _from_us(_instant(table, position), comp.zone)


def business_elapsed(cal: BusinessCalendar, start: datetime, end: datetime) -> timedelta:
    """Open time between `start` and `end` (negative if `end` is earlier)."""
    comp = cal._compiled
    us_start, us_end = _to_us(start), _to_us(end)
    # Compared as instants: one zone's datetimes compare by wall clock, wrong in a DST gap.
    if us_end < us_start:
        return -business_elapsed(cal, end, start)
    year_start = comp.year_of(us_start, start.year)
    year_end = comp.year_of(us_end, end.year)
    total = _position(comp.table(year_end), us_end) - _position(comp.table(year_start), us_start)
    for year in range(year_start, year_end):
        total += comp.table(year).total
    return timedelta(microseconds=total)


def is_open(cal: BusinessCalendar, at: datetime) -> bool:
    """Whether the desk is open at `at` (open at an opening time, closed at a closing time)."""
    comp = cal._compiled
    us = _to_us(at)
    table = comp.table(comp.year_of(us, at.year))
    i = bisect_right(table.starts, us) - 1
    return i >= 0 and us < table.ends[i]


def next_opening(cal: BusinessCalendar, at: datetime) -> datetime:
    """`at` itself if open, else the next opening time."""
    comp = cal._compiled
    us = _to_us(at)
    year = comp.year_of(us, at.year)
    table = comp.table(year)
    i = bisect_right(table.starts, us) - 1
    if i >= 0 and us < table.ends[i]:
        return _from_us(us, comp.zone)
    return _from_us(_next_start(comp, year, us), comp.zone)


def end_of_business_day(cal: BusinessCalendar, at: datetime) -> datetime:
    """Last closing time of `at`'s local date, or of the next business day if that has passed."""
    comp = cal._compiled
    us = _to_us(at)
    ordinal = at.astimezone(comp.zone).toordinal()
    for _ in range(_MAX_EMPTY_DAYS):
        found = comp.day_slice(ordinal)
        if found is not None:
            table, _first, stop = found
            if us <= table.ends[stop - 1]:
                return _from_us(table.ends[stop - 1], comp.zone)
        ordinal += 1
    raise _too_empty(cal)


def _step_business_days(comp: _Compiled, ordinal: int, days: int) -> int:
    """The business day `days` business days after (or before) the date `ordinal`."""
    year = date.fromordinal(ordinal).year
    table = comp.table(year)
    empty = 0
    if days > 0:
        index = bisect_right(table.business_days, ordinal) + days - 1
        while index >= len(table.business_days):
            index -= len(table.business_days)
            year += 1
            table = comp.table(year)
            empty = 0 if table.business_days else empty + 1
            if empty > _MAX_EMPTY_YEARS:
                raise _too_empty(comp.cal)
        return table.business_days[index]
    index = bisect_left(table.business_days, ordinal) + days
    while index < 0:
        year -= 1
        table = comp.table(year)
        index += len(table.business_days)
        empty = 0 if table.business_days else empty + 1
        if empty > _MAX_EMPTY_YEARS:
            raise _too_empty(comp.cal)
    return table.business_days[index]


def add_business_days(cal: BusinessCalendar, start: datetime, days: int) -> datetime:
    """The same wall-clock time `days` business days later, kept within that day's hours.

    A closed `start` counts from the last closing time before it (Friday 18:00 plus one day is
    Monday's closing time). The time is then placed on the target business day; if that day is
    closed at that time it moves to the day's next opening, or back to its last closing time.
    Zero days is `add_business(cal, start, timedelta(0))`.
    """
    if days == 0:
        return add_business(cal, start, timedelta(0))
    comp = cal._compiled
    us = _to_us(start)
    year = comp.year_of(us, start.year)
    table = comp.table(year)
    i = bisect_right(table.starts, us) - 1
    if i >= 0 and us <= table.ends[i]:
        anchor, anchor_day = us, table.days[i]
    else:
        anchor, anchor_day = _last_end_before(comp, year, us)
    target_day = _step_business_days(comp, anchor_day, days)
    found = comp.day_slice(target_day)
    assert found is not None
    day_table, first, stop = found
    anchor_midnight, anchor_length = comp.table_of(anchor_day).midnights[anchor_day]
    target_midnight, target_length = day_table.midnights[target_day]
    if anchor_length == target_length == _DAY_US:
        target = target_midnight + anchor - anchor_midnight
    else:
        local = _from_us(anchor, comp.zone).replace(tzinfo=None)
        wall = local - datetime.combine(date.fromordinal(anchor_day), time())
        midnight = datetime.combine(date.fromordinal(target_day), time())
        target = _wall_to_us(midnight + wall, comp.zone)
    for k in range(first, stop):
        if target < day_table.starts[k]:
            return _from_us(day_table.starts[k], comp.zone)
        if target <= day_table.ends[k]:
            return _from_us(target, comp.zone)
    return _from_us(day_table.ends[stop - 1], comp.zone)


def is_business_day(cal: BusinessCalendar, day: date) -> bool:
    """Whether the local date `day` has any opening hours left after holidays and closures."""
    return cal._compiled.day_slice(day.toordinal()) is not None


def next_business_day(cal: BusinessCalendar, day: date) -> date:
    """The first business day after the local date `day`."""
    return date.fromordinal(_step_business_days(cal._compiled, day.toordinal(), 1))


def opening_hours(cal: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
    """The open (start, end) intervals of the local date `day`, in the calendar's zone."""
    comp = cal._compiled
    found = comp.day_slice(day.toordinal())
    if found is None:
        return []
    table, first, stop = found
    return [
        (_from_us(table.starts[k], comp.zone), _from_us(table.ends[k], comp.zone))
        for k in range(first, stop)
    ]


def local_datetime(cal: BusinessCalendar, day: date, seconds: int) -> datetime:
    """The aware instant `seconds` after local midnight of `day`, by the module's DST rule."""
    zone = cal._compiled.zone
    wall = datetime.combine(day, time()) + timedelta(seconds=seconds)
    return _from_us(_wall_to_us(wall, zone), zone)


def typical_day(cal: BusinessCalendar) -> timedelta:
    """The open time of the calendar's most common working day (7½ h for 9-12:30, 13:30-17:30)."""
    lengths = Counter(sum(end - start for start, end in day) for day in cal.weekly if day)
    return timedelta(seconds=lengths.most_common(1)[0][0])


def describe_duration(cal: BusinessCalendar, duration: timedelta) -> str:
    """A business duration in words: "45 working minutes", "8 working hours", "3 working days".

    Whole multiples of the calendar's typical day are told in days; other durations under two
    days in hours; longer ones in days rounded to the half ("about 3½ working days").
    """
    seconds = int(duration.total_seconds())
    day = int(typical_day(cal).total_seconds())
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"{minutes} working minute{'s' if minutes != 1 else ''}"
    if seconds % day == 0:
        days = seconds // day
        return f"{days} working day{'s' if days != 1 else ''}"
    if seconds < 2 * day:
        hours = seconds / 3600
        text = f"{hours:g}" if hours * 2 == int(hours * 2) else f"about {round(hours)}"
        return f"{text.replace('.5', '½')} working hour{'s' if hours != 1 else ''}"
    halves = round(seconds * 2 / day) / 2
    return f"about {f'{halves:g}'.replace('.5', '½')} working days"
