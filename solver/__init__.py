"""Timetabling solver for Presentis, built on OR-Tools CP-SAT (no Django dependency)."""

from solver.instance import (
    Course,
    Group,
    Instance,
    InstanceError,
    Lesson,
    Location,
    Period,
    Pin,
    Room,
    Slot,
    Student,
    Teacher,
    Weights,
)
from solver.result import Placement, Progress, Result, Timings
from solver.solve import solve
from solver.verify import Verification, verify

__all__ = [
    "Course",
    "Group",
    "Instance",
    "InstanceError",
    "Lesson",
    "Location",
    "Period",
    "Pin",
    "Placement",
    "Progress",
    "Result",
    "Room",
    "Slot",
    "Student",
    "Teacher",
    "Timings",
    "Verification",
    "Weights",
    "solve",
    "verify",
]
