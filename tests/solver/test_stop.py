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
    asked: list[float] = []

    def on_progress(progress: Progress) -> None:
        # Phase 1 reports an infinite objective: stop once the optimisation has improved.
        if progress.objective != float("inf") and not stop.is_set():
            asked.append(time.perf_counter())
            stop.set()

    result = solve(instance, time_limit=60, progress=on_progress, stop=stop)
    # Timed from the request, not from the start: how long the first timetable takes
    # depends on how busy the machine is, how soon a stop is honoured should not.
    after_request = time.perf_counter() - asked[0]

    assert stop.is_set()
    assert result.has_timetable
    assert verify(instance, result).ok
    assert after_request < limit, f"the stop was not honoured: {after_request:.1f} s"


def test_stop_keeps_the_best_timetable_found_so_far() -> None:
    _stopped_after_first_improvement(limit=2)


def test_stop_also_ends_the_neighbourhood_search_of_large_schools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Large schools are optimised round by round (solver.lns); lowering the size from which
    # that happens lets a small school take the same path.
    monkeypatch.setattr(solve_module, "LNS_FROM_VARIABLES", 0)
    _stopped_after_first_improvement(limit=3)


def test_without_stop_the_solver_uses_its_time() -> None:
    """The same school, unstopped, is still optimising when the test above stops it."""
    instance = generate_school(40, seed=1)

    result = solve(instance, time_limit=6)

    assert result.has_timetable
    assert result.status == "FEASIBLE" and result.timings.total >= 5.5
