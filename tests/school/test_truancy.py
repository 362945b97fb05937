"""The 16-hours-in-4-school-weeks rule, counted without holidays."""

import datetime

from tenant_apps.absence.models import AbsenceCode, LessonPeriod, TruancySignal
from tenant_apps.absence.services import Mark, do_register_absences
from tenant_apps.absence.truancy import find_threshold_crossings
from tenant_apps.school.models import Holiday
from tests.access.conftest import MakeUser
from tests.school.conftest import Workshop

MONDAY = datetime.date(2025, 9, 1)
WEEK = datetime.timedelta(days=7)


def no_holidays(day: datetime.date) -> bool:
    return False


def days(first: datetime.date, count: int, hours: int) -> dict[datetime.date, int]:
    """Return ``count`` consecutive weekdays from ``first`` with ``hours`` each."""
    found: dict[datetime.date, int] = {}
    day = first
    while len(found) < count:
        if day.weekday() < 5:
            found[day] = hours
        day += datetime.timedelta(days=1)
    return found


def test_sixteen_hours_within_four_weeks_flags_on_the_day_it_is_reached() -> None:
    hours = {
        MONDAY: 4,
        MONDAY + WEEK: 4,
        MONDAY + 2 * WEEK: 4,
        MONDAY + 3 * WEEK + datetime.timedelta(days=4): 4,
    }

    crossings = find_threshold_crossings(hours, no_holidays)

    assert [(c.begin, c.end, c.hours) for c in crossings] == [
        (MONDAY, MONDAY + 3 * WEEK + datetime.timedelta(days=4), 16)
    ]


def test_fifteen_hours_do_not_flag() -> None:
    assert find_threshold_crossings(days(MONDAY, 5, 3), no_holidays) == []


def test_hours_spread_over_more_than_four_weeks_do_not_flag() -> None:
    hours = {MONDAY: 4, MONDAY + WEEK: 4, MONDAY + 2 * WEEK: 4, MONDAY + 4 * WEEK: 4}

    assert find_threshold_crossings(hours, no_holidays) == []


def test_a_holiday_week_does_not_use_up_the_window() -> None:
    holiday_week = (MONDAY + 2 * WEEK, MONDAY + 2 * WEEK + datetime.timedelta(days=6))
    hours = {MONDAY: 4, MONDAY + WEEK: 4, MONDAY + 3 * WEEK: 4, MONDAY + 4 * WEEK: 4}

    with_holiday = find_threshold_crossings(
        hours, lambda day: holiday_week[0] <= day <= holiday_week[1]
    )

    assert find_threshold_crossings(hours, no_holidays) == []
    assert [(c.begin, c.end) for c in with_holiday] == [(MONDAY, MONDAY + 4 * WEEK)]


def test_hours_on_a_holiday_do_not_count() -> None:
    hours = days(MONDAY, 4, 4)
    last_day = max(hours)

    crossings = find_threshold_crossings(hours, lambda day: day == last_day)

    assert crossings == []


def test_counting_restarts_the_day_after_the_threshold() -> None:
    hours = days(MONDAY, 8, 4)

    crossings = find_threshold_crossings(hours, no_holidays)

    assert [(c.begin, c.end) for c in crossings] == [
        (MONDAY, MONDAY + datetime.timedelta(days=3)),
        (MONDAY + datetime.timedelta(days=4), MONDAY + WEEK + datetime.timedelta(days=2)),
    ]


def test_registering_unauthorised_hours_flags_the_student_and_authorising_unflags(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = make_user("leraar", "teacher")
    student = workshop.students[0]
    truant = AbsenceCode.objects.get(code="S")
    ill = AbsenceCode.objects.get(code="Z")
    Holiday.objects.create(
        name="Herfstvakantie", start=MONDAY + WEEK, end=MONDAY + WEEK + datetime.timedelta(days=6)
    )
    periods = list(LessonPeriod.objects.all()[:4])
    first_days = [MONDAY + datetime.timedelta(days=n) for n in (0, 1, 2)] + [MONDAY + 2 * WEEK]
    for day in first_days:
        for period in periods:
            do_register_absences(teacher, day, period, [Mark(student.pk, truant)])

    signal = TruancySignal.objects.get(student=student)
    assert (signal.begin, signal.end, signal.hours) == (MONDAY, MONDAY + 2 * WEEK, 16)

    do_register_absences(teacher, MONDAY, periods[0], [Mark(student.pk, ill)], "doktersbrief")

    assert not TruancySignal.objects.filter(student=student).exists()


def test_whole_day_absence_counts_every_lesson_period(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = make_user("leraar", "teacher")
    student = workshop.students[1]
    truant = AbsenceCode.objects.get(code="S")
    periods_per_day = LessonPeriod.objects.count()

    do_register_absences(teacher, MONDAY, None, [Mark(student.pk, truant)])
    do_register_absences(
        teacher, MONDAY + datetime.timedelta(days=1), None, [Mark(student.pk, truant)]
    )

    signal = TruancySignal.objects.get(student=student)
    assert periods_per_day * 2 >= 16
    assert signal.hours == periods_per_day * 2
