"""Read-only absence queries: the group sheet, a student's overview, totals and windows.

Each function runs a fixed number of queries whatever the number of students.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import QuerySet

from tenant_apps.absence.models import Absence, AbsenceChange, AbsenceCode, LessonPeriod
from tenant_apps.absence.services import (
    counting_start,
    holiday_checker,
    unauthorised_hours_by_day,
)
from tenant_apps.absence.truancy import (
    THRESHOLD_HOURS,
    WINDOW_SCHOOL_DAYS,
    is_school_day,
)
from tenant_apps.school.models import Group, GroupMembership, Student, StudentQuerySet


def active_codes() -> QuerySet[AbsenceCode]:
    return AbsenceCode.objects.filter(is_active=True)


@dataclass
class SheetRow:
    """One student on the group absence screen."""

    student: Student
    is_guest: bool
    absence: Absence | None
    whole_day: Absence | None


def group_sheet(
    group: Group, day: datetime.date, period: LessonPeriod | None, students: StudentQuerySet
) -> list[SheetRow]:
    """Return the students of ``group`` on ``day`` with their absence for ``period``.

    ``students`` is the queryset the caller may show (already narrowed by the access
    matrix); two queries in all.
    """
    memberships = {
        membership.student_id: membership
        for membership in GroupMembership.objects.as_of(day).filter(group=group)
    }
    members = list(
        students.filter(pk__in=list(memberships))
        .enrolled_on(day)
        .order_by("last_name", "first_name")
    )
    absences: dict[tuple[int, int | None], Absence] = {
        (absence.student_id, absence.period_id): absence
        for absence in Absence.objects.filter(
            student__in=[student.pk for student in members], date=day
        ).select_related("code")
    }
    return [
        SheetRow(
            student=student,
            is_guest=memberships[student.pk].is_guest,
            absence=absences.get((student.pk, period.pk if period else None)),
            whole_day=absences.get((student.pk, None)),
        )
        for student in members
    ]


@dataclass
class AbsenceOverview:
    """A student's absence between two dates, with totals and the truancy window."""

    start: datetime.date
    end: datetime.date
    absences: list[Absence]
    per_code: list[tuple[AbsenceCode, int]]
    per_month: list[tuple[datetime.date, int, int]]  # month, all hours, unauthorised hours
    highest_window_hours: int
    threshold: int = THRESHOLD_HOURS
    changes: list[AbsenceChange] = field(default_factory=list)

    @property
    def over_threshold(self) -> bool:
        return self.highest_window_hours >= self.threshold


def student_overview(
    student: Student, start: datetime.date | None = None, end: datetime.date | None = None
) -> AbsenceOverview:
    """Return ``student``'s absence in the current school year (or between two dates)."""
    end = end or datetime.date.today()
    start = start or counting_start(end)
    periods_per_day = LessonPeriod.objects.count()
    absences = list(
        Absence.objects.filter(student=student, date__range=(start, end)).select_related(
            "code", "period", "registered_by"
        )
    )

    per_code: Counter[int] = Counter()
    codes: dict[int, AbsenceCode] = {}
    per_month: dict[datetime.date, list[int]] = {}
    for absence in absences:
        hours = 1 if absence.period_id else periods_per_day
        codes[absence.code_id] = absence.code
        per_code[absence.code_id] += hours
        month = per_month.setdefault(absence.date.replace(day=1), [0, 0])
        month[0] += hours
        if absence.code.counts_as_truancy:
            month[1] += hours

    changes = list(
        AbsenceChange.objects.filter(student=student, date__range=(start, end)).select_related(
            "old_code", "new_code", "period"
        )
    )
    return AbsenceOverview(
        start=start,
        end=end,
        absences=absences,
        per_code=[(codes[code_id], hours) for code_id, hours in per_code.most_common()],
        per_month=[(month, *totals) for month, totals in sorted(per_month.items())],  # type: ignore[misc]
        highest_window_hours=highest_window_hours(student.pk, start, end),
        changes=changes,
    )


def highest_window_hours(student_id: int, start: datetime.date, end: datetime.date) -> int:
    """Return the most unauthorised hours missed within any 4 school weeks in a period."""
    hours = unauthorised_hours_by_day([student_id], start, end).get(student_id, {})
    is_holiday = holiday_checker(start, end)
    school_days = [
        start + datetime.timedelta(days=offset)
        for offset in range((end - start).days + 1)
        if is_school_day(start + datetime.timedelta(days=offset), is_holiday)
    ]
    daily = [hours.get(day, 0) for day in school_days]
    best = running = 0
    for index, value in enumerate(daily):
        running += value
        if index >= WINDOW_SCHOOL_DAYS:
            running -= daily[index - WINDOW_SCHOOL_DAYS]
        best = max(best, running)
    return best


def today_absences(student_ids: list[int], day: datetime.date) -> dict[int, list[Absence]]:
    """Return per student the absences registered on ``day`` (one query)."""
    found: dict[int, list[Absence]] = {}
    for absence in Absence.objects.filter(student_id__in=student_ids, date=day).select_related(
        "code", "period"
    ):
        found.setdefault(absence.student_id, []).append(absence)
    return found
