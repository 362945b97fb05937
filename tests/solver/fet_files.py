"""The hand-written FET test files and a helper to derive variants of them."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "tiny-school.fet"

# Switch on the file's inactive "interval max days per week" rule, which the solver lacks.
INTERVAL_ON = (
    "<Max_Days_Per_Week>1</Max_Days_Per_Week>\n\t<Active>false</Active>",
    "<Max_Days_Per_Week>1</Max_Days_Per_Week>\n\t<Active>true</Active>",
)


def tiny_variant(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    """Write a copy of the tiny school with each (old, new) text replaced once."""
    text = TINY.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "variant.fet"
    path.write_text(text, encoding="utf-8")
    return path


def extra_time_constraints(*elements: str) -> tuple[str, str]:
    """Return a change that appends constraint elements to the time constraint list."""
    end = "</Time_Constraints_List>"
    return end, "\n".join(elements) + "\n" + end


def constraint(tag: str, *fields: str) -> str:
    """Return a hard, active FET constraint element with the given child elements."""
    body = "".join(f"\t{f}\n" for f in fields)
    return (
        f"<{tag}>\n\t<Weight_Percentage>100</Weight_Percentage>\n{body}"
        f"\t<Active>true</Active>\n</{tag}>"
    )


def latin_square_school(tmp_path: Path, size: int) -> Path:
    """Write a school with no slack: ``size`` classes and teachers, one lesson per pair.

    One day of ``size`` hours holds every lesson, so each class and each teacher is busy
    every hour: a timetable is a Latin square, and placing lessons one after another at the
    first free hour gets stuck long before the end.
    """
    lessons = [(f"T{t}", f"C{c}") for t in range(size) for c in range(size)]
    return small_school(tmp_path, f"latin-{size}", 1, size, lessons)


def small_school(
    tmp_path: Path, name: str, days: int, hours: int, lessons: list[tuple[str, str]], *rules: str
) -> Path:
    """Write a school with one-hour lessons given as (teacher, class) pairs.

    Activity ids follow the order of ``lessons`` from 1; ``rules`` are extra time
    constraint elements.
    """
    teachers = sorted({t for t, _ in lessons})
    classes = sorted({c for _, c in lessons})
    day_list = "".join(f"<Day><Name>D{d + 1}</Name></Day>" for d in range(days))
    hour_list = "".join(f"<Hour><Name>{h + 1}</Name></Hour>" for h in range(hours))
    teacher_list = "".join(f"<Teacher><Name>{t}</Name></Teacher>" for t in teachers)
    years = "".join(
        f"<Year><Name>{c}</Name><Number_of_Students>20</Number_of_Students></Year>" for c in classes
    )
    activities = "".join(
        f"<Activity><Teacher>{t}</Teacher><Subject>S</Subject><Students>{c}</Students>"
        f"<Duration>1</Duration><Total_Duration>1</Total_Duration><Id>{i}</Id>"
        "<Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>"
        for i, (t, c) in enumerate(lessons, start=1)
    )
    path = tmp_path / f"{name}.fet"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<fet version="5.41.0">'
        f"<Institution_Name>{name}</Institution_Name>"
        f"<Days_List><Number_of_Days>{days}</Number_of_Days>{day_list}</Days_List>"
        f"<Hours_List><Number_of_Hours>{hours}</Number_of_Hours>{hour_list}</Hours_List>"
        "<Subjects_List><Subject><Name>S</Name></Subject></Subjects_List>"
        f"<Teachers_List>{teacher_list}</Teachers_List><Students_List>{years}</Students_List>"
        f"<Activities_List>{activities}</Activities_List>"
        "<Time_Constraints_List><ConstraintBasicCompulsoryTime>"
        "<Weight_Percentage>100</Weight_Percentage><Active>true</Active>"
        "</ConstraintBasicCompulsoryTime>" + "".join(rules) + "</Time_Constraints_List>"
        "<Space_Constraints_List><ConstraintBasicCompulsorySpace>"
        "<Weight_Percentage>100</Weight_Percentage><Active>true</Active>"
        "</ConstraintBasicCompulsorySpace></Space_Constraints_List></fet>",
        encoding="utf-8",
    )
    return path
