"""Solving FET files gives timetables that both independent checkers accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fet_files import MAX_DAYS_ON, TINY, tiny_variant

from solver.__main__ import main
from solver.fet.check import check_rules
from solver.fet.reader import read_fet
from solver.fet.run import solve_fet_file
from solver.result import Placement, Result
from solver.verify import verify

MIN_DAYS = "<MinDays>2</MinDays>\n\t<Active>true</Active>"


def _result(report: dict[str, object], path: Path) -> Result:
    """Rebuild a result from a report's placements."""
    lessons = read_fet(path).instance.lesson_by_id()
    rows = report["placements"]
    assert isinstance(rows, list)
    return Result(
        "FEASIBLE",
        placements=[
            Placement(
                r["activity"], 0, r["day"], r["hour"], lessons[r["activity"]].duration, r["room"]
            )
            for r in rows
        ],
    )


def test_tiny_school_is_solved_and_verified() -> None:
    report = solve_fet_file(TINY, time_limit=20)

    assert report["format"] == "fet" and report["verified"] is True
    assert report["hard"] == 0 and len(report["placements"]) == 8
    fet = read_fet(TINY)
    result = _result(report, TINY)
    assert verify(fet.instance, result).violations == []
    assert check_rules(fet, result).violations == []
    timings = report["timings"]
    assert 0 < timings["first_verified"] <= timings["total"]


def test_cli_prints_the_fet_report(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["solve", str(TINY), "--time-limit", "20"])

    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["format"], report["verified"], report["status"]) == ("fet", True, "OPTIMAL")


def test_impossible_hard_min_days_is_infeasible(tmp_path: Path) -> None:
    # Three days cannot hold two activities three days apart.
    path = tiny_variant(tmp_path, (MIN_DAYS, "<MinDays>3</MinDays>\n\t<Active>true</Active>"))

    report = solve_fet_file(path, time_limit=20)

    assert report["status"] == "INFEASIBLE"
    assert report["verified"] is False and report["placements"] == []


def test_soft_min_days_becomes_a_cost(tmp_path: Path) -> None:
    path = tiny_variant(
        tmp_path,
        (
            "<Weight_Percentage>100</Weight_Percentage>\n\t<Consecutive_If_Same_Day>false",
            "<Weight_Percentage>95</Weight_Percentage>\n\t<Consecutive_If_Same_Day>false",
        ),
        (MIN_DAYS, "<MinDays>3</MinDays>\n\t<Active>true</Active>"),
    )

    report = solve_fet_file(path, time_limit=20)

    assert report["verified"] is True
    assert report["costs"]["min_days"] == 1 and report["soft"] >= 1


def test_unsupported_hard_constraint_is_never_reported_as_verified(tmp_path: Path) -> None:
    path = tiny_variant(tmp_path, MAX_DAYS_ON)

    report = solve_fet_file(path, time_limit=20)

    assert report["hard"] == 0 and report["placements"]
    assert report["verified"] is False and report["fully_supported"] is False
    assert report["unsupported"][0].startswith("hard x1 ConstraintTeacherMaxDaysPerWeek")
