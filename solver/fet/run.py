"""Solve a FET file: read, model, search, verify, and report as JSON-ready data.

First the repair placer of :mod:`solver.fet.repair` tries, without the CP model; when it
gets stuck, or its timetable breaks a rule it does not look at, the search runs in two
phases, as :func:`solver.solve.solve` does: any timetable (CP-SAT without an objective
finds one much sooner), then, with the time left, the soft goals starting from it. Each
timetable is checked by :mod:`solver.verify` and :mod:`solver.fet.check` before it counts;
``first_verified`` is the wall time from the start of reading to the first timetable that
passed both.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ortools.sat.python import cp_model

from solver.cpmodel import TimetableModel
from solver.fet.check import check_rules
from solver.fet.model import FetRules, FetTimetableModel
from solver.fet.reader import FetFile, read_fet
from solver.fet.repair import place_by_repair, rules_beyond_placer
from solver.result import Result
from solver.solve import _STATUS, _solver
from solver.verify import verify


@dataclass
class _Verdict:
    """Hard violations and soft costs of one timetable, from both checkers."""

    violations: list[str]
    costs: dict[str, int]
    soft: int


def solve_fet_file(
    path: str | Path,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    optimise_seconds: float | None = None,
) -> dict[str, Any]:
    """Solve a .fet file and return a report shaped like ``solve_xhstt_file``'s.

    ``time_limit`` bounds the whole run, reading included. ``optimise_seconds`` caps the
    second phase: ``0`` stops at the first verified timetable, ``None`` (the default) lets
    it use all the time that is left.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    fet = read_fet(path)
    fet.instance.validate()

    # Phase 0: a timetable by repair, without the CP model; most real files need no more.
    repair = place_by_repair(fet, budget=placer_budget(fet, time_limit), seed=seed)
    first: Result | None = repair.result
    verdict = _verdict(fet, repair.result) if repair.complete else None
    if verdict is None or verdict.violations:
        first, verdict = None, None
    placed = time.perf_counter() - started

    timetable = FetTimetableModel(fet.instance)
    rules = FetRules(fet, timetable)
    build = time.perf_counter() - started
    if first is None:
        # Phase 1: CP-SAT without an objective, for any timetable, from where the placer got.
        _add_hints(timetable, repair.result)
        first, status = _first_timetable(timetable, deadline, workers, seed)
        report = _report(fet, path, status, build)
        if first is None:
            report["timings"]["total"] = time.perf_counter() - started
            return report
        report["timings"]["first_solution"] = time.perf_counter() - started
        verdict = _verdict(fet, first)
        report["timings"]["first_verified"] = time.perf_counter() - started
    else:
        report = _report(fet, path, "FEASIBLE", build)
        report["timings"]["first_solution"] = placed
        report["timings"]["first_verified"] = placed
    assert verdict is not None
    best, best_verdict = first, verdict

    # Phase 2: the soft goals, from the first timetable, with the time that is left.
    objective = _objective(timetable, rules)
    if optimise_seconds is not None:
        deadline = min(deadline, time.perf_counter() + optimise_seconds)
    if objective is not None and verdict.soft > 0 and deadline > time.perf_counter():
        improved = _optimise(timetable, first, objective, deadline, workers, seed)
        if improved is not None:
            improved_verdict = _verdict(fet, improved)
            if not improved_verdict.violations and improved_verdict.soft <= verdict.soft:
                best, best_verdict = improved, improved_verdict
                report["status"] = improved.status
                report["timings"]["best_solution"] = time.perf_counter() - started

    # Soft costs are never negative: a valid timetable without any is optimal.
    if not best_verdict.violations and best_verdict.soft == 0:
        report["status"] = "OPTIMAL"
    # Like the XHSTT report, a timetable only counts as verified when every hard
    # requirement of the file was modelled and rechecked.
    report["verified"] = not best_verdict.violations and fet.fully_supported
    report["hard"] = len(best_verdict.violations)
    report["violations"] = best_verdict.violations[:20]
    report["soft"] = best_verdict.soft
    report["costs"] = best_verdict.costs
    report["placements"] = [
        {"activity": p.lesson, "day": p.day, "hour": p.period, "room": p.room}
        for p in best.placements
    ]
    report["timings"]["best_solution"] = (
        report["timings"]["best_solution"] or report["timings"]["first_verified"]
    )
    report["timings"]["total"] = time.perf_counter() - started
    return report


def placer_budget(fet: FetFile, time_limit: float) -> float:
    """Return the seconds the repair placer may take before the CP model takes over.

    Files whose hard rules the placer all knows get a third of the time limit (at most
    60 s): on them it finds timetables that CP-SAT needs much longer for, or never finds.
    With a tenth (3 s of 30) it gave up on four official files it completes in 5-7 s
    (Brazil, Shipena, anonymous-1-2007, Tg-Mures sem1-a) and CP-SAT solved none of them in
    the time left; with a third they are solved, and four others sooner. The price: two
    files only CP-SAT solves (highschool-Ancona, CONCORDIA, which FET does not solve)
    no longer fit in 30 s. Other files get a second, enough for the loose ones whose
    extra rules happen to hold anyway.
    """
    if rules_beyond_placer(fet):
        return min(1.0, time_limit / 10)
    return min(60.0, time_limit / 3)


def _objective(timetable: TimetableModel, rules: FetRules) -> cp_model.LinearExpr | None:
    """Return the weighted soft goals of the core model plus the FET rules' soft costs."""
    terms: list[Any] = list(rules.soft_terms)
    if timetable.objective_expr is not None:
        terms.append(timetable.objective_expr)
    return sum(terms) if terms else None


def _first_timetable(
    timetable: TimetableModel, deadline: float, workers: int, seed: int
) -> tuple[Result | None, str]:
    """Return CP-SAT's first timetable (without the objective) and the solver status."""
    timetable.model.clear_objective()
    solver = _solver(deadline, workers, seed)
    solver.parameters.stop_after_first_solution = True
    status = _STATUS.get(solver.solve(timetable.model), "UNKNOWN")
    if status not in ("OPTIMAL", "FEASIBLE"):
        return None, status
    return timetable.extract(solver, "FEASIBLE"), status


def _optimise(
    timetable: TimetableModel,
    first: Result,
    objective: cp_model.LinearExpr,
    deadline: float,
    workers: int,
    seed: int,
) -> Result | None:
    """Minimise the soft goals from the first timetable; None when nothing was found."""
    model = timetable.model
    _add_hints(timetable, first)
    model.minimize(objective)
    solver = _solver(deadline, workers, seed)
    status = _STATUS.get(solver.solve(model), "UNKNOWN")
    if status not in ("OPTIMAL", "FEASIBLE"):
        return None
    return timetable.extract(solver, status)


def _add_hints(timetable: TimetableModel, placed: Result) -> None:
    """Replace the model's hints by the given placements (which may leave lessons out)."""
    model = timetable.model
    model.clear_hints()
    where = {p.lesson: p for p in placed.placements}
    for occ in timetable.occurrences:
        placement = where.get(occ.lesson.id)
        if placement is None:
            continue
        for slot, var in occ.starts.items():
            model.add_hint(var, slot == (placement.day, placement.period))
        for room, var in occ.rooms.items():
            model.add_hint(var, room == placement.room)


def _verdict(fet: FetFile, result: Result) -> _Verdict:
    """Run both independent checkers; soft cost is the weighted goals plus FET's pairs."""
    core = verify(fet.instance, result)
    rules = check_rules(fet, result)
    weights = fet.instance.weights
    costs = {goal: value for goal, value in core.costs.items() if getattr(weights, goal)}
    if rules.soft_min_days:
        costs["min_days"] = rules.soft_min_days
    return _Verdict(core.violations + rules.violations, costs, core.objective + rules.soft_min_days)


def _report(fet: FetFile, path: str | Path, status: str, build: float) -> dict[str, Any]:
    """Return the report skeleton filled with what is known before a timetable exists."""
    return {
        "file": str(path),
        "format": "fet",
        "instance": fet.instance.name,
        "activities": len(fet.activities),
        "status": status,
        "verified": False,
        "hard": None,
        "soft": None,
        "costs": {},
        "timings": {
            "build": build,
            "first_solution": None,
            "first_verified": None,
            "best_solution": None,
            "total": None,
        },
        "fully_supported": fet.fully_supported,
        "unsupported": fet.unsupported_summary(),
        "placements": [],
    }
