"""A stop request from another thread ends the optimisation and keeps the best timetable."""

import importlib
import threading
import time

import pytest

from solver import solve
from solver.bench.school import generate_school
from solver.result import Progress
from solver.verify import verify

solve_module = importlib.import_module("solver.solve")


def _stopped_after_first_improvement(limit: float) -> None:
    """Solve a small school, ask to stop once it improved, and check the stop was honoured."""
    instance = generate_school(40, seed=1)
    stop = threading.Event()

    def on_progress(progress: Progress) -> None:
        # Phase 1 reports an infinite objective: stop once the optimisation has improved.
        if progress.objective != float("inf"):
            stop.set()

    started = time.perf_counter()
    result = solve(instance, time_limit=60, progress=on_progress, stop=stop)
    elapsed = time.perf_counter() - started

    assert stop.is_set()
    assert result.has_timetable
    assert verify(instance, result).ok
    assert elapsed < limit, f"the stop was not honoured: {elapsed:.1f} s"


def test_stop_keeps_the_best_timetable_found_so_far() -> None:
    _stopped_after_first_improvement(limit=5)


def test_stop_also_ends_the_neighbourhood_search_of_large_schools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Large schools are optimised round by round (solver.lns); lowering the size from which
    # that happens lets a small school take the same path.
    monkeypatch.setattr(solve_module, "LNS_FROM_VARIABLES", 0)
    _stopped_after_first_improvement(limit=8)


def test_without_stop_the_solver_uses_its_time() -> None:
    """The same school, unstopped, is still optimising when the test above stops it."""
    instance = generate_school(40, seed=1)

    result = solve(instance, time_limit=6)

    assert result.has_timetable
    assert result.status == "FEASIBLE" and result.timings.total >= 5.5
