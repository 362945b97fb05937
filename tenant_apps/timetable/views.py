"""Timetable pages: input, solving with live progress, grids, pinning and publishing.

Timetablers (the timetable module's edit right) work on every page under ``/rooster/``;
everyone with the view right sees their own timetable and, within their scope, a
student's timetable tab.
"""

import datetime
from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from tenant_apps.absence.models import LessonPeriod
from tenant_apps.access.decorators import public, requires
from tenant_apps.access.modules import Action, Module
from tenant_apps.school.models import StaffMember, Student
from tenant_apps.school.views import student_tabs
from tenant_apps.timetable import calendar, forms, selectors, services
from tenant_apps.timetable.models import (
    Course,
    LessonRequirement,
    LocationPeriodTime,
    Room,
    ScheduledLesson,
    Subject,
    TeacherUnavailability,
    TimetableVersion,
    TravelTime,
    Weekday,
    Weights,
)

EDIT = (Module.TIMETABLE, Action.EDIT)
VIEW = (Module.TIMETABLE, Action.VIEW)


@dataclass(frozen=True)
class InputTable:
    """One input screen: a model, its form and the columns of its list."""

    title: StrOrPromise
    model: type[models.Model]
    form: type[django_forms.ModelForm]
    columns: tuple[str, ...]


INPUT_TABLES: dict[str, InputTable] = {
    "lokalen": InputTable(
        gettext_lazy("Rooms"), Room, forms.RoomForm, ("name", "location", "capacity", "features")
    ),
    "vakken": InputTable(gettext_lazy("Subjects"), Subject, forms.SubjectForm, ("code", "name")),
    "lessen": InputTable(
        gettext_lazy("Lesson requirements"),
        LessonRequirement,
        forms.LessonRequirementForm,
        (
            "subject",
            "group",
            "students",
            "course",
            "teacher",
            "per_week",
            "duration",
            "room",
            "features",
        ),
    ),
    "keuzevakken": InputTable(
        gettext_lazy("Elective courses"),
        Course,
        forms.CourseForm,
        ("name", "students", "max_size_difference"),
    ),
    "reistijden": InputTable(
        gettext_lazy("Travel times"),
        TravelTime,
        forms.TravelTimeForm,
        ("origin", "destination", "minutes"),
    ),
    "lestijden": InputTable(
        gettext_lazy("Period times per location"),
        LocationPeriodTime,
        forms.LocationPeriodTimeForm,
        ("location", "period", "starts_at", "ends_at"),
    ),
}


@requires(*EDIT)
def overview(request: HttpRequest) -> HttpResponse:
    """Show the versions, the input screens and the button that starts a solve."""
    context = {
        "versions": TimetableVersion.objects.all()[:30],
        "tables": [
            (slug, table.title, table.model._default_manager.count())
            for slug, table in INPUT_TABLES.items()
        ],
        "weights": Weights.current(),
    }
    return render(request, "timetable/overview.html", context)


@requires(*EDIT)
def input_table(request: HttpRequest, slug: str) -> HttpResponse:
    """List one kind of input with a form to add, change or remove a row."""
    table = INPUT_TABLES.get(slug)
    if table is None:
        raise Http404
    editing = None
    if request.GET.get("bewerk"):
        editing = get_object_or_404(table.model, pk=request.GET["bewerk"])

    if request.method == "POST" and "delete" in request.POST:
        row = get_object_or_404(table.model, pk=request.POST["delete"])
        try:
            services.do_delete_input(row)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Removed."))
        return redirect("timetable-input", slug=slug)

    form = table.form(request.POST or None, instance=editing)
    if request.method == "POST" and form.is_valid():
        services.do_save_input(form)
        messages.success(request, _("Saved."))
        return redirect("timetable-input", slug=slug)

    rows = [(row, [_display(row, column) for column in table.columns]) for row in _rows_of(table)]
    headers = [
        getattr(table.model._meta.get_field(column), "verbose_name", column)
        for column in table.columns
    ]
    context = {
        "table": table,
        "slug": slug,
        "form": form,
        "rows": rows,
        "headers": headers,
        "editing": editing,
    }
    return render(request, "timetable/input_table.html", context)


def _rows_of(table: InputTable) -> models.QuerySet[models.Model]:
    """Return a table's rows with what its columns show fetched up front (no query a row)."""
    fields = [table.model._meta.get_field(column) for column in table.columns]
    return (
        table.model._default_manager.all()
        .select_related(*[f.name for f in fields if f.many_to_one])
        .prefetch_related(*[f.name for f in fields if f.many_to_many])
    )


def _display(row: models.Model, column: str) -> str:
    field = row._meta.get_field(column)
    if field.many_to_many:
        return ", ".join(str(item) for item in getattr(row, column).all())
    value = getattr(row, column)
    if isinstance(value, list):
        return ", ".join(value)
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


@requires(*EDIT)
def availability(request: HttpRequest) -> HttpResponse:
    """Mark per teacher the periods of the week when they cannot teach."""
    teachers = list(StaffMember.objects.order_by("last_name", "first_name"))
    teacher = None
    if request.GET.get("docent") or request.POST.get("teacher"):
        teacher = get_object_or_404(
            StaffMember, pk=request.GET.get("docent") or request.POST.get("teacher")
        )
    periods = list(LessonPeriod.objects.order_by("number"))
    if teacher is not None and request.method == "POST":
        slots = set()
        for value in request.POST.getlist("slot"):
            weekday, _sep, period = value.partition("-")
            slots.add((int(weekday), int(period)))
        services.do_set_unavailable(teacher, slots)
        messages.success(request, _("The availability was saved."))
        return redirect(f"{request.path}?docent={teacher.pk}")

    marked: set[tuple[int, int]] = set()
    if teacher is not None:
        marked = set(
            TeacherUnavailability.objects.filter(teacher=teacher).values_list(
                "weekday", "period_id"
            )
        )
    rows = [(p, [(d, (d, p.pk) in marked) for d, _label in Weekday.choices]) for p in periods]
    context = {"teachers": teachers, "teacher": teacher, "rows": rows, "days": Weekday.choices}
    return render(request, "timetable/availability.html", context)


@requires(*EDIT)
def weights(request: HttpRequest) -> HttpResponse:
    """Set the weights of the soft goals and the search time."""
    form = forms.WeightsForm(request.POST or None, instance=Weights.current())
    if request.method == "POST" and form.is_valid():
        services.do_save_input(form)
        messages.success(request, _("The weights were saved."))
        return redirect("timetable-overview")
    return render(request, "timetable/weights.html", {"form": form})


@requires(*EDIT)
def import_fet(request: HttpRequest) -> HttpResponse:
    """Read a FET file into the input: subjects, rooms, teachers, groups and lessons."""
    form = forms.FetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = services.do_import_fet(form.cleaned_data["file"].read())
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(request, summary)
            return redirect("timetable-overview")
    return render(request, "timetable/import_fet.html", {"form": form})


@requires(*EDIT)
def start_solve(request: HttpRequest) -> HttpResponse:
    """Queue a new solve; the version page shows its progress."""
    if request.method != "POST":
        return redirect("timetable-overview")
    version = services.do_start_solve(request.user)  # type: ignore[arg-type]
    return redirect("timetable-version", version_id=version.pk)


@requires(*EDIT)
def version_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    """Show a version: progress while solving, else a grid, the conflicts and actions."""
    version = get_object_or_404(TimetableVersion, pk=version_id)
    day = timezone.localdate()
    kind = request.GET.get("soort", "group")
    if kind not in selectors.GRID_KINDS:
        kind = "group"
    lessons = selectors.lessons_of(version)
    choices = selectors.grid_subjects(kind, day, version)
    chosen = _chosen(request.GET.get("id"), choices)
    shown = list(selectors.filter_lessons(lessons, kind, chosen, day)) if chosen else []
    context = {
        "version": version,
        "kind": kind,
        "kinds": _kind_labels(),
        "choices": choices,
        "chosen": chosen,
        "grid": selectors.build_grid(shown),
        "all_lessons": list(lessons.order_by("subject_code", "weekday", "period")),
        "conflicts": selectors.conflicts(version, day) if version.has_timetable else [],
        "costs": _cost_labels(version),
        "periods": LessonPeriod.objects.order_by("number"),
        "days": Weekday.choices,
        "rooms": Room.objects.all(),
    }
    return render(request, "timetable/version.html", context)


def _cost_labels(version: TimetableVersion) -> list[tuple[str, int]]:
    """Return the soft goals that cost something, with their names on screen."""
    labels = {
        field.name: str(getattr(field, "verbose_name", field.name))
        for field in Weights._meta.get_fields()
    }
    labels["preferred_times"] = _("lessons outside their preferred times")
    labels["teacher_undesired"] = _("lessons at times a teacher would rather not")
    return [(labels.get(goal, goal), count) for goal, count in version.costs.items() if count]


def _chosen(value: str | None, choices: list[tuple[int, str]]) -> int | None:
    keys = [pk for pk, _name in choices]
    if value and value.isdigit() and int(value) in keys:
        return int(value)
    return keys[0] if keys else None


def _kind_labels() -> list[tuple[str, str]]:
    return [
        ("group", _("Group")),
        ("teacher", _("Teacher")),
        ("student", _("Student")),
        ("room", _("Room")),
        ("location", _("Location")),
    ]


@requires(*EDIT)
def version_progress(request: HttpRequest, version_id: int) -> HttpResponse:
    """Return the progress panel; htmx polls it while the solver works."""
    version = get_object_or_404(TimetableVersion, pk=version_id)
    response = render(request, "timetable/_progress.html", {"version": version})
    if version.is_finished:
        # The page reloads once to show the finished timetable (htmx's refresh header).
        response["HX-Refresh"] = "true"
    return response


@requires(*EDIT)
def stop_solve(request: HttpRequest, version_id: int) -> HttpResponse:
    """Ask the solver to stop and keep the best timetable so far."""
    version = get_object_or_404(TimetableVersion, pk=version_id)
    if request.method == "POST":
        services.do_request_stop(version)
    return redirect("timetable-version", version_id=version.pk)


@requires(*EDIT)
def resolve(request: HttpRequest, version_id: int) -> HttpResponse:
    """Solve again from a version: pinned lessons stay, others move as little as possible."""
    version = get_object_or_404(TimetableVersion, pk=version_id)
    if request.method != "POST":
        return redirect("timetable-version", version_id=version.pk)
    new = services.do_start_solve(request.user, based_on=version)  # type: ignore[arg-type]
    return redirect("timetable-version", version_id=new.pk)


@requires(*EDIT)
def publish(request: HttpRequest, version_id: int) -> HttpResponse:
    """Make a version the school's timetable."""
    version = get_object_or_404(TimetableVersion, pk=version_id)
    if request.method == "POST":
        try:
            services.do_publish(version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The timetable is published."))
    return redirect("timetable-version", version_id=version.pk)


@requires(*EDIT)
def pin_lesson(request: HttpRequest, version_id: int) -> HttpResponse:
    """Pin a lesson at a chosen day and period, or let it move again."""
    if request.method == "POST":
        lesson_id = request.POST.get("lesson", "")
        lesson = get_object_or_404(
            ScheduledLesson, pk=int(lesson_id) if lesson_id.isdigit() else 0, version_id=version_id
        )
        try:
            if request.POST.get("unpin"):
                services.do_unpin_lesson(lesson)
            else:
                room = request.POST.get("room", "")
                services.do_pin_lesson(
                    lesson,
                    int(request.POST.get("weekday", "-1")),
                    int(request.POST.get("period", "-1")),
                    int(room) if room.isdigit() else None,
                )
        except (ValidationError, ValueError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(request, text)
        else:
            done = _("The lesson may move again.") if request.POST.get("unpin") else None
            messages.success(
                request, done or _("The lesson is pinned. Solve again to fit the rest.")
            )
    return redirect("timetable-version", version_id=version_id)


@requires(*VIEW)
def my_timetable(request: HttpRequest) -> HttpResponse:
    """Show the signed-in teacher's own published timetable, with a calendar link."""
    staff = getattr(request.user, "staff_member", None)
    lessons = selectors.teacher_lessons(staff) if staff else []
    context = {
        "grid": selectors.build_grid(lessons),
        "feed_url": calendar.feed_url(request, "staff", staff.pk) if staff else None,
        "has_timetable": selectors.published_version() is not None,
    }
    return render(request, "timetable/mine.html", context)


@requires(*VIEW)
def student_timetable(request: HttpRequest, student_id: int) -> HttpResponse:
    """Show the timetable tab of a student's page."""
    student = get_object_or_404(Student, pk=student_id)
    lessons = selectors.student_lessons(student, timezone.localdate())
    context = {
        "student": student,
        "grid": selectors.build_grid(lessons),
        "has_timetable": selectors.published_version() is not None,
        "feed_url": calendar.feed_url(request, "student", student.pk),
        "tabs": student_tabs(request, student),
        "active_tab": Module.TIMETABLE,
    }
    return render(request, "timetable/student_timetable.html", context)


@public
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Serve a person's published timetable as an iCalendar feed (signed link, no login)."""
    person = calendar.person_of(token)
    if person is None:
        raise Http404
    kind, pk = person
    day = timezone.localdate()
    if kind == "student":
        student = get_object_or_404(Student, pk=pk)
        lessons = selectors.student_lessons(student, day)
    else:
        lessons = selectors.teacher_lessons(get_object_or_404(StaffMember, pk=pk))
    body = calendar.ics(lessons, day)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rooster.ics"'
    return response
