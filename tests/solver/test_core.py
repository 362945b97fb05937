"""Tests of the core CP-SAT timetabling model, its verifier, explanations and re-solving."""

from __future__ import annotations

import dataclasses

from solver import (
    Course,
    Group,
    Instance,
    Lesson,
    Location,
    Period,
    Pin,
    Progress,
    Result,
    Room,
    Student,
    Teacher,
    Weights,
    solve,
    verify,
)

LIMIT = 10.0  # seconds; small instances solve to optimality well within it


def _periods(n: int) -> list[Period]:
    """Return n periods of 50 minutes with 5-minute breaks from 08:30."""
    return [Period(str(i + 1), 510 + 55 * i, 560 + 55 * i) for i in range(n)]


def small_school() -> Instance:
    """Return a two-location school with groups, an individual student and a course."""
    students = [Student(f"s{i}", f"Leerling {i}") for i in range(6)]
    return Instance(
        name="small",
        days=["ma", "di", "wo"],
        periods=_periods(5),
        locations=[Location("A"), Location("B")],
        travel_minutes={("A", "B"): 15},
        rooms=[
            Room("a1", "A", 20),
            Room("a2", "A", 20),
            Room("kitchen", "B", 8, frozenset({"kitchen"})),
            Room("b1", "B", 20),
        ],
        teachers=[Teacher("t1", "Jansen"), Teacher("t2", "de Vries"), Teacher("t3", "Bakker")],
        groups=[Group("g1", "1A", ("s0", "s1", "s2")), Group("g2", "1B", ("s3", "s4", "s5"))],
        students=students,
        lessons=[
            Lesson("ne1", "Nederlands 1A", per_week=3, teachers=("t1",), groups=("g1",)),
            Lesson("ne2", "Nederlands 1B", per_week=3, teachers=("t1",), groups=("g2",)),
            Lesson("re1", "Rekenen 1A", per_week=2, teachers=("t2",), groups=("g1",)),
            Lesson("re2", "Rekenen 1B", per_week=2, teachers=("t2",), groups=("g2",)),
            Lesson(
                "ko",
                "Koken",
                duration=2,
                teachers=("t3",),
                groups=("g1",),
                features=frozenset({"kitchen"}),
            ),
            Lesson("ind", "Individueel", teachers=("t3",), students=("s4",), rooms=("b1",)),
            Lesson("spa", "Sport A", teachers=("t2",), course="sport", capacity=4, rooms=("a1",)),
            Lesson("spb", "Sport B", teachers=("t3",), course="sport", capacity=4, rooms=("a2",)),
        ],
        courses=[Course("sport", "Sport", ("s0", "s1", "s3", "s5"), max_size_difference=0)],
    )


def test_small_school_is_solved_and_verified() -> None:
    reports: list[Progress] = []
    instance = small_school()
    result = solve(instance, progress=reports.append, time_limit=LIMIT)

    assert result.status == "OPTIMAL"
    check = verify(instance, result)
    assert check.ok, check.violations
    assert check.costs == result.costs
    assert check.objective == result.objective
    assert reports and result.timings.first_solution is not None
    assert result.timings.build > 0

    sizes = [
        len([s for s, c in result.sections.items() if c["sport"] == x]) for x in ("spa", "spb")
    ]
    assert sizes == [2, 2]
    assert len(result.for_student(instance, "s0")) == 3 + 2 + 1 + 1
    assert len(result.for_teacher(instance, "t1")) == 6
    assert len(result.for_group(instance, "g2")) == 5
    assert all(p.room == "kitchen" for p in result.for_lesson("ko"))
    assert result.for_room("kitchen")


def test_student_gaps_are_avoided_and_travel_respected() -> None:
    instance = small_school()
    result = solve(instance, time_limit=LIMIT)

    assert result.costs["student_gaps"] == 0
    # s4 has the individual lesson at location B and group lessons at A.
    placements = result.for_student(instance, "s4")
    rooms = instance.room_by_id()
    for a in placements:
        for b in placements:
            if a.day == b.day and b.period == a.period + a.duration:
                assert rooms[a.room or ""].location == rooms[b.room or ""].location


def test_travel_time_forbids_back_to_back_lessons_at_two_locations() -> None:
    instance = Instance(
        name="travel",
        days=["ma"],
        periods=_periods(3),
        locations=[Location("A"), Location("B")],
        travel_minutes={("A", "B"): 20},
        rooms=[Room("a", "A"), Room("b", "B")],
        teachers=[Teacher("t")],
        lessons=[
            Lesson("x", teachers=("t",), rooms=("a",)),
            Lesson("y", teachers=("t",), rooms=("b",)),
        ],
    )
    result = solve(instance, time_limit=LIMIT)

    assert result.has_timetable and verify(instance, result).ok
    periods = sorted(p.period for p in result.placements)
    assert periods == [0, 2]
    assert result.costs["teacher_gaps"] == 1


def test_verifier_reports_violations_of_a_wrong_timetable() -> None:
    instance = small_school()
    good = solve(instance, time_limit=LIMIT)
    clash = dataclasses.replace(good.for_lesson("ne2")[0], day=0, period=0)
    first = dataclasses.replace(good.for_lesson("ne1")[0], day=0, period=0)
    others = [p for p in good.placements if p not in (good.for_lesson("ne2")[0],)]
    others = [first if p == good.for_lesson("ne1")[0] else p for p in others]
    bad = Result("FEASIBLE", placements=[*others, clash], sections=good.sections)

    check = verify(instance, bad)

    assert not check.ok
    assert any("teacher t1 in two lessons" in v for v in check.violations)


def test_pinned_lessons_stay_put() -> None:
    instance = small_school()
    instance.lessons[0].pinned = (Pin(2, 4, "a2"),)
    result = solve(instance, time_limit=LIMIT)

    assert verify(instance, result).ok
    assert any(
        (p.day, p.period, p.room) == (2, 4, "a2") for p in result.for_lesson(instance.lessons[0].id)
    )


def test_overloaded_teacher_is_explained_with_numbers_in_both_languages() -> None:
    instance = small_school()
    instance.teachers[0].unavailable = frozenset((d, p) for d in range(3) for p in range(4))

    dutch = solve(instance, time_limit=LIMIT)
    english = solve(instance, language="en", time_limit=LIMIT)

    assert dutch.status == english.status == "INFEASIBLE"
    assert "- docent Jansen heeft 6 lesuren maar is maar 3 uren beschikbaar" in dutch.explanation
    assert "- teacher Jansen has 6 lesson periods but is available 3 periods" in english.explanation


def test_conflicting_pins_are_named_by_the_core() -> None:
    instance = small_school()
    instance.lessons[0].pinned = (Pin(0, 0),)
    instance.lessons[1].pinned = (Pin(0, 0),)

    result = solve(instance, language="en", time_limit=LIMIT)

    assert result.status == "INFEASIBLE"
    text = "\n".join(result.explanation)
    assert "cannot all hold" in text
    assert "teacher Jansen cannot teach two lessons at once" in text
    assert "Nederlands 1A is pinned" in text and "Nederlands 1B is pinned" in text


def test_resolve_after_a_change_moves_few_lessons() -> None:
    instance = small_school()
    first = solve(instance, time_limit=LIMIT)
    moved_lesson = first.for_lesson("re1")[0]
    instance.teachers[1].unavailable = frozenset({(moved_lesson.day, moved_lesson.period)})

    second = solve(instance, previous=first, time_limit=LIMIT)

    check = verify(instance, second, previous=first)
    assert check.ok, check.violations
    assert 1 <= check.costs["moves"] <= 3
    assert check.costs["moves"] == second.costs["moves"]


def _one_student_day(no_gaps: bool) -> Instance:
    """Return one student with two lessons that prefer periods 1 and 3 of a 3-period day."""
    return Instance(
        name="gaps",
        days=["ma"],
        periods=_periods(3),
        students=[Student("s", "Sanne")],
        teachers=[Teacher("t1"), Teacher("t2")],
        lessons=[
            Lesson(
                "x",
                "Koken",
                teachers=("t1",),
                students=("s",),
                needs_room=False,
                preferred_starts=frozenset({(0, 0)}),
            ),
            Lesson(
                "y",
                "Tekenen",
                teachers=("t2",),
                students=("s",),
                needs_room=False,
                preferred_starts=frozenset({(0, 2)}),
            ),
        ],
        weights=Weights(student_gaps=0, teacher_gaps=0),
        no_student_gaps=no_gaps,
    )


def test_no_student_gaps_as_hard_rule_overrides_preferences() -> None:
    soft = solve(_one_student_day(no_gaps=False), time_limit=LIMIT)
    hard_instance = _one_student_day(no_gaps=True)
    hard = solve(hard_instance, time_limit=LIMIT)

    assert sorted(p.period for p in soft.placements) == [0, 2]
    periods = sorted(p.period for p in hard.placements)
    assert periods[1] - periods[0] == 1
    check = verify(hard_instance, hard)
    assert check.ok and check.costs["student_gaps"] == 0
    assert check.costs["preferred_times"] == 1


def test_verifier_flags_idle_periods_when_they_are_forbidden() -> None:
    instance = _one_student_day(no_gaps=True)
    gappy = solve(_one_student_day(no_gaps=False), time_limit=LIMIT)

    check = verify(instance, gappy)

    assert not check.ok
    assert check.violations == ["1 student idle periods, none allowed"]


def test_pins_that_force_an_idle_period_are_explained() -> None:
    instance = _one_student_day(no_gaps=True)
    instance.lessons[0].pinned = (Pin(0, 0),)
    instance.lessons[1].pinned = (Pin(0, 2),)

    result = solve(instance, language="en", time_limit=LIMIT)

    assert result.status == "INFEASIBLE"
    text = "\n".join(result.explanation)
    assert "student Sanne may have no idle periods" in text
    assert "Koken is pinned" in text and "Tekenen is pinned" in text


def test_resolve_keeps_a_new_pin_and_moves_fewer_lessons_than_a_fresh_solve() -> None:
    instance = small_school()
    first = solve(instance, time_limit=LIMIT)
    old = {(p.day, p.period) for p in first.for_lesson("ne1")}
    target = next((d, p) for d in range(3) for p in range(5) if (d, p) not in old)
    instance.lessons[0].pinned = (Pin(*target),)

    resolved = solve(instance, previous=first, time_limit=LIMIT)
    fresh = solve(instance, seed=7, time_limit=LIMIT)

    check = verify(instance, resolved, previous=first)
    assert check.ok, check.violations
    assert target in {(p.day, p.period) for p in resolved.for_lesson("ne1")}
    assert check.costs["moves"] <= verify(instance, fresh, previous=first).costs["moves"]
    assert check.costs["moves"] >= 1
