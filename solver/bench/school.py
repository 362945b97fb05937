"""Generate realistic VSO/PrO schools for benchmarking.

Design note: a Dutch school for special or practical secondary education works in small
groups (8-14 students) with a home room, plus practical lessons in workshops and a kitchen at
a second building and gym in a sports hall. Students choose one elective per week, taught
in parallel sections per department, and some students get an individual lesson with a
coach: together this makes every student's timetable their own. Teachers are part-timers
with a free day. Everything is drawn from a seeded random generator so runs repeat.
"""

from __future__ import annotations

import argparse
import math
import random

from solver.bench.report import Row, median, print_table
from solver.instance import (
    Course,
    Group,
    Instance,
    Lesson,
    Location,
    Period,
    Room,
    Student,
    Teacher,
)
from solver.result import Result
from solver.solve import solve
from solver.verify import verify

DAYS = ["ma", "di", "wo", "do", "vr"]

# Eight periods with a short break after the second, lunch after the fourth and a short
# break after the sixth: only those breaks leave time to change buildings.
PERIOD_TIMES = [
    (510, 560),
    (560, 610),
    (625, 675),
    (675, 725),
    (755, 805),
    (805, 855),
    (865, 915),
    (915, 965),
]

# Subject, periods a week, duration, where (home room, workshop feature or gym).
GROUP_PLAN = [
    ("Nederlands", 4, 1, "home"),
    ("Rekenen", 4, 1, "home"),
    ("Engels", 2, 1, "home"),
    ("Mens en maatschappij", 2, 1, "home"),
    ("Mentoruur", 2, 1, "home"),
    ("ICT", 1, 1, "home"),
    ("Bewegingsonderwijs", 2, 1, "gym"),
    ("Praktijk", 2, 2, "workshop"),
]

ELECTIVES = [
    ("Koken", "kitchen"),
    ("Techniek", "workshop"),
    ("Groen", "workshop"),
    ("Zorg en welzijn", None),
    ("Sport", "gym"),
    ("Media", None),
]

TEACHER_LOAD = 20


def generate_school(n_students: int, seed: int = 0, locations: int = 2) -> Instance:
    """Return a generated school with about ``n_students`` students at 2 or 3 locations."""
    rng = random.Random(seed)
    places = _locations(locations)
    main, practice, sports = places[0].id, places[1].id, places[-1].id
    travel = {(main, practice): rng.choice([10, 15])}
    if locations >= 3:
        travel[(main, sports)] = rng.choice([10, 15])
        travel[(practice, sports)] = rng.choice([15, 20])

    students = [Student(f"ll{i:04d}", f"Leerling {i}") for i in range(n_students)]
    groups = _groups(students, rng)
    n_departments = max(1, round(len(groups) / 6))
    departments = [groups[d::n_departments] for d in range(n_departments)]

    rooms = [Room(f"lokaal-{g.id}", main, 16) for g in groups]
    n_workshops = max(2, math.ceil(len(groups) / 5))
    rooms += [
        Room(f"werkplaats-{i}", practice, 16, frozenset({"workshop"})) for i in range(n_workshops)
    ]
    rooms += [
        Room(f"keuken-{i}", practice, 16, frozenset({"kitchen"}))
        for i in range(max(1, n_workshops // 2))
    ]
    n_gyms = max(1, math.ceil(len(groups) / 10))
    rooms += [Room(f"gymzaal-{i}", sports, 30, frozenset({"gym"})) for i in range(n_gyms)]
    n_talk = max(1, math.ceil(n_students / 150))
    rooms += [Room(f"spreekkamer-{i}", main, 4, frozenset({"talk"})) for i in range(n_talk)]

    teachers: list[Teacher] = []
    pools: dict[str, _Pool] = {}

    def teacher_for(subject: str, periods: int) -> str:
        """Return a teacher of a subject with room for ``periods`` more periods."""
        pool = pools.setdefault(subject, _Pool(subject))
        return pool.take(periods, teachers, rng)

    lessons: list[Lesson] = []
    for group in groups:
        home = f"lokaal-{group.id}"
        for subject, per_week, duration, where in GROUP_PLAN:
            teacher = teacher_for(subject, per_week * duration)
            rooms_allowed: tuple[str, ...] | None = (home,) if where == "home" else None
            features = frozenset() if where == "home" else frozenset({where})
            lessons.append(
                Lesson(
                    f"{subject.lower().replace(' ', '')[:8]}-{group.id}",
                    f"{subject} {group.name}",
                    duration=duration,
                    per_week=per_week,
                    teachers=(teacher,),
                    groups=(group.id,),
                    rooms=rooms_allowed,
                    features=features,
                )
            )

    courses: list[Course] = []
    for d, department in enumerate(departments):
        members = [sid for g in department for sid in g.members]
        offered = rng.sample(ELECTIVES, k=min(len(ELECTIVES), 3 + len(department) // 3))
        choices: dict[str, list[str]] = {name: [] for name, _ in offered}
        for sid in members:
            choices[rng.choice(offered)[0]].append(sid)
        for name, feature in offered:
            chosen = choices[name]
            if not chosen:
                continue
            course_id = f"keuze-{d}-{name[:4].lower()}"
            courses.append(Course(course_id, f"{name} (afd. {d + 1})", tuple(chosen), 3))
            for k in range(math.ceil(len(chosen) / 12)):
                lessons.append(
                    Lesson(
                        f"{course_id}-{k + 1}",
                        f"{name} {k + 1} (afd. {d + 1})",
                        duration=2,
                        teachers=(teacher_for(name, 2),),
                        features=frozenset({feature}) if feature else frozenset(),
                        rooms=None if feature else tuple(f"lokaal-{g.id}" for g in department),
                        course=course_id,
                        capacity=14,
                    )
                )

    for student in students:
        if rng.random() < 0.15:
            coach = teacher_for("Begeleiding", 1)
            lessons.append(
                Lesson(
                    f"ind-{student.id}",
                    f"Begeleiding {student.name}",
                    teachers=(coach,),
                    students=(student.id,),
                    features=frozenset({"talk"}),
                )
            )

    return Instance(
        name=f"school-{n_students}-s{seed}",
        days=list(DAYS),
        periods=[Period(str(i + 1), a, b) for i, (a, b) in enumerate(PERIOD_TIMES)],
        locations=places,
        travel_minutes=travel,
        rooms=rooms,
        teachers=teachers,
        groups=groups,
        students=students,
        lessons=lessons,
        courses=courses,
        max_student_periods_per_day=6,
    )


class _Pool:
    """Teachers of one subject, filled up to a weekly load before a new one is hired."""

    def __init__(self, subject: str) -> None:
        """Start with no teachers."""
        self.subject = subject
        self.load: dict[str, int] = {}

    def take(self, periods: int, teachers: list[Teacher], rng: random.Random) -> str:
        """Return a teacher with spare load, hiring a part-timer when all are full."""
        for tid, load in self.load.items():
            if load + periods <= TEACHER_LOAD:
                self.load[tid] += periods
                return tid
        tid = f"{self.subject.lower().replace(' ', '')[:8]}{len(self.load) + 1}"
        free_day = rng.randrange(len(DAYS)) if rng.random() < 0.4 else None
        unavailable = (
            frozenset((free_day, p) for p in range(len(PERIOD_TIMES)))
            if free_day is not None
            else frozenset()
        )
        teachers.append(Teacher(tid, f"{self.subject} {len(self.load) + 1}", unavailable, 7))
        self.load[tid] = periods
        return tid


def _locations(count: int) -> list[Location]:
    """Return the main building, the practical building and, with 3, a sports hall."""
    places = [Location("hoofd", "Hoofdgebouw"), Location("praktijk", "Praktijkgebouw")]
    if count >= 3:
        places.append(Location("sport", "Sporthal"))
    return places


def _groups(students: list[Student], rng: random.Random) -> list[Group]:
    """Split students into groups of 8 to 14."""
    groups: list[Group] = []
    index = 0
    while index < len(students):
        size = min(rng.randint(8, 14), len(students) - index)
        members = tuple(s.id for s in students[index : index + size])
        number = len(groups) + 1
        groups.append(Group(f"g{number:02d}", f"Groep {number}", members))
        index += size
    return groups


def run_school_mode(args: argparse.Namespace) -> list[Row]:
    """Solve generated schools of each size and seed; print a row per run and medians.

    Every reported cost comes from the independent checker (:func:`solver.verify`), not from
    the CP model; a run counts as verified only when the checker found no hard violation.
    """
    rows: list[Row] = []
    columns = ["students", "seed", "lessons", "status", "verified", "first_s", "student_gaps"]
    columns += ["teacher_gaps", "location_changes", "objective"]
    for size in args.students:
        for seed in range(args.seeds):
            instance = generate_school(size, seed=seed, locations=args.locations)
            result = solve(
                instance,
                time_limit=args.time_limit,
                workers=args.workers,
                seed=seed,
                sections=args.sections,
                explain=False,
            )
            rows.append(_school_row(instance, result, size, seed))
            print_table(rows[-1:], columns)

    print(f"\nmedians over {args.seeds} seed(s), time limit {args.time_limit:g} s:")
    print_table([_school_median(rows, size) for size in args.students], columns)
    return rows


def _school_row(instance: Instance, result: Result, size: int, seed: int) -> Row:
    """Return the benchmark row of one solved school, with costs from the checker."""
    check = verify(instance, result) if result.has_timetable else None
    verified = check is not None and check.ok
    costs = check.costs if check is not None and verified else {}
    return {
        "mode": "school",
        "students": size,
        "seed": seed,
        "locations": len(instance.locations),
        "lessons": sum(lesson.per_week for lesson in instance.lessons),
        "status": result.status,
        "verified": verified,
        "first_s": result.timings.first_solution if verified else None,
        "best_s": result.timings.best_solution if verified else None,
        "total_s": result.timings.total,
        "student_gaps": costs.get("student_gaps"),
        "teacher_gaps": costs.get("teacher_gaps"),
        "location_changes": costs.get("location_changes"),
        "objective": check.objective if check is not None and verified else None,
        "violations": len(check.violations) if check is not None else None,
    }


def _school_median(rows: list[Row], size: int) -> Row:
    """Return the median row of all seeds of one school size."""
    runs = [row for row in rows if row["students"] == size]
    summary: Row = {"students": size, "seed": "med", "lessons": runs[0]["lessons"]}
    summary["status"] = "/".join(sorted({str(row["status"]) for row in runs}))
    summary["verified"] = f"{sum(1 for row in runs if row['verified'])}/{len(runs)}"
    for key in ("first_s", "student_gaps", "teacher_gaps", "location_changes", "objective"):
        summary[key] = median(_number(row[key]) for row in runs)
    return summary


def _number(value: object) -> float | None:
    """Return a numeric row value as a float (None stays None)."""
    return float(value) if isinstance(value, int | float) else None
