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

from solver.fet.reader import ActivityLink, EarlyStart, FetFile, MaxGaps, MinDays, PersonLimit
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
    for limit in fet.person_limits:
        _check_person_limit(fet, limit, busy, check)
    for link in fet.links:
        _check_link(fet, link, start, busy, check)
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


def _check_person_limit(
    fet: FetFile, rule: PersonLimit, busy: dict[tuple[str, str], set[Slot]], check: RuleCheck
) -> None:
    """Check days per week, hours per day and hours in a row of each person."""
    n_days, n_hours = fet.instance.n_days, fet.instance.n_periods
    for ident in rule.members:
        taken = busy.get((rule.kind, ident), set())
        hours = [sorted(h for d, h in taken if d == day) for day in range(n_days)]
        days = sum(1 for day_hours in hours if day_hours)
        who = f"{rule.kind} {ident}"
        if rule.limit == "max_days" and days > rule.value:
            check.violations.append(f"{who} works {days} days, max {rule.value}")
        elif rule.limit == "min_days" and days < rule.value:
            check.violations.append(f"{who} works {days} days, min {rule.value}")
        elif rule.limit == "min_hours":
            for day, day_hours in enumerate(hours):
                if (day_hours or not rule.allow_empty) and len(day_hours) < rule.value:
                    check.violations.append(f"{who} has {len(day_hours)} hours on day {day}")
        elif rule.limit == "max_continuous":
            for day in range(n_days):
                run = 0
                for hour in range(n_hours):
                    run = run + 1 if (day, hour) in taken else 0
                    if run == rule.value + 1:
                        check.violations.append(f"{who} has {run} hours in a row on day {day}")


def _first_teaching_hour(fet: FetFile, day: int, hour: int) -> int:
    """Return the first hour from ``hour`` on that is not a break."""
    while (day, hour) in fet.breaks:
        hour += 1
    return hour


def _check_link(
    fet: FetFile,
    rule: ActivityLink,
    start: dict[str, Slot],
    busy: dict[tuple[str, str], set[Slot]],
    check: RuleCheck,
) -> None:
    """Check one rule that ties activities together."""
    ids = [i for i in rule.activities if i in start]
    names = ", ".join(ids)
    if rule.link == "not_overlapping":
        seen: set[Slot] = set()
        for ident in ids:
            day, hour = start[ident]
            covered = {(day, hour + k) for k in range(fet.activities[ident].duration)}
            if covered & seen:
                check.violations.append(f"activities {names} overlap")
                return
            seen |= covered
    elif rule.link in ("same_day", "same_hour"):
        index = 0 if rule.link == "same_day" else 1
        if len({start[i][index] for i in ids}) > 1:
            check.violations.append(f"activities {names} break their {rule.link} rule")
    elif rule.link in ("consecutive", "grouped"):
        if len(ids) < 2:
            return
        first, second = ids
        if not _right_after(fet, first, second, start) and not (
            rule.link == "grouped" and _right_after(fet, second, first, start)
        ):
            check.violations.append(f"activities {first} and {second} are not {rule.link}")
    else:
        ident = ids[0]
        day, hour = start[ident]
        end = hour + fet.activities[ident].duration
        for subgroup in fet.activities[ident].subgroups:
            if any(d == day and h >= end for d, h in busy.get(("students", subgroup), set())):
                check.violations.append(f"students {subgroup} have lessons after activity {ident}")


def _right_after(fet: FetFile, first: str, second: str, start: dict[str, Slot]) -> bool:
    """Return whether ``second`` starts right after ``first`` ends (breaks may lie between)."""
    day, hour = start[first]
    end = hour + fet.activities[first].duration
    return start[second] == (day, _first_teaching_hour(fet, day, end))
