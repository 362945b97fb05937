"""Read a FET (.fet) file into an :class:`~solver.instance.Instance` plus FET-only rules.

Design note: a FET file describes students as a tree of years, groups and subgroups; an
activity names any of these sets and then occupies every subgroup below it. The reader
therefore makes each subgroup (or a group or year without children) one
:class:`~solver.instance.Student`, and expands every activity's students sets into those
subgroups, so the core model's clash rule per student is FET's clash rule per subgroup.
Every FET activity becomes one lesson taught once a week: the constraints of real files
point at single activities, and split activities are just activities that share a group id.

What the instance can say directly is said there: availability, breaks (as forbidden start
slots), preferred starting times and time slots (allowed starts when hard, preferred starts
when soft), maximum hours per day, rooms (allowed rooms, filtered by FET's head counts) and
buildings (locations). Rules the instance has no words for are returned as small rule
objects (:class:`MinDays`, :class:`SameStart`, :class:`MaxGaps`, :class:`EarlyStart`) that
:mod:`solver.fet.model` adds to the CP model and :mod:`solver.fet.check` rechecks. Anything
else is listed in :attr:`FetFile.unsupported`, so a caller can see which requirements of a
file were not enforced.

FET's weights are percentages: 100 is a hard requirement, 0 switches a constraint off, and
anything between becomes a soft goal where the solver has one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from solver.instance import (
    Instance,
    Lesson,
    Location,
    Period,
    Room,
    Slot,
    Student,
    Teacher,
    Weights,
)
from solver.result import Placement, Result
from solver.safexml import parse_file

# Period clock times are synthetic (FET hours have names, not times): one hour apart with
# no pause, so that "k free periods between buildings" becomes k * 60 minutes of travel.
_PERIOD_MINUTES = 60
_NO_BUILDING = "(no building)"
# Rooms are chosen from lists filtered by FET's head counts (see _room_candidates); the
# instance's own capacity check counts subgroups instead, so it must never bite.
_UNLIMITED_CAPACITY = 10**6


# A constraint translator: the reader, the constraint element, and whether it is hard.
_Handler = Callable[["_Reader", ET.Element, bool], None]


class FetError(ValueError):
    """Raise when a .fet file is malformed or refers to something it does not define."""


@dataclass(frozen=True)
class Activity:
    """One FET activity: who meets, for how long, and the subgroups it occupies."""

    id: str
    subject: str
    teachers: tuple[str, ...]
    tags: tuple[str, ...]
    students_sets: tuple[str, ...]
    subgroups: frozenset[str]
    duration: int
    headcount: int


@dataclass(frozen=True)
class MinDays:
    """Activities that must lie at least ``min_days`` days apart.

    ``weight`` below 100 makes each too-close pair a soft cost; ``consecutive`` (FET's
    "consecutive if same day") then requires two of them on one day to be adjacent.
    """

    activities: tuple[str, ...]
    min_days: int
    weight: float
    consecutive: bool

    @property
    def hard(self) -> bool:
        """Return whether the rule must hold."""
        return self.weight >= 100


@dataclass(frozen=True)
class SameStart:
    """Activities that must start in the same slot."""

    activities: tuple[str, ...]


@dataclass(frozen=True)
class MaxGaps:
    """At most ``max_gaps`` idle periods per week (or per day) for each listed person.

    ``kind`` is "teacher" or "students"; ``members`` are teacher ids or subgroup ids. As in
    FET, break slots and a person's unavailable slots are not counted as idle.
    """

    kind: str
    members: tuple[str, ...]
    max_gaps: int
    per_day: bool


@dataclass(frozen=True)
class EarlyStart:
    """Subgroups start their days at the first hour, or at the second at most N times.

    Only days with lessons count; break and unavailable hours at the start of a day are
    skipped when deciding which hours are the first and the second.
    """

    subgroups: tuple[str, ...]
    max_second_hour: int


@dataclass(frozen=True)
class PersonLimit:
    """A daily or weekly limit on the hours or days of teachers or subgroups.

    ``limit`` is one of "max_days" (days with lessons per week), "min_days", "min_hours"
    (hours on a day with lessons, or on every day unless ``allow_empty``) and
    "max_continuous" (hours in a row without a free hour).
    """

    kind: str
    members: tuple[str, ...]
    limit: str
    value: int
    allow_empty: bool = True


@dataclass(frozen=True)
class ActivityLink:
    """A rule tying a few activities together in time.

    ``link`` is one of "not_overlapping", "same_day", "same_hour", "consecutive" (the
    second starts right after the first, on the same day; breaks may lie between),
    "grouped" (consecutive in either order) and "ends_day" (no lesson of the activity's
    subgroups comes after it that day).
    """

    link: str
    activities: tuple[str, ...]


@dataclass(frozen=True)
class Unsupported:
    """A constraint of the file that the solver does not enforce."""

    constraint: str
    weight: float
    reason: str

    @property
    def hard(self) -> bool:
        """Return whether FET treats the constraint as a requirement."""
        return self.weight >= 100

    def __str__(self) -> str:
        """Describe the constraint in one line."""
        return f"{self.constraint} ({self.weight:g}%): {self.reason}"


@dataclass
class FetFile:
    """A FET file translated for the solver."""

    path: str
    instance: Instance
    activities: dict[str, Activity]
    breaks: frozenset[Slot]
    teacher_off: dict[str, frozenset[Slot]]
    subgroup_off: dict[str, frozenset[Slot]]
    min_days: list[MinDays] = field(default_factory=list)
    same_start: list[SameStart] = field(default_factory=list)
    max_gaps: list[MaxGaps] = field(default_factory=list)
    early: list[EarlyStart] = field(default_factory=list)
    person_limits: list[PersonLimit] = field(default_factory=list)
    links: list[ActivityLink] = field(default_factory=list)
    unsupported: list[Unsupported] = field(default_factory=list)

    @property
    def fully_supported(self) -> bool:
        """Return whether every hard constraint of the file is enforced."""
        return not any(item.hard for item in self.unsupported)

    def unsupported_summary(self) -> list[str]:
        """Return one line per unsupported constraint type with its count, hard ones first."""
        counts: dict[tuple[bool, str], int] = defaultdict(int)
        for item in self.unsupported:
            counts[(item.hard, f"{item.constraint}: {item.reason}")] += 1
        lines = []
        for (hard, text), n in sorted(counts.items(), key=lambda x: (not x[0][0], x[0][1])):
            lines.append(f"{'hard' if hard else 'soft'} x{n} {text}")
        return lines


def read_fet(path: str | Path) -> FetFile:
    """Parse a .fet file; raise :class:`FetError` when it cannot be understood."""
    try:
        root = parse_file(path)
    except ET.ParseError as exc:
        raise FetError(f"{path}: not well-formed XML ({exc})") from exc
    if root.tag != "fet":
        raise FetError(f"{path}: root element is <{root.tag}>, expected <fet>")
    return _Reader(root, str(path)).read()


def _text(element: ET.Element, tag: str, default: str = "") -> str:
    """Return the stripped text of a child element, or ``default`` when it is absent."""
    child = element.find(tag)
    if child is None or child.text is None:
        return default
    return child.text.strip()


def _texts(element: ET.Element, tag: str) -> list[str]:
    """Return the stripped texts of all children with a tag, skipping empty ones."""
    return [
        child.text.strip() for child in element.findall(tag) if child.text and child.text.strip()
    ]


def _weight(element: ET.Element) -> float:
    """Return a constraint's weight percentage."""
    raw = _text(element, "Weight_Percentage", "100")
    try:
        return float(raw)
    except ValueError as exc:
        raise FetError(f"<{element.tag}>: weight {raw!r} is not a number") from exc


def _int(element: ET.Element, tag: str, default: int | None = None) -> int:
    """Return an integer child; raise :class:`FetError` when absent or malformed."""
    raw = _text(element, tag)
    if not raw and default is not None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise FetError(f"<{element.tag}>: <{tag}> {raw!r} is not a whole number") from exc


def _no_goals() -> Weights:
    """Return weights with every soft goal off; the file's soft constraints switch some on."""
    weights = Weights()
    for goal in fields(weights):
        setattr(weights, goal.name, 0)
    return weights


class _Reader:
    """State while translating one file; :meth:`read` runs the steps in order."""

    def __init__(self, root: ET.Element, path: str) -> None:
        """Remember the document; everything else is filled in by :meth:`read`."""
        self.root = root
        self.path = path
        self.days: list[str] = []
        self.hours: list[str] = []
        self.teachers: dict[str, Teacher] = {}
        self.sets: dict[str, set[str]] = {}
        self.set_sizes: dict[str, int] = {}
        self.subgroup_off: dict[str, set[Slot]] = defaultdict(set)
        self.rooms: dict[str, Room] = {}
        self.room_capacity: dict[str, int] = {}
        self.buildings: list[str] = []
        self.activities: dict[str, Activity] = {}
        # Allowed start slots per activity; an absent entry means every start that fits.
        self.allowed: dict[str, frozenset[Slot]] = {}
        self.preferred: dict[str, frozenset[Slot]] = {}
        self.room_lists: dict[str, set[str]] = {}
        self.breaks: set[Slot] = set()
        self._clear_of_breaks: dict[tuple[frozenset[Slot], int], frozenset[Slot]] = {}
        self._fits_anywhere: dict[int, frozenset[Slot]] = {}
        self.weights = _no_goals()
        self.travel_periods: dict[str, int] = {}
        self.student_max_day: dict[str, int] = {}
        self.min_days: list[MinDays] = []
        self.same_start: list[SameStart] = []
        self.max_gaps: list[MaxGaps] = []
        self.early: list[EarlyStart] = []
        self.person_limits: list[PersonLimit] = []
        self.links: list[ActivityLink] = []
        self.home_rooms: list[tuple[tuple[str, ...], frozenset[str]]] = []
        self.unsupported: list[Unsupported] = []

    # ------------------------------------------------------------------ reading

    def read(self) -> FetFile:
        """Read the data lists, then the constraints, then assemble the instance."""
        self._read_time_axis()
        self._read_teachers()
        self._read_students()
        self._read_rooms()
        self._read_activities()

        for element in self._section("Time_Constraints_List"):
            self._translate(element, _TIME_HANDLERS)
        for element in self._section("Space_Constraints_List"):
            self._translate(element, _SPACE_HANDLERS)

        return self._assemble()

    def _section(self, tag: str) -> list[ET.Element]:
        """Return the active constraints of a list with a weight above zero."""
        section = self.root.find(tag)
        if section is None:
            return []
        return [
            element
            for element in section
            if _text(element, "Active", "true").lower() != "false" and _weight(element) > 0
        ]

    def _read_time_axis(self) -> None:
        """Read day and hour names."""
        days = self.root.find("Days_List")
        hours = self.root.find("Hours_List")
        if days is None or hours is None:
            raise FetError(f"{self.path}: <Days_List> and <Hours_List> are required")
        self.days = [_text(day, "Name") for day in days.findall("Day")]
        self.hours = [_text(hour, "Name") for hour in hours.findall("Hour")]
        if not self.days or not self.hours:
            raise FetError(f"{self.path}: the file defines no days or no hours")

    def _read_teachers(self) -> None:
        """Read teachers by name."""
        for element in self.root.iterfind("Teachers_List/Teacher"):
            name = _text(element, "Name")
            self.teachers[name] = Teacher(id=name, name=name)

    def _read_students(self) -> None:
        """Read the year/group/subgroup tree; every leaf becomes one subgroup student.

        ``sets`` maps every set name to the subgroups it contains. A group listed under
        two years, or a subgroup under two groups, is the same set (FET names are global).
        """
        for year in self.root.iterfind("Students_List/Year"):
            year_name = _text(year, "Name")
            self._size(year_name, year)
            groups = year.findall("Group")
            if not groups:
                self._leaf(year_name)
                continue
            for group in groups:
                group_name = _text(group, "Name")
                self._size(group_name, group)
                subgroups = group.findall("Subgroup")
                if not subgroups:
                    self._leaf(group_name)
                for subgroup in subgroups:
                    name = _text(subgroup, "Name")
                    self._size(name, subgroup)
                    self._leaf(name)
                    self.sets.setdefault(group_name, set()).add(name)
                self.sets.setdefault(year_name, set()).update(self.sets[group_name])

    def _size(self, name: str, element: ET.Element) -> None:
        """Record the number of students of a set."""
        self.set_sizes[name] = _int(element, "Number_of_Students", 0)

    def _leaf(self, name: str) -> None:
        """Record a set that is its own only subgroup."""
        self.sets.setdefault(name, set()).add(name)

    def _read_rooms(self) -> None:
        """Read buildings and rooms; virtual rooms are listed as unsupported."""
        for element in self.root.iterfind("Buildings_List/Building"):
            self.buildings.append(_text(element, "Name"))
        for element in self.root.iterfind("Rooms_List/Room"):
            name = _text(element, "Name")
            building = _text(element, "Building") or _NO_BUILDING
            self.room_capacity[name] = _int(element, "Capacity", _UNLIMITED_CAPACITY)
            self.rooms[name] = Room(id=name, location=building, capacity=_UNLIMITED_CAPACITY)
            if _text(element, "Virtual", "false").lower() == "true":
                self.unsupported.append(Unsupported("Room", 100, f"virtual room {name}"))

    def _read_activities(self) -> None:
        """Read active activities and their allowed start slots (breaks come later)."""
        for element in self.root.iterfind("Activities_List/Activity"):
            if _text(element, "Active", "true").lower() == "false":
                continue
            ident = _text(element, "Id")
            teachers = tuple(_texts(element, "Teacher"))
            sets = tuple(_texts(element, "Students"))
            for name in teachers:
                self._teacher(name, f"activity {ident}")
            subgroups = frozenset().union(
                *(self._students_set(s, f"activity {ident}") for s in sets)
            )
            duration = _int(element, "Duration")
            if not 1 <= duration <= len(self.hours):
                raise FetError(f"{self.path}: activity {ident} lasts {duration} hours")
            headcount = _int(element, "Number_Of_Students", -1)
            if headcount < 0:
                headcount = sum(self.set_sizes.get(s, 0) for s in sets)
            self.activities[ident] = Activity(
                id=ident,
                subject=_text(element, "Subject"),
                teachers=teachers,
                tags=tuple(_texts(element, "Activity_Tag")),
                students_sets=sets,
                subgroups=subgroups,
                duration=duration,
                headcount=headcount,
            )

    # ------------------------------------------------------------------ lookups

    def _teacher(self, name: str, where: str) -> Teacher:
        """Return a teacher by name."""
        if name not in self.teachers:
            raise FetError(f"{self.path}: {where} names unknown teacher {name!r}")
        return self.teachers[name]

    def _students_set(self, name: str, where: str) -> set[str]:
        """Return the subgroups of a students set."""
        if name not in self.sets:
            raise FetError(f"{self.path}: {where} names unknown students set {name!r}")
        return self.sets[name]

    def _activity(self, ident: str) -> Activity | None:
        """Return an activity; constraints on inactive activities are ignored, as in FET."""
        return self.activities.get(ident)

    def _room(self, name: str, where: str) -> str:
        """Return a room name after checking it exists."""
        if name not in self.rooms:
            raise FetError(f"{self.path}: {where} names unknown room {name!r}")
        return name

    def _slot(self, day: str, hour: str, where: str) -> Slot:
        """Return the (day, period) indices of named times."""
        try:
            return self.days.index(day), self.hours.index(hour)
        except ValueError:
            raise FetError(f"{self.path}: {where} names unknown time {day!r} {hour!r}") from None

    def _slots(self, element: ET.Element, item: str, day_tag: str, hour_tag: str) -> set[Slot]:
        """Return the slots listed as ``item`` children of a constraint."""
        return {
            self._slot(_text(x, day_tag), _text(x, hour_tag), f"<{element.tag}>")
            for x in element.findall(item)
        }

    def _filtered(self, element: ET.Element) -> list[Activity]:
        """Return the activities matched by a constraint's teacher/students/subject/tag filter."""
        teacher = _text(element, "Teacher_Name")
        students = _text(element, "Students_Name")
        subject = _text(element, "Subject_Name")
        tag = _text(element, "Activity_Tag_Name")
        duration = _text(element, "Duration")
        return [
            a
            for a in self.activities.values()
            if (not teacher or teacher in a.teachers)
            and (not students or students in a.students_sets)
            and (not subject or subject == a.subject)
            and (not tag or tag in a.tags)
            and (not duration or duration == str(a.duration))
        ]

    def _unsupported(self, element: ET.Element, reason: str) -> None:
        """Record a constraint the solver does not enforce."""
        self.unsupported.append(Unsupported(element.tag, _weight(element), reason))

    def _translate(self, element: ET.Element, handlers: dict[str, _Handler]) -> None:
        """Translate one constraint with its handler, or record it as unsupported."""
        handler = handlers.get(element.tag)
        if handler is None:
            self._unsupported(element, "constraint type not supported")
            return
        handler(self, element, _weight(element) >= 100)

    def _basic(self, element: ET.Element, hard: bool) -> None:
        """No clashes for teachers, subgroups and rooms: always part of the core model."""
        if not hard:
            self._unsupported(element, "the core model always enforces it fully")

    # ---------------------------------------------------------- time constraints

    def _break_times(self, element: ET.Element, hard: bool) -> None:
        """Break slots are closed to every activity."""
        if not hard:
            self._unsupported(element, "soft breaks are not modelled")
            return
        self.breaks |= self._slots(element, "Break_Time", "Day", "Hour")

    def _teacher_not_available(self, element: ET.Element, hard: bool) -> None:
        """Teacher unavailability; soft unavailability becomes undesired slots."""
        teacher = self._teacher(_text(element, "Teacher"), f"<{element.tag}>")
        slots = frozenset(self._slots(element, "Not_Available_Time", "Day", "Hour"))
        if hard:
            teacher.unavailable = teacher.unavailable | slots
        else:
            teacher.undesired = teacher.undesired | slots
            self.weights.teacher_undesired = 1

    def _students_not_available(self, element: ET.Element, hard: bool) -> None:
        """Students-set unavailability applies to every subgroup of the set."""
        if not hard:
            self._unsupported(element, "soft students unavailability is not modelled")
            return
        subgroups = self._students_set(_text(element, "Students"), f"<{element.tag}>")
        slots = self._slots(element, "Not_Available_Time", "Day", "Hour")
        for name in subgroups:
            self.subgroup_off[name] |= slots

    def _activity_starts(self, element: ET.Element, hard: bool) -> None:
        """One activity's preferred starting time(s) or time slots."""
        activity = self._activity(_text(element, "Activity_Id"))
        if activity is not None:
            self._restrict_starts(element, [activity], hard)

    def _activities_starts(self, element: ET.Element, hard: bool) -> None:
        """Preferred starting times or time slots of all activities matching a filter."""
        self._restrict_starts(element, self._filtered(element), hard)

    def _restrict_starts(self, element: ET.Element, activities: list[Activity], hard: bool) -> None:
        """Allow (hard) or prefer (soft) starts; time slots must cover the whole activity."""
        tag = element.tag
        if tag == "ConstraintActivityPreferredStartingTime":
            day, hour = _text(element, "Preferred_Day"), _text(element, "Preferred_Hour")
            if not day or not hour:
                self._unsupported(element, "a day or an hour alone is not supported")
                return
            slots = {self._slot(day, hour, f"<{tag}>")}
            whole_activity = False
        elif tag.endswith("StartingTimes"):
            slots = self._slots(
                element,
                "Preferred_Starting_Time",
                "Preferred_Starting_Day",
                "Preferred_Starting_Hour",
            )
            whole_activity = False
        else:
            slots = self._slots(element, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")
            whole_activity = True

        starts_of: dict[int, frozenset[Slot]] = {}
        for activity in activities:
            duration = activity.duration
            if duration not in starts_of:
                starts_of[duration] = frozenset(
                    (d, h)
                    for d, h in slots
                    if h + duration <= len(self.hours)
                    and (not whole_activity or all((d, h + k) in slots for k in range(duration)))
                )
            starts = starts_of[duration]
            if hard:
                current = self.allowed.get(activity.id)
                self.allowed[activity.id] = starts if current is None else current & starts
            elif activity.id not in self.preferred:
                self.preferred[activity.id] = frozenset(starts)
                self.weights.preferred_times = 1
            else:
                self._unsupported(element, f"a second soft time wish for activity {activity.id}")

    def _min_days(self, element: ET.Element, hard: bool) -> None:
        """Minimum days between activities; usually the parts of one split activity."""
        ids = [i for i in _texts(element, "Activity_Id") if i in self.activities]
        if len(ids) < 2:
            return
        rule = MinDays(
            activities=tuple(ids),
            min_days=_int(element, "MinDays"),
            weight=_weight(element),
            consecutive=_text(element, "Consecutive_If_Same_Day").lower() == "true",
        )
        self.min_days.append(rule)

    def _same_start(self, element: ET.Element, hard: bool) -> None:
        """Activities that start together (parallel courses, split classes)."""
        if not hard:
            self._unsupported(element, "soft same starting time is not modelled")
            return
        ids = [i for i in _texts(element, "Activity_Id") if i in self.activities]
        if len(ids) >= 2:
            self.same_start.append(SameStart(tuple(ids)))

    def _max_hours_daily(self, element: ET.Element, hard: bool) -> None:
        """Maximum hours per day for teachers or subgroups."""
        if not hard:
            self._unsupported(element, "soft maximum hours per day is not modelled")
            return
        limit = _int(element, "Maximum_Hours_Daily")
        if element.tag.startswith("ConstraintTeacher"):
            for teacher in self._teachers_of(element):
                current = teacher.max_periods_per_day
                teacher.max_periods_per_day = limit if current is None else min(current, limit)
        else:
            for name in self._subgroups_of(element):
                self.student_max_day[name] = min(self.student_max_day.get(name, limit), limit)

    def _max_gaps(self, element: ET.Element, hard: bool) -> None:
        """Maximum idle periods per week or day; soft ones become the gap goals."""
        teachers = element.tag.startswith("ConstraintTeacher")
        if not hard:
            if teachers:
                self.weights.teacher_gaps = 1
            else:
                self.weights.student_gaps = 1
            return
        kind, members = self._people_of(element)
        rule = MaxGaps(
            kind=kind,
            members=members,
            max_gaps=_int(element, "Max_Gaps"),
            per_day=element.tag.endswith("PerDay"),
        )
        self.max_gaps.append(rule)

    def _early(self, element: ET.Element, hard: bool) -> None:
        """Students begin early: at the first hour, at most N times at the second."""
        if not hard:
            self._unsupported(element, "soft early beginnings are not modelled")
            return
        rule = EarlyStart(
            subgroups=tuple(sorted(self._subgroups_of(element))),
            max_second_hour=_int(element, "Max_Beginnings_At_Second_Hour"),
        )
        self.early.append(rule)

    def _person_limit(self, element: ET.Element, hard: bool) -> None:
        """Days per week, minimum hours per day, or hours in a row, for teachers or students."""
        if not hard:
            self._unsupported(element, "soft day and hour limits are not modelled")
            return
        field_name = next((f for f in _LIMIT_FIELDS if element.find(f) is not None), None)
        if field_name is None:
            raise FetError(f"{self.path}: <{element.tag}> gives no limit")
        kind, members = self._people_of(element)
        rule = PersonLimit(
            kind=kind,
            members=members,
            limit=_LIMIT_FIELDS[field_name],
            value=_int(element, field_name),
            allow_empty=_text(element, "Allow_Empty_Days", "true").lower() == "true",
        )
        self.person_limits.append(rule)

    def _link(self, element: ET.Element, hard: bool) -> None:
        """Activities that must not overlap, share a day or hour, or follow each other."""
        if not hard:
            self._unsupported(element, "soft links between activities are not modelled")
            return
        link = _LINKS[element.tag]
        if link in ("consecutive", "grouped"):
            ids = [_text(element, "First_Activity_Id"), _text(element, "Second_Activity_Id")]
        else:
            ids = _texts(element, "Activity_Id")
        ids = [i for i in ids if i in self.activities]
        # A rule that names inactive activities only binds the active ones, as in FET.
        if len(ids) >= (1 if link == "ends_day" else 2):
            self.links.append(ActivityLink(link, tuple(ids)))

    def _people_of(self, element: ET.Element) -> tuple[str, tuple[str, ...]]:
        """Return "teacher" or "students" and the teachers or subgroups a constraint covers."""
        if element.tag.startswith("ConstraintTeacher"):
            return "teacher", tuple(t.id for t in self._teachers_of(element))
        return "students", tuple(sorted(self._subgroups_of(element)))

    def _teachers_of(self, element: ET.Element) -> list[Teacher]:
        """Return the one teacher a constraint names, or every teacher for "all teachers"."""
        name = _text(element, "Teacher_Name") or _text(element, "Teacher")
        if element.tag.startswith("ConstraintTeachers"):
            return list(self.teachers.values())
        return [self._teacher(name, f"<{element.tag}>")]

    def _subgroups_of(self, element: ET.Element) -> set[str]:
        """Return the subgroups a students constraint covers (all for "all students")."""
        if element.tag.startswith("ConstraintStudentsSet"):
            return self._students_set(_text(element, "Students"), f"<{element.tag}>")
        return {s for members in self.sets.values() for s in members}

    # --------------------------------------------------------- space constraints

    def _room_not_available(self, element: ET.Element, hard: bool) -> None:
        """A room's unavailable slots."""
        if not hard:
            self._unsupported(element, "soft room unavailability is not modelled")
            return
        room = self.rooms[self._room(_text(element, "Room"), f"<{element.tag}>")]
        room.unavailable = room.unavailable | self._slots(
            element, "Not_Available_Time", "Day", "Hour"
        )

    def _preferred_rooms(self, element: ET.Element, hard: bool) -> None:
        """Preferred room(s) of an activity, subject, activity tag or subject and tag."""
        if not hard:
            self._unsupported(element, "soft room preferences are not modelled")
            return
        where = f"<{element.tag}>"
        rooms = {self._room(r, where) for r in _texts(element, "Preferred_Room")}
        if element.find("Room") is not None:
            rooms.add(self._room(_text(element, "Room"), where))

        tag = element.tag
        if tag.startswith("ConstraintActivityPreferredRoom"):
            found = self._activity(_text(element, "Activity_Id"))
            matched = [found] if found is not None else []
        else:
            subject = _text(element, "Subject") if "Subject" in tag else ""
            activity_tag = _text(element, "Activity_Tag") if "ActivityTag" in tag else ""
            matched = [
                a
                for a in self.activities.values()
                if (not subject or a.subject == subject)
                and (not activity_tag or activity_tag in a.tags)
            ]
        for activity in matched:
            self._require_rooms(activity.id, rooms)

    def _home_rooms(self, element: ET.Element, hard: bool) -> None:
        """Home room(s) of a teacher or students set.

        TODO: FET documents home rooms as applying to the activities of the teacher or set;
        this reader applies them only to activities that have no other room requirement and
        whose only teacher (or only students set) is the named one. Check this reading
        against FET's own output files and drop the narrowing if FET is stricter.
        """
        if not hard:
            self._unsupported(element, "soft home rooms are not modelled")
            return
        where = f"<{element.tag}>"
        rooms = {self._room(r, where) for r in _texts(element, "Preferred_Room")}
        if element.find("Room") is not None:
            rooms.add(self._room(_text(element, "Room"), where))
        if element.tag.startswith("ConstraintTeacher"):
            name = _text(element, "Teacher")
            matched = [a for a in self.activities.values() if a.teachers == (name,)]
        else:
            name = _text(element, "Students")
            matched = [a for a in self.activities.values() if a.students_sets == (name,)]
        self.home_rooms.append((tuple(a.id for a in matched), frozenset(rooms)))

    def _building_gaps(self, element: ET.Element, hard: bool) -> None:
        """Free periods between lessons in different buildings, as travel time."""
        if not hard:
            self._unsupported(element, "soft building-change gaps are not modelled")
            return
        everyone = element.tag in (
            "ConstraintTeachersMinGapsBetweenBuildingChanges",
            "ConstraintStudentsMinGapsBetweenBuildingChanges",
        )
        if not everyone:
            self._unsupported(element, "travel applies to everyone, not to one teacher or set")
            return
        who = "teachers" if "Teachers" in element.tag else "students"
        self.travel_periods[who] = _int(element, "Min_Gaps_Between_Building_Changes")

    def _require_rooms(self, ident: str, rooms: set[str]) -> None:
        """Intersect an activity's allowed rooms with a hard room requirement."""
        current = self.room_lists.get(ident)
        self.room_lists[ident] = set(rooms) if current is None else current & rooms

    # --------------------------------------------------------------- assembling

    def _assemble(self) -> FetFile:
        """Build the instance from everything read."""
        self._apply_home_rooms()
        travel = self._travel()
        lessons = [self._lesson(a) for a in self.activities.values()]
        students = [
            Student(
                id=name,
                name=name,
                unavailable=frozenset(self.subgroup_off.get(name, ())),
                max_periods_per_day=self.student_max_day.get(name),
            )
            for name in sorted({s for members in self.sets.values() for s in members})
        ]
        periods = [
            Period(name, p * _PERIOD_MINUTES, (p + 1) * _PERIOD_MINUTES)
            for p, name in enumerate(self.hours)
        ]
        locations = sorted({room.location for room in self.rooms.values()})
        instance = Instance(
            name=Path(self.path).stem,
            days=list(self.days),
            periods=periods,
            locations=[Location(id=x, name=x) for x in locations],
            travel_minutes={
                (a, b): travel for a in locations for b in locations if a < b and travel
            },
            rooms=list(self.rooms.values()),
            teachers=list(self.teachers.values()),
            students=students,
            lessons=lessons,
            weights=self.weights,
        )
        return FetFile(
            path=self.path,
            instance=instance,
            activities=self.activities,
            breaks=frozenset(self.breaks),
            teacher_off={t.id: t.unavailable for t in self.teachers.values()},
            subgroup_off={s.id: s.unavailable for s in students},
            min_days=self.min_days,
            same_start=self.same_start,
            max_gaps=self.max_gaps,
            early=self.early,
            person_limits=self.person_limits,
            links=self.links,
            unsupported=self.unsupported,
        )

    def _apply_home_rooms(self) -> None:
        """Apply home rooms to the activities without another room requirement."""
        for ids, rooms in self.home_rooms:
            for ident in ids:
                if ident not in self.room_lists:
                    self.room_lists[ident] = set(rooms)

    def _travel(self) -> int:
        """Return travel minutes between buildings, or 0 when no rule asks for it.

        The instance knows one travel time for everyone, so a rule for only teachers or
        only students (or two different gap sizes) cannot be expressed.
        """
        if not self.travel_periods:
            return 0
        if (
            set(self.travel_periods) != {"teachers", "students"}
            or len(set(self.travel_periods.values())) > 1
        ):
            self.unsupported.append(
                Unsupported(
                    "MinGapsBetweenBuildingChanges",
                    100,
                    "travel time must be the same for all teachers and all students",
                )
            )
            return 0
        return _PERIOD_MINUTES * self.travel_periods["teachers"]

    def _lesson(self, activity: Activity) -> Lesson:
        """Build the lesson of one activity."""
        duration = activity.duration
        fits = self.allowed.get(activity.id)
        if fits is None:
            fits = self._anywhere(duration)
        allowed = self._starts_clear_of_breaks(fits, duration)
        rooms = self._room_candidates(activity)
        return Lesson(
            id=activity.id,
            subject=activity.subject,
            duration=activity.duration,
            per_week=1,
            teachers=activity.teachers,
            students=tuple(sorted(activity.subgroups)),
            rooms=tuple(rooms) if rooms is not None else None,
            needs_room=rooms is not None,
            allowed_starts=allowed,
            preferred_starts=self.preferred.get(activity.id, frozenset()),
        )

    def _anywhere(self, duration: int) -> frozenset[Slot]:
        """Return every start at which a lesson of ``duration`` fits in the day."""
        if duration not in self._fits_anywhere:
            hours = range(len(self.hours) - duration + 1)
            self._fits_anywhere[duration] = frozenset(
                (d, h) for d in range(len(self.days)) for h in hours
            )
        return self._fits_anywhere[duration]

    def _starts_clear_of_breaks(self, fits: frozenset[Slot], duration: int) -> frozenset[Slot]:
        """Return the starts among ``fits`` whose lesson of ``duration`` spans no break.

        Most activities share their starts, so each distinct pair is worked out once: on
        files with hundreds of activities this took more time than reading the XML.
        """
        key = (fits, duration)
        if key not in self._clear_of_breaks:
            self._clear_of_breaks[key] = frozenset(
                (d, h)
                for d, h in fits
                if not any((d, h + k) in self.breaks for k in range(duration))
            )
        return self._clear_of_breaks[key]

    def _room_candidates(self, activity: Activity) -> list[str] | None:
        """Return the rooms an activity may use, or None when FET gives it no room.

        FET only places activities in rooms when a room constraint asks for one. The rooms
        must hold the activity's head count (FET's sizes, not the number of subgroups).
        """
        rooms = self.room_lists.get(activity.id)
        if rooms is None:
            return None
        return sorted(r for r in rooms if self.room_capacity[r] >= activity.headcount)


# The element holding the value of each kind of person limit.
_LIMIT_FIELDS = {
    "Max_Days_Per_Week": "max_days",
    "Minimum_Days_Per_Week": "min_days",
    "Minimum_Hours_Daily": "min_hours",
    "Maximum_Hours_Continuously": "max_continuous",
}

_LINKS = {
    "ConstraintActivitiesNotOverlapping": "not_overlapping",
    "ConstraintActivitiesSameStartingDay": "same_day",
    "ConstraintActivitiesSameStartingHour": "same_hour",
    "ConstraintTwoActivitiesConsecutive": "consecutive",
    "ConstraintTwoActivitiesGrouped": "grouped",
    "ConstraintActivityEndsStudentsDay": "ends_day",
}

_TIME_HANDLERS: dict[str, _Handler] = {
    "ConstraintBasicCompulsoryTime": _Reader._basic,
    "ConstraintBreakTimes": _Reader._break_times,
    "ConstraintTeacherNotAvailableTimes": _Reader._teacher_not_available,
    "ConstraintStudentsSetNotAvailableTimes": _Reader._students_not_available,
    "ConstraintActivityPreferredStartingTime": _Reader._activity_starts,
    "ConstraintActivityPreferredStartingTimes": _Reader._activity_starts,
    "ConstraintActivityPreferredTimeSlots": _Reader._activity_starts,
    "ConstraintActivitiesPreferredStartingTimes": _Reader._activities_starts,
    "ConstraintActivitiesPreferredTimeSlots": _Reader._activities_starts,
    "ConstraintMinDaysBetweenActivities": _Reader._min_days,
    "ConstraintActivitiesSameStartingTime": _Reader._same_start,
    "ConstraintTeacherMaxHoursDaily": _Reader._max_hours_daily,
    "ConstraintTeachersMaxHoursDaily": _Reader._max_hours_daily,
    "ConstraintStudentsSetMaxHoursDaily": _Reader._max_hours_daily,
    "ConstraintStudentsMaxHoursDaily": _Reader._max_hours_daily,
    "ConstraintTeacherMaxGapsPerWeek": _Reader._max_gaps,
    "ConstraintTeachersMaxGapsPerWeek": _Reader._max_gaps,
    "ConstraintTeacherMaxGapsPerDay": _Reader._max_gaps,
    "ConstraintTeachersMaxGapsPerDay": _Reader._max_gaps,
    "ConstraintStudentsSetMaxGapsPerWeek": _Reader._max_gaps,
    "ConstraintStudentsMaxGapsPerWeek": _Reader._max_gaps,
    "ConstraintStudentsSetMaxGapsPerDay": _Reader._max_gaps,
    "ConstraintStudentsMaxGapsPerDay": _Reader._max_gaps,
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour": _Reader._early,
    "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour": _Reader._early,
    "ConstraintTeacherMaxDaysPerWeek": _Reader._person_limit,
    "ConstraintTeachersMaxDaysPerWeek": _Reader._person_limit,
    "ConstraintTeacherMinDaysPerWeek": _Reader._person_limit,
    "ConstraintTeachersMinDaysPerWeek": _Reader._person_limit,
    "ConstraintTeacherMinHoursDaily": _Reader._person_limit,
    "ConstraintTeachersMinHoursDaily": _Reader._person_limit,
    "ConstraintStudentsSetMinHoursDaily": _Reader._person_limit,
    "ConstraintStudentsMinHoursDaily": _Reader._person_limit,
    "ConstraintTeacherMaxHoursContinuously": _Reader._person_limit,
    "ConstraintTeachersMaxHoursContinuously": _Reader._person_limit,
    "ConstraintStudentsSetMaxHoursContinuously": _Reader._person_limit,
    "ConstraintStudentsMaxHoursContinuously": _Reader._person_limit,
    "ConstraintActivitiesNotOverlapping": _Reader._link,
    "ConstraintActivitiesSameStartingDay": _Reader._link,
    "ConstraintActivitiesSameStartingHour": _Reader._link,
    "ConstraintTwoActivitiesConsecutive": _Reader._link,
    "ConstraintTwoActivitiesGrouped": _Reader._link,
    "ConstraintActivityEndsStudentsDay": _Reader._link,
}

_SPACE_HANDLERS: dict[str, _Handler] = {
    "ConstraintBasicCompulsorySpace": _Reader._basic,
    "ConstraintRoomNotAvailableTimes": _Reader._room_not_available,
    "ConstraintActivityPreferredRoom": _Reader._preferred_rooms,
    "ConstraintActivityPreferredRooms": _Reader._preferred_rooms,
    "ConstraintSubjectPreferredRoom": _Reader._preferred_rooms,
    "ConstraintSubjectPreferredRooms": _Reader._preferred_rooms,
    "ConstraintActivityTagPreferredRoom": _Reader._preferred_rooms,
    "ConstraintActivityTagPreferredRooms": _Reader._preferred_rooms,
    "ConstraintSubjectActivityTagPreferredRoom": _Reader._preferred_rooms,
    "ConstraintSubjectActivityTagPreferredRooms": _Reader._preferred_rooms,
    "ConstraintTeacherHomeRoom": _Reader._home_rooms,
    "ConstraintTeacherHomeRooms": _Reader._home_rooms,
    "ConstraintStudentsSetHomeRoom": _Reader._home_rooms,
    "ConstraintStudentsSetHomeRooms": _Reader._home_rooms,
    "ConstraintTeachersMinGapsBetweenBuildingChanges": _Reader._building_gaps,
    "ConstraintStudentsMinGapsBetweenBuildingChanges": _Reader._building_gaps,
    "ConstraintTeacherMinGapsBetweenBuildingChanges": _Reader._building_gaps,
    "ConstraintStudentsSetMinGapsBetweenBuildingChanges": _Reader._building_gaps,
}


def read_timetable(fet: FetFile, path: str | Path) -> Result:
    """Read the ``*_activities.xml`` timetable FET writes, as a result of this file.

    Rooms are kept only for activities the instance gives a room, since FET may place an
    activity in a room that no hard constraint asked for.
    """
    root = parse_file(path)
    lessons = fet.instance.lesson_by_id()
    placements = []
    for element in root.iterfind("Activity"):
        ident = _text(element, "Id")
        lesson = lessons.get(ident)
        if lesson is None:
            continue
        where = f"timetable activity {ident}"
        day = _text(element, "Day")
        hour = _text(element, "Hour")
        try:
            slot = fet.instance.days.index(day), [p.name for p in fet.instance.periods].index(hour)
        except ValueError:
            raise FetError(f"{path}: {where} is at unknown time {day!r} {hour!r}") from None
        room = _text(element, "Room") or None
        placements.append(
            Placement(
                ident, 0, slot[0], slot[1], lesson.duration, room if lesson.needs_room else None
            )
        )
    return Result("FEASIBLE", placements=placements)
