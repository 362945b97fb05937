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

    timetable.model.clear_objective()
    first = cp_model.CpSolver()
    first.parameters.num_workers = 2
    first.parameters.stop_after_first_solution = True
    first.parameters.max_time_in_seconds = 20
    assert first.solve(timetable.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
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
            for _, var in terms:
                values[var.index] = 1

    search.size = 1
    picks = [search._choose(groups, values) for _ in range(30)]
    assert all(pick == {target} for pick in picks)
