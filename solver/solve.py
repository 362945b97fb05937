"""Solve an instance: pre-checks, CP-SAT search with progress reports, explanation."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from solver import messages
from solver.cpmodel import TimetableModel
from solver.explain import explain_core, precheck
from solver.instance import Instance
from solver.result import Progress, ProgressCallback, Result, Timings

_STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
    cp_model.UNKNOWN: "UNKNOWN",
}


class _Monitor(cp_model.CpSolverSolutionCallback):
    """Record when timetables are found and forward progress to the caller."""

    def __init__(self, started: float, progress: ProgressCallback | None) -> None:
        """Remember the start time and the caller's callback."""
        super().__init__()
        self.started = started
        self.progress = progress
        self.first: float | None = None
        self.best: float | None = None
        self.count = 0

    def on_solution_callback(self) -> None:
        """Note the time of this improving solution and report it."""
        now = time.perf_counter() - self.started
        self.count += 1
        if self.first is None:
            self.first = now
        self.best = now
        if self.progress is not None:
            report = Progress(now, self.objective_value, self.best_objective_bound, self.count)
            self.progress(report)


def solve(
    instance: Instance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    language: str = "nl",
    previous: Result | None = None,
    progress: ProgressCallback | None = None,
    explain: bool = True,
) -> Result:
    """Build and solve a timetable; explain the conflict when none exists.

    With ``previous`` (an earlier result for a changed instance), pinned lessons stay and
    every lesson that leaves its earlier slot costs the ``moves`` weight, so the solver
    moves as few lessons as it can. Timings are seconds since this call started.
    """
    started = time.perf_counter()
    instance.validate()

    facts = precheck(instance, language)
    if facts:
        elapsed = time.perf_counter() - started
        intro = messages.fact("intro", language)
        return Result(
            "INFEASIBLE",
            explanation=[intro] + ["- " + f for f in facts],
            timings=Timings(build=elapsed, total=elapsed),
        )

    timetable = TimetableModel(instance, previous=previous)
    build = time.perf_counter() - started

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - build)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    monitor = _Monitor(started, progress)
    code = solver.solve(timetable.model, monitor)
    status = _STATUS.get(code, "UNKNOWN")

    if status in ("OPTIMAL", "FEASIBLE"):
        result = timetable.extract(solver, status)
        result.objective = solver.objective_value
        result.bound = solver.best_objective_bound
    else:
        result = Result(status)
        if status == "INFEASIBLE" and explain:
            result.explanation = explain_core(instance, language)
        elif status == "UNKNOWN":
            result.explanation = [messages.fact("timeout", language)]

    result.timings = Timings(
        build=build,
        first_solution=monitor.first,
        best_solution=monitor.best,
        total=time.perf_counter() - started,
    )
    return result
