"""The legal truancy threshold: 16 unauthorised lesson hours within 4 school weeks.

Leerplichtwet art. 21a asks the school to report a student who misses 16 lesson hours
without authorisation within 4 consecutive school weeks. Holidays and closed days are no
school days: they neither count nor use up the window, so a window that spans a holiday
reaches further in calendar time. This module counts; it knows nothing of the database.

The count starts on a day of unauthorised absence and runs over that day and the next
19 school days (4 weeks of 5 days). When the hours reach 16 the student is flagged with
that first day as ``begin`` and the day the threshold was reached as ``end``; counting
starts afresh the next day. When a window closes below 16, the count moves on to the
next day of absence.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

THRESHOLD_HOURS = 16
WINDOW_SCHOOL_DAYS = 20


@dataclass(frozen=True)
class ThresholdReached:
    begin: datetime.date
    end: datetime.date
    hours: int


def is_school_day(day: datetime.date, is_holiday: Callable[[datetime.date], bool]) -> bool:
    """Return whether lessons can take place on ``day`` (a weekday outside holidays)."""
    return day.weekday() < 5 and not is_holiday(day)


def find_threshold_crossings(
    hours_by_day: Mapping[datetime.date, int],
    is_holiday: Callable[[datetime.date], bool],
    threshold: int = THRESHOLD_HOURS,
    window_school_days: int = WINDOW_SCHOOL_DAYS,
) -> list[ThresholdReached]:
    """Return every moment a student reached ``threshold`` hours within the window.

    Args:
        hours_by_day: unauthorised lesson hours missed per day; days on which no lessons
            take place (weekends, holidays) are ignored.
        is_holiday: tells whether a day is a holiday or closed day of the school.
    """
    absent_days = sorted(
        day for day, hours in hours_by_day.items() if hours > 0 and is_school_day(day, is_holiday)
    )
    crossings: list[ThresholdReached] = []
    start_index = 0
    while start_index < len(absent_days):
        begin = absent_days[start_index]
        last_day = _school_day_after(begin, window_school_days - 1, is_holiday)
        total = 0
        reached: datetime.date | None = None
        for day in absent_days[start_index:]:
            if day > last_day:
                break
            total += hours_by_day[day]
            if total >= threshold:
                reached = day
                break

        if reached is None:
            start_index += 1
            continue
        crossings.append(ThresholdReached(begin, reached, total))
        start_index = next(
            (index for index, day in enumerate(absent_days) if day > reached), len(absent_days)
        )
    return crossings


def _school_day_after(
    day: datetime.date, count: int, is_holiday: Callable[[datetime.date], bool]
) -> datetime.date:
    """Return the school day ``count`` school days after ``day``."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_school_day(day, is_holiday):
            count -= 1
    return day
