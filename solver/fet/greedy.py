"""A fast first timetable for easy FET files, tried before the CP model is built.

Design note: many real files are loose enough that placing the most constrained activities
first, each at its earliest free start, already gives a valid timetable; building the CP
model alone takes longer than that on such files. The placer checks only the rules that
one placement can break (clashes, availability, allowed starts, rooms, daily maxima, days
per week, minimum days between activities, same starting times, non-overlap); whatever it
produces is then judged by the two independent checkers like any other timetable, and
when it fails or gets stuck the CP model takes over. It never backtracks, so it is cheap.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from solver.fet.reader import FetFile, MinDays
from solver.instance import Lesson, Slot
from solver.result import Placement, Result


@dataclass
class _People:
    """Fixed facts per (kind, id): unavailable slots and daily maxima; rooms' closed slots."""

    unavailable: dict[tuple[str, str], frozenset[Slot]]
    daily_max: dict[tuple[str, str], int | None]
    room_off: dict[str, frozenset[Slot]]


def _people_of(lesson: Lesson) -> list[tuple[str, str]]:
    """Return the (kind, id) of everyone a lesson occupies."""
    return [("teacher", t) for t in lesson.teachers] + [("students", s) for s in lesson.students]


@dataclass
class _Board:
    """What is taken so far: people and rooms per slot, and counts per person and day."""

    taken: set[tuple[str, str, Slot]] = field(default_factory=set)
    hours: dict[tuple[str, str, int], int] = field(default_factory=lambda: defaultdict(int))
    start: dict[str, Slot] = field(default_factory=dict)
    room: dict[str, str | None] = field(default_factory=dict)


def place_greedily(fet: FetFile, budget: float = 1.0) -> Result | None:
    """Return a complete timetable built without search, or None when the placer gets stuck.

    When an activity finds no place, the placer starts again with that activity first
    ("squeaky wheel") and with the days of each hour tried in a new random order, until it
    succeeds or ``budget`` seconds have passed. The random order is seeded: runs repeat.
    """
    instance = fet.instance
    lessons = instance.lesson_by_id()
    rooms = instance.room_by_id()
    people = _People(
        unavailable={("teacher", t.id): t.unavailable for t in instance.teachers}
        | {("students", s.id): s.unavailable for s in instance.students},
        daily_max={("teacher", t.id): t.max_periods_per_day for t in instance.teachers}
        | {("students", s.id): instance.student_max_per_day(s) for s in instance.students},
        room_off={r.id: r.unavailable for r in rooms.values()},
    )

    # Activities that start together are placed as one unit.
    unit_of: dict[str, tuple[str, ...]] = {a: (a,) for a in lessons}
    for rule in fet.same_start:
        members = tuple(sorted({m for a in rule.activities for m in unit_of[a]}))
        for member in members:
            unit_of[member] = members
    units = sorted(set(unit_of.values()), key=lambda u: _difficulty(u, lessons))

    min_days: dict[str, list[MinDays]] = defaultdict(list)
    for min_rule in fet.min_days:
        if min_rule.hard or min_rule.consecutive:
            for ident in min_rule.activities:
                min_days[ident].append(min_rule)
    max_days = {
        (limit.kind, member): limit.value
        for limit in fet.person_limits
        if limit.limit == "max_days"
        for member in limit.members
    }
    apart: dict[str, set[str]] = defaultdict(set)
    for link in fet.links:
        if link.link == "not_overlapping":
            for ident in link.activities:
                apart[ident].update(x for x in link.activities if x != ident)

    context = _Context(fet, lessons, people, min_days, max_days, apart)
    deadline = time.perf_counter() + budget
    rng = random.Random(0)
    day_order = list(range(fet.instance.n_days))
    while True:
        board, stuck = _attempt(units, context, day_order)
        if stuck is None:
            break
        if time.perf_counter() > deadline:
            return None
        units.remove(stuck)
        units.insert(0, stuck)
        rng.shuffle(day_order)

    placements = [
        Placement(a, 0, *board.start[a], lessons[a].duration, board.room[a]) for a in lessons
    ]
    return Result("FEASIBLE", placements=placements)


@dataclass
class _Context:
    """Everything an attempt needs besides the order of the units."""

    fet: FetFile
    lessons: dict[str, Lesson]
    people: _People
    min_days: dict[str, list[MinDays]]
    max_days: dict[tuple[str, str], int]
    apart: dict[str, set[str]]


def _attempt(
    units: list[tuple[str, ...]], context: _Context, day_order: list[int]
) -> tuple[_Board, tuple[str, ...] | None]:
    """Place units in order at their earliest fitting start; return the first that fails."""
    board = _Board()
    lessons = context.lessons
    for unit in units:
        starts = _common_starts([lessons[a] for a in unit])
        for slot in sorted(starts, key=lambda s: (s[1], day_order[s[0]])):
            chosen = _fit_unit(unit, slot, lessons, context.people, board)
            if chosen is not None and _keeps_rules(unit, slot, context, board):
                _take(unit, slot, chosen, lessons, board)
                break
        else:
            return board, unit
    return board, None


def _difficulty(unit: tuple[str, ...], lessons: dict[str, Lesson]) -> tuple[int, int]:
    """Order units: fewest allowed starts first, then the longest and largest."""
    allowed = min(len(lessons[a].allowed_starts or ()) or 10**6 for a in unit)
    weight = sum(
        lessons[a].duration * (len(lessons[a].teachers) + len(lessons[a].students)) for a in unit
    )
    return allowed, -weight


def _common_starts(lessons: list[Lesson]) -> set[Slot]:
    """Return the start slots every lesson of a unit allows."""
    sets = [set(lesson.allowed_starts or ()) for lesson in lessons]
    return set.intersection(*sets) if sets else set()


def _covered(slot: Slot, duration: int) -> list[Slot]:
    """Return the slots a lesson starting at ``slot`` occupies."""
    return [(slot[0], slot[1] + k) for k in range(duration)]


def _fit_unit(
    unit: tuple[str, ...],
    slot: Slot,
    lessons: dict[str, Lesson],
    people: _People,
    board: _Board,
) -> dict[str, str | None] | None:
    """Return a room per activity when the whole unit fits at ``slot``, else None."""
    used: set[tuple[str, str, Slot]] = set()
    chosen: dict[str, str | None] = {}
    for ident in unit:
        lesson = lessons[ident]
        covered = _covered(slot, lesson.duration)
        for kind, who in _people_of(lesson):
            limit = people.daily_max[(kind, who)]
            if limit is not None and board.hours[(kind, who, slot[0])] + len(covered) > limit:
                return None
            unavailable = people.unavailable[(kind, who)]
            for cell in covered:
                key = (kind, who, cell)
                if cell in unavailable or key in board.taken or key in used:
                    return None
                used.add(key)
        if not lesson.needs_room:
            chosen[ident] = None
            continue
        room = next(
            (
                r
                for r in lesson.rooms or ()
                if not any(
                    cell in people.room_off[r]
                    or ("room", r, cell) in board.taken
                    or ("room", r, cell) in used
                    for cell in covered
                )
            ),
            None,
        )
        if room is None:
            return None
        used.update(("room", room, cell) for cell in covered)
        chosen[ident] = room
    return chosen


def _keeps_rules(unit: tuple[str, ...], slot: Slot, context: _Context, board: _Board) -> bool:
    """Check minimum days, days per week and non-overlap against what is placed."""
    day = slot[0]
    lessons, fet = context.lessons, context.fet
    min_days, max_days, apart = context.min_days, context.max_days, context.apart
    for ident in unit:
        lesson = lessons[ident]
        for rule in min_days[ident]:
            for other in rule.activities:
                placed = board.start.get(other)
                if other == ident or placed is None or abs(placed[0] - day) >= rule.min_days:
                    continue
                if rule.hard:
                    return False
                # A soft rule may be broken, but then "consecutive if same day" must hold.
                end, other_end = slot[1] + lesson.duration, placed[1] + lessons[other].duration
                if (
                    rule.consecutive
                    and day == placed[0]
                    and slot[1] != other_end
                    and placed[1] != end
                ):
                    return False
        for kind, who in _people_of(lesson):
            limit = max_days.get((kind, who))
            if limit is not None:
                days = {d for d in range(fet.instance.n_days) if board.hours[(kind, who, d)]}
                if day not in days and len(days) >= limit:
                    return False
        mine = set(_covered(slot, lesson.duration))
        for other in apart[ident]:
            placed = board.start.get(other)
            if placed is not None and mine & set(_covered(placed, lessons[other].duration)):
                return False
    return True


def _take(
    unit: tuple[str, ...],
    slot: Slot,
    chosen: dict[str, str | None],
    lessons: dict[str, Lesson],
    board: _Board,
) -> None:
    """Record a unit's placement on the board."""
    for ident in unit:
        lesson = lessons[ident]
        covered = _covered(slot, lesson.duration)
        for kind, who in _people_of(lesson):
            board.taken.update((kind, who, cell) for cell in covered)
            board.hours[(kind, who, slot[0])] += len(covered)
        room = chosen[ident]
        if room is not None:
            board.taken.update(("room", room, cell) for cell in covered)
        board.start[ident] = slot
        board.room[ident] = room
