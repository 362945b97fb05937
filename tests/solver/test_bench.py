"""The benchmark command runs its modes and reports only checked results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solver.bench.__main__ import MODES, main
from solver.bench.school import generate_school
from solver.bench.xhstt import DATA
from solver.instance import Instance


def test_generated_school_is_valid_and_spans_two_locations() -> None:
    instance = generate_school(60, seed=1)

    instance.validate()
    assert isinstance(instance, Instance)
    assert len(instance.students) == 60
    assert {room.location for room in instance.rooms} == {"hoofd", "praktijk"}
    assert 10 <= instance.travel("hoofd", "praktijk") <= 20
    assert any(lesson.students and not lesson.groups for lesson in instance.lessons)
    assert instance.courses and all(len(g.members) <= 14 for g in instance.groups)


def test_generator_repeats_with_a_seed_and_varies_across_seeds() -> None:
    first = generate_school(40, seed=3)
    again = generate_school(40, seed=3)
    other = generate_school(40, seed=4)

    assert first.lessons == again.lessons
    assert first.lessons != other.lessons


def test_school_mode_writes_verified_rows(tmp_path: Path) -> None:
    out = tmp_path / "school.json"

    code = main(
        ["school", "--students", "20", "--seeds", "1", "--time-limit", "10", "--json", str(out)]
    )

    rows = json.loads(out.read_text())
    assert code == 0 and len(rows) == 1
    assert rows[0]["students"] == 20 and rows[0]["verified"] is True
    assert rows[0]["student_gaps"] is not None and rows[0]["first_s"] is not None


@pytest.mark.skipif(not DATA.is_dir(), reason="shared XHSTT data not present")
def test_xhstt_mode_reports_evaluated_costs(tmp_path: Path) -> None:
    out = tmp_path / "xhstt.json"
    sudoku = str(DATA / "ArtificialSudoku4x4.xml")

    main(["xhstt", sudoku, "--seeds", "1", "--time-limit", "5", "--json", str(out)])

    [row] = json.loads(out.read_text())
    assert row["instance"] == "ArtificialSudoku4x4"
    assert (row["hard"], row["soft"], row["verified"]) == (0, 0, True)


def test_modes_are_registered_by_name() -> None:
    assert {"school", "xhstt"} <= set(MODES)
