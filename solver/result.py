"""Result of a solver run: placements, section assignments, costs, status and timings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from solver.instance import Instance


@dataclass(frozen=True)
class Placement:
    """Where and when one occurrence of a lesson takes place."""

    lesson: str
    index: int
    day: int
    period: int
    duration: int
    room: str | None


@dataclass(frozen=True)
class Progress:
    """A progress report sent to the caller's callback whenever a better timetable is found."""

    elapsed: float
    objective: float
    bound: float
    solutions: int


ProgressCallback = Callable[[Progress], None]


@dataclass
class Timings:
    """Wall-clock seconds for the phases of a solve."""

    build: float = 0.0
    first_solution: float | None = None
    best_solution: float | None = None
    total: float = 0.0


@dataclass
class Result:
    """Outcome of :func:`solver.solve`.

    ``status`` is one of OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN or MODEL_INVALID. ``costs``
    holds the unweighted count per soft goal as the model saw it; ``objective`` is the
    weighted sum and ``bound`` the best proven lower bound. ``explanation`` lists, when no
    timetable exists, requirements that cannot all hold, in the requested language.
    """

    status: str
    placements: list[Placement] = field(default_factory=list)
    sections: dict[str, dict[str, str]] = field(default_factory=dict)
    costs: dict[str, int] = field(default_factory=dict)
    objective: float | None = None
    bound: float | None = None
    timings: Timings = field(default_factory=Timings)
    explanation: list[str] = field(default_factory=list)

    @property
    def has_timetable(self) -> bool:
        """Return whether the result contains a complete timetable."""
        return self.status in ("OPTIMAL", "FEASIBLE")

    def for_lesson(self, lesson_id: str) -> list[Placement]:
        """Return the placements of one lesson in chronological order."""
        return sorted(
            (p for p in self.placements if p.lesson == lesson_id), key=lambda p: (p.day, p.period)
        )

    def for_room(self, room_id: str) -> list[Placement]:
        """Return the placements in a room in chronological order."""
        return _chronological(p for p in self.placements if p.room == room_id)

    def for_teacher(self, instance: Instance, teacher_id: str) -> list[Placement]:
        """Return a teacher's timetable."""
        lessons = {x.id for x in instance.lessons if teacher_id in x.teachers}
        return _chronological(p for p in self.placements if p.lesson in lessons)

    def for_group(self, instance: Instance, group_id: str) -> list[Placement]:
        """Return a group's timetable (lessons of the whole group)."""
        lessons = {x.id for x in instance.lessons if group_id in x.groups}
        return _chronological(p for p in self.placements if p.lesson in lessons)

    def for_student(self, instance: Instance, student_id: str) -> list[Placement]:
        """Return a student's timetable, including the assigned sections."""
        lessons = {x.id for x in instance.lessons if student_id in instance.fixed_students(x)}
        lessons.update(self.sections.get(student_id, {}).values())
        return _chronological(p for p in self.placements if p.lesson in lessons)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable summary of the result."""
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "costs": dict(self.costs),
            "timings": {
                "build": self.timings.build,
                "first_solution": self.timings.first_solution,
                "best_solution": self.timings.best_solution,
                "total": self.timings.total,
            },
            "placements": [
                {
                    "lesson": p.lesson,
                    "index": p.index,
                    "day": p.day,
                    "period": p.period,
                    "duration": p.duration,
                    "room": p.room,
                }
                for p in self.placements
            ],
            "sections": self.sections,
            "explanation": list(self.explanation),
        }


def _chronological(placements: Any) -> list[Placement]:
    """Return placements sorted by day and period."""
    return sorted(placements, key=lambda p: (p.day, p.period, p.lesson, p.index))
