"""Re-solving neighbourhoods improves a timetable without breaking any rule."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from solver.bench.school import generate_school
from solver.cpmodel import TimetableModel
from solver.lns import Neighbourhoods
from solver.sections import preassign_sections
from solver.verify import verify


def test_neighbourhood_rounds_keep_the_timetable_valid_and_never_worse() -> None:
    instance, _ = preassign_sections(generate_school(30, seed=2))
    timetable = TimetableModel(instance)
    assert timetable.objective_expr is not None
    domains = [list(v.domain) for v in timetable.model.proto.variables]

    first = _first_timetable(timetable)
    before = verify(instance, timetable.extract(first, "FEASIBLE"))

    timetable.model.minimize(timetable.objective_expr)
    search = Neighbourhoods(timetable, seed=1)
    best, rounds = search.improve(first, time.perf_counter() + 6, 2, None, time.perf_counter())
    after = verify(instance, timetable.extract(best, "FEASIBLE"))

    assert rounds >= 1
    assert before.ok and after.ok, after.violations
    assert after.objective <= before.objective
    # The model may overstate a timetable it did not finish optimising, never understate it.
    assert after.objective <= best.objective_value
    assert [list(v.domain) for v in timetable.model.proto.variables] == domains


def test_a_single_freed_group_is_one_whose_students_have_idle_periods() -> None:
    instance, _ = preassign_sections(generate_school(60, seed=1))
    timetable = TimetableModel(instance)
    search = Neighbourhoods(timetable, seed=3)
    groups = sorted(search.by_group)
    assert len(groups) >= 4

    # A timetable in which only the students of one group have idle periods: the choice
    # reads nothing but the idle-period Booleans.
    values = [0] * len(timetable.model.proto.variables)
    target = groups[2]
    for student, terms in timetable.student_idle.items():
        if target in search.group_of[student]:
            for _, _, var in terms:
                values[var.index] = 1

    search.size = 1
    picks = [search._choose(groups, values) for _ in range(30)]
    assert all(pick == {target} for pick in picks)


def test_a_day_round_frees_whole_group_days_on_two_days_of_the_idlest_group() -> None:
    instance, _ = preassign_sections(generate_school(60, seed=1))
    timetable = TimetableModel(instance)
    first = _first_timetable(timetable)
    values = list(first.response_proto.solution)
    search = Neighbourhoods(timetable, seed=5)
    groups = sorted(search.by_group)

    # Only the students of one group are idle, and only on Thursday.
    target, thursday = groups[1], 3
    for student, terms in timetable.student_idle.items():
        for _, day, var in terms:
            values[var.index] = int(target in search.group_of[student] and day == thursday)

    def day_of(index: int) -> int:
        return next(day for day, var in search.start_days[index] if values[var])

    for _ in range(10):
        free, days = search._choose_days(groups, values)
        assert thursday in days and len(days) == 2
        assert {i for i in search.by_group[target] if day_of(i) in days} <= set(free)
        # A group is freed on those days entirely or not at all: half a day cannot move.
        for gid in groups:
            on_days = {i for i in search.by_group[gid] if day_of(i) in days}
            assert not on_days & set(free) or on_days <= set(free)
        assert all(day_of(i) in days for i in free)

    variables = timetable.model.proto.variables
    before = [list(v.domain) for v in variables]
    search._keep_to_days(free, days)
    for index in free:
        for day, ref in search.start_days[index]:
            expected = before[ref] if day in days else [0, 0]
            assert list(variables[ref].domain) == expected
    assert any(
        list(variables[v].domain) != before[v] for i in free for _, v in search.start_days[i]
    )


def _first_timetable(timetable: TimetableModel) -> cp_model.CpSolver:
    """Return a solver holding any timetable of the model (found without its objective)."""
    timetable.model.clear_objective()
    first = cp_model.CpSolver()
    first.parameters.num_workers = 2
    first.parameters.stop_after_first_solution = True
    first.parameters.max_time_in_seconds = 20
    assert first.solve(timetable.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return first
