"""Explain why no timetable exists, in words a timetabler understands.

Design note: explanation works in two layers. First, cheap counting checks catch the usual
culprits with exact numbers ("teacher X has 34 lesson periods but is available 32"). When
they find nothing, the CP model is rebuilt in *explain* mode, where every requirement (a
teacher's availability, a lesson's pin, a student's daily maximum, ...) is guarded by an
enforcement literal passed to CP-SAT as an assumption. On infeasibility CP-SAT returns a
subset of assumptions that cannot hold together; a deletion pass then shrinks that subset
while time allows, and each remaining literal is turned into one sentence.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model

from solver import messages
from solver.cpmodel import Key, TimetableModel
from solver.instance import Instance, Lesson


def precheck(instance: Instance, language: str = "nl") -> list[str]:
    """Return counted facts that already make every timetable impossible."""
    found: list[str] = []
    n_slots = instance.n_days * instance.n_periods

    for lesson in instance.lessons:
        found.extend(_lesson_facts(instance, lesson, language))

    loads: dict[tuple[str, str], int] = defaultdict(int)
    only_room: dict[str, int] = defaultdict(int)
    for lesson in instance.lessons:
        periods = lesson.duration * lesson.per_week
        for tid in lesson.teachers:
            loads[("teacher", tid)] += periods
        for gid in lesson.groups:
            loads[("group", gid)] += periods
        if lesson.course is None:
            for sid in instance.fixed_students(lesson):
                loads[("student", sid)] += periods
        rooms = instance.candidate_rooms(lesson, instance.fixed_headcount(lesson))
        if len(rooms) == 1:
            only_room[rooms[0].id] += periods

    people = (
        [("teacher", x.id, x.name, x.unavailable) for x in instance.teachers]
        + [("group", x.id, x.name, x.unavailable) for x in instance.groups]
        + [("student", x.id, x.name, x.unavailable) for x in instance.students]
        + [("room", x.id, x.id, x.unavailable) for x in instance.rooms]
    )
    for kind, ident, name, unavailable in people:
        load = only_room[ident] if kind == "room" else loads[(kind, ident)]
        available = n_slots - len(unavailable)
        if load > available:
            found.append(
                messages.fact(
                    f"{kind}_load", language, name=name or ident, load=load, available=available
                )
            )

    found.extend(_section_facts(instance, language))
    return found


def _lesson_facts(instance: Instance, lesson: Lesson, language: str) -> list[str]:
    """Return facts about a single lesson: no room, no start time, too few days."""
    found = []
    name = lesson.subject or lesson.id
    headcount = instance.fixed_headcount(lesson)
    if lesson.needs_room and not instance.candidate_rooms(lesson, headcount):
        features = ", ".join(sorted(lesson.features)) or "-"
        found.append(
            messages.fact("no_room", language, name=name, features=features, count=headcount)
        )

    starts = [
        (d, p)
        for d in range(instance.n_days)
        for p in range(instance.n_periods - lesson.duration + 1)
        if lesson.allowed_starts is None or (d, p) in lesson.allowed_starts
    ]
    if not starts:
        found.append(messages.fact("no_start", language, name=name, count=lesson.duration))
    elif lesson.spread_days and lesson.per_week > len({d for d, _ in starts}):
        days = len({d for d, _ in starts})
        found.append(
            messages.fact("spread_days", language, name=name, count=lesson.per_week, available=days)
        )
    return found


def _section_facts(instance: Instance, language: str) -> list[str]:
    """Return facts about courses whose sections cannot seat all their students."""
    found = []
    for course in instance.courses:
        seats = 0
        for lesson in instance.lessons:
            if lesson.course != course.id:
                continue
            rooms = instance.candidate_rooms(lesson, 0)
            room_cap = max((r.capacity for r in rooms), default=0) if lesson.needs_room else None
            caps = [c for c in (lesson.capacity, room_cap) if c is not None]
            seats += (min(caps) if caps else len(course.students)) - instance.fixed_headcount(
                lesson
            )
        if seats < len(course.students):
            found.append(
                messages.fact(
                    "section_seats",
                    language,
                    name=course.name or course.id,
                    count=len(course.students),
                    available=seats,
                )
            )
    return found


def explain_core(instance: Instance, language: str = "nl", time_limit: float = 30.0) -> list[str]:
    """Return sentences naming requirements that cannot all hold, found with CP-SAT cores."""
    deadline = time.perf_counter() + time_limit
    timetable = TimetableModel(instance, explain=True)
    literals = timetable.literals
    index_to_key = {lit.index: key for key, lit in literals.items()}

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # cores are only reported by the sequential search
    solver.parameters.max_time_in_seconds = max(1.0, time_limit / 2)
    timetable.model.add_assumptions(list(literals.values()))
    status = solver.solve(timetable.model)
    if status != cp_model.INFEASIBLE:
        return [messages.fact("unexplained", language)]
    core = [index_to_key[i] for i in solver.sufficient_assumptions_for_infeasibility()]

    # Deletion pass: drop a requirement when the rest is still proven infeasible.
    kept = list(core)
    for key in list(core):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.5 or len(kept) <= 1:
            break
        trial = [k for k in kept if k != key]
        timetable.model.clear_assumptions()
        timetable.model.add_assumptions([literals[k] for k in trial])
        solver.parameters.max_time_in_seconds = min(5.0, remaining)
        if solver.solve(timetable.model) == cp_model.INFEASIBLE:
            kept = trial

    return [messages.fact("intro", language)] + [describe(instance, key, language) for key in kept]


def describe(instance: Instance, key: Key, language: str) -> str:
    """Return the sentence for one requirement key."""
    kind, ident = key
    teachers = {x.id: x for x in instance.teachers}
    students = {x.id: x for x in instance.students}
    groups = instance.group_by_id()
    lessons = instance.lesson_by_id()
    courses = {x.id: x for x in instance.courses}

    name = ident
    count: int | None = None
    if kind.startswith("teacher") and ident in teachers:
        name = teachers[ident].name or ident
        count = teachers[ident].max_periods_per_day
    elif kind.startswith("student") and ident in students:
        name = students[ident].name or ident
        count = instance.student_max_per_day(students[ident])
    elif kind.startswith("group") and ident in groups:
        name = groups[ident].name or ident
    elif kind in ("scheduled", "allowed_times", "pinned", "spread") and ident in lessons:
        name = lessons[ident].subject or ident
        count = lessons[ident].per_week
    elif kind.startswith("section") and ident in courses:
        name = courses[ident].name or ident
        count = courses[ident].max_size_difference
    elif kind == "travel":
        person = teachers.get(ident) or students.get(ident)
        name = (person.name if person else "") or ident
    return "- " + messages.requirement(kind, language, name=name, count=count)
