"""Solve an instance: pre-checks, CP-SAT search with progress reports, explanation."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from solver import messages
from solver.construct import construct
from solver.cpmodel import TimetableModel
from solver.explain import explain_core, precheck
from solver.instance import Instance
from solver.lns import Neighbourhoods, complete_board, hint_values
from solver.result import Progress, ProgressCallback, Result, Timings
from solver.sections import preassign_sections

# Models this large are optimised by re-solving neighbourhoods (solver.lns) instead of by
# one CP-SAT search, whose presolve alone then takes a good part of a minute.
LNS_FROM_VARIABLES = 20_000
# At most this long to complete the greedy board before CP-SAT looks for a first timetable
# on its own (hinted with the board).
BOARD_SECONDS = 10.0
# From this many students ``sections="auto"`` assigns course sections before solving: letting
# CP-SAT choose them costs a 100-student school five times as long to a first timetable
# (6.3 s against 1.2 s) and a 300-student school 45 s against 4 s, for a worse timetable.
SECTIONS_FIXED_FROM = 60

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
        self.phase = 1

    def on_solution_callback(self) -> None:
        """Note the time of this improving solution and report it."""
        now = time.perf_counter() - self.started
        self.count += 1
        if self.first is None:
            self.first = now
        self.best = now
        if self.progress is not None:
            # Phase 1 has no objective yet: report it as infinite rather than as zero.
            objective = self.objective_value if self.phase == 2 else float("inf")
            bound = self.best_objective_bound if self.phase == 2 else 0.0
            self.progress(Progress(now, objective, bound, self.count))


def _solver(deadline: float, workers: int, seed: int) -> cp_model.CpSolver:
    """Return a CP-SAT solver limited to the time left until ``deadline``."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


def _stop_on_request(
    solver: cp_model.CpSolver, stop: threading.Event, done: threading.Event
) -> None:
    """Stop ``solver`` once ``stop`` is set; repeat in case the search had not yet begun."""
    while not done.is_set():
        if stop.wait(0.1):
            solver.stop_search()
            done.wait(0.1)


def first_from_board(
    timetable: TimetableModel,
    deadline: float,
    workers: int,
    seed: int,
    monitor: cp_model.CpSolverSolutionCallback | None = None,
) -> cp_model.CpSolver | None:
    """Phase 1 from a greedy board (:mod:`solver.construct`): CP-SAT places what it left out.

    The board keeps students' days in one block, which CP-SAT's first timetable does not;
    if it cannot be completed in a share of the time, the board stays as a hint only.
    """
    board = construct(timetable.instance, seed)
    hinted = timetable.hint_board(board)
    if not hinted:
        return None
    seconds = max(0.1, min(BOARD_SECONDS, (deadline - time.perf_counter()) / 3))
    return complete_board(timetable, hinted, seconds, workers, seed, monitor)


def _optimise(
    timetable: TimetableModel,
    first: cp_model.CpSolver,
    deadline: float,
    workers: int,
    seed: int,
    monitor: _Monitor,
    fallback: Result,
    stop: threading.Event | None = None,
) -> Result:
    """Phase 2: minimise the soft goals starting from the phase-1 timetable."""
    model = timetable.model
    hint_values(model, list(first.response_proto.solution))
    assert timetable.objective_expr is not None
    model.minimize(timetable.objective_expr)

    monitor.phase = 2
    if len(model.proto.variables) >= LNS_FROM_VARIABLES:
        search = Neighbourhoods(timetable, seed)
        best, _ = search.improve(first, deadline, workers, monitor.progress, monitor.started, stop)
        monitor.best = search.found_at or monitor.best
        result = timetable.extract(best, "FEASIBLE")
        result.objective = best.objective_value
        return result

    solver = _solver(deadline, workers, seed)
    done = threading.Event()
    if stop is not None:
        threading.Thread(target=_stop_on_request, args=(solver, stop, done), daemon=True).start()
    try:
        code = solver.solve(model, monitor)
    finally:
        done.set()
    status = _STATUS.get(code, "UNKNOWN")
    if status not in ("OPTIMAL", "FEASIBLE"):
        # TODO: the fallback's costs come from unoptimised auxiliary variables and may
        # overstate the truth; verify() recomputes them exactly.
        return fallback
    result = timetable.extract(solver, status)
    result.objective = solver.objective_value
    result.bound = solver.best_objective_bound
    return result


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
    sections: str = "auto",
    stop: threading.Event | None = None,
) -> Result:
    """Build and solve a timetable; explain the conflict when none exists.

    With ``previous`` (an earlier result for a changed instance), pinned lessons stay and
    every lesson that leaves its earlier slot costs the ``moves`` weight, so the solver
    moves as few lessons as it can. Timings are seconds since this call started.

    ``sections="model"`` lets CP-SAT assign course students to sections; ``"fixed"`` first
    assigns them greedily (balanced, groups kept together, see :mod:`solver.sections`) and
    only timetables, which is much faster for large schools; ``"auto"`` (the default) picks
    ``"fixed"`` from :data:`SECTIONS_FIXED_FROM` students and ``"model"`` below.

    Setting ``stop`` (from another thread) ends the optimisation early and keeps the best
    timetable found so far; the search for a first timetable is not interrupted.
    """
    started = time.perf_counter()
    instance.validate()
    assigned: dict[str, dict[str, str]] | None = None
    if sections == "auto":
        sections = "fixed" if len(instance.students) >= SECTIONS_FIXED_FROM else "model"
    if sections == "fixed" and instance.courses:
        instance, assigned = preassign_sections(instance)

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
    deadline = started + time_limit
    monitor = _Monitor(started, progress)

    # Phase 1: any timetable. Without the objective CP-SAT's feasibility search is several
    # times faster on school instances; its timetable then seeds the optimisation.
    timetable.model.clear_objective()
    monitor.phase = 1
    solver = None
    if previous is None and timetable.objective_expr is not None:
        solver = first_from_board(timetable, deadline, workers, seed, monitor)
    if solver is None:
        solver = _solver(deadline, workers, seed)
        solver.parameters.stop_after_first_solution = True
        code = solver.solve(timetable.model, monitor)
    else:
        code = cp_model.FEASIBLE
    status = _STATUS.get(code, "UNKNOWN")

    if status not in ("OPTIMAL", "FEASIBLE"):
        result = Result(status)
        if status == "INFEASIBLE" and explain:
            result.explanation = explain_core(instance, language)
        elif status == "UNKNOWN":
            result.explanation = [messages.fact("timeout", language)]
    else:
        result = timetable.extract(solver, "FEASIBLE")
        if timetable.objective_expr is None:
            result.status, result.objective, result.bound = "OPTIMAL", 0.0, 0.0
        else:
            result = _optimise(timetable, solver, deadline, workers, seed, monitor, result, stop)
        if assigned is not None:
            result.sections = assigned

    result.timings = Timings(
        build=build,
        first_solution=monitor.first,
        best_solution=monitor.best,
        total=time.perf_counter() - started,
    )
    return result
