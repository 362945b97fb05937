"""Input data for the timetabling solver.

Design note: the instance is a plain, validated description of one school week. Times are
addressed as ``(day, period)`` index pairs (``Slot``); every day has the same periods, but
each location may give them its own clock times, which is what travel time is measured
against. A lesson is taught ``per_week`` times; each weekly copy is an *occurrence* that is
placed at one start slot and (if it needs one) one room. Lessons that are sections of a
:class:`Course` receive their students from the solver instead of from the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

Slot = tuple[int, int]


class InstanceError(ValueError):
    """Raise when an instance refers to unknown ids or is otherwise malformed."""


@dataclass(frozen=True)
class Period:
    """One teaching period of a day, with default clock times in minutes after midnight."""

    name: str
    start: int
    end: int


@dataclass
class Location:
    """A building; ``period_times`` overrides the default clock times of some periods."""

    id: str
    name: str = ""
    period_times: dict[int, tuple[int, int]] = field(default_factory=dict)


@dataclass
class Room:
    """A room at a location with a capacity, features and unavailable slots."""

    id: str
    location: str
    capacity: int = 30
    features: frozenset[str] = frozenset()
    unavailable: frozenset[Slot] = frozenset()


@dataclass
class Teacher:
    """A teacher with hard unavailability, a daily maximum and soft undesired slots."""

    id: str
    name: str = ""
    unavailable: frozenset[Slot] = frozenset()
    max_periods_per_day: int | None = None
    undesired: frozenset[Slot] = frozenset()


@dataclass
class Group:
    """A class or teaching group; ``size`` is used when members are not listed."""

    id: str
    name: str = ""
    members: tuple[str, ...] = ()
    size: int | None = None
    unavailable: frozenset[Slot] = frozenset()

    def headcount(self) -> int:
        """Return the number of students in the group."""
        return self.size if self.size is not None else len(self.members)


@dataclass
class Student:
    """An individual student; lessons reach a student through groups, lists or sections."""

    id: str
    name: str = ""
    unavailable: frozenset[Slot] = frozenset()
    max_periods_per_day: int | None = None


@dataclass(frozen=True)
class Pin:
    """A fixed placement of one occurrence of a lesson; it never moves."""

    day: int
    period: int
    room: str | None = None


@dataclass
class Lesson:
    """A lesson taught ``per_week`` times for ``duration`` consecutive periods each time.

    ``rooms`` lists the allowed rooms (``None`` means every room with the required
    ``features`` and enough capacity); ``needs_room=False`` places the lesson without a room.
    ``allowed_starts`` restricts start slots (``None``: any), ``preferred_starts`` is a soft
    wish. ``spread_days`` makes the weekly occurrences fall on different days (hard); when it
    is false, occurrences on the same day cost the ``spread`` weight instead. A lesson with a
    ``course`` is one section of that course and gets its students from the solver.
    """

    id: str
    subject: str = ""
    duration: int = 1
    per_week: int = 1
    teachers: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    students: tuple[str, ...] = ()
    rooms: tuple[str, ...] | None = None
    features: frozenset[str] = frozenset()
    needs_room: bool = True
    allowed_starts: frozenset[Slot] | None = None
    preferred_starts: frozenset[Slot] = frozenset()
    pinned: tuple[Pin, ...] = ()
    spread_days: bool = True
    course: str | None = None
    capacity: int | None = None


@dataclass
class Course:
    """A course taught in parallel sections; each of its students joins exactly one section."""

    id: str
    name: str = ""
    students: tuple[str, ...] = ()
    max_size_difference: int = 2


@dataclass
class Weights:
    """Weights of the soft goals; a weight of 0 switches a goal off.

    Students should have no idle periods at all, so one of them weighs as much as many
    location changes or teacher gaps: at 10 the search traded student gaps for location
    changes (measured in ``python -m solver.bench school``).
    """

    student_gaps: int = 50
    teacher_gaps: int = 2
    location_changes: int = 3
    preferred_times: int = 1
    teacher_undesired: int = 1
    spread: int = 2
    moves: int = 20


@dataclass
class Instance:
    """A complete school week to be timetabled."""

    name: str
    days: list[str]
    periods: list[Period]
    locations: list[Location] = field(default_factory=list)
    travel_minutes: dict[tuple[str, str], int] = field(default_factory=dict)
    rooms: list[Room] = field(default_factory=list)
    teachers: list[Teacher] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    lessons: list[Lesson] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    weights: Weights = field(default_factory=Weights)
    max_student_periods_per_day: int | None = None
    # Hard rule instead of the soft goal: no student has an idle period (tussenuur).
    no_student_gaps: bool = False

    @property
    def n_days(self) -> int:
        """Return the number of days."""
        return len(self.days)

    @property
    def n_periods(self) -> int:
        """Return the number of periods per day."""
        return len(self.periods)

    def slots(self) -> list[Slot]:
        """Return every slot of the week in chronological order."""
        return [(d, p) for d in range(self.n_days) for p in range(self.n_periods)]

    def travel(self, a: str, b: str) -> int:
        """Return travel minutes between two locations (symmetric, 0 for the same place)."""
        if a == b:
            return 0
        return self.travel_minutes.get((a, b), self.travel_minutes.get((b, a), 0))

    def period_time(self, location: str | None, period: int) -> tuple[int, int]:
        """Return the clock start and end of a period at a location."""
        for loc in self.locations:
            if loc.id == location and period in loc.period_times:
                return loc.period_times[period]
        return self.periods[period].start, self.periods[period].end

    def too_close_to_travel(self) -> list[tuple[str, int, str, int]]:
        """Return (location, period, location, later period) pairs with too little time
        between them to travel from the first location to the second (same on every day)."""
        places = [location.id for location in self.locations]
        pairs = []
        for p in range(self.n_periods):
            for q in range(p + 1, self.n_periods):
                for a in places:
                    for b in places:
                        if a == b:
                            continue
                        gap = self.period_time(b, q)[0] - self.period_time(a, p)[1]
                        if gap < self.travel(a, b):
                            pairs.append((a, p, b, q))
        return pairs

    def student_max_per_day(self, student: Student) -> int | None:
        """Return the daily period maximum that applies to a student."""
        if student.max_periods_per_day is not None:
            return student.max_periods_per_day
        return self.max_student_periods_per_day

    def lesson_by_id(self) -> dict[str, Lesson]:
        """Return lessons indexed by id."""
        return {lesson.id: lesson for lesson in self.lessons}

    def room_by_id(self) -> dict[str, Room]:
        """Return rooms indexed by id."""
        return {room.id: room for room in self.rooms}

    def group_by_id(self) -> dict[str, Group]:
        """Return groups indexed by id."""
        return {group.id: group for group in self.groups}

    def fixed_students(self, lesson: Lesson) -> set[str]:
        """Return the students who attend a lesson through its groups or student list."""
        groups = self.group_by_id()
        members = set(lesson.students)
        for gid in lesson.groups:
            members.update(groups[gid].members)
        return members

    def fixed_headcount(self, lesson: Lesson) -> int:
        """Return the number of participants known before sections are assigned."""
        groups = self.group_by_id()
        listed = set(lesson.students)
        count = 0
        for gid in lesson.groups:
            group = groups[gid]
            if group.size is not None and not group.members:
                count += group.size
            else:
                listed.update(group.members)
        return count + len(listed)

    def candidate_rooms(self, lesson: Lesson, headcount: int) -> list[Room]:
        """Return rooms a lesson may use: allowed, with its features and enough capacity."""
        if not lesson.needs_room:
            return []
        allowed = set(lesson.rooms) if lesson.rooms is not None else None
        return [
            room
            for room in self.rooms
            if (allowed is None or room.id in allowed)
            and lesson.features <= room.features
            and room.capacity >= headcount
        ]

    def validate(self) -> None:
        """Raise :class:`InstanceError` when ids are unknown or duplicated."""
        _unique("location", (x.id for x in self.locations))
        _unique("room", (x.id for x in self.rooms))
        _unique("teacher", (x.id for x in self.teachers))
        _unique("group", (x.id for x in self.groups))
        _unique("student", (x.id for x in self.students))
        _unique("lesson", (x.id for x in self.lessons))
        _unique("course", (x.id for x in self.courses))

        locations = {x.id for x in self.locations}
        teachers = {x.id for x in self.teachers}
        groups = {x.id for x in self.groups}
        students = {x.id for x in self.students}
        rooms = self.room_by_id()
        courses = {x.id for x in self.courses}
        for room in self.rooms:
            _known("location", room.location, locations)
        for group in self.groups:
            for sid in group.members:
                _known("student", sid, students)
        for course in self.courses:
            for sid in course.students:
                _known("student", sid, students)
        for lesson in self.lessons:
            self._validate_lesson(lesson, teachers, groups, students, rooms, courses)

    def _validate_lesson(
        self,
        lesson: Lesson,
        teachers: set[str],
        groups: set[str],
        students: set[str],
        rooms: dict[str, Room],
        courses: set[str],
    ) -> None:
        """Check one lesson's references and its duration."""
        for tid in lesson.teachers:
            _known("teacher", tid, teachers)
        for gid in lesson.groups:
            _known("group", gid, groups)
        for sid in lesson.students:
            _known("student", sid, students)
        for rid in lesson.rooms or ():
            _known("room", rid, set(rooms))
        if lesson.course is not None:
            _known("course", lesson.course, courses)
        if not 1 <= lesson.duration <= self.n_periods:
            raise InstanceError(f"lesson {lesson.id}: duration {lesson.duration} does not fit")
        if len(lesson.pinned) > lesson.per_week:
            raise InstanceError(f"lesson {lesson.id}: more pins than lessons per week")

    def lesson_location(self, lesson: Lesson) -> str | None:
        """Return the location of a lesson if all its candidate rooms share one, else None."""
        rooms = self.candidate_rooms(lesson, self.fixed_headcount(lesson))
        places = {room.location for room in rooms}
        return places.pop() if len(places) == 1 else None


def _unique(kind: str, ids: Iterable[str]) -> None:
    """Raise when an id occurs twice."""
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise InstanceError(f"duplicate {kind} id {ident!r}")
        seen.add(ident)


def _known(kind: str, ident: str, known: set[str]) -> None:
    """Raise when an id is not defined."""
    if ident not in known:
        raise InstanceError(f"unknown {kind} {ident!r}")
