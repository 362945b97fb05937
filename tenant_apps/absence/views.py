"""Absence pages: a teacher's groups, the group screen, a student's overview, corrections."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.absence import selectors, services
from tenant_apps.absence.models import Absence, AbsenceCode, LessonPeriod, TruancySignal
from tenant_apps.access.decorators import requires
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.services import scope_students
from tenant_apps.school.models import Group, Student
from tenant_apps.school.selectors import groups_as_of, supervised_groups
from tenant_apps.school.views import student_tabs
from tenant_apps.timetable.models import ScheduledLesson
from tenant_apps.timetable.selectors import group_lessons_on

WHOLE_DAY = "dag"


@requires(Module.ABSENCE, Action.VIEW)
def my_groups(request: HttpRequest) -> HttpResponse:
    """List the groups the user supervises first, then the school's other groups."""
    today = timezone.localdate()
    staff = getattr(request.user, "staff_member", None)
    own = list(supervised_groups(staff, today))
    others = groups_as_of(today).exclude(pk__in=[group.pk for group in own])
    return render(request, "absence/my_groups.html", {"own": own, "others": others})


@requires(Module.ABSENCE, Action.EDIT)
def group_absence(request: HttpRequest, group_id: int) -> HttpResponse:
    """Register the absence of a group's students for one lesson period in one screen."""
    group = get_object_or_404(Group, pk=group_id)
    day = _parse_day(request.POST.get("date") or request.GET.get("datum"))
    periods = list(LessonPeriod.objects.all())
    lessons = group_lessons_on(group, day)
    period = _parse_period(request.POST.get("period") or request.GET.get("uur"), periods, lessons)
    codes = list(selectors.active_codes())
    students = scope_students(request.user, Module.ABSENCE, Student.objects.all(), Action.EDIT)

    if request.method == "POST":
        rows = selectors.group_sheet(group, day, period, students)
        marks = _marks_from_post(request, rows, codes)
        try:
            result = services.do_register_absences(request.user, day, period, marks)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Saved: %(new)d new, %(changed)d changed, %(removed)d removed.")
                % {"new": result.created, "changed": result.changed, "removed": result.removed},
            )
            query = f"?datum={day.isoformat()}&uur={period.number if period else WHOLE_DAY}"
            return redirect(request.path + query)

    rows = selectors.group_sheet(group, day, period, students)
    context = {
        "group": group,
        "day": day,
        "period": period,
        "periods": periods,
        "codes": codes,
        "rows": rows,
        "whole_day": WHOLE_DAY,
        "lessons": lessons,
    }
    return render(request, "absence/group_sheet.html", context)


@requires(Module.ABSENCE, Action.VIEW)
def student_absence(request: HttpRequest, student_id: int) -> HttpResponse:
    """Show a student's absence this school year: registrations, totals and history."""
    student = get_object_or_404(Student, pk=student_id)
    context = {
        "student": student,
        "overview": selectors.student_overview(student),
        "signals": list(TruancySignal.objects.filter(student=student)[:5]),
        "tabs": student_tabs(request, student),
        "active_tab": Module.ABSENCE,
        "codes": list(selectors.active_codes()),
    }
    return render(request, "absence/student_absence.html", context)


@requires(Module.ABSENCE, Action.EDIT)
def correct_absence(request: HttpRequest, student_id: int, absence_id: int) -> HttpResponse:
    """Change or remove one registration; the old code stays in the history."""
    absence = get_object_or_404(Absence, pk=absence_id, student_id=student_id)
    if request.method != "POST":
        return redirect("student-absence", student_id=student_id)

    code_id = request.POST.get("code", "")
    code = AbsenceCode.objects.filter(pk=code_id).first() if code_id else None
    if code_id and code is None:
        raise Http404
    try:
        services.do_correct_absence(request.user, absence, code, request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The correction was saved."))
    return redirect("student-absence", student_id=student_id)


def _parse_day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _parse_period(
    value: str | None, periods: list[LessonPeriod], lessons: list[ScheduledLesson]
) -> LessonPeriod | None:
    """Return the chosen period, None for the whole day.

    Without a choice it is the group's lesson that is on now (or the last one that has
    begun) in the published timetable, and else the period of the clock.
    """
    if value == WHOLE_DAY:
        return None
    if value and value.isdigit():
        return next((period for period in periods if period.number == int(value)), None)
    now = timezone.localtime().time()
    starts = [(lesson.period, getattr(lesson, "starts_at", None)) for lesson in lessons]
    begun = [number for number, start in starts if start is not None and start <= now]
    if lessons:
        number = begun[-1] if begun else lessons[0].period
        return next((period for period in periods if period.number == number), None)
    current = [period for period in periods if period.starts_at <= now]
    return current[-1] if current else (periods[0] if periods else None)


def _marks_from_post(
    request: HttpRequest, rows: list[selectors.SheetRow], codes: list[AbsenceCode]
) -> list[services.Mark]:
    """Read one choice per student shown; students not on the screen are left alone."""
    by_id = {str(code.pk): code for code in codes}
    return [
        services.Mark(row.student.pk, by_id.get(request.POST.get(f"student-{row.student.pk}", "")))
        for row in rows
        if f"student-{row.student.pk}" in request.POST
    ]
