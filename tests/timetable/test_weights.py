"""A new school starts from the solver's own weights for the soft goals."""

from dataclasses import fields

from solver.instance import Weights as SolverWeights
from tenant_apps.timetable.models import Weights


def test_a_schools_default_weights_are_the_solvers() -> None:
    solver_defaults = SolverWeights()
    goals = {goal.name for goal in fields(SolverWeights)}
    shared = [f for f in Weights._meta.concrete_fields if f.name in goals]
    assert len(shared) >= 5
    for field in shared:
        assert field.default == getattr(solver_defaults, field.name), field.name


def test_a_student_idle_period_outweighs_teacher_gaps_location_changes_and_wishes() -> None:
    # Students should have no idle periods; teachers few (see DOMAIN.md).
    weights = SolverWeights()
    others = [weights.teacher_gaps, weights.location_changes, weights.preferred_times]
    assert all(weights.student_gaps >= 10 * other for other in others)
