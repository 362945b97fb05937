"""Add FET's rules that the core instance cannot express to a built CP model.

Design note: the core :class:`~solver.cpmodel.TimetableModel` gives every occurrence one
Boolean per start slot, and ``cover`` tells which of them make it occupy a slot. Everything
here is written over those Booleans only, so the core model stays unaware of FET. Subgroups
with the same activities and the same unavailable hours behave identically, so gap and
early-start rules are posted once per such class of subgroups rather than per subgroup.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from ortools.sat.python import cp_model

from solver.cpmodel import Occurrence, TimetableModel
from solver.fet.reader import (
    ActivityLink,
    EarlyStart,
    FetFile,
    MaxGaps,
    MinDays,
    PersonLimit,
    SameStart,
)
from solver.instance import Slot

Expr = cp_model.IntVar | cp_model.LinearExpr | int


class FetTimetableModel(TimetableModel):
    """The core model without the soft goals a FET file gives no weight.

    FET files switch most of the core's soft goals off; their idle-period and
    location-change counters would still make up over half of the variables of a large
    school, and slow both the build and the search.

    TODO: drop this subclass once :mod:`solver.cpmodel` skips goals whose weight is zero;
    it overrides two of its private steps, so it must follow renames there.
    """

    def _add_gap_costs(self) -> None:
        """Count idle periods only when a gap goal has weight."""
        weights = self.instance.weights
        if weights.student_gaps or weights.teacher_gaps:
            super()._add_gap_costs()

    def _add_location_change_costs(self) -> None:
        """Count location changes only when that goal has weight."""
        if self.instance.weights.location_changes:
            super()._add_location_change_costs()


class FetRules:
    """The FET-only rules of one file, posted on a timetable model.

    ``soft_terms`` holds the soft costs these rules add (too-close split activities); the
    caller adds them to the objective.
    """

    def __init__(self, fet: FetFile, timetable: TimetableModel) -> None:
        """Index the occurrences by activity and post every rule."""
        self.fet = fet
        self.timetable = timetable
        self.model = timetable.model
        self.instance = timetable.instance
        self.occurrence: dict[str, Occurrence] = {
            occ.lesson.id: occ for occ in timetable.occurrences
        }
        self.soft_terms: list[cp_model.IntVar] = []
        self._busy: dict[tuple[str, str, Slot], Expr] = {}
        self._occs_of: dict[tuple[str, str], list[Occurrence]] = defaultdict(list)
        for occ in timetable.occurrences:
            for tid in occ.lesson.teachers:
                self._occs_of[("teacher", tid)].append(occ)
            for sid in occ.lesson.students:
                self._occs_of[("students", sid)].append(occ)
        self._subgroup_class = self._classes_of_subgroups()

        for rule in fet.same_start:
            self._add_same_start(rule)
        for min_days in fet.min_days:
            self._add_min_days(min_days)
        for gaps in fet.max_gaps:
            self._add_max_gaps(gaps)
        for early in fet.early:
            self._add_early(early)
        for limit in fet.person_limits:
            self._add_person_limit(limit)
        for link in fet.links:
            self._add_link(link)

    # -------------------------------------------------------------- activities

    def _day(self, occ: Occurrence, day: int) -> Expr:
        """Return 1 when the occurrence starts on ``day``, else 0."""
        return sum(var for (d, _), var in occ.starts.items() if d == day)

    def _add_same_start(self, rule: SameStart) -> None:
        """Give every listed activity the start Boolean values of the first one."""
        first = self.occurrence[rule.activities[0]]
        for ident in rule.activities[1:]:
            other = self.occurrence[ident]
            for slot in set(first.starts) | set(other.starts):
                self.model.add(first.starts.get(slot, 0) == other.starts.get(slot, 0))

    def _add_min_days(self, rule: MinDays) -> None:
        """Keep activities ``min_days`` apart; when soft, charge each too-close pair."""
        occs = [self.occurrence[i] for i in rule.activities]
        n_days = self.instance.n_days
        if rule.hard:
            # Pairwise distance >= m  <=>  every window of m consecutive days holds one.
            for first in range(n_days):
                window = range(first, min(first + rule.min_days, n_days))
                self.model.add(sum(self._day(occ, d) for occ in occs for d in window) <= 1)
            return

        for a, b in combinations(occs, 2):
            close = self.model.new_bool_var(f"too_close[{a.name},{b.name}]")
            for day in range(n_days):
                near = range(max(0, day - rule.min_days + 1), min(n_days, day + rule.min_days))
                self.model.add(close >= self._day(a, day) + sum(self._day(b, d) for d in near) - 1)
            self.soft_terms.append(close)
            if rule.consecutive:
                self._same_day_adjacent(a, b)

    def _same_day_adjacent(self, a: Occurrence, b: Occurrence) -> None:
        """Require two occurrences that share a day to follow each other directly."""
        for (day, period), var in a.starts.items():
            apart = [
                other
                for (d, q), other in b.starts.items()
                if d == day and q != period + a.lesson.duration and q + b.lesson.duration != period
            ]
            if apart:
                self.model.add(var + sum(apart) <= 1)

    # ------------------------------------------------------------------ persons

    def _classes_of_subgroups(self) -> dict[str, str]:
        """Map each subgroup to the first subgroup with the same lessons and availability."""
        lessons_of: dict[str, set[str]] = defaultdict(set)
        for lesson in self.instance.lessons:
            for sid in lesson.students:
                lessons_of[sid].add(lesson.id)
        first_of: dict[object, str] = {}
        classes = {}
        for sid in sorted(self.fet.subgroup_off):
            key = (frozenset(lessons_of[sid]), self.fet.subgroup_off[sid])
            classes[sid] = first_of.setdefault(key, sid)
        return classes

    def _busy_row(self, kind: str, ident: str, day: int) -> list[Expr]:
        """Return, per period of a day, 1 when the teacher or subgroup class is busy."""
        return [self._busy_at(kind, ident, (day, p)) for p in range(self.instance.n_periods)]

    def _busy_at(self, kind: str, ident: str, slot: Slot) -> Expr:
        """Return a Boolean (or 0) for a teacher or subgroup being in a lesson at a slot."""
        key = (kind, ident, slot)
        if key not in self._busy:
            terms = [
                var
                for occ in self._occs_of[(kind, ident)]
                for var in self.timetable.cover(occ, slot)
            ]
            if not terms:
                self._busy[key] = 0
            elif len(terms) == 1:
                self._busy[key] = terms[0]
            else:
                # The core clash rule keeps the sum at most one, so it is itself a Boolean.
                var = self.model.new_bool_var(f"fet_busy[{kind}:{ident}@d{slot[0]}p{slot[1]}]")
                self.model.add(var == sum(terms))
                self._busy[key] = var
        return self._busy[key]

    def _people(self, kind: str, members: tuple[str, ...]) -> list[str]:
        """Return the teachers, or the distinct subgroup classes, a rule covers."""
        if kind == "teacher":
            return list(members)
        return sorted({self._subgroup_class[s] for s in members})

    def _countable(self, kind: str, ident: str, day: int) -> list[int]:
        """Return the periods of a day that count for gaps: not a break, not unavailable."""
        off = self.fet.teacher_off if kind == "teacher" else self.fet.subgroup_off
        unavailable = off.get(ident, frozenset())
        return [
            p
            for p in range(self.instance.n_periods)
            if (day, p) not in self.fet.breaks and (day, p) not in unavailable
        ]

    def _add_max_gaps(self, rule: MaxGaps) -> None:
        """Limit idle periods between a person's first and last lesson of a day (or week)."""
        kind = "teacher" if rule.kind == "teacher" else "students"
        for ident in self._people(kind, rule.members):
            week: list[Expr] = []
            for day in range(self.instance.n_days):
                row = self._busy_row(kind, ident, day)
                busy = [row[p] for p in self._countable(kind, ident, day)]
                idle = self._idle(busy, f"{kind}:{ident}@d{day}", rule.max_gaps == 0)
                if rule.per_day and idle:
                    self.model.add(sum(idle) <= rule.max_gaps)
                week.extend(idle)
            if not rule.per_day and week:
                self.model.add(sum(week) <= rule.max_gaps)

    def _idle(self, busy: list[Expr], name: str, forbid: bool) -> list[Expr]:
        """Return idle-period indicators of one day; with ``forbid``, rule idle periods out.

        ``before[i]`` is forced to 1 once a lesson happened earlier in the day and
        ``after[i]`` while one is still to come; a free period with both is idle.
        """
        active = [i for i, b in enumerate(busy) if not isinstance(b, int)]
        if len(active) < 2:
            return []
        lo, hi = active[0], active[-1]
        before: dict[int, cp_model.IntVar] = {}
        after: dict[int, cp_model.IntVar] = {}
        for i in range(lo + 1, hi):
            before[i] = self.model.new_bool_var(f"fet_before[{name}#{i}]")
            self.model.add(before[i] >= busy[i - 1])
            if i - 1 in before:
                self.model.add(before[i] >= before[i - 1])
        for i in range(hi - 1, lo, -1):
            after[i] = self.model.new_bool_var(f"fet_after[{name}#{i}]")
            self.model.add(after[i] >= busy[i + 1])
            if i + 1 in after:
                self.model.add(after[i] >= after[i + 1])

        idle: list[Expr] = []
        for i in range(lo + 1, hi):
            if forbid:
                self.model.add(busy[i] >= before[i] + after[i] - 1)
                continue
            gap = self.model.new_bool_var(f"fet_idle[{name}#{i}]")
            self.model.add(gap >= before[i] + after[i] - 1 - busy[i])
            idle.append(gap)
        return idle

    def _add_early(self, rule: EarlyStart) -> None:
        """Start at the first countable hour; the second is allowed N days a week."""
        for ident in self._people("students", rule.subgroups):
            late_days: list[cp_model.IntVar] = []
            for day in range(self.instance.n_days):
                row = self._busy_row("students", ident, day)
                busy = [row[p] for p in self._countable("students", ident, day)]
                if len(busy) < 2:
                    continue
                first, second, rest = busy[0], busy[1], busy[2:]
                for later in rest:
                    if not isinstance(later, int):
                        self.model.add(later <= first + second)
                if rule.max_second_hour >= self.instance.n_days:
                    continue
                late = self.model.new_bool_var(f"fet_late[{ident}@d{day}]")
                for later in busy[1:]:
                    if not isinstance(later, int):
                        self.model.add(late >= later - first)
                late_days.append(late)
            if late_days:
                self.model.add(sum(late_days) <= rule.max_second_hour)

    def _add_person_limit(self, rule: PersonLimit) -> None:
        """Bound days per week, hours per working day, or hours in a row."""
        n_days, n_periods = self.instance.n_days, self.instance.n_periods
        for ident in self._people(rule.kind, rule.members):
            rows = [self._busy_row(rule.kind, ident, day) for day in range(n_days)]
            if rule.limit == "max_continuous":
                for row in rows:
                    for first in range(n_periods - rule.value):
                        window = row[first : first + rule.value + 1]
                        if sum(1 for b in window if not isinstance(b, int)) > rule.value:
                            self.model.add(sum(window) <= rule.value)
                continue

            worked = [
                self._worked(row, f"{rule.kind}:{ident}@d{day}") for day, row in enumerate(rows)
            ]
            if rule.limit == "max_days":
                self.model.add(sum(worked) <= rule.value)
            elif rule.limit == "min_days":
                for row, day_worked in zip(rows, worked, strict=True):
                    self.model.add(day_worked <= sum(row))
                self.model.add(sum(worked) >= rule.value)
            elif rule.allow_empty:
                for row, day_worked in zip(rows, worked, strict=True):
                    self.model.add(sum(row) >= rule.value * day_worked)
            else:
                for row in rows:
                    self.model.add(sum(row) >= rule.value)

    def _worked(self, row: list[Expr], name: str) -> Expr:
        """Return a Boolean forced to 1 when any period of the day is busy."""
        terms = [b for b in row if not isinstance(b, int)]
        if not terms:
            return 0
        var = self.model.new_bool_var(f"fet_works[{name}]")
        for term in terms:
            self.model.add(var >= term)
        return var

    def _add_link(self, rule: ActivityLink) -> None:
        """Tie activities together in time."""
        occs = [self.occurrence[i] for i in rule.activities]
        if rule.link == "not_overlapping":
            for slot in self.instance.slots():
                cover = [v for occ in occs for v in self.timetable.cover(occ, slot)]
                if len(cover) > 1:
                    self.model.add(sum(cover) <= 1)
        elif rule.link in ("same_day", "same_hour"):
            index = 0 if rule.link == "same_day" else 1
            size = self.instance.n_days if index == 0 else self.instance.n_periods
            for other in occs[1:]:
                for value in range(size):
                    first = sum(v for s, v in occs[0].starts.items() if s[index] == value)
                    this = sum(v for s, v in other.starts.items() if s[index] == value)
                    self.model.add(first == this)
        elif rule.link == "consecutive":
            self._follows(occs[0], occs[1], either_order=False)
        elif rule.link == "grouped":
            self._follows(occs[0], occs[1], either_order=True)
        else:
            self._ends_day(occs[0])

    def _next_hour(self, day: int, hour: int) -> int:
        """Return the first hour at or after ``hour`` that is not a break."""
        while (day, hour) in self.fet.breaks:
            hour += 1
        return hour

    def _follows(self, a: Occurrence, b: Occurrence, either_order: bool) -> None:
        """Make ``b`` start right after ``a`` ends (or, with either order, the reverse too)."""
        b_after = defaultdict(list)
        for (day, hour), var in b.starts.items():
            b_after[(day, self._next_hour(day, hour + b.lesson.duration))].append(var)
        for (day, hour), var in a.starts.items():
            options: list[Expr] = []
            nxt = b.starts.get((day, self._next_hour(day, hour + a.lesson.duration)))
            if nxt is not None:
                options.append(nxt)
            if either_order:
                options.extend(b_after[(day, hour)])
            self.model.add(var <= sum(options))

    def _ends_day(self, occ: Occurrence) -> None:
        """Keep the activity's subgroups free for the rest of the day after it."""
        for ident in self._people("students", tuple(occ.lesson.students)):
            for (day, hour), var in occ.starts.items():
                for later in range(hour + occ.lesson.duration, self.instance.n_periods):
                    busy = self._busy_at("students", ident, (day, later))
                    if not isinstance(busy, int):
                        self.model.add(var + busy <= 1)
