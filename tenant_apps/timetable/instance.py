"""Turn the school's timetable input into a solver instance, and a solver result back.

Solver ids carry a letter and the database key (``l3`` location, ``r5`` room, ``t2``
teacher, ``g7`` group, ``s41`` student, ``q12`` lesson requirement), so a result maps back
without a lookup table. Periods are the school's lesson periods in order; the solver's
period index ``i`` is the ``i``-th of them.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from solver.instance import Course as SolverCourse
from solver.instance import Group as SolverGroup
from solver.instance import Instance, Lesson, Period, Pin, Weights
from solver.instance import Location as SolverLocation
from solver.instance import Room as SolverRoom
from solver.instance import Student as SolverStudent
from solver.instance import Teacher as SolverTeacher
from solver.result import Placement, Result
from tenant_apps.absence.models import LessonPeriod
from tenant_apps.school.models import Group, Location, StaffMember
from tenant_apps.timetable import models as tt
from tenant_apps.timetable.models import ScheduledLesson, TimetableVersion, Weekday
from tenant_apps.timetable.selectors import members_as_of

DAY_NAMES = [str(label) for label in Weekday.labels]


@dataclass
class SchoolWeek:
    """A solver instance together with what is needed to store its result."""

    instance: Instance
    period_numbers: list[int]
    requirements: dict[str, tt.LessonRequirement]
    members: dict[int, list[int]]
    previous: Result | None


def key(prefix: str, pk: int) -> str:
    """Return the solver id of a database row."""
    return f"{prefix}{pk}"


def pk_of(solver_id: str) -> int:
    """Return the database key inside a solver id."""
    return int(solver_id[1:])


def _minutes(value: datetime.time) -> int:
    return value.hour * 60 + value.minute


def build_school_week(day: datetime.date, based_on: TimetableVersion | None) -> SchoolWeek:
    """Build the instance for the school's input as of ``day``.

    With ``based_on``, its pinned lessons are pinned again and its placements become the
    previous timetable, so the solver moves as few lessons as it can.
    """
    periods = list(LessonPeriod.objects.order_by("number"))
    index_of = {period.number: i for i, period in enumerate(periods)}
    requirements = list(
        tt.LessonRequirement.objects.select_related("subject", "room", "group").prefetch_related(
            "students"
        )
    )
    courses = list(
        tt.Course.objects.filter(sections__isnull=False).distinct().prefetch_related("students")
    )
    group_ids = {r.group_id for r in requirements if r.group_id is not None}
    members = members_as_of(group_ids, day)

    student_ids = {s for ids in members.values() for s in ids}
    student_ids |= {s.pk for r in requirements for s in r.students.all()}
    student_ids |= {s.pk for c in courses for s in c.students.all()}
    teacher_ids = {r.teacher_id for r in requirements if r.teacher_id is not None}
    teacher_names = {
        t.pk: f"{t.first_name} {t.last_name}".strip()
        for t in StaffMember.objects.filter(pk__in=teacher_ids)
    }
    group_names = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    unavailable: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for teacher_id, weekday, number in tt.TeacherUnavailability.objects.filter(
        teacher_id__in=teacher_ids
    ).values_list("teacher_id", "weekday", "period__number"):
        unavailable[teacher_id].add((weekday, index_of[number]))

    period_times: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in tt.LocationPeriodTime.objects.select_related("period"):
        period_times[row.location_id][index_of[row.period.number]] = (
            _minutes(row.starts_at),
            _minutes(row.ends_at),
        )

    pins, previous = _previous_timetable(based_on, index_of)
    rooms_at: dict[int, list[tt.Room]] = defaultdict(list)
    for room in tt.Room.objects.all():
        rooms_at[room.location_id].append(room)
    weights = tt.Weights.current()
    instance = Instance(
        name="school",
        days=DAY_NAMES,
        periods=[
            Period(str(p.number), _minutes(p.starts_at), _minutes(p.ends_at)) for p in periods
        ],
        locations=[
            SolverLocation(key("l", loc.pk), loc.name, dict(period_times.get(loc.pk, {})))
            for loc in Location.objects.all()
        ],
        travel_minutes={
            (key("l", row.origin_id), key("l", row.destination_id)): row.minutes
            for row in tt.TravelTime.objects.all()
        },
        rooms=[
            SolverRoom(
                key("r", room.pk),
                key("l", room.location_id),
                room.capacity,
                frozenset(room.features),
            )
            for room in tt.Room.objects.all()
        ],
        teachers=[
            SolverTeacher(
                key("t", pk),
                teacher_names.get(pk, ""),
                unavailable=frozenset(unavailable.get(pk, set())),
            )
            for pk in sorted(teacher_ids)
        ],
        groups=[
            SolverGroup(
                key("g", pk),
                group_names.get(pk, ""),
                members=tuple(key("s", s) for s in sorted(members.get(pk, []))),
            )
            for pk in sorted(group_ids)
        ],
        students=[SolverStudent(key("s", pk)) for pk in sorted(student_ids)],
        lessons=[_lesson(r, pins.get(r.pk, []), rooms_at) for r in requirements],
        courses=[
            SolverCourse(
                key("c", c.pk),
                c.name,
                students=tuple(key("s", s.pk) for s in c.students.all()),
                max_size_difference=c.max_size_difference,
            )
            for c in courses
        ],
        weights=Weights(
            student_gaps=weights.student_gaps,
            teacher_gaps=weights.teacher_gaps,
            location_changes=weights.location_changes,
            spread=weights.spread,
            moves=weights.moves,
        ),
    )
    return SchoolWeek(
        instance=instance,
        period_numbers=[p.number for p in periods],
        requirements={key("q", r.pk): r for r in requirements},
        members=members,
        previous=previous,
    )


def _lesson(
    requirement: tt.LessonRequirement, pins: list[Pin], rooms_at: dict[int, list[tt.Room]]
) -> Lesson:
    """Return the solver lesson of a requirement.

    A group's lessons take place at the group's main location (an individual lesson at
    the first student's), unless the requirement names a room; a group without a main
    location, or a lesson whose features no room there has, may use any room. A lesson
    that needs no features is kept to rooms without any where the location has them.
    """
    rooms: tuple[str, ...] | None = None
    if requirement.room_id:
        rooms = (key("r", requirement.room_id),)
    else:
        students = list(requirement.students.all())
        home = requirement.group.location_id if requirement.group else None
        if home is None and not requirement.group and students:
            home = students[0].location_id
        if home is not None:
            needed = set(requirement.features)
            here = rooms_at.get(home, [])
            # A plain lesson goes to an ordinary classroom, not the kitchen or the gym.
            suitable = [r for r in here if not r.features] if not needed else []
            suitable = suitable or [r for r in here if needed <= set(r.features)]
            # No suitable room there (a kitchen only at another location): any room will do.
            rooms = tuple(key("r", room.pk) for room in suitable) or None
    return Lesson(
        id=key("q", requirement.pk),
        subject=requirement.subject.code,
        duration=requirement.duration,
        per_week=requirement.per_week,
        teachers=(key("t", requirement.teacher_id),) if requirement.teacher_id else (),
        groups=(key("g", requirement.group_id),) if requirement.group_id else (),
        students=tuple(key("s", s.pk) for s in requirement.students.all()),
        rooms=rooms,
        features=frozenset(requirement.features),
        pinned=tuple(pins[: requirement.per_week]),
        spread_days=requirement.spread_days,
        course=key("c", requirement.course_id) if requirement.course_id else None,
    )


def _previous_timetable(
    version: TimetableVersion | None, index_of: dict[int, int]
) -> tuple[dict[int, list[Pin]], Result | None]:
    """Return the pins per requirement and the placements of an earlier version."""
    if version is None:
        return {}, None
    pins: dict[int, list[Pin]] = defaultdict(list)
    placements: list[Placement] = []
    lessons = ScheduledLesson.objects.filter(version=version, requirement__isnull=False)
    # Pinned occurrences come first: the solver pins the first occurrences of a lesson.
    counters: dict[int, int] = defaultdict(int)
    for lesson in lessons.order_by("requirement_id", "-pinned", "weekday", "period"):
        if lesson.period not in index_of or lesson.requirement_id is None:
            continue
        period = index_of[lesson.period]
        room = key("r", lesson.room_id) if lesson.room_id else None
        if lesson.pinned:
            pins[lesson.requirement_id].append(Pin(lesson.weekday, period, room))
        index = counters[lesson.requirement_id]
        counters[lesson.requirement_id] += 1
        placements.append(
            Placement(
                key("q", lesson.requirement_id),
                index,
                lesson.weekday,
                period,
                lesson.duration,
                room,
            )
        )
    return dict(pins), Result("FEASIBLE", placements=placements)


def scheduled_lessons(
    week: SchoolWeek, result: Result, version: TimetableVersion
) -> list[ScheduledLesson]:
    """Return unsaved scheduled lessons for every placement of a result."""
    # The solver may number a lesson's occurrences anew, so a pin is found by its slot.
    pins = Counter(
        (lesson.id, pin.day, pin.period)
        for lesson in week.instance.lessons
        for pin in lesson.pinned
    )
    rooms = {room.pk: room.location_id for room in tt.Room.objects.all()}
    # Students of an elective course join the section the solver chose for them.
    section_students: dict[str, list[int]] = defaultdict(list)
    for student_id, chosen in result.sections.items():
        for lesson_id in chosen.values():
            section_students[lesson_id].append(pk_of(student_id))
    lessons = []
    for placement in result.placements:
        requirement = week.requirements[placement.lesson]
        room_id = pk_of(placement.room) if placement.room else None
        lessons.append(
            ScheduledLesson(
                version=version,
                requirement=requirement,
                index=placement.index,
                weekday=placement.day,
                period=week.period_numbers[placement.period],
                duration=placement.duration,
                pinned=_take(pins, (placement.lesson, placement.day, placement.period)),
                subject_code=requirement.subject.code,
                subject_name=requirement.subject.name,
                teacher_id=requirement.teacher_id,
                group_id=requirement.group_id,
                student_ids=sorted(
                    {s.pk for s in requirement.students.all()}
                    | set(section_students.get(placement.lesson, []))
                ),
                room_id=room_id,
                location_id=rooms.get(room_id) if room_id else None,
            )
        )
    return lessons


def _take(counter: Counter[tuple[str, int, int]], item: tuple[str, int, int]) -> bool:
    """Use up one of ``item`` in ``counter``; return whether there was one."""
    if counter[item] <= 0:
        return False
    counter[item] -= 1
    return True
