"""Independent checker of a timetable.

Design note: this module deliberately shares no code with the CP model. It walks the
placements in the result, builds plain occupancy tables (who/what is where in every period)
and recomputes every hard rule and every soft cost from the instance data alone, so that a
bug in the model's formulation shows up as a disagreement instead of being repeated here.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from solver.instance import Instance, Lesson
from solver.result import Placement, Result


@dataclass
class Verification:
    """Hard-rule violations and recomputed soft costs of a timetable."""

    violations: list[str] = field(default_factory=list)
    costs: dict[str, int] = field(default_factory=dict)
    objective: int = 0

    @property
    def ok(self) -> bool:
        """Return whether no hard rule is violated."""
        return not self.violations


def verify(instance: Instance, result: Result, previous: Result | None = None) -> Verification:
    """Recompute all hard rules and soft costs of a result; compare moves with ``previous``."""
    check = _Checker(instance, result)
    check.check_placement_counts()
    check.check_times_and_pins()
    check.check_rooms()
    check.check_sections()
    check.check_occupancy()
    check.check_spread()

    costs = {
        "student_gaps": check.gaps(check.student_busy),
        "teacher_gaps": check.gaps(check.teacher_busy),
        "location_changes": check.location_changes(),
        "preferred_times": check.preferred_times(),
        "teacher_undesired": check.teacher_undesired(),
        "spread": check.spread_excess(),
        "moves": _moves(result, previous) if previous is not None else 0,
    }
    if instance.no_student_gaps and costs["student_gaps"]:
        check.violations.append(f"{costs['student_gaps']} student idle periods, none allowed")
    weights = instance.weights
    objective = sum(getattr(weights, goal) * value for goal, value in costs.items())
    return Verification(check.violations, costs, objective)


class _Checker:
    """Occupancy tables for one timetable, filled while checking hard rules."""

    def __init__(self, instance: Instance, result: Result) -> None:
        """Index the instance and the placements."""
        self.instance = instance
        self.result = result
        self.violations: list[str] = []
        self.lessons = {x.id: x for x in instance.lessons}
        self.rooms = {x.id: x for x in instance.rooms}
        self.groups = {x.id: x for x in instance.groups}
        self.students = {x.id: x for x in instance.students}
        self.teachers = {x.id: x for x in instance.teachers}

        # Who attends each lesson: the fixed participants plus assigned section students.
        self.attendees: dict[str, set[str]] = {}
        for lesson in instance.lessons:
            members = set(lesson.students)
            for gid in lesson.groups:
                members.update(self.groups[gid].members)
            self.attendees[lesson.id] = members
        for sid, chosen in result.sections.items():
            for lesson_id in chosen.values():
                if lesson_id in self.attendees:
                    self.attendees[lesson_id].add(sid)

        # Placements by lesson, read by several checks: a scan of all placements per lesson
        # took most of the checker's time on files with hundreds of activities.
        self.placed: dict[str, list[Placement]] = defaultdict(list)
        for placement in result.placements:
            self.placed[placement.lesson].append(placement)

        self.student_busy: dict[str, dict[tuple[int, int], list[Placement]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.teacher_busy: dict[str, dict[tuple[int, int], list[Placement]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def periods_of(self, placement: Placement) -> list[tuple[int, int]]:
        """Return the (day, period) pairs a placement occupies."""
        return [(placement.day, placement.period + k) for k in range(placement.duration)]

    def location_of(self, placement: Placement) -> str | None:
        """Return the location where a placement happens (its room's)."""
        room = self.rooms.get(placement.room) if placement.room else None
        return room.location if room else None

    def check_placement_counts(self) -> None:
        """Check every lesson is placed exactly ``per_week`` times with its duration."""
        count = Counter(p.lesson for p in self.result.placements)
        for lesson in self.instance.lessons:
            if count[lesson.id] != lesson.per_week:
                self.violations.append(
                    f"lesson {lesson.id} placed {count[lesson.id]} times, needs {lesson.per_week}"
                )
        for p in self.result.placements:
            known = self.lessons.get(p.lesson)
            if known is None:
                self.violations.append(f"placement of unknown lesson {p.lesson}")
            elif p.duration != known.duration:
                self.violations.append(f"lesson {p.lesson} has wrong duration {p.duration}")

    def check_times_and_pins(self) -> None:
        """Check starts lie inside the week, in allowed times, and that pins are kept."""
        n_days, n_periods = self.instance.n_days, self.instance.n_periods
        for p in self.result.placements:
            lesson = self.lessons.get(p.lesson)
            if lesson is None:
                continue
            if not (0 <= p.day < n_days and p.period >= 0 and p.period + p.duration <= n_periods):
                self.violations.append(f"lesson {p.lesson} runs outside the day")
            if lesson.allowed_starts is not None and (p.day, p.period) not in lesson.allowed_starts:
                self.violations.append(f"lesson {p.lesson} starts at a time that is not allowed")

        for lesson in self.instance.lessons:
            placed = self.placed[lesson.id]
            free = list(placed)
            for pin in lesson.pinned:
                match = next(
                    (
                        p
                        for p in free
                        if (p.day, p.period) == (pin.day, pin.period)
                        and (pin.room is None or p.room == pin.room)
                    ),
                    None,
                )
                if match is None:
                    self.violations.append(f"pinned lesson {lesson.id} was moved")
                else:
                    free.remove(match)

    def check_rooms(self) -> None:
        """Check rooms: needed, allowed, featured, large enough, available, single-booked."""
        booked: dict[tuple[str, tuple[int, int]], int] = Counter()
        for p in self.result.placements:
            lesson = self.lessons.get(p.lesson)
            if lesson is None:
                continue
            if p.room is None:
                if lesson.needs_room:
                    self.violations.append(f"lesson {p.lesson} has no room")
                continue
            room = self.rooms.get(p.room)
            if room is None:
                self.violations.append(f"lesson {p.lesson} uses unknown room {p.room}")
                continue
            if lesson.rooms is not None and room.id not in lesson.rooms:
                self.violations.append(f"lesson {p.lesson} uses room {room.id}, not allowed")
            if not lesson.features <= room.features:
                self.violations.append(f"room {room.id} lacks features for lesson {p.lesson}")
            size = self._headcount(lesson)
            if size > room.capacity:
                self.violations.append(
                    f"room {room.id} holds {room.capacity}, lesson {p.lesson} has {size}"
                )
            for slot in self.periods_of(p):
                if slot in room.unavailable:
                    self.violations.append(f"room {room.id} unavailable for lesson {p.lesson}")
                booked[(room.id, slot)] += 1
        for (rid, slot), n in booked.items():
            if n > 1:
                self.violations.append(f"room {rid} double-booked at {slot}")

    def _headcount(self, lesson: Lesson) -> int:
        """Return the number of participants of a lesson, counting memberless groups by size."""
        extra = sum(
            self.groups[g].size or 0
            for g in lesson.groups
            if not self.groups[g].members and self.groups[g].size
        )
        return len(self.attendees[lesson.id]) + extra

    def check_sections(self) -> None:
        """Check every course student sits in one section; sizes balanced and within caps."""
        for course in self.instance.courses:
            section_ids = [x.id for x in self.instance.lessons if x.course == course.id]
            for sid in course.students:
                chosen = self.result.sections.get(sid, {}).get(course.id)
                if chosen not in section_ids:
                    self.violations.append(f"student {sid} has no section of course {course.id}")
            sizes = [self._headcount(self.lessons[x]) for x in section_ids]
            if sizes and max(sizes) - min(sizes) > course.max_size_difference:
                self.violations.append(f"sections of course {course.id} unbalanced: {sizes}")
            for lesson_id, size in zip(section_ids, sizes, strict=True):
                cap = self.lessons[lesson_id].capacity
                if cap is not None and size > cap:
                    self.violations.append(f"section {lesson_id} has {size} > {cap} students")

    def check_occupancy(self) -> None:
        """Fill who-is-where tables; check clashes, availability, daily maxima and travel."""
        group_busy: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        for p in self.result.placements:
            lesson = self.lessons.get(p.lesson)
            if lesson is None:
                continue
            for slot in self.periods_of(p):
                for tid in lesson.teachers:
                    self.teacher_busy[tid][slot].append(p)
                    if slot in self.teachers[tid].unavailable:
                        self.violations.append(f"teacher {tid} unavailable for {p.lesson}")
                for sid in self.attendees[lesson.id]:
                    self.student_busy[sid][slot].append(p)
                    if slot in self.students[sid].unavailable:
                        self.violations.append(f"student {sid} unavailable for {p.lesson}")
                for gid in lesson.groups:
                    group_busy[gid][slot] += 1
                    if slot in self.groups[gid].unavailable:
                        self.violations.append(f"group {gid} unavailable for {p.lesson}")

        for kind, table in (("teacher", self.teacher_busy), ("student", self.student_busy)):
            for ident, slots in table.items():
                for slot, here in slots.items():
                    if len(here) > 1:
                        self.violations.append(f"{kind} {ident} in two lessons at {slot}")
        for gid, counts in group_busy.items():
            for slot, n in counts.items():
                if n > 1:
                    self.violations.append(f"group {gid} in two lessons at {slot}")

        self._daily_maxima()
        self._travel()

    def _daily_maxima(self) -> None:
        """Check teachers' and students' maximum periods per day."""
        for tid, slots in self.teacher_busy.items():
            limit = self.teachers[tid].max_periods_per_day
            self._check_daily(f"teacher {tid}", slots, limit)
        for sid, slots in self.student_busy.items():
            limit = self.instance.student_max_per_day(self.students[sid])
            self._check_daily(f"student {sid}", slots, limit)

    def _check_daily(
        self, who: str, slots: dict[tuple[int, int], list[Placement]], limit: int | None
    ) -> None:
        """Flag days on which someone exceeds a daily maximum."""
        if limit is None:
            return
        per_day = Counter(day for (day, _), here in slots.items() if here)
        for day, n in per_day.items():
            if n > limit:
                self.violations.append(f"{who} has {n} periods on day {day}, max {limit}")

    def _travel(self) -> None:
        """Check that any two periods at different locations leave enough travel time."""
        for kind, table in (("teacher", self.teacher_busy), ("student", self.student_busy)):
            for ident, slots in table.items():
                where = sorted(
                    (slot, loc)
                    for slot, here in slots.items()
                    for loc in {self.location_of(p) for p in here}
                    if loc is not None
                )
                for i, ((day_a, per_a), loc_a) in enumerate(where):
                    for (day_b, per_b), loc_b in where[i + 1 :]:
                        if day_b != day_a or per_b <= per_a or loc_b == loc_a:
                            continue
                        end_a = self.instance.period_time(loc_a, per_a)[1]
                        start_b = self.instance.period_time(loc_b, per_b)[0]
                        if start_b - end_a < self.instance.travel(loc_a, loc_b):
                            self.violations.append(
                                f"{kind} {ident} cannot travel {loc_a}->{loc_b} on day {day_a}"
                            )

    def check_spread(self) -> None:
        """Check lessons that must spread over days really do."""
        for lesson in self.instance.lessons:
            if not lesson.spread_days:
                continue
            days = [p.day for p in self.placed[lesson.id]]
            if len(days) != len(set(days)):
                self.violations.append(f"lesson {lesson.id} twice on one day")

    def gaps(self, table: dict[str, dict[tuple[int, int], list[Placement]]]) -> int:
        """Count idle periods between each person's first and last lesson of a day."""
        total = 0
        for slots in table.values():
            by_day: dict[int, list[int]] = defaultdict(list)
            for (day, period), here in slots.items():
                if here:
                    by_day[day].append(period)
            for periods in by_day.values():
                total += max(periods) - min(periods) + 1 - len(set(periods))
        return total

    def location_changes(self) -> int:
        """Count, per teacher/student and day, the locations visited beyond the first."""
        total = 0
        for table in (self.teacher_busy, self.student_busy):
            for slots in table.values():
                places: dict[int, set[str]] = defaultdict(set)
                for (day, _), here in slots.items():
                    for p in here:
                        loc = self.location_of(p)
                        if loc is not None:
                            places[day].add(loc)
                total += sum(max(0, len(locs) - 1) for locs in places.values())
        return total

    def preferred_times(self) -> int:
        """Count placements that start outside their lesson's preferred times."""
        total = 0
        for p in self.result.placements:
            lesson = self.lessons.get(p.lesson)
            if (
                lesson
                and lesson.preferred_starts
                and (p.day, p.period) not in lesson.preferred_starts
            ):
                total += 1
        return total

    def teacher_undesired(self) -> int:
        """Count teacher periods taught in slots the teacher marked as undesired."""
        total = 0
        for tid, slots in self.teacher_busy.items():
            undesired = self.teachers[tid].undesired
            total += sum(len(here) for slot, here in slots.items() if slot in undesired)
        return total

    def spread_excess(self) -> int:
        """Count extra same-day occurrences of lessons that only prefer spreading."""
        total = 0
        for lesson in self.instance.lessons:
            if lesson.spread_days or lesson.per_week < 2:
                continue
            days = Counter(p.day for p in self.placed[lesson.id])
            total += sum(n - 1 for n in days.values() if n > 1)
        return total


def _moves(result: Result, previous: Result) -> int:
    """Count occurrences whose start slot is not one the lesson had before."""
    before: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    for p in previous.placements:
        before[p.lesson][(p.day, p.period)] += 1
    after: dict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
    for p in result.placements:
        after[p.lesson][(p.day, p.period)] += 1
    moved = 0
    for lesson_id, slots in after.items():
        kept = sum(min(n, before[lesson_id][slot]) for slot, n in slots.items())
        moved += sum(slots.values()) - kept
    return moved
