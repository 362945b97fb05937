"""The CP-SAT XHSTT model finds timetables that the independent evaluator accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver.__main__ import main
from solver.xhstt.archive import read_archive
from solver.xhstt.evaluate import evaluate
from solver.xhstt.model import solve_xhstt

DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "xhstt"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared XHSTT data not present")


@needs_data
def test_sudoku_is_solved_to_optimality() -> None:
    instance = read_archive(DATA / "ArtificialSudoku4x4.xml").instances[0]

    result = solve_xhstt(instance, time_limit=10)

    assert result.status == "OPTIMAL" and result.solution is not None
    evaluation = evaluate(instance, result.solution)
    assert (evaluation.hard, evaluation.soft) == (0, 0)


@needs_data
def test_brazil_gets_a_feasible_timetable_priced_like_the_evaluator() -> None:
    instance = read_archive(DATA / "BrazilInstance1.xml").instances[0]

    result = solve_xhstt(instance, time_limit=5)

    assert result.solution is not None
    evaluation = evaluate(instance, result.solution)
    assert evaluation.hard == 0
    # How low the soft cost gets within a time limit is a benchmark figure, not a test.
    assert evaluation.soft == result.objective


@needs_data
def test_cli_prints_verified_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["solve", str(DATA / "ArtificialSudoku4x4.xml"), "--time-limit", "5"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert report["verified"] is True
    assert (report["hard"], report["soft"]) == (0, 0)
    assert len(report["events"]) == 16


@needs_data
def test_checkpoints_keep_the_solution_held_at_that_moment() -> None:
    instance = read_archive(DATA / "BrazilInstance1.xml").instances[0]

    result = solve_xhstt(instance, time_limit=4, checkpoints=[0.5, 100.0])

    assert result.solution is not None
    early, late = result.snapshots[0.5], result.snapshots[100.0]
    assert late is result.solution
    final = evaluate(instance, result.solution)
    if early is not None:  # a loaded machine may not have a timetable after half a second
        assert evaluate(instance, early).hard == 0
        assert evaluate(instance, early).soft >= final.soft
