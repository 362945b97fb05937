"""Reading timetables: grids per group, teacher, student, room and location; conflicts."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from tenant_apps.absence.models import LessonPeriod
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenant_apps.timetable.models import (
    LocationPeriodTime,
    Room,
    ScheduledLesson,
    ScheduledLessonQuerySet,
    TeacherUnavailability,
    TimetableVersion,
    VersionStatus,
    Weekday,
)

GRID_KINDS = ("group", "teacher", "student", "room", "location")


@dataclass
class GridRow:
    period: LessonPeriod
    cells: list[list[ScheduledLesson]]


@dataclass
class Grid:
    days: list[tuple[int, str]]
    rows: list[GridRow]


def members_as_of(group_ids: set[int], day: datetime.date) -> dict[int, list[int]]:
    """Return the student keys of each group's members (guests included) on ``day``."""
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, student_id in (
        GroupMembership.objects.as_of(day)
        .filter(group_id__in=group_ids)
        .values_list("group_id", "student_id")
    ):
        members[group_id].append(student_id)
    return dict(members)


def lessons_of(version: TimetableVersion) -> ScheduledLessonQuerySet:
    """Return a version's lessons with what the grids show of them."""
    return ScheduledLesson.objects.filter(version=version).select_related(
        "teacher", "group", "room", "location"
    )


def published_version() -> TimetableVersion | None:
    """Return the school's published timetable, if it has one."""
    return TimetableVersion.objects.filter(status=VersionStatus.PUBLISHED).first()


def filter_lessons(
    lessons: ScheduledLessonQuerySet, kind: str, pk: int, day: datetime.date
) -> ScheduledLessonQuerySet:
    """Return the lessons of one group, teacher, student, room or location."""
    if kind == "group":
        return lessons.filter(group_id=pk)
    if kind == "teacher":
        return lessons.filter(teacher_id=pk)
    if kind == "room":
        return lessons.filter(room_id=pk)
    if kind == "location":
        return lessons.filter(location_id=pk)
    if kind == "student":
        groups = list(
            GroupMembership.objects.as_of(day)
            .filter(student_id=pk)
            .values_list("group_id", flat=True)
        )
        return lessons.of_student(Student(pk=pk), groups)
    raise ValueError(kind)


def build_grid(lessons: list[ScheduledLesson]) -> Grid:
    """Lay lessons out in a week: a row per period, a column per day."""
    periods = list(LessonPeriod.objects.order_by("number"))
    cells: dict[tuple[int, int], list[ScheduledLesson]] = defaultdict(list)
    for lesson in lessons:
        for number in lesson.periods:
            cells[(lesson.weekday, number)].append(lesson)
    days = [(int(value), str(label)) for value, label in Weekday.choices]
    return Grid(
        days=days,
        rows=[GridRow(p, [cells[(d, p.number)] for d, _label in days]) for p in periods],
    )


def grid_subjects(
    kind: str, day: datetime.date, version: TimetableVersion | None = None
) -> list[tuple[int, str]]:
    """Return the (key, name) choices for one kind of grid, those in ``version`` if given."""
    lessons = ScheduledLesson.objects.filter(version=version) if version else None

    def used(field: str) -> list[int]:
        assert lessons is not None
        return list(lessons.exclude(**{field: None}).values_list(field, flat=True).distinct())

    if kind == "group":
        groups = (
            Group.objects.filter(pk__in=used("group_id")) if lessons is not None else Group.objects
        )
        return [(g.pk, g.name) for g in groups.order_by("name")]
    if kind == "teacher":
        staff = (
            StaffMember.objects.filter(pk__in=used("teacher_id"))
            if lessons is not None
            else StaffMember.objects.filter(lesson_requirements__isnull=False).distinct()
        )
        return [(s.pk, f"{s.first_name} {s.last_name}") for s in staff.order_by("last_name")]
    if kind == "room":
        rooms = (
            Room.objects.filter(pk__in=used("room_id"))
            if lessons is not None
            else Room.objects.all()
        )
        return [(r.pk, r.name) for r in rooms]
    if kind == "location":
        places = (
            Location.objects.filter(pk__in=used("location_id"))
            if lessons is not None
            else Location.objects
        )
        return [(loc.pk, loc.name) for loc in places.all()]
    students = Student.objects.enrolled_on(day).order_by("last_name", "first_name")
    return [(s.pk, s.full_name) for s in students]


def conflicts(version: TimetableVersion, day: datetime.date | None = None) -> list[str]:
    """Return, in Dutch, every clash in a version: people or rooms in two places at once.

    A freshly solved version has none (the verifier checked it); pinning lessons by hand
    can make some, which the next solve resolves.
    """
    day = day or datetime.date.today()
    lessons = list(lessons_of(version))
    group_ids = {lesson.group_id for lesson in lessons if lesson.group_id}
    members = members_as_of(group_ids, day)

    busy: dict[tuple[str, int], dict[tuple[int, int], list[ScheduledLesson]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for lesson in lessons:
        who = {("student", s) for s in lesson.student_ids}
        who |= {("student", s) for s in members.get(lesson.group_id or 0, [])}
        if lesson.teacher_id:
            who.add(("teacher", lesson.teacher_id))
        if lesson.group_id:
            who.add(("group", lesson.group_id))
        if lesson.room_id:
            who.add(("room", lesson.room_id))
        for number in lesson.periods:
            for party in who:
                busy[party][(lesson.weekday, number)].append(lesson)

    names = _names(busy)
    found = []
    for party, slots in busy.items():
        for (weekday, number), clashing in sorted(slots.items()):
            if len(clashing) > 1:
                found.append(
                    _("%(who)s has %(lessons)s at the same time on %(day)s, period %(period)s.")
                    % {
                        "who": names[party],
                        "lessons": ", ".join(sorted(x.subject_code for x in clashing)),
                        "day": Weekday(weekday).label,
                        "period": number,
                    }
                )
    unavailable = set(
        TeacherUnavailability.objects.values_list("teacher_id", "weekday", "period__number")
    )
    for lesson in lessons:
        if lesson.teacher_id is None:
            continue
        for number in lesson.periods:
            if (lesson.teacher_id, lesson.weekday, number) in unavailable:
                found.append(
                    _("%(who)s is not available on %(day)s, period %(period)s (%(lesson)s).")
                    % {
                        "who": names[("teacher", lesson.teacher_id)],
                        "day": Weekday(lesson.weekday).label,
                        "period": number,
                        "lesson": lesson.subject_code,
                    }
                )
    return found


def _names(parties: object) -> dict[tuple[str, int], str]:
    keys = list(parties)  # type: ignore[call-overload]
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, pk in keys:
        by_kind[kind].add(pk)
    names: dict[tuple[str, int], str] = {}
    for s in Student.objects.filter(pk__in=by_kind["student"]):
        names[("student", s.pk)] = _("Student %(name)s") % {"name": s.full_name}
    for t in StaffMember.objects.filter(pk__in=by_kind["teacher"]):
        names[("teacher", t.pk)] = _("Teacher %(name)s") % {"name": f"{t.first_name} {t.last_name}"}
    for g in Group.objects.filter(pk__in=by_kind["group"]):
        names[("group", g.pk)] = _("Group %(name)s") % {"name": g.name}
    for r in Room.objects.filter(pk__in=by_kind["room"]):
        names[("room", r.pk)] = _("Room %(name)s") % {"name": r.name}
    return names


def student_lessons(student: Student, day: datetime.date) -> list[ScheduledLesson]:
    """Return the published lessons of a student (through groups as of ``day``)."""
    version = published_version()
    if version is None:
        return []
    groups = list(
        GroupMembership.objects.as_of(day)
        .filter(student=student)
        .values_list("group_id", flat=True)
    )
    return list(lessons_of(version).of_student(student, groups))


def teacher_lessons(staff: StaffMember) -> list[ScheduledLesson]:
    """Return the published lessons a member of staff teaches."""
    version = published_version()
    if version is None:
        return []
    return list(lessons_of(version).filter(teacher=staff))


def lessons_on(lessons: list[ScheduledLesson], day: datetime.date) -> list[ScheduledLesson]:
    """Return the lessons that fall on a date's weekday, in period order."""
    return sorted(
        (lesson for lesson in lessons if lesson.weekday == day.weekday()),
        key=lambda lesson: lesson.period,
    )


def clock_times(
    lessons: list[ScheduledLesson],
) -> dict[int, tuple[datetime.time | None, datetime.time | None]]:
    """Return the start and end clock time of each lesson, by key, at its location."""
    times = {p.number: (p.starts_at, p.ends_at) for p in LessonPeriod.objects.all()}
    at_location = {
        (row.location_id, row.period.number): (row.starts_at, row.ends_at)
        for row in LocationPeriodTime.objects.select_related("period")
    }

    def period_time(location_id: int | None, number: int) -> tuple[datetime.time, datetime.time]:
        if location_id is not None and (location_id, number) in at_location:
            return at_location[(location_id, number)]
        return times[number]

    found: dict[int, tuple[datetime.time | None, datetime.time | None]] = {}
    for lesson in lessons:
        first, last = lesson.period, lesson.period + lesson.duration - 1
        if first in times and last in times:
            found[lesson.pk] = (
                period_time(lesson.location_id, first)[0],
                period_time(lesson.location_id, last)[1],
            )
        else:
            found[lesson.pk] = (None, None)
    return found


def with_clock_times(lessons: list[ScheduledLesson]) -> list[ScheduledLesson]:
    """Set ``starts_at`` and ``ends_at`` on each lesson from its location's period times."""
    times = clock_times(lessons)
    for lesson in lessons:
        lesson.starts_at, lesson.ends_at = times[lesson.pk]  # type: ignore[attr-defined]
    return lessons


def group_lessons_on(group: Group, day: datetime.date) -> list[ScheduledLesson]:
    """Return a group's published lessons on a date, with clock times."""
    version = published_version()
    if version is None:
        return []
    lessons = list(lessons_of(version).filter(group=group, weekday=day.weekday()))
    return with_clock_times(sorted(lessons, key=lambda lesson: lesson.period))
