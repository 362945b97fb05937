"""Every change to absence: registering for a lesson, correcting, and the truancy flags.

A registration for a group arrives as one list of (student, code or None) for one day
and period. Existing registrations are read in one query, new ones are written in one
statement, and each change to an existing one is recorded with who made it. After the
change, the truancy flags of the students concerned are brought up to date in the same
transaction, so a flag never lags behind the hours it counts.
"""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.absence.models import (
    Absence,
    AbsenceChange,
    AbsenceCode,
    LessonPeriod,
    TruancySignal,
)
from tenant_apps.absence.truancy import find_threshold_crossings
from tenant_apps.school.models import Holiday, SchoolYear, Student

logger = logging.getLogger(__name__)

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Mark:
    """What to register for one student: an absence code, or None for present."""

    student_id: int
    code: AbsenceCode | None
    note: str = ""


@dataclass(frozen=True)
class RegistrationResult:
    created: int
    changed: int
    removed: int


@transaction.atomic
def do_register_absences(
    user: AnyUser,
    day: datetime.date,
    period: LessonPeriod | None,
    marks: Sequence[Mark],
    reason: str = "",
) -> RegistrationResult:
    """Register absence (or presence) of several students for one day and period.

    A student marked present loses a registration they had; a student whose code
    changes keeps the old code in the history. ``period`` None means the whole day.
    """
    _check_registration(day, marks)
    # Two teachers may register the same lesson at the same moment (mentor and teacher,
    # both at 8:30). The second insert then fails on the unique constraint once the first
    # commits; one retry sees the first one's rows and records its change as a correction.
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _register(user, day, period, marks, reason)
        except IntegrityError:
            if attempt == 1:
                raise
            logger.info("absence registration retried after a concurrent one")
    raise AssertionError("unreachable")


def _register(
    user: AnyUser,
    day: datetime.date,
    period: LessonPeriod | None,
    marks: Sequence[Mark],
    reason: str,
) -> RegistrationResult:
    student_ids = [mark.student_id for mark in marks]
    existing = {
        absence.student_id: absence
        for absence in Absence.objects.select_for_update(of=("self",))
        .filter(student_id__in=student_ids, date=day, period=period)
        .select_related("code")
    }

    now = timezone.now()
    to_create: list[Absence] = []
    to_update: list[Absence] = []
    changes: list[AbsenceChange] = []
    removed: list[Absence] = []
    for mark in marks:
        absence = existing.get(mark.student_id)
        if absence is None and mark.code is not None:
            to_create.append(
                Absence(
                    student_id=mark.student_id,
                    date=day,
                    period=period,
                    code=mark.code,
                    note=mark.note,
                    registered_by_id=user.pk,
                    registered_at=now,
                )
            )
        elif absence is not None and mark.code is None:
            changes.append(_change(user, absence, None, reason, now))
            removed.append(absence)
        elif absence is not None and mark.code is not None and absence.code != mark.code:
            changes.append(_change(user, absence, mark.code, reason, now))
            absence.code = mark.code
            absence.note = mark.note or absence.note
            to_update.append(absence)

    Absence.objects.bulk_create(to_create)
    Absence.objects.bulk_update(to_update, ["code", "note"])
    AbsenceChange.objects.bulk_create(changes)
    Absence.objects.filter(pk__in=[absence.pk for absence in removed]).delete()

    update_truancy_signals(student_ids, day)
    logger.info(
        "absence registered",
        extra={"students": len(marks), "new": len(to_create), "changes": len(changes)},
    )
    return RegistrationResult(len(to_create), len(to_update), len(removed))


@transaction.atomic
def do_correct_absence(
    user: AnyUser, absence: Absence, code: AbsenceCode | None, reason: str
) -> None:
    """Correct one registration (None removes it), keeping the old code in the history."""
    if not reason.strip():
        raise ValidationError(_("Give a reason for the correction."), code="reason_required")
    do_register_absences(
        user, absence.date, absence.period, [Mark(absence.student_id, code)], reason
    )


def _check_registration(day: datetime.date, marks: Sequence[Mark]) -> None:
    """Refuse unknown or unenrolled students, a student twice, or a retired code."""
    student_ids = [mark.student_id for mark in marks]
    if len(set(student_ids)) != len(student_ids):
        raise ValidationError(_("A student appears twice."), code="duplicate_student")
    enrolled = set(
        Student.objects.enrolled_on(day).filter(pk__in=student_ids).values_list("pk", flat=True)
    )
    if missing := set(student_ids) - enrolled:
        raise ValidationError(
            _("Not enrolled on %(day)s: student %(ids)s."),
            code="not_enrolled",
            params={"day": day.isoformat(), "ids": ", ".join(map(str, sorted(missing)))},
        )
    if any(mark.code is not None and not mark.code.is_active for mark in marks):
        raise ValidationError(_("This absence code is no longer in use."), code="inactive_code")


def _change(
    user: AnyUser,
    absence: Absence,
    new_code: AbsenceCode | None,
    reason: str,
    now: datetime.datetime,
) -> AbsenceChange:
    return AbsenceChange(
        absence=absence if new_code is not None else None,
        student_id=absence.student_id,
        date=absence.date,
        period_id=absence.period_id,
        old_code=absence.code,
        new_code=new_code,
        reason=reason,
        changed_by_id=user.pk,
        changed_by_name=user.get_username() if user.is_authenticated else "",
        changed_at=now,
    )


# --- Truancy flags --------------------------------------------------------------------------


def counting_start(day: datetime.date) -> datetime.date:
    """Return the day counting starts for ``day``: its school year's first day (1 August)."""
    school_year = SchoolYear.objects.as_of(day).first()
    if school_year is not None:
        return school_year.start
    return datetime.date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def unauthorised_hours_by_day(
    student_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, dict[datetime.date, int]]:
    """Return per student the unauthorised lesson hours per day between two dates."""
    periods_per_day = LessonPeriod.objects.count()
    hours: dict[int, dict[datetime.date, int]] = {}
    absences = Absence.objects.filter(
        student_id__in=list(student_ids),
        date__range=(start, end),
        code__is_authorised=False,
        code__counts_as_lesson_hours=True,
    ).values_list("student_id", "date", "period_id")
    for student_id, day, period_id in absences:
        per_day = hours.setdefault(student_id, {})
        missed = 1 if period_id is not None else periods_per_day
        # A whole-day absence already covers every period of that day.
        per_day[day] = min(periods_per_day, per_day.get(day, 0) + missed)
    return hours


def holiday_checker(start: datetime.date, end: datetime.date) -> "HolidayCalendar":
    """Return the school's holidays and closed days between two dates, read once."""
    holidays = Holiday.objects.filter(start__lte=end, end__gte=start).values_list("start", "end")
    return HolidayCalendar(list(holidays))


class HolidayCalendar:
    """Answers whether a day falls in one of the school's holidays or closed days."""

    def __init__(self, ranges: list[tuple[datetime.date, datetime.date]]) -> None:
        self.ranges = ranges

    def __call__(self, day: datetime.date) -> bool:
        return any(first <= day <= last for first, last in self.ranges)


def update_truancy_signals(student_ids: Sequence[int], day: datetime.date) -> int:
    """Bring the truancy flags of some students up to date; return how many are new.

    The whole school year up to today is recounted, because a correction can move
    where a count starts. Flags that no longer hold (an absence became authorised) go.
    """
    start = counting_start(day)
    end = max(day, timezone.localdate())
    hours = unauthorised_hours_by_day(student_ids, start, end)
    is_holiday = holiday_checker(start, end)

    wanted = {
        (student_id, crossing.end): crossing
        for student_id in student_ids
        for crossing in find_threshold_crossings(hours.get(student_id, {}), is_holiday)
    }
    current = {
        (signal.student_id, signal.end): signal
        for signal in TruancySignal.objects.filter(
            student_id__in=student_ids, end__range=(start, end)
        )
    }
    stale = [signal.pk for key, signal in current.items() if key not in wanted]
    TruancySignal.objects.filter(pk__in=stale).delete()

    now = timezone.now()
    new = [
        TruancySignal(
            student_id=student_id,
            begin=crossing.begin,
            end=crossing.end,
            hours=crossing.hours,
            flagged_at=now,
        )
        for (student_id, _end), crossing in wanted.items()
        if (student_id, _end) not in current
    ]
    TruancySignal.objects.bulk_create(new)
    if new:
        logger.info("truancy threshold reached", extra={"signals": len(new)})
    return len(new)
