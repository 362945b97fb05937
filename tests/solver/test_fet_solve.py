"""Solving FET files gives timetables that both independent checkers accept."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fet_files import (
    INTERVAL_ON,
    TINY,
    constraint,
    extra_time_constraints,
    latin_square_school,
    small_school,
    tiny_variant,
)
from ortools.sat.python.cp_model import IntVar

from solver.__main__ import main
from solver.fet.check import check_rules
from solver.fet.model import FetTimetableModel
from solver.fet.reader import read_fet
from solver.fet.repair import _Placer, place_by_repair, rules_beyond_placer
from solver.fet.run import _add_hints, placer_budget, solve_fet_file
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
    path = tiny_variant(tmp_path, INTERVAL_ON)

    report = solve_fet_file(path, time_limit=20)

    assert report["hard"] == 0 and report["placements"]
    assert report["verified"] is False and report["fully_supported"] is False
    assert report["unsupported"][0].startswith("hard x1 ConstraintTeacherIntervalMaxDaysPerWeek")


# Rules the tiny school can meet, and two it cannot. FET 6.8.5 agreed on each: it found a
# timetable for the first set and none within 5 s for either of the other two.
FEASIBLE_RULES = [
    constraint(
        "ConstraintActivitiesNotOverlapping",
        "<Number_of_Activities>2</Number_of_Activities>",
        "<Activity_Id>6</Activity_Id>",
        "<Activity_Id>8</Activity_Id>",
    ),
    constraint(
        "ConstraintTwoActivitiesConsecutive",
        "<First_Activity_Id>3</First_Activity_Id>",
        "<Second_Activity_Id>2</Second_Activity_Id>",
    ),
    constraint(
        "ConstraintTwoActivitiesGrouped",
        "<First_Activity_Id>8</First_Activity_Id>",
        "<Second_Activity_Id>5</Second_Activity_Id>",
    ),
    constraint("ConstraintActivityEndsStudentsDay", "<Activity_Id>2</Activity_Id>"),
    constraint(
        "ConstraintStudentsMaxHoursContinuously",
        "<Maximum_Hours_Continuously>3</Maximum_Hours_Continuously>",
    ),
    constraint(
        "ConstraintActivitiesSameStartingDay",
        "<Number_of_Activities>2</Number_of_Activities>",
        "<Activity_Id>3</Activity_Id>",
        "<Activity_Id>4</Activity_Id>",
    ),
    constraint(
        "ConstraintTeacherMinDaysPerWeek",
        "<Teacher_Name>Cor</Teacher_Name>",
        "<Minimum_Days_Per_Week>3</Minimum_Days_Per_Week>",
    ),
    constraint(
        "ConstraintTeacherMaxDaysPerWeek",
        "<Teacher_Name>Cor</Teacher_Name>",
        "<Max_Days_Per_Week>3</Max_Days_Per_Week>",
    ),
]
TEACHERS_TWO_HOURS_A_DAY = constraint(
    "ConstraintTeachersMinHoursDaily",
    "<Minimum_Hours_Daily>2</Minimum_Hours_Daily>",
    "<Allow_Empty_Days>true</Allow_Empty_Days>",
)
MATHS_AT_THE_SAME_HOUR = constraint(
    "ConstraintActivitiesSameStartingHour",
    "<Number_of_Activities>2</Number_of_Activities>",
    "<Activity_Id>1</Activity_Id>",
    "<Activity_Id>2</Activity_Id>",
)


def test_day_limits_and_activity_links_are_solved_and_verified(tmp_path: Path) -> None:
    path = tiny_variant(tmp_path, extra_time_constraints(*FEASIBLE_RULES))
    fet = read_fet(path)
    assert fet.fully_supported and len(fet.links) == 5 and len(fet.person_limits) == 3

    report = solve_fet_file(path, time_limit=20)

    assert report["verified"] is True
    placed = {p["activity"]: (p["day"], p["hour"]) for p in report["placements"]}
    assert placed["2"] == (0, 2) and placed["3"] == (0, 0)


@pytest.mark.parametrize("rule", [TEACHERS_TWO_HOURS_A_DAY, MATHS_AT_THE_SAME_HOUR])
def test_rules_the_tiny_school_cannot_meet_make_it_infeasible(tmp_path: Path, rule: str) -> None:
    path = tiny_variant(tmp_path, extra_time_constraints(rule))

    assert solve_fet_file(path, time_limit=20)["status"] == "INFEASIBLE"


def test_a_loose_school_is_placed_without_search(tmp_path: Path) -> None:
    # Without the no-gaps rule the tiny school is loose enough for the repair placer.
    path = tiny_variant(tmp_path, ("<Max_Gaps>0</Max_Gaps>", "<Max_Gaps>3</Max_Gaps>"))
    fet = read_fet(path)

    repair = place_by_repair(fet, budget=2.0)

    result = repair.result
    assert repair.complete and len(result.placements) == 8
    assert verify(fet.instance, result).violations == []
    assert check_rules(fet, result).violations == []


def test_cp_sat_takes_over_when_the_placed_timetable_breaks_a_rule(tmp_path: Path) -> None:
    path = tiny_variant(tmp_path, extra_time_constraints(*FEASIBLE_RULES))
    fet = read_fet(path)
    repair = place_by_repair(fet, budget=2.0)

    # The placer does not look at hours in a row, days per week or links: the checker
    # rejects its timetable ...
    assert repair.complete and rules_beyond_placer(fet)
    assert check_rules(fet, repair.result).violations
    # ... so the solver falls back to CP-SAT, whose timetable passes.
    assert solve_fet_file(path, time_limit=20)["verified"] is True


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_placer_keeps_students_days_without_gaps(seed: int) -> None:
    # The tiny school allows its students no idle hour and no late start.
    fet = read_fet(TINY)
    assert fet.max_gaps and fet.early and not rules_beyond_placer(fet)

    repair = place_by_repair(fet, budget=2.0, seed=seed)

    assert repair.complete and len(repair.result.placements) == 8
    assert verify(fet.instance, repair.result).violations == []
    assert check_rules(fet, repair.result).violations == []


STUDENTS_NO_GAPS = constraint("ConstraintStudentsMaxGapsPerWeek", "<Max_Gaps>0</Max_Gaps>")
STUDENTS_ONE_GAP = constraint("ConstraintStudentsMaxGapsPerWeek", "<Max_Gaps>1</Max_Gaps>")
STUDENTS_START_EARLY = constraint(
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour",
    "<Max_Beginnings_At_Second_Hour>0</Max_Beginnings_At_Second_Hour>",
)


def _three_lessons(tmp_path: Path, *rules: str) -> _Placer:
    """Return a placer for one class with three one-hour lessons in a day of four hours."""
    lessons = [("Ann", "C"), ("Bob", "C"), ("Cor", "C")]
    return _Placer(read_fet(small_school(tmp_path, "three", 1, 4, lessons, *rules)), seed=0)


def _unit(placer: _Placer, activity: str) -> int:
    return placer.unit_index[activity]


def test_a_gap_no_lesson_is_left_to_fill_displaces_a_lesson(tmp_path: Path) -> None:
    placer = _three_lessons(tmp_path, STUDENTS_NO_GAPS)
    first, second, third = (_unit(placer, a) for a in ("1", "2", "3"))
    placer.place(first, 0, {})
    placer.place(second, 1, {})

    # Hour 4 would leave hour 3 idle with nothing left to fill it: the first lesson goes,
    # which leaves one idle hour for it to fill (taking the second would leave two).
    assert placer.conflicts(third, 3) == ({first}, {})
    assert placer.conflicts(third, 2) == (set(), {})


def test_gaps_the_rules_allow_or_lessons_can_fill_displace_nothing(tmp_path: Path) -> None:
    allowed = _three_lessons(tmp_path, STUDENTS_ONE_GAP)
    allowed.place(_unit(allowed, "1"), 0, {})
    allowed.place(_unit(allowed, "2"), 1, {})
    assert allowed.conflicts(_unit(allowed, "3"), 3) == (set(), {})

    fillable = _three_lessons(tmp_path, STUDENTS_NO_GAPS)
    fillable.place(_unit(fillable, "1"), 0, {})
    assert fillable.conflicts(_unit(fillable, "2"), 2) == (set(), {})
    assert fillable.conflicts(_unit(fillable, "2"), 3) == ({_unit(fillable, "1")}, {})


def test_a_late_start_needs_a_lesson_at_the_first_hour(tmp_path: Path) -> None:
    placer = _three_lessons(tmp_path, STUDENTS_START_EARLY)
    first, second, third = (_unit(placer, a) for a in ("1", "2", "3"))
    placer.place(first, 2, {})
    placer.place(second, 3, {})

    # Only the first hour can mend the late start, and only the third lesson is left.
    assert placer.conflicts(third, 0) == (set(), {})
    found = placer.conflicts(third, 1)
    assert found is not None and len(found[0]) == 1


def test_a_late_start_without_gaps_needs_every_hour_before_it(tmp_path: Path) -> None:
    placer = _three_lessons(tmp_path, STUDENTS_START_EARLY, STUDENTS_NO_GAPS)
    first, second = _unit(placer, "1"), _unit(placer, "2")
    placer.place(first, 1, {})

    assert placer.conflicts(second, 0) == (set(), {})
    # A lesson in the fourth hour would need the three before it filled, by two lessons.
    assert placer.conflicts(second, 3) is None


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_placer_repairs_a_school_without_slack(tmp_path: Path, seed: int) -> None:
    # Every class and teacher is busy every hour: first-free-hour placement gets stuck.
    fet = read_fet(latin_square_school(tmp_path, 8))
    placer = _Placer(fet, seed)

    assert placer.run(deadline=time.perf_counter() + 10)

    result = placer.result()
    assert sum(placer.displaced) > 0
    assert len(result.placements) == 64
    assert verify(fet.instance, result).violations == []
    assert check_rules(fet, result).violations == []


def _min_hours(hours: int, allow_empty: bool) -> str:
    return constraint(
        "ConstraintStudentsMinHoursDaily",
        f"<Minimum_Hours_Daily>{hours}</Minimum_Hours_Daily>",
        f"<Allow_Empty_Days>{str(allow_empty).lower()}</Allow_Empty_Days>",
    )


def _two_days(tmp_path: Path, lessons: int, rule: str) -> _Placer:
    """Return a placer for one class with one-hour lessons over two days of three hours."""
    teachers = ["Ann", "Bob", "Cor", "Dan"][:lessons]
    path = small_school(tmp_path, "two-days", 2, 3, [(t, "C") for t in teachers], rule)
    return _Placer(read_fet(path), seed=0)


def test_a_short_day_no_lesson_is_left_to_lengthen_is_emptied(tmp_path: Path) -> None:
    placer = _two_days(tmp_path, 4, _min_hours(2, allow_empty=True))
    first, second, third, fourth = (_unit(placer, a) for a in ("1", "2", "3", "4"))
    placer.place(first, 0, {})
    placer.place(second, 3, {})
    placer.place(third, 4, {})

    # The last lesson on the second day would leave the first day one hour short for good.
    assert placer.conflicts(fourth, 5) == ({first}, {})
    assert placer.conflicts(fourth, 1) == (set(), {})


def test_a_day_without_lessons_counts_when_empty_days_are_not_allowed(tmp_path: Path) -> None:
    placer = _two_days(tmp_path, 3, _min_hours(1, allow_empty=False))
    first, second, third = (_unit(placer, a) for a in ("1", "2", "3"))
    placer.place(first, 0, {})
    placer.place(second, 1, {})

    assert placer.conflicts(third, 3) == (set(), {})
    found = placer.conflicts(third, 2)
    assert found is not None and len(found[0]) == 1


def test_a_lesson_goes_to_a_short_day_before_the_earliest_free_hour(tmp_path: Path) -> None:
    placer = _two_days(tmp_path, 3, _min_hours(2, allow_empty=True))
    first, second, third = (_unit(placer, a) for a in ("1", "2", "3"))
    placer.place(first, 3, {})

    # Hour 1 of the first day is free, but the second day holds one lesson and needs two.
    assert placer.choose(second, step=1) == (4, set(), {})
    placer.place(second, 4, {})
    # The second day is long enough now; a third lesson there would do no harm, but an
    # empty day is ranked last.
    assert placer.choose(third, step=2) == (5, set(), {})


def test_without_a_minimum_the_earliest_free_hour_is_taken(tmp_path: Path) -> None:
    placer = _two_days(tmp_path, 2, _min_hours(1, allow_empty=True))
    first, second = (_unit(placer, a) for a in ("1", "2"))
    placer.place(first, 3, {})

    assert placer.choose(second, step=1) == (0, set(), {})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_placer_fills_short_days_of_a_whole_school(tmp_path: Path, seed: int) -> None:
    # Eight lessons a class on days of four hours, at least three a day with lessons and
    # no idle hour: each class fills two whole days, and teachers are shared.
    lessons = [(f"T{(c * 3 + k) % 9}", f"C{c}") for c in range(3) for k in range(8)]
    path = small_school(
        tmp_path, "short-days", 3, 4, lessons, _min_hours(3, allow_empty=True), STUDENTS_NO_GAPS
    )
    fet = read_fet(path)
    assert not rules_beyond_placer(fet)

    repair = place_by_repair(fet, budget=5.0, seed=seed)

    assert repair.complete and len(repair.result.placements) == 24
    assert verify(fet.instance, repair.result).violations == []
    assert check_rules(fet, repair.result).violations == []


def test_a_stuck_placer_starts_afresh_and_still_completes(tmp_path: Path) -> None:
    # Twelve classes and teachers in a day of twelve hours: every seed tried (0-5) got stuck
    # at least four times on the way.
    fet = read_fet(latin_square_school(tmp_path, 12))
    placer = _Placer(fet, seed=3)
    # Little patience: a few steps without fewer units unplaced start the board afresh.
    placer.patience = 16

    assert placer.run(deadline=time.perf_counter() + 10)

    assert placer.restarts > 0 and placer.unplaced == 0
    assert check_rules(fet, placer.result()).violations == []
    assert verify(fet.instance, placer.result()).violations == []


def test_a_restart_clears_the_board_and_the_memory(tmp_path: Path) -> None:
    placer = _three_lessons(tmp_path, STUDENTS_NO_GAPS)
    first, second = _unit(placer, "1"), _unit(placer, "2")
    placer.place(first, 0, {})
    placer.place(second, 1, {})
    placer.displaced[first] = 3

    queue = placer._restart()

    assert placer.start_of == [-1, -1, -1] and placer.unplaced == 3
    assert placer.displaced == [0, 0, 0] and sorted(u for _, _, u in queue) == [0, 1, 2]
    assert placer.needs == dict.fromkeys(placer.compact, 0)


def test_the_placer_gets_more_time_when_it_knows_every_rule(tmp_path: Path) -> None:
    latin = read_fet(latin_square_school(tmp_path, 4))
    tiny = read_fet(tiny_variant(tmp_path, extra_time_constraints(*FEASIBLE_RULES)))

    # These rules include hours in a row, which the placer does not look at.
    assert not rules_beyond_placer(latin) and rules_beyond_placer(tiny)
    assert placer_budget(latin, 300) == 60.0 and placer_budget(tiny, 300) == 1.0
    assert placer_budget(latin, 30) == 10.0 and placer_budget(tiny, 30) == 1.0


def test_cp_sat_starts_from_the_activities_the_placer_placed(tmp_path: Path) -> None:
    fet = read_fet(latin_square_school(tmp_path, 4))
    timetable = FetTimetableModel(fet.instance)
    placed = place_by_repair(fet).result.placements[:5]

    _add_hints(timetable, Result("UNKNOWN", placements=placed))

    hint = timetable.model.proto.solution_hint
    chosen = {v for v, value in zip(hint.vars, hint.values, strict=True) if value == 1}
    expected = {timetable_start(timetable, p.lesson, (p.day, p.period)).index for p in placed}
    # Only the five placed activities are hinted, each at the start the placer gave it.
    assert chosen == expected


def timetable_start(timetable: FetTimetableModel, lesson: str, slot: tuple[int, int]) -> IntVar:
    """Return the start Boolean of ``lesson`` at ``slot``."""
    occurrence = next(o for o in timetable.occurrences if o.lesson.id == lesson)
    return occurrence.starts[slot]


def _not_available(teacher: str, day: str, *hours: str) -> str:
    """Return a hard rule that a teacher is not available at some hours of one day."""
    times = "".join(
        f"<Not_Available_Time><Day>{day}</Day><Hour>{hour}</Hour></Not_Available_Time>"
        for hour in hours
    )
    return constraint(
        "ConstraintTeacherNotAvailableTimes",
        f"<Teacher>{teacher}</Teacher>",
        f"<Number_of_Not_Available_Times>{len(hours)}</Number_of_Not_Available_Times>",
        times,
    )


def test_the_placer_only_tries_starts_its_people_are_available_for(tmp_path: Path) -> None:
    lessons = [("Ann", "C1"), ("Bob", "C2")]
    path = small_school(tmp_path, "away", 2, 4, lessons, _not_available("Ann", "D2", "2", "4"))
    placer = _Placer(read_fet(path), seed=0)

    # Cells are day * 4 + hour: Ann is away at cells 5 and 7, Bob never.
    assert placer.starts[_unit(placer, "1")] == [0, 1, 2, 3, 4, 6]
    assert placer.starts[_unit(placer, "2")] == list(range(8))


def test_activities_that_share_a_teacher_cannot_start_together(tmp_path: Path) -> None:
    same_start = constraint(
        "ConstraintActivitiesSameStartingTime",
        "<Number_of_Activities>2</Number_of_Activities>",
        "<Activity_Id>1</Activity_Id>",
        "<Activity_Id>2</Activity_Id>",
    )
    apart = small_school(tmp_path, "apart", 1, 4, [("Ann", "C1"), ("Bob", "C2")], same_start)
    shared = small_school(tmp_path, "shared", 1, 4, [("Ann", "C1"), ("Ann", "C2")], same_start)

    placer = _Placer(read_fet(apart), seed=0)
    assert placer.starts[_unit(placer, "1")] == [0, 1, 2, 3]
    placer = _Placer(read_fet(shared), seed=0)
    assert placer.starts[_unit(placer, "1")] == []
