"""A student's chosen section counts for the travel rule when its location is open."""

import pytest

from solver import solve, verify
from solver.instance import Course, Group, Instance, Lesson, Location, Period, Room, Student


def _instance() -> Instance:
    """Two back-to-back periods; the group lesson is at A, the two sections at A or B.

    Both sections must run in the period the group lesson leaves free, at the same time,
    so one of them is in room B1: its student would walk from A to B (15 minutes) with no
    time between the periods. No valid timetable exists.
    """
    return Instance(
        name="section-travel",
        days=["ma"],
        periods=[Period("1", 510, 555), Period("2", 555, 600)],
        locations=[Location("A"), Location("B")],
        travel_minutes={("A", "B"): 15},
        rooms=[Room("A1", "A"), Room("A2", "A"), Room("B1", "B")],
        groups=[Group("G", members=("s1", "s2"))],
        students=[Student("s1"), Student("s2")],
        lessons=[
            Lesson("group", groups=("G",), rooms=("A1",)),
            Lesson("section-1", course="C", rooms=("A2", "B1")),
            Lesson("section-2", course="C", rooms=("A2", "B1")),
        ],
        courses=[Course("C", students=("s1", "s2"), max_size_difference=0)],
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_no_timetable_walks_a_section_student_between_locations_too_fast(seed: int) -> None:
    instance = _instance()

    result = solve(instance, time_limit=20, seed=seed, explain=False)

    assert not result.has_timetable or verify(instance, result).ok
    assert result.status == "INFEASIBLE"
