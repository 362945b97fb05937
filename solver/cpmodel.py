"""CP-SAT model of one school week.

Design note: every weekly occurrence of a lesson gets one Boolean per possible start slot
and, when several rooms qualify, one Boolean per candidate room. Whether an occurrence
covers a slot is then a *linear expression* (the sum of the start Booleans that cover it),
so clashes, daily maxima, travel and idle periods are all plain linear constraints over these
sums; products are only materialised where a second decision is involved (room choice,
section membership). Students with identical fixed lessons behave identically and are merged
into one "student class" whose soft costs are multiplied by its size. Start slots that are
ruled out by availability, pins or allowed times are simply not created, except in
*explain* mode, where each such rule becomes a named enforcement literal so that CP-SAT can
report which requirements contradict each other.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from solver.instance import Instance, Lesson, Pin, Slot
from solver.result import Placement, Result

Key = tuple[str, str]
Term = cp_model.IntVar | cp_model.LinearExpr | int

GOALS = (
    "student_gaps",
    "teacher_gaps",
    "location_changes",
    "preferred_times",
    "teacher_undesired",
    "spread",
    "moves",
)


@dataclass
class Occurrence:
    """One weekly copy of a lesson with its start and room decisions."""

    lesson: Lesson
    index: int
    pin: Pin | None
    location: str | None
    starts: dict[Slot, cp_model.IntVar] = field(default_factory=dict)
    rooms: dict[str, cp_model.IntVar] = field(default_factory=dict)
    fixed_room: str | None = None

    @property
    def name(self) -> str:
        """Return a readable name for variable names."""
        return f"{self.lesson.id}#{self.index}"


@dataclass
class Person:
    """Someone who can be in one place at a time: a teacher, a student class or a group."""

    kind: str
    ident: str
    weight: int
    terms: dict[Slot, list[Term]] = field(default_factory=lambda: defaultdict(list))
    located: dict[Slot, dict[str, list[Term]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    max_per_day: int | None = None
    busy: dict[Slot, Term] = field(default_factory=dict)
    at: dict[Slot, dict[str, Term]] = field(default_factory=lambda: defaultdict(dict))
    via: list[Person] = field(default_factory=list)


class TimetableModel:
    """Build the CP-SAT model for an instance; see the module note for the formulation."""

    def __init__(
        self, instance: Instance, *, explain: bool = False, previous: Result | None = None
    ) -> None:
        """Build every variable, constraint and the objective."""
        self.instance = instance
        self.explain = explain
        self.model = cp_model.CpModel()
        self.literals: dict[Key, cp_model.IntVar] = {}
        self.costs: dict[str, list[Term]] = {goal: [] for goal in GOALS}
        self.occurrences: list[Occurrence] = []
        self.assign: dict[tuple[str, str, str], cp_model.IntVar] = {}
        self.section_size: dict[str, Term] = {}
        self._rooms = instance.room_by_id()
        self._groups = instance.group_by_id()
        self._students = {s.id: s for s in instance.students}
        self._teachers = {t.id: t for t in instance.teachers}
        self._located_cache: dict[tuple[str, Slot], dict[str, cp_model.IntVar]] = {}
        self.objective_expr: Term | None = None
        # Idle-period Booleans per student class (keyed by its first student), with the
        # class size and the day: lets the neighbourhood search aim at the students (and the
        # days) with gaps.
        self.student_idle: dict[str, list[tuple[int, int, cp_model.IntVar]]] = defaultdict(list)

        self._create_occurrences()
        self._create_sections()
        self.persons = self._collect_persons()

        self._add_scheduled()
        self._add_spread()
        self._add_symmetry_breaking()
        self._add_room_constraints()
        self._add_person_constraints()
        self._add_section_constraints()
        self._add_travel()
        if instance.no_student_gaps:
            self._add_compact_student_days()

        # Explain mode only asks "is there any timetable?": soft goals would add constraints
        # that assume the (now relaxable) clash rules hold, so they are left out.
        if not explain:
            self._add_gap_costs()
            self._add_location_change_costs()
            self._add_preference_costs()
            if previous is not None:
                self._add_move_costs(previous)
            self._set_objective()

    # ----------------------------------------------------------------- requirements

    def literal(self, kind: str, ident: str) -> cp_model.IntVar | None:
        """Return the enforcement literal of a requirement in explain mode, else None."""
        if not self.explain:
            return None
        key = (kind, ident)
        if key not in self.literals:
            self.literals[key] = self.model.new_bool_var(f"require[{kind}:{ident}]")
        return self.literals[key]

    def hard(self, constraint: cp_model.Constraint, kind: str, ident: str) -> None:
        """Attach a requirement's enforcement literal to a constraint (explain mode only)."""
        lit = self.literal(kind, ident)
        if lit is not None:
            constraint.only_enforce_if(lit)

    # -------------------------------------------------------------------- variables

    def _create_occurrences(self) -> None:
        """Create start and room Booleans for every weekly occurrence of every lesson."""
        for lesson in self.instance.lessons:
            location = self.instance.lesson_location(lesson)
            for index in range(lesson.per_week):
                pin = lesson.pinned[index] if index < len(lesson.pinned) else None
                occ = Occurrence(lesson, index, pin, location)
                self._create_rooms(occ)
                self._create_starts(occ)
                self.occurrences.append(occ)

    def _create_rooms(self, occ: Occurrence) -> None:
        """Create room choices; a single candidate room is fixed without a variable."""
        lesson = occ.lesson
        candidates = self.instance.candidate_rooms(lesson, self.instance.fixed_headcount(lesson))
        if occ.pin is not None and occ.pin.room is not None:
            candidates = [room for room in candidates if room.id == occ.pin.room]
        if not lesson.needs_room:
            return
        if len(candidates) == 1:
            occ.fixed_room = candidates[0].id
            occ.location = candidates[0].location
            return
        for room in candidates:
            occ.rooms[room.id] = self.model.new_bool_var(f"room[{occ.name}@{room.id}]")

    def _create_starts(self, occ: Occurrence) -> None:
        """Create a start Boolean per slot that is not ruled out by a requirement."""
        lesson = occ.lesson
        for day in range(self.instance.n_days):
            for period in range(self.instance.n_periods - lesson.duration + 1):
                slot = (day, period)
                reasons = self._start_reasons(occ, slot)
                if reasons and not self.explain:
                    continue
                var = self.model.new_bool_var(f"start[{occ.name}@d{day}p{period}]")
                occ.starts[slot] = var
                for kind, ident in reasons:
                    self.hard(self.model.add(var == 0), kind, ident)

    def _start_reasons(self, occ: Occurrence, slot: Slot) -> list[Key]:
        """Return the requirements that forbid an occurrence to start at a slot."""
        lesson = occ.lesson
        reasons: list[Key] = []
        if lesson.allowed_starts is not None and slot not in lesson.allowed_starts:
            reasons.append(("allowed_times", lesson.id))
        if occ.pin is not None and slot != (occ.pin.day, occ.pin.period):
            reasons.append(("pinned", lesson.id))

        covered = {(slot[0], slot[1] + k) for k in range(lesson.duration)}
        for tid in lesson.teachers:
            if covered & self._teachers[tid].unavailable:
                reasons.append(("teacher_available", tid))
        for gid in lesson.groups:
            if covered & self._groups[gid].unavailable:
                reasons.append(("group_available", gid))
        for sid in self.instance.fixed_students(lesson):
            if covered & self._students[sid].unavailable:
                reasons.append(("student_available", sid))
        if occ.fixed_room is not None and covered & self._rooms[occ.fixed_room].unavailable:
            reasons.append(("room_available", occ.fixed_room))
        return reasons

    def cover(self, occ: Occurrence, slot: Slot) -> list[cp_model.IntVar]:
        """Return the start Booleans of an occurrence that make it occupy a slot."""
        day, period = slot
        return [
            var
            for k in range(occ.lesson.duration)
            if (var := occ.starts.get((day, period - k))) is not None
        ]

    def _create_sections(self) -> None:
        """Create one Boolean per student and section of a course."""
        sections = self._sections_by_course()
        for course in self.instance.courses:
            for sid in course.students:
                for lesson in sections[course.id]:
                    name = f"assign[{sid}->{lesson.id}]"
                    self.assign[(sid, course.id, lesson.id)] = self.model.new_bool_var(name)

    def _sections_by_course(self) -> dict[str, list[Lesson]]:
        """Return the section lessons of each course."""
        sections: dict[str, list[Lesson]] = defaultdict(list)
        for lesson in self.instance.lessons:
            if lesson.course is not None:
                sections[lesson.course].append(lesson)
        return sections

    def _collect_persons(self) -> list[Person]:
        """Gather, per teacher, student class and memberless group, what occupies each slot."""
        persons: list[Person] = []
        by_lesson: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            by_lesson[occ.lesson.id].append(occ)

        for teacher in self.instance.teachers:
            person = Person("teacher", teacher.id, 1, max_per_day=teacher.max_periods_per_day)
            for lesson in self.instance.lessons:
                if teacher.id in lesson.teachers:
                    self._occupy(person, by_lesson[lesson.id])
            persons.append(person)

        # A group with members gets its own busy Booleans too: its members' timetables then
        # refer to them instead of repeating the sums over all group lessons per student.
        self._group_persons: dict[str, Person] = {}
        for group in self.instance.groups:
            person = Person("group", group.id, 0)
            for lesson in self.instance.lessons:
                if group.id in lesson.groups:
                    self._occupy(person, by_lesson[lesson.id])
            persons.append(person)
            self._group_persons[group.id] = person

        persons.extend(self._student_classes(by_lesson))
        return persons

    def _sole_group(self) -> dict[str, str]:
        """Return the group of each student who is a member of exactly one group."""
        groups_of: dict[str, list[str]] = defaultdict(list)
        for group in self.instance.groups:
            for sid in group.members:
                groups_of[sid].append(group.id)
        return {sid: gids[0] for sid, gids in groups_of.items() if len(gids) == 1}

    def _student_classes(self, by_lesson: dict[str, list[Occurrence]]) -> list[Person]:
        """Merge students with identical fixed lessons and no course choices into classes."""
        lessons_of: dict[str, set[str]] = defaultdict(set)
        for lesson in self.instance.lessons:
            for sid in self.instance.fixed_students(lesson):
                lessons_of[sid].add(lesson.id)
        courses_of: dict[str, list[str]] = defaultdict(list)
        for course in self.instance.courses:
            for sid in course.students:
                courses_of[sid].append(course.id)

        classes: dict[object, list[str]] = defaultdict(list)
        for student in self.instance.students:
            limit = self.instance.student_max_per_day(student)
            if courses_of[student.id]:
                signature: object = ("individual", student.id)
            else:
                signature = (frozenset(lessons_of[student.id]), student.unavailable, limit)
            classes[signature].append(student.id)

        sections = self._sections_by_course()
        sole_group = self._sole_group()
        lessons = self.instance.lesson_by_id()
        persons = []
        for members in classes.values():
            first = self._students[members[0]]
            limit = self.instance.student_max_per_day(first)
            person = Person("student", first.id, len(members), max_per_day=limit)
            group = sole_group.get(first.id)
            if group is not None:
                person.via.append(self._group_persons[group])
            for lesson_id in sorted(lessons_of[first.id]):
                if group is None or group not in lessons[lesson_id].groups:
                    self._occupy(person, by_lesson[lesson_id])
            for course_id in courses_of[first.id]:
                for lesson in sections[course_id]:
                    choice = self.assign[(first.id, course_id, lesson.id)]
                    self._occupy_section(person, by_lesson[lesson.id], choice)
            persons.append(person)
        return persons

    def _occupy(self, person: Person, occurrences: list[Occurrence]) -> None:
        """Add the cover expressions of fixed occurrences to a person's slots."""
        for occ in occurrences:
            for slot in self._reachable(occ):
                cover = self.cover(occ, slot)
                if not cover:
                    continue
                expr = sum(cover)
                person.terms[slot].append(expr)
                if occ.location is not None:
                    person.located[slot][occ.location].append(expr)
                else:
                    for place, here in self._located_products(occ, slot).items():
                        person.located[slot][place].append(here)

    def _located_products(self, occ: Occurrence, slot: Slot) -> dict[str, cp_model.IntVar]:
        """Return, per location, a Boolean forced to 1 when the occurrence is there at slot.

        Only occurrences whose candidate rooms lie at several locations need these; they are
        created once per occurrence and slot and shared by all its participants.
        """
        key = (occ.name, slot)
        if key not in self._located_cache:
            by_place: dict[str, list[cp_model.IntVar]] = defaultdict(list)
            for rid, choice in occ.rooms.items():
                by_place[self._rooms[rid].location].append(choice)
            products = {}
            for place, choices in by_place.items():
                name = f"at[{occ.name}@{place},d{slot[0]}p{slot[1]}]"
                here = self.model.new_bool_var(name)
                self.model.add(here >= sum(self.cover(occ, slot)) + sum(choices) - 1)
                products[place] = here
            self._located_cache[key] = products
        return self._located_cache[key]

    def _occupy_section(
        self, person: Person, occurrences: list[Occurrence], choice: cp_model.IntVar
    ) -> None:
        """Add "chose this section and it is here" products to a student's slots."""
        for slot in self.instance.slots():
            cover = [var for occ in occurrences for var in self.cover(occ, slot)]
            if not cover:
                continue
            name = f"attends[{person.ident}@{occurrences[0].lesson.id},d{slot[0]}p{slot[1]}]"
            both = self.model.new_bool_var(name)
            # Exact product: a spurious 1 would fill an idle period in the gap count.
            self.model.add(both >= choice + sum(cover) - 1)
            self.model.add(both <= choice)
            self.model.add(both <= sum(cover))
            person.terms[slot].append(both)
            places = {occ.location for occ in occurrences}
            if len(places) == 1 and None not in places:
                person.located[slot][occurrences[0].location].append(both)  # type: ignore[index]
            else:
                self._locate_section(person, occurrences, choice, slot)

    def _locate_section(
        self, person: Person, occurrences: list[Occurrence], choice: cp_model.IntVar, slot: Slot
    ) -> None:
        """Say where a student is when a chosen section may be at several locations.

        Without these Booleans the travel rule would not see a section whose room, and so
        whose location, the solver still chooses. Each is only bounded from below (chose
        the section and it is there at ``slot``), as the travel rule needs no more.
        """
        for occ in occurrences:
            cover = self.cover(occ, slot)
            if not cover:
                continue
            if occ.location is not None:
                wheres = {occ.location: sum(cover)}
            else:
                wheres = dict(self._located_products(occ, slot))
            for place, here in wheres.items():
                name = f"attends[{person.ident}@{occ.name},{place},d{slot[0]}p{slot[1]}]"
                there = self.model.new_bool_var(name)
                self.model.add(there >= choice + here - 1)
                person.located[slot][place].append(there)

    def _reachable(self, occ: Occurrence) -> list[Slot]:
        """Return the slots an occurrence can occupy."""
        slots = {(d, p + k) for (d, p) in occ.starts for k in range(occ.lesson.duration)}
        return sorted(slots)

    # ------------------------------------------------------------- hard constraints

    def _add_scheduled(self) -> None:
        """Place every occurrence exactly once, and in exactly one room if it needs one."""
        for occ in self.occurrences:
            # At most one start always; "at least one" is the requirement explain mode may drop.
            self.model.add(sum(occ.starts.values()) <= 1)
            ct = self.model.add(sum(occ.starts.values()) >= 1)
            self.hard(ct, "scheduled", occ.lesson.id)
            if occ.rooms:
                self.model.add_exactly_one(occ.rooms.values())

    def _add_spread(self) -> None:
        """Keep the weekly occurrences of a lesson on different days where required."""
        by_lesson: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            by_lesson[occ.lesson.id].append(occ)
        for lesson_id, occs in by_lesson.items():
            lesson = occs[0].lesson
            if len(occs) < 2:
                continue
            for day in range(self.instance.n_days):
                starts = [v for occ in occs for (d, _), v in occ.starts.items() if d == day]
                if len(starts) < 2:
                    continue
                if lesson.spread_days:
                    self.hard(self.model.add(sum(starts) <= 1), "spread", lesson_id)
                elif not self.explain:
                    # Soft "even spread": every extra occurrence on one day costs.
                    extra = self.model.new_int_var(0, len(occs), f"extra[{lesson_id}@d{day}]")
                    self.model.add(extra >= sum(starts) - 1)
                    self.costs["spread"].append(extra)

    def _add_symmetry_breaking(self) -> None:
        """Order the unpinned occurrences of a lesson in time; they are interchangeable."""
        by_lesson: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            if occ.pin is None:
                by_lesson[occ.lesson.id].append(occ)
        width = self.instance.n_periods
        for occs in by_lesson.values():
            for first, second in pairwise(occs):
                a = sum((d * width + p) * v for (d, p), v in first.starts.items())
                b = sum((d * width + p) * v for (d, p), v in second.starts.items())
                self.model.add(a <= b)

    def _add_room_constraints(self) -> None:
        """Keep rooms single-booked and honour their unavailable times."""
        users: dict[str, dict[Slot, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for occ in self.occurrences:
            if occ.fixed_room is not None:
                for slot in self._reachable(occ):
                    users[occ.fixed_room][slot].extend(self.cover(occ, slot))
            for rid, choice in occ.rooms.items():
                unavailable = self._rooms[rid].unavailable
                for slot in self._reachable(occ):
                    cover = self.cover(occ, slot)
                    if slot in unavailable:
                        ct = self.model.add(choice + sum(cover) <= 1)
                        self.hard(ct, "room_available", rid)
                        continue
                    both = self.model.new_bool_var(f"uses[{occ.name}@{rid},d{slot[0]}p{slot[1]}]")
                    self.model.add(both >= choice + sum(cover) - 1)
                    users[rid][slot].append(both)

        for rid, slots in users.items():
            for terms in slots.values():
                if len(terms) > 1:
                    self.hard(self.model.add(sum(terms) <= 1), "room_clash", rid)

    def _add_person_constraints(self) -> None:
        """Keep every person in one lesson at a time and within the daily maximum.

        Each person gets one Boolean per busy slot (and per location, when they have lessons
        at several): the travel, daily-maximum and idle-period rules are then written over
        these few Booleans instead of over long sums of start variables.
        """
        for person in self.persons:
            for group in person.via:
                self._absorb(person, group)
            for slot, terms in person.terms.items():
                name = f"busy[{person.ident}@d{slot[0]}p{slot[1]}]"
                person.busy[slot] = self._one_of(terms, name, f"{person.kind}_clash", person)
            places = {loc for by_loc in person.located.values() for loc in by_loc}
            if len(places) > 1 or (person.kind == "group" and places):
                for slot, by_loc in person.located.items():
                    for loc, terms in by_loc.items():
                        name = f"at[{person.ident}@d{slot[0]}p{slot[1]},{loc}]"
                        person.at[slot][loc] = self._one_of(terms, name, None, person)

            if person.max_per_day is None:
                continue
            for day in range(self.instance.n_days):
                day_busy = [b for (d, _), b in person.busy.items() if d == day]
                if len(day_busy) > person.max_per_day:
                    ct = self.model.add(sum(day_busy) <= person.max_per_day)
                    self.hard(ct, f"{person.kind}_max_day", person.ident)

    def _absorb(self, person: Person, group: Person) -> None:
        """Let a student class take over the busy and location Booleans of its group."""
        for slot, busy in group.busy.items():
            person.terms[slot].append(busy)
        for slot, by_loc in group.at.items():
            for loc, here in by_loc.items():
                person.located[slot][loc].append(here)

    def _one_of(self, terms: list[Term], name: str, clash: str | None, person: Person) -> Term:
        """Return a Boolean that is 1 exactly when one of ``terms`` is; at most one may be.

        In explain mode the "at most one" part is the person's (relaxable) clash rule, so the
        Boolean is then defined as the OR of the terms instead of their sum.
        """
        if len(terms) == 1:
            return terms[0]
        var = self.model.new_bool_var(name)
        if not self.explain:
            self.model.add(var == sum(terms))
            return var
        for term in terms:
            self.model.add(var >= term)
        self.model.add(var <= sum(terms))
        if clash is not None:
            self.hard(self.model.add(sum(terms) <= 1), clash, person.ident)
        return var

    def _add_section_constraints(self) -> None:
        """Give each course student one section; respect capacity, balance, availability."""
        sections = self._sections_by_course()
        occs_of: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            occs_of[occ.lesson.id].append(occ)

        for course in self.instance.courses:
            lessons = sections[course.id]
            for sid in course.students:
                self.model.add_exactly_one(self.assign[(sid, course.id, x.id)] for x in lessons)

            for lesson in lessons:
                size = self.instance.fixed_headcount(lesson) + sum(
                    self.assign[(sid, course.id, lesson.id)] for sid in course.students
                )
                self.section_size[lesson.id] = size
                self._section_capacity(course.id, lesson, size, occs_of[lesson.id])

            for a in lessons:
                for b in lessons:
                    if a.id != b.id:
                        diff = self.section_size[a.id] - self.section_size[b.id]
                        ct = self.model.add(diff <= course.max_size_difference)
                        self.hard(ct, "section_balance", course.id)

            # A student who is unavailable cannot join a section taught at that time.
            for sid in course.students:
                unavailable = self._students[sid].unavailable
                for lesson in lessons:
                    choice = self.assign[(sid, course.id, lesson.id)]
                    for occ in occs_of[lesson.id]:
                        for slot in unavailable:
                            cover = self.cover(occ, slot)
                            if cover:
                                ct = self.model.add(choice + sum(cover) <= 1)
                                self.hard(ct, "student_available", sid)

    def _section_capacity(
        self, course_id: str, lesson: Lesson, size: Term, occs: list[Occurrence]
    ) -> None:
        """Bound a section's size by its own capacity and by the room it gets."""
        if lesson.capacity is not None:
            self.hard(self.model.add(size <= lesson.capacity), "section_capacity", course_id)
        for occ in occs:
            if occ.fixed_room is not None:
                cap = self._rooms[occ.fixed_room].capacity
                self.hard(self.model.add(size <= cap), "section_capacity", course_id)
            for rid, choice in occ.rooms.items():
                cap = self._rooms[rid].capacity
                ct = self.model.add(size <= cap).only_enforce_if(choice)
                self.hard(ct, "section_capacity", course_id)

    def _add_travel(self) -> None:
        """Leave enough minutes between lessons at different locations for every person."""
        tight = self._tight_period_pairs()
        if not tight:
            return
        for person in self.persons:
            if not person.at or (person.kind == "group" and self._groups[person.ident].members):
                continue  # the members of a group carry its travel rule
            for (day, p, loc_a), (q, loc_b) in tight:
                here = person.at.get((day, p), {}).get(loc_a)
                there = person.at.get((day, q), {}).get(loc_b)
                if here is not None and there is not None:
                    ct = self.model.add(here + there <= 1)
                    self.hard(ct, "travel", person.ident)

    def _tight_period_pairs(self) -> list[tuple[tuple[int, int, str], tuple[int, str]]]:
        """Return (day, period, location) → (later period, location) pairs too close to travel."""
        pairs = self.instance.too_close_to_travel()
        return [
            ((day, p, a), (q, b)) for day in range(self.instance.n_days) for a, p, b, q in pairs
        ]

    def _add_compact_student_days(self) -> None:
        """Give every student at most one block of lessons per day: no idle periods.

        A block starts at a period that is busy while the one before is not; allowing one
        start per day is three small constraints per period instead of a triple per idle
        candidate.
        """
        for person in self.persons:
            if person.kind != "student":
                continue
            for day in range(self.instance.n_days):
                busy = [person.busy.get((day, p), 0) for p in range(self.instance.n_periods)]
                starts = []
                for p, now in enumerate(busy):
                    if isinstance(now, int):
                        continue
                    start = self.model.new_bool_var(f"block[{person.ident}@d{day}p{p}]")
                    self.model.add(start >= now - (busy[p - 1] if p else 0))
                    starts.append(start)
                if len(starts) > 1:
                    ct = self.model.add(sum(starts) <= 1)
                    self.hard(ct, "student_gaps", person.ident)

    # ------------------------------------------------------------------- soft goals

    def _add_gap_costs(self) -> None:
        """Count idle periods between the first and last lesson of each person's day."""
        for person in self.persons:
            if person.kind == "group":
                continue
            goal = "teacher_gaps" if person.kind == "teacher" else "student_gaps"
            for day in range(self.instance.n_days):
                busy = [person.busy.get((day, p), 0) for p in range(self.instance.n_periods)]
                for idle in self._idle_periods(busy, f"{person.ident}@d{day}"):
                    self.costs[goal].append(person.weight * idle)
                    if person.kind == "student":
                        self.student_idle[person.ident].append((person.weight, day, idle))

    def _idle_periods(self, busy: list[Term], name: str) -> list[cp_model.IntVar]:
        """Return Booleans that are forced to 1 for idle periods inside a day."""
        active = [i for i, expr in enumerate(busy) if not isinstance(expr, int)]
        if len(active) < 2:
            return []
        lo, hi = active[0], active[-1]

        # before[p] is 1 when some lesson happened earlier that day, after[p] when one follows.
        before: dict[int, Term] = {}
        after: dict[int, Term] = {}
        for p in range(lo + 1, hi + 1):
            var = self.model.new_bool_var(f"before[{name}p{p}]")
            self.model.add(var >= busy[p - 1])
            if p - 1 in before:
                self.model.add(var >= before[p - 1])
            before[p] = var
        for p in range(hi - 1, lo - 1, -1):
            var = self.model.new_bool_var(f"after[{name}p{p}]")
            self.model.add(var >= busy[p + 1])
            if p + 1 in after:
                self.model.add(var >= after[p + 1])
            after[p] = var

        idles = []
        for p in range(lo + 1, hi):
            idle = self.model.new_bool_var(f"idle[{name}p{p}]")
            self.model.add(idle >= before[p] + after[p] - 1 - busy[p])
            idles.append(idle)
        return idles

    def _add_location_change_costs(self) -> None:
        """Count, per person and day, the locations visited beyond the first."""
        for person in self.persons:
            places = sorted({loc for by_loc in person.at.values() for loc in by_loc})
            if len(places) < 2 or person.kind == "group":
                continue
            for day in range(self.instance.n_days):
                visits = []
                for loc in places:
                    terms = [
                        by_loc[loc]
                        for (d, _), by_loc in person.at.items()
                        if d == day and loc in by_loc
                    ]
                    if not terms:
                        continue
                    visit = self.model.new_bool_var(f"visits[{person.ident}@d{day},{loc}]")
                    for term in terms:
                        self.model.add(visit >= term)
                    visits.append(visit)
                if len(visits) < 2:
                    continue
                extra = self.model.new_int_var(0, len(visits), f"moves[{person.ident}@d{day}]")
                self.model.add(extra >= sum(visits) - 1)
                self.costs["location_changes"].append(person.weight * extra)

    def _add_preference_costs(self) -> None:
        """Charge starts outside preferred times and teaching in a teacher's undesired slots."""
        for occ in self.occurrences:
            preferred = occ.lesson.preferred_starts
            if preferred:
                self.costs["preferred_times"].extend(
                    var for slot, var in occ.starts.items() if slot not in preferred
                )
            for tid in occ.lesson.teachers:
                for slot in sorted(self._teachers[tid].undesired):
                    self.costs["teacher_undesired"].extend(self.cover(occ, slot))

    def _add_move_costs(self, previous: Result) -> None:
        """Charge every occurrence that leaves its slot in the previous timetable."""
        by_lesson: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            by_lesson[occ.lesson.id].append(occ)
        old: dict[str, Counter[Slot]] = defaultdict(Counter)
        for placement in previous.placements:
            old[placement.lesson][(placement.day, placement.period)] += 1

        for lesson_id, occs in by_lesson.items():
            # Occurrences are interchangeable, so count kept slots per lesson, not per index.
            kept_terms = []
            for slot, count in old[lesson_id].items():
                placed = [occ.starts[slot] for occ in occs if slot in occ.starts]
                if not placed:
                    continue
                kept = self.model.new_int_var(0, count, f"kept[{lesson_id}@d{slot[0]}p{slot[1]}]")
                self.model.add(kept <= sum(placed))
                kept_terms.append(kept)
            moved = self.model.new_int_var(0, len(occs), f"moved[{lesson_id}]")
            self.model.add(moved >= len(occs) - sum(kept_terms))
            self.costs["moves"].append(moved)

        self._hint(previous)

    def _hint(self, previous: Result) -> None:
        """Start the search from the previous timetable."""
        by_key = {(p.lesson, p.index): p for p in previous.placements}
        for occ in self.occurrences:
            placement = by_key.get((occ.lesson.id, occ.index))
            if placement is None:
                continue
            for slot, var in occ.starts.items():
                self.model.add_hint(var, slot == (placement.day, placement.period))
            for rid, var in occ.rooms.items():
                self.model.add_hint(var, rid == placement.room)

    def hint_board(self, placements: list[Placement]) -> set[int]:
        """Hint the occurrences a board places; return the indices of those hinted.

        Unpinned occurrences of a lesson are ordered in time (symmetry breaking), so they
        take the lesson's unpinned board placements in time order; a lesson the board
        placed only in part is left unhinted, as is a placement at a start the model rules
        out.
        """
        by_lesson: dict[str, list[Placement]] = defaultdict(list)
        for placement in placements:
            by_lesson[placement.lesson].append(placement)
        occurrences: dict[str, list[Occurrence]] = defaultdict(list)
        for occ in self.occurrences:
            occurrences[occ.lesson.id].append(occ)

        hinted: set[int] = set()
        index_of = {id(occ): i for i, occ in enumerate(self.occurrences)}
        for lesson_id, occs in occurrences.items():
            placed = by_lesson.get(lesson_id, [])
            if len(placed) != len(occs):
                continue
            pinned = {p.index: p for p in placed if occs[p.index].pin is not None}
            loose = sorted((p for p in placed if p.index not in pinned), key=_when)
            matched = [pinned.get(occ.index) or loose.pop(0) for occ in occs]
            if any(
                (p.day, p.period) not in occ.starts for occ, p in zip(occs, matched, strict=True)
            ):
                continue
            for occ, placement in zip(occs, matched, strict=True):
                for slot, var in occ.starts.items():
                    self.model.add_hint(var, slot == (placement.day, placement.period))
                for rid, var in occ.rooms.items():
                    self.model.add_hint(var, rid == placement.room)
                hinted.add(index_of[id(occ)])
        return hinted

    def _set_objective(self) -> None:
        """Minimise the weighted sum of the soft goals."""
        weights = self.instance.weights
        terms = []
        for goal in GOALS:
            weight = getattr(weights, goal)
            if weight and self.costs[goal]:
                terms.append(weight * sum(self.costs[goal]))
        if terms:
            self.objective_expr = sum(terms)
            self.model.minimize(self.objective_expr)

    # ------------------------------------------------------------------- extraction

    def extract(self, solver: cp_model.CpSolver, status: str) -> Result:
        """Read placements, sections and costs from a solved model."""
        by_lesson: dict[str, list[tuple[Slot, str | None]]] = defaultdict(list)
        for occ in self.occurrences:
            slot = next(s for s, v in occ.starts.items() if solver.boolean_value(v))
            room = occ.fixed_room
            for rid, var in occ.rooms.items():
                if solver.boolean_value(var):
                    room = rid
            by_lesson[occ.lesson.id].append((slot, room))

        lessons = self.instance.lesson_by_id()
        placements = []
        for lesson_id, placed in by_lesson.items():
            for index, ((day, period), room) in enumerate(sorted(placed, key=lambda x: x[0])):
                duration = lessons[lesson_id].duration
                placements.append(Placement(lesson_id, index, day, period, duration, room))

        sections: dict[str, dict[str, str]] = defaultdict(dict)
        for (sid, course_id, lesson_id), var in self.assign.items():
            if solver.boolean_value(var):
                sections[sid][course_id] = lesson_id

        costs = {goal: int(sum(solver.value(t) for t in self.costs[goal])) for goal in GOALS}
        return Result(status=status, placements=placements, sections=dict(sections), costs=costs)


def _when(placement: Placement) -> Slot:
    """Return a placement's start, for ordering placements in time."""
    return placement.day, placement.period
