"""The FET reader turns a .fet file into an instance plus FET-only rules, or says why not."""

from __future__ import annotations

from pathlib import Path

import pytest
from fet_files import INTERVAL_ON, TINY, constraint, extra_time_constraints, tiny_variant

from solver.fet.check import check_rules
from solver.fet.reader import FetError, read_fet, read_timetable
from solver.result import Placement, Result
from solver.safexml import UnsafeXMLError
from solver.verify import verify


def test_time_axis_teachers_and_subgroups_are_read() -> None:
    fet = read_fet(TINY)
    instance = fet.instance

    assert instance.days == ["Mon", "Tue", "Wed"]
    assert [p.name for p in instance.periods] == ["1", "2", "3", "4"]
    assert [t.id for t in instance.teachers] == ["Anna", "Bram", "Cor"]
    # Leaves of the year/group/subgroup tree become the students; Y1b and Y2 have no children.
    assert [s.id for s in instance.students] == ["Y1a-1", "Y1a-2", "Y1b", "Y2"]


def test_activity_for_a_year_occupies_every_subgroup_of_it() -> None:
    lessons = read_fet(TINY).instance.lesson_by_id()

    assert lessons["1"].students == ("Y1a-1", "Y1a-2", "Y1b")
    assert lessons["3"].students == ("Y1a-1", "Y1a-2")
    assert lessons["3"].duration == 2


def test_breaks_and_preferred_times_restrict_the_start_slots() -> None:
    lessons = read_fet(TINY).instance.lesson_by_id()

    art, science = lessons["4"].allowed_starts, lessons["3"].allowed_starts
    assert art is not None and science is not None
    # Tuesday hour 3 is a break: a double lesson may neither start nor run through it.
    assert (1, 2) not in art
    assert (1, 1) not in science
    assert (1, 0) in science
    assert lessons["5"].allowed_starts == {(0, 2), (1, 0)}
    # The activity tag "exam" may only use Tuesday hours 2 and 4.
    assert lessons["8"].allowed_starts == {(1, 1), (1, 3)}


def test_unavailability_and_daily_maxima_are_mapped() -> None:
    instance = read_fet(TINY).instance
    teachers = {t.id: t for t in instance.teachers}
    students = {s.id: s for s in instance.students}

    assert teachers["Anna"].unavailable == {(0, 0), (0, 1)}
    assert teachers["Cor"].unavailable == {(2, 3)}
    assert all(t.max_periods_per_day == 3 for t in instance.teachers)
    assert students["Y2"].unavailable == {(2, 0)}
    assert students["Y1b"].unavailable == frozenset()


def test_rooms_follow_room_constraints_and_head_counts() -> None:
    instance = read_fet(TINY).instance
    lessons = instance.lesson_by_id()
    rooms = instance.room_by_id()

    # R2 holds 10 and Y1a has 12 students, so of Science's two rooms only the lab remains.
    assert lessons["3"].rooms == ("Lab",)
    assert lessons["4"].rooms == ("R1",)
    assert rooms["R1"].unavailable == {(0, 3)}
    assert rooms["R2"].location == "Annex"
    # FET gives no room to an activity without a hard room constraint.
    assert lessons["1"].needs_room is False


def test_fet_only_rules_are_returned() -> None:
    fet = read_fet(TINY)

    assert [(r.activities, r.min_days, r.hard) for r in fet.min_days] == [(("1", "2"), 2, True)]
    assert [r.activities for r in fet.same_start] == [("6", "7")]
    assert [(g.kind, g.max_gaps, g.per_day) for g in fet.max_gaps] == [("students", 0, False)]
    assert [e.max_second_hour for e in fet.early] == [1]


def test_soft_room_preference_is_reported_but_does_not_block_support() -> None:
    fet = read_fet(TINY)

    assert fet.fully_supported
    assert fet.unsupported_summary() == [
        "soft x1 ConstraintActivityPreferredRoom: soft room preferences are not modelled"
    ]


def test_an_active_unknown_hard_constraint_is_listed_as_unsupported(tmp_path: Path) -> None:
    path = tiny_variant(tmp_path, INTERVAL_ON)

    fet = read_fet(path)

    assert not fet.fully_supported
    assert fet.unsupported_summary()[0] == (
        "hard x1 ConstraintTeacherIntervalMaxDaysPerWeek: constraint type not supported"
    )


def test_unknown_teacher_gets_a_clear_error(tmp_path: Path) -> None:
    path = tiny_variant(
        tmp_path,
        (
            "<Teacher>Bram</Teacher>\n\t<Subject>Science",
            "<Teacher>Zed</Teacher>\n\t<Subject>Science",
        ),
    )

    with pytest.raises(FetError, match="activity 3 names unknown teacher 'Zed'"):
        read_fet(path)


def test_unknown_time_gets_a_clear_error(tmp_path: Path) -> None:
    path = tiny_variant(tmp_path, ("<Break_Time><Day>Tue</Day>", "<Break_Time><Day>Sun</Day>"))

    with pytest.raises(FetError, match="unknown time 'Sun' '3'"):
        read_fet(path)


def test_broken_xml_and_wrong_root_are_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.fet"
    broken.write_text("<fet><Days_List>", encoding="utf-8")
    other = tmp_path / "other.fet"
    other.write_text("<timetable/>", encoding="utf-8")

    with pytest.raises(FetError, match="not well-formed"):
        read_fet(broken)
    with pytest.raises(FetError, match="expected <fet>"):
        read_fet(other)


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "entity.fet"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fet [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<fet><Institution_Name>&x;</Institution_Name></fet>",
        encoding="utf-8",
    )

    with pytest.raises(UnsafeXMLError):
        read_fet(path)


def _place(*rows: tuple[str, int, int, str | None]) -> Result:
    """Build a result from (activity, day, hour, room) rows of the tiny school."""
    lessons = read_fet(TINY).instance.lesson_by_id()
    return Result(
        "FEASIBLE",
        placements=[Placement(a, 0, d, h, lessons[a].duration, r) for a, d, h, r in rows],
    )


# A timetable FET 6.8 itself produced for tiny-school.fet (its *_activities.xml).
FET_TIMETABLE = [
    ("1", 2, 0, None),
    ("2", 0, 2, None),
    ("3", 0, 0, "Lab"),
    ("4", 0, 1, "R1"),
    ("5", 1, 0, "R1"),
    ("6", 1, 1, None),
    ("7", 1, 1, None),
    ("8", 1, 1, "R1"),
]


def test_both_checkers_accept_a_timetable_fet_produced() -> None:
    fet = read_fet(TINY)
    result = _place(*FET_TIMETABLE)

    assert verify(fet.instance, result).violations == []
    assert check_rules(fet, result).violations == []


def test_checker_flags_min_days_same_start_gaps_and_late_starts() -> None:
    fet = read_fet(TINY)
    moved = {a: (a, d, h, r) for a, d, h, r in FET_TIMETABLE}
    moved["1"] = ("1", 1, 3, None)  # Tuesday, one day after activity 2 on Monday
    moved["7"] = ("7", 2, 2, None)  # apart from activity 6; Y1a-2 starts Wednesday late
    moved["4"] = ("4", 0, 0, "R1")  # Y1b: Monday hour 1, then Maths at hour 3

    violations = check_rules(fet, _place(*moved.values())).violations

    # Tuesday hour 3 is a break, so hour 4 is the third counted hour of that day.
    assert sorted(violations) == [
        "activities 1 and 2 are less than 2 days apart",
        "activities 6, 7 start apart",
        "students Y1a-2 start 2 days at the second hour",
        "students Y1a-2 start after the second hour on day 1",
        "students Y1a-2 start after the second hour on day 2",
        "students Y1b has 1 gaps in the week",
        "students Y1b start after the second hour on day 1",
    ]


def test_fet_output_timetable_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "out_activities.xml"
    path.write_text(
        "<Activities_Timetable>"
        "<Activity><Id>3</Id><Day>Mon</Day><Hour>1</Hour><Room>Lab</Room></Activity>"
        "<Activity><Id>1</Id><Day>Wed</Day><Hour>1</Hour><Room>R2</Room></Activity>"
        "</Activities_Timetable>",
        encoding="utf-8",
    )

    result = read_timetable(read_fet(TINY), path)

    assert [(p.lesson, p.day, p.period, p.room) for p in result.placements] == [
        ("3", 0, 0, "Lab"),
        ("1", 2, 0, None),
    ]


def test_checker_flags_day_limits_and_activity_links(tmp_path: Path) -> None:
    path = tiny_variant(
        tmp_path,
        extra_time_constraints(
            constraint(
                "ConstraintTeacherMaxDaysPerWeek",
                "<Teacher_Name>Cor</Teacher_Name>",
                "<Max_Days_Per_Week>1</Max_Days_Per_Week>",
            ),
            constraint(
                "ConstraintActivitiesNotOverlapping",
                "<Number_of_Activities>2</Number_of_Activities>",
                "<Activity_Id>3</Activity_Id>",
                "<Activity_Id>4</Activity_Id>",
            ),
            constraint(
                "ConstraintTwoActivitiesConsecutive",
                "<First_Activity_Id>3</First_Activity_Id>",
                "<Second_Activity_Id>4</Second_Activity_Id>",
            ),
            constraint("ConstraintActivityEndsStudentsDay", "<Activity_Id>5</Activity_Id>"),
            constraint(
                "ConstraintStudentsSetMaxHoursContinuously",
                "<Maximum_Hours_Continuously>2</Maximum_Hours_Continuously>",
                "<Students>Y1a</Students>",
            ),
            constraint(
                "ConstraintStudentsSetMinHoursDaily",
                "<Minimum_Hours_Daily>1</Minimum_Hours_Daily>",
                "<Students>Y2</Students>",
                "<Allow_Empty_Days>false</Allow_Empty_Days>",
            ),
        ),
    )
    fet = read_fet(path)

    violations = check_rules(fet, _place(*FET_TIMETABLE)).violations

    # FET's timetable predates these rules: Cor teaches Monday and Tuesday, Science (3)
    # runs Monday hours 1-2 next to Art (4) at hour 2, Y2 has Maths after Art on Tuesday,
    # Y1a sits three hours in a row on Monday and Y2 has nothing on Monday and Wednesday.
    assert sorted(violations) == [
        "activities 3 and 4 are not consecutive",
        "activities 3, 4 overlap",
        "students Y1a-1 has 3 hours in a row on day 0",
        "students Y1a-2 has 3 hours in a row on day 0",
        "students Y2 has 0 hours on day 0",
        "students Y2 has 0 hours on day 2",
        "students Y2 have lessons after activity 5",
        "teacher Cor works 2 days, max 1",
    ]
