"""Recheck FET's own rules from a finished timetable.

Design note: like :mod:`solver.verify`, this module shares no code with the CP model. It
reads only the placements and the rules the reader produced, builds plain "who is busy
when" tables, and counts violations directly. :mod:`solver.verify` covers everything the
core instance expresses; together they decide whether a FET timetable is valid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from solver.fet.reader import EarlyStart, FetFile, MaxGaps, MinDays
from solver.instance import Slot
from solver.result import Result


@dataclass
class RuleCheck:
    """Violated FET rules and the soft cost of the FET rules that are goals."""

    violations: list[str] = field(default_factory=list)
    soft_min_days: int = 0


def check_rules(fet: FetFile, result: Result) -> RuleCheck:
    """Check minimum days, same starts, gaps and early starts of a timetable."""
    start: dict[str, Slot] = {p.lesson: (p.day, p.period) for p in result.placements}
    busy: dict[tuple[str, str], set[Slot]] = defaultdict(set)
    for placement in result.placements:
        activity = fet.activities[placement.lesson]
        covered = {(placement.day, placement.period + k) for k in range(placement.duration)}
        for teacher in activity.teachers:
            busy[("teacher", teacher)] |= covered
        for subgroup in activity.subgroups:
            busy[("students", subgroup)] |= covered

    check = RuleCheck()
    for rule in fet.same_start:
        if len({start.get(a) for a in rule.activities}) > 1:
            check.violations.append(f"activities {', '.join(rule.activities)} start apart")
    for min_days in fet.min_days:
        _check_min_days(fet, min_days, start, check)
    for gaps in fet.max_gaps:
        _check_gaps(fet, gaps, busy, check)
    for early in fet.early:
        _check_early(fet, early, busy, check)
    return check


def _check_min_days(fet: FetFile, rule: MinDays, start: dict[str, Slot], check: RuleCheck) -> None:
    """Count pairs closer than the minimum; when soft, same-day pairs must be adjacent."""
    for a, b in combinations(rule.activities, 2):
        if a not in start or b not in start:
            continue
        (day_a, hour_a), (day_b, hour_b) = start[a], start[b]
        if abs(day_a - day_b) >= rule.min_days:
            continue
        if rule.hard:
            check.violations.append(
                f"activities {a} and {b} are less than {rule.min_days} days apart"
            )
            continue
        check.soft_min_days += 1
        end_a = hour_a + fet.activities[a].duration
        end_b = hour_b + fet.activities[b].duration
        if rule.consecutive and day_a == day_b and hour_b != end_a and hour_a != end_b:
            check.violations.append(f"activities {a} and {b} share a day but are not consecutive")


def _counted_hours(fet: FetFile, kind: str, ident: str, day: int, n_hours: int) -> list[int]:
    """Return the hours of a day that are neither a break nor unavailable to the person."""
    off = (fet.teacher_off if kind == "teacher" else fet.subgroup_off).get(ident, frozenset())
    return [h for h in range(n_hours) if (day, h) not in fet.breaks and (day, h) not in off]


def _check_gaps(
    fet: FetFile, rule: MaxGaps, busy: dict[tuple[str, str], set[Slot]], check: RuleCheck
) -> None:
    """Count idle counted hours between the first and last lesson of each day."""
    kind = "teacher" if rule.kind == "teacher" else "students"
    instance = fet.instance
    for ident in rule.members:
        taken = busy.get((kind, ident), set())
        week = 0
        for day in range(instance.n_days):
            hours = _counted_hours(fet, kind, ident, day, instance.n_periods)
            used = [i for i, h in enumerate(hours) if (day, h) in taken]
            gaps = used[-1] - used[0] + 1 - len(used) if used else 0
            if rule.per_day and gaps > rule.max_gaps:
                check.violations.append(f"{kind} {ident} has {gaps} gaps on day {day}")
            week += gaps
        if not rule.per_day and week > rule.max_gaps:
            check.violations.append(f"{kind} {ident} has {week} gaps in the week")


def _check_early(
    fet: FetFile, rule: EarlyStart, busy: dict[tuple[str, str], set[Slot]], check: RuleCheck
) -> None:
    """Check that days with lessons start at the first or (limited) second counted hour."""
    instance = fet.instance
    for ident in rule.subgroups:
        taken = busy.get(("students", ident), set())
        second = 0
        for day in range(instance.n_days):
            hours = _counted_hours(fet, "students", ident, day, instance.n_periods)
            used = [i for i, h in enumerate(hours) if (day, h) in taken]
            if not used or used[0] == 0:
                continue
            if used[0] >= 2:
                check.violations.append(
                    f"students {ident} start after the second hour on day {day}"
                )
            second += 1
        if second > rule.max_second_hour:
            check.violations.append(f"students {ident} start {second} days at the second hour")
