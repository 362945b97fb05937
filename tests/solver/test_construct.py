"""Tests of the greedy first timetable (solver.construct) and how solve() completes it."""

from __future__ import annotations

import time

import pytest

import solver.construct
from solver import (
    Group,
    Instance,
    Lesson,
    Location,
    Period,
    Pin,
    Result,
    Room,
    Student,
    Teacher,
    verify,
)
from solver.bench.school import generate_school
from solver.construct import construct
from solver.cpmodel import TimetableModel
from solver.lns import complete_board
from solver.sections import preassign_sections
from solver.solve import SECTIONS_FIXED_FROM, first_from_board, solve


def _periods(n: int, breaks: dict[int, int] | None = None) -> list[Period]:
    """Return n periods of 50 minutes from 08:30, with extra break minutes after some."""
    periods, start = [], 510
    for i in range(n):
        periods.append(Period(str(i + 1), start, start + 50))
        start += 50 + (breaks or {}).get(i, 0)
    return periods


def _one_group(lessons: list[Lesson], **extra: object) -> Instance:
    """Return a one-day school of one group of three students in one room."""
    students = [Student(f"s{i}") for i in range(3)]
    fields: dict[str, object] = {
        "name": "tiny",
        "days": ["ma"],
        "periods": _periods(6),
        "locations": [Location("A")],
        "rooms": [Room("a1", "A", 20)],
        "teachers": [Teacher(f"t{i}") for i in range(4)],
        "groups": [Group("g1", "1A", tuple(s.id for s in students))],
        "students": students,
        "lessons": lessons,
    }
    fields.update(extra)
    return Instance(**fields)  # type: ignore[arg-type]


def test_moving_lessons_after_placing_them_leaves_fewer_idle_periods(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instance, _ = preassign_sections(generate_school(120, seed=2))
    monkeypatch.setattr(solver.construct, "_IMPROVE_PASSES", 0)
    greedy = verify(instance, Result("FEASIBLE", placements=construct(instance, seed=2)))
    monkeypatch.undo()
    moved = verify(instance, Result("FEASIBLE", placements=construct(instance, seed=2)))

    assert greedy.ok and moved.ok, moved.violations[:5]
    assert moved.costs["student_gaps"] < greedy.costs["student_gaps"]
    assert moved.objective < greedy.objective


def test_generated_school_is_placed_whole_without_breaking_a_rule() -> None:
    instance, _ = preassign_sections(generate_school(120, seed=4))
    placements = construct(instance, seed=4)

    check = verify(instance, Result("FEASIBLE", placements=placements))
    assert check.ok, check.violations[:5]
    assert len(placements) == sum(lesson.per_week for lesson in instance.lessons)


def test_a_group_day_is_one_block_even_when_one_teacher_starts_late() -> None:
    # Dutch can only be taught from the fourth period; the other lessons gather around it.
    late = frozenset((0, p) for p in range(3))
    teachers = [Teacher("t0", unavailable=late), Teacher("t1"), Teacher("t2"), Teacher("t3")]
    lessons = [
        Lesson(f"l{i}", teachers=(f"t{i}",), groups=("g1",), rooms=("a1",)) for i in range(4)
    ]
    instance = _one_group(lessons, teachers=teachers)

    placements = construct(instance, seed=0)

    check = verify(instance, Result("FEASIBLE", placements=placements))
    assert check.ok and len(placements) == 4
    assert check.costs["student_gaps"] == 0
    periods = sorted(p.period for p in placements)
    assert periods[-1] - periods[0] == 3
    assert 3 in periods


def test_travel_time_keeps_a_lesson_at_the_far_location_off_a_short_break() -> None:
    # Five minutes between periods, thirty after the second: the workshop, 15 minutes away,
    # can only follow a home lesson after that break.
    students = [Student("s0")]
    instance = Instance(
        name="travel",
        days=["ma"],
        periods=_periods(4, breaks={1: 30}),
        locations=[Location("A"), Location("B")],
        travel_minutes={("A", "B"): 15},
        rooms=[Room("a1", "A", 20), Room("w1", "B", 20, frozenset({"workshop"}))],
        teachers=[Teacher("t0", unavailable=frozenset({(0, 2), (0, 3)})), Teacher("t1")],
        groups=[Group("g1", "1A", ("s0",))],
        students=students,
        lessons=[
            Lesson("home", teachers=("t0",), groups=("g1",), rooms=("a1",), per_week=1),
            Lesson("shop", teachers=("t1",), groups=("g1",), features=frozenset({"workshop"})),
        ],
    )

    placements = {p.lesson: p for p in construct(instance, seed=1)}

    assert verify(instance, Result("FEASIBLE", placements=list(placements.values()))).ok
    assert placements["shop"].room == "w1"
    assert placements["shop"].period >= 2


def test_a_lesson_that_fits_nowhere_displaces_the_fewest_others() -> None:
    # The big lesson goes first and takes the first period; the small one may only start
    # there, so the big one must make way.
    lessons = [
        Lesson("big", teachers=("t0",), groups=("g1",), rooms=("a1",)),
        Lesson(
            "small",
            teachers=("t0",),
            students=("s0",),
            rooms=("a1",),
            allowed_starts=frozenset({(0, 0)}),
        ),
    ]
    instance = _one_group(lessons)

    placements = {p.lesson: p for p in construct(instance, seed=0)}

    assert set(placements) == {"big", "small"}
    assert placements["small"].period == 0
    assert placements["big"].period != 0
    assert verify(instance, Result("FEASIBLE", placements=list(placements.values()))).ok


def test_pinned_lessons_are_never_displaced() -> None:
    lessons = [
        Lesson("fixed", teachers=("t0",), groups=("g1",), rooms=("a1",), pinned=(Pin(0, 0),)),
        Lesson("wants", teachers=("t0",), groups=("g1",), allowed_starts=frozenset({(0, 0)})),
    ]
    instance = _one_group(lessons)

    placements = {p.lesson: p for p in construct(instance, seed=0)}

    assert (placements["fixed"].day, placements["fixed"].period) == (0, 0)
    assert "wants" not in placements


def test_completing_a_board_keeps_what_it_placed_away_from_the_missing() -> None:
    instance, _ = preassign_sections(generate_school(60, seed=2))
    board = construct(instance, seed=2)
    missing = board[-1]
    timetable = TimetableModel(instance)
    timetable.model.clear_objective()
    hinted = timetable.hint_board([p for p in board if p.lesson != missing.lesson])

    solver = complete_board(timetable, hinted, 20.0, 2, 0, None)

    assert solver is not None
    result = timetable.extract(solver, "FEASIBLE")
    assert verify(instance, result).ok
    moved = {(p.lesson, p.day, p.period) for p in result.placements} ^ {
        (p.lesson, p.day, p.period) for p in board
    }
    # Only lessons sharing someone with the missing lesson (and that lesson itself) may move.
    lesson = instance.lesson_by_id()[missing.lesson]
    people = set(lesson.teachers) | instance.fixed_students(lesson) | set(lesson.groups)
    for lesson_id, _, _ in moved:
        other = instance.lesson_by_id()[lesson_id]
        shared = set(other.teachers) | instance.fixed_students(other) | set(other.groups)
        assert shared & people, lesson_id


def test_the_first_timetable_of_a_school_is_the_board_when_it_is_whole() -> None:
    instance, _ = preassign_sections(generate_school(120, seed=5))
    board = construct(instance, seed=5)
    timetable = TimetableModel(instance)
    timetable.model.clear_objective()

    solver = first_from_board(timetable, time.perf_counter() + 30, 2, 5)

    assert solver is not None
    result = timetable.extract(solver, "FEASIBLE")
    assert verify(instance, result).ok
    assert {(p.lesson, p.day, p.period, p.room) for p in result.placements} == {
        (p.lesson, p.day, p.period, p.room) for p in board
    }


def test_a_school_of_sixty_gets_its_sections_before_its_timetable() -> None:
    instance = generate_school(SECTIONS_FIXED_FROM, seed=3)
    result = solve(instance, time_limit=8, explain=False)

    assert verify(instance, result).ok
    # The greedy assignment, not CP-SAT's: the same sections preassign_sections gives.
    assert result.sections == preassign_sections(instance)[1]
    assert sum(map(len, result.sections.values())) == sum(len(c.students) for c in instance.courses)
