"""A first timetable for FET files by repair, tried before the CP model is built.

Design note: FET itself places activities one at a time and, when one does not fit, moves
the ones in its way. This placer works in that spirit, as an iterative forward search: it
takes the hardest activity still unplaced, looks at every start the activity allows, and
puts it at the earliest start that displaces nothing, else where it displaces the fewest
others (ties broken at random); displaced activities go back into the queue. A unit
that displaced another may not be displaced by it for a short while, so two activities do
not keep swapping places. Building the CP model alone takes longer than this on most real
files.

The placer checks the rules a single placement can break: clashes of teachers, subgroups
and rooms, availability, allowed starts, daily maxima, days per week, minimum days between
activities (and "consecutive if on the same day"), same starting times and non-overlap.
Gaps and early starts it judges by what the hours still to place could mend: beyond what
the rules allow, a person's board may hold only as many idle hours (and late beginnings)
as the person's unplaced hours could fill; a placement that leaves more displaces lessons
of that person until it does not. On a full board that leaves nothing to fill.

Whatever it produces is judged by the two independent checkers like any other timetable;
:func:`rules_beyond_placer` tells the caller whether a file has hard rules beyond these, in
which case a complete timetable may still fail them.
"""

from __future__ import annotations

import heapq
import math
import random
import time
from collections import defaultdict
from collections.abc import Set
from dataclasses import dataclass

from solver.fet.reader import FetFile
from solver.instance import Lesson
from solver.result import Placement, Result

# The tabu tenure (in placements) during which a displaced unit may not displace its
# displacer; how much a displacement raises a unit's priority in the queue ("squeaky
# wheel") and the price of displacing it again; and the weight of the random tie-break.
# Measured on 34 FET files at 3 s, 3 seeds: random starts now and then (2% of steps) cost
# a fifth of the files solved; ejection chains (moving the displaced units at once, up
# to three deep) solved fewer, since each step got ten times dearer.
_TENURE = 12
_BUMP = 4
_REPEAT_PRICE = 1.0
_TIE = 0.2
# Steps per unit without fewer units unplaced before the board starts afresh. Nine files
# at 5 s, seeds 0-2: 18 of 27 runs complete at 100, 21 at 20, 20 at 5; a stuck run seldom
# recovers, so waiting long only spends the time a fresh order would use better.
_PATIENCE = 20


def rules_beyond_placer(fet: FetFile) -> bool:
    """Return True when the file has hard rules the placer does not look at."""
    if any(fet.instance.travel_minutes.values()):
        return True
    if any(limit.limit not in ("max_days", "min_hours") for limit in fet.person_limits):
        return True
    return any(link.link != "not_overlapping" for link in fet.links)


def _starts_touching(cells: Set[int], duration: int) -> set[int]:
    """Return the starts at which a lesson of ``duration`` would cover one of ``cells``."""
    return {cell - k for cell in cells for k in range(duration)}


@dataclass(frozen=True)
class _MinDays:
    """A minimum-days rule as one activity sees it: the others, the distance, the kind.

    Only hard rules and soft ones with "consecutive if same day" are kept: a soft rule
    binds the placer only through that clause.
    """

    others: tuple[str, ...]
    min_days: int
    hard: bool


# How a person's day looks: idle counted hours between lessons, free counted hours before
# the first lesson, and hours of lessons.
_Shape = tuple[int, int, int]


@dataclass
class _Compact:
    """One person's rules on the shape of days, with the hours they count.

    ``weekly`` and ``daily`` are the idle hours allowed per week and per day, ``early`` the
    days that may begin at the second counted hour (None where no rule applies);
    ``min_hours`` holds (hours, on every day rather than only days with lessons) pairs;
    ``counted`` holds per day the cells that are neither a break nor unavailable, in order.
    """

    weekly: int | None
    daily: int | None
    early: int | None
    min_hours: list[tuple[int, bool]]
    counted: list[list[int]]
    hours: int
    placed: int = 0

    def need(self, days: list[_Shape]) -> int:
        """Return the fewest hours still to place that could mend these days.

        A late day is mended by one lesson at its first (or, a few times, second) hour;
        under a gap rule too, the hours before it then count as idle, bar one for each day
        that may begin at the second hour. A short day needs the hours it lacks.
        """
        need, gaps, beyond = 0, [g for g, _, _ in days], 0
        for least, every_day in self.min_hours:
            short = sum(max(0, least - h) for _, _, h in days if h or every_day)
            need = max(need, short)
        if self.early is not None:
            late = [lead for _, lead, _ in days if lead]
            later = sum(1 for lead in late if lead > 1)
            need = max(need, later + max(0, len(late) - later - self.early))
            gaps = [g + max(0, lead - 1) for g, lead, _ in days]
            beyond = max(0, len(late) - self.early)
        if self.weekly is not None:
            need = max(need, sum(gaps) + beyond - self.weekly)
        if self.daily is not None:
            need = max(need, sum(max(0, g - self.daily) for g in gaps))
        return need


_NO_CELLS = range(0)
_NO_UNITS: frozenset[int] = frozenset()


def _day_shape(cells: list[int], row: list[int], gone: Set[int], new: range) -> _Shape:
    """Return the shape of a day whose counted cells are ``cells``.

    A cell is taken when its owner is not in ``gone``, or when it lies in ``new``.
    """
    used = [i for i, c in enumerate(cells) if (row[c] >= 0 and row[c] not in gone) or c in new]
    if not used:
        return 0, 0, 0
    return used[-1] - used[0] + 1 - len(used), used[0], len(used)


def _shape_limits(
    fet: FetFile, person_index: dict[tuple[str, str], int]
) -> tuple[dict[int, dict[str, int]], dict[int, list[tuple[int, bool]]]]:
    """Return per person the strictest gap and early-start limits, and the minimum hours.

    The limits are keyed "weekly", "daily" and "early"; every person with any rule on the
    shape of days has an entry in the first mapping, if only an empty one.
    """
    limits: dict[int, dict[str, int]] = defaultdict(dict)
    short: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for day_limit in fet.person_limits:
        if day_limit.limit == "min_hours":
            for member in day_limit.members:
                person = person_index.get((day_limit.kind, member))
                if person is not None:
                    short[person].append((day_limit.value, not day_limit.allow_empty))
                    limits.setdefault(person, {})
    for gaps in fet.max_gaps:
        key = "daily" if gaps.per_day else "weekly"
        for member in gaps.members:
            person = person_index.get((gaps.kind, member))
            if person is not None:
                limits[person][key] = min(limits[person].get(key, gaps.max_gaps), gaps.max_gaps)
    for early in fet.early:
        for member in early.subgroups:
            person = person_index.get(("students", member))
            if person is not None:
                value = early.max_second_hour
                limits[person]["early"] = min(limits[person].get("early", value), value)
    return limits, short


class _Placer:
    """The board, the queue and the moves of one repair run.

    Cells are numbered ``day * periods + period``; people and rooms are numbered too, and
    ``owner`` holds for each of them the unit occupying each cell (-1 when free).
    """

    def __init__(self, fet: FetFile, seed: int) -> None:
        """Number people, rooms and cells, and gather each activity's rules."""
        instance = fet.instance
        self.fet = fet
        self.rng = random.Random(seed)
        self.periods = instance.n_periods
        self.lessons: dict[str, Lesson] = instance.lesson_by_id()
        cells = instance.n_days * self.periods

        person_index: dict[tuple[str, str], int] = {}
        self.unavailable: list[frozenset[int]] = []
        self.daily_max: list[int | None] = []
        for teacher in instance.teachers:
            person_index[("teacher", teacher.id)] = len(self.unavailable)
            self.unavailable.append(self._cells(teacher.unavailable))
            self.daily_max.append(teacher.max_periods_per_day)
        for student in instance.students:
            person_index[("students", student.id)] = len(self.unavailable)
            self.unavailable.append(self._cells(student.unavailable))
            self.daily_max.append(instance.student_max_per_day(student))
        self.max_days: list[int | None] = [None] * len(self.unavailable)
        for limit in fet.person_limits:
            if limit.limit == "max_days":
                for member in limit.members:
                    index = person_index.get((limit.kind, member))
                    if index is not None:
                        self.max_days[index] = limit.value
        self.person_owner = [[-1] * cells for _ in self.unavailable]
        self.day_load = [[0] * instance.n_days for _ in self.unavailable]

        room_index = {room.id: i for i, room in enumerate(instance.rooms)}
        self.room_ids = [room.id for room in instance.rooms]
        self.room_off = [self._cells(room.unavailable) for room in instance.rooms]
        self.room_owner = [[-1] * cells for _ in instance.rooms]

        self.people: dict[str, tuple[int, ...]] = {}
        self.rooms: dict[str, tuple[int, ...] | None] = {}
        for ident, lesson in self.lessons.items():
            self.people[ident] = tuple(
                person_index[("teacher", t)] for t in lesson.teachers
            ) + tuple(person_index[("students", s)] for s in lesson.students)
            self.rooms[ident] = (
                tuple(room_index[r] for r in lesson.rooms or ()) if lesson.needs_room else None
            )

        self._gather_rules(fet)
        self._gather_units(fet)
        self._gather_compact(fet, person_index)

    def _cells(self, slots: frozenset[tuple[int, int]]) -> frozenset[int]:
        """Return slots as cell numbers."""
        return frozenset(day * self.periods + period for day, period in slots)

    def _gather_rules(self, fet: FetFile) -> None:
        """Index minimum-days and non-overlap rules by activity."""
        self.min_days: dict[str, list[_MinDays]] = defaultdict(list)
        for rule in fet.min_days:
            if rule.hard or rule.consecutive:
                for ident in rule.activities:
                    others = tuple(a for a in rule.activities if a != ident)
                    self.min_days[ident].append(_MinDays(others, rule.min_days, rule.hard))
        self.apart: dict[str, set[str]] = defaultdict(set)
        for link in fet.links:
            if link.link == "not_overlapping":
                for ident in link.activities:
                    self.apart[ident].update(a for a in link.activities if a != ident)

    def _gather_compact(self, fet: FetFile, person_index: dict[tuple[str, str], int]) -> None:
        """Gather each person's rules on the shape of days, and the hours they count."""
        limits, short = _shape_limits(fet, person_index)
        hours: dict[int, int] = defaultdict(int)
        for unit_hours in self.unit_hours:
            for person, h in unit_hours.items():
                hours[person] += h
        breaks = self._cells(fet.breaks)
        days = fet.instance.n_days
        self.compact: dict[int, _Compact] = {}
        for person, limit in limits.items():
            off = breaks | self.unavailable[person]
            counted = [
                [c for c in range(d * self.periods, (d + 1) * self.periods) if c not in off]
                for d in range(days)
            ]
            self.compact[person] = _Compact(
                limit.get("weekly"),
                limit.get("daily"),
                limit.get("early"),
                short[person],
                counted,
                hours[person],
            )
        self.shapes: dict[int, list[_Shape]] = {p: [(0, 0, 0)] * days for p in self.compact}
        self.needs = {p: rule.need(self.shapes[p]) for p, rule in self.compact.items()}
        self.day_change = {
            p: max([self.periods + 1, *(least for least, _ in rule.min_hours)])
            for p, rule in self.compact.items()
        }
        self.compacted = [
            [p for p in unit_hours if p in self.compact] for unit_hours in self.unit_hours
        ]
        # Per unit, its people whose days can be short: (person, hours, empty days count).
        # One hour a day on days with lessons is no rule at all.
        shortest = {
            p: max(rule.min_hours)
            for p, rule in self.compact.items()
            if any(least > 1 or every_day for least, every_day in rule.min_hours)
        }
        self.short_day_people = [
            [(p, *shortest[p]) for p in people if p in shortest] for people in self.compacted
        ]

    def _gather_units(self, fet: FetFile) -> None:
        """Join activities that start together into units, with their common starts."""
        unit_of: dict[str, tuple[str, ...]] = {a: (a,) for a in self.lessons}
        for rule in fet.same_start:
            members = tuple(sorted({m for a in rule.activities for m in unit_of[a]}))
            for member in members:
                unit_of[member] = members
        self.units: list[tuple[str, ...]] = sorted(set(unit_of.values()))
        self.unit_index = {a: i for i, unit in enumerate(self.units) for a in unit}
        self.starts: list[list[int]] = []
        self.difficulty: list[int] = []
        for unit in self.units:
            common = set.intersection(*(set(self.lessons[a].allowed_starts or ()) for a in unit))
            self.starts.append(sorted(self._cells(frozenset(common))))
            size = sum(self.lessons[a].duration * (len(self.people[a]) + 1) for a in unit)
            self.difficulty.append(size * 10 - len(common))
        self.start_of = [-1] * len(self.units)
        self.room_of: list[dict[str, int]] = [{} for _ in self.units]
        self.displaced = [0] * len(self.units)
        # Per unit, the units it may not displace and until which step.
        self.tabu: dict[int, dict[int, int]] = defaultdict(dict)
        self.restarts = 0
        self.patience = _PATIENCE * len(self.units)
        self.unplaced = len(self.units)
        self._index_units()

    def _index_units(self) -> None:
        """Precompute per unit what :meth:`conflicts` reads, and drop impossible starts."""
        self.rows: list[list[tuple[list[int], int]]] = []
        self.day_rules: list[list[tuple[int, int, int, int, bool]]] = []
        self.overlaps: list[list[tuple[int, int, int]]] = []
        self.limited: list[list[tuple[int, int]]] = []
        self.roomed: list[bool] = []
        self.unit_hours: list[dict[int, int]] = []
        for unit, members in enumerate(self.units):
            hours: dict[int, int] = defaultdict(int)
            rows = []
            for ident in members:
                duration = self.lessons[ident].duration
                for person in self.people[ident]:
                    rows.append((self.person_owner[person], duration))
                    hours[person] += duration
            self.rows.append(rows)
            self._index_rules(unit, members)
            self.limited.append(
                [
                    (person, h)
                    for person, h in hours.items()
                    if self.daily_max[person] is not None or self.max_days[person] is not None
                ]
            )
            self.roomed.append(any(self.rooms[a] is not None for a in members))
            self.unit_hours.append(dict(hours))
            self.starts[unit] = self._possible_starts(unit, hours)

    def _index_rules(self, unit: int, members: tuple[str, ...]) -> None:
        """List the unit's minimum-days and non-overlap partners in other units.

        Each entry holds the member's duration, the other unit and its activity's duration
        (and for minimum days the distance and whether the rule is hard): read at every
        start the placer weighs, so nothing is looked up by name there.
        """
        day_rules, overlaps = [], []
        for ident in members:
            duration = self.lessons[ident].duration
            for rule in self.min_days.get(ident, ()):
                for other in rule.others:
                    if self.unit_index[other] != unit:
                        entry = (duration, self.unit_index[other], self.lessons[other].duration)
                        day_rules.append((*entry, rule.min_days, rule.hard))
            for other in self.apart.get(ident, ()):
                if self.unit_index[other] != unit:
                    overlaps.append(
                        (duration, self.unit_index[other], self.lessons[other].duration)
                    )
        self.day_rules.append(day_rules)
        self.overlaps.append(overlaps)

    def _possible_starts(self, unit: int, hours: dict[int, int]) -> list[int]:
        """Return the unit's starts that break no rule a move could mend.

        One person in two activities that start together can never be placed; a start is
        ruled out where a person is unavailable or no candidate room is free during the
        lesson.
        """
        members = [(ident, person) for ident in self.units[unit] for person in self.people[ident]]
        if len(set(person for _, person in members)) < len(members):
            return []
        if any(
            self.daily_max[p] is not None and h > (self.daily_max[p] or 0) for p, h in hours.items()
        ):
            return []
        ruled_out: set[int] = set()
        for ident in self.units[unit]:
            duration = self.lessons[ident].duration
            for person in self.people[ident]:
                ruled_out |= _starts_touching(self.unavailable[person], duration)
            rooms = self.rooms[ident]
            if rooms == ():
                return []
            if rooms is not None:
                # Ruled out only where every candidate room is unavailable at some hour.
                ruled_out |= set.intersection(
                    *(_starts_touching(self.room_off[r], duration) for r in rooms)
                )
        return [start for start in self.starts[unit] if start not in ruled_out]

    # --- evaluating a start -------------------------------------------------------------

    def conflicts(
        self, unit: int, start: int, bound: float = float("inf")
    ) -> tuple[set[int], dict[str, int]] | None:
        """Return the units in the way of ``unit`` at ``start`` and the rooms it would take.

        None means the start is impossible whatever moves (no usable room, a limit on days
        that nothing can free), or that it would displace at least ``bound`` units. Starts
        that are impossible on their own (someone unavailable, a daily maximum the unit
        alone exceeds) were left out beforehand.
        """
        hit: set[int] = set()
        for row, duration in self.rows[unit]:
            for cell in range(start, start + duration):
                if row[cell] >= 0:
                    hit.add(row[cell])
        if self.day_rules[unit] or self.overlaps[unit]:
            self._rule_conflicts(unit, start, hit)
        day = start // self.periods
        for person, hours in self.limited[unit]:
            if not self._fit_day(person, unit, day, hours, hit):
                return None
        hit.discard(unit)
        if len(hit) >= bound:
            return None
        rooms: dict[str, int] = {}
        if self.roomed[unit]:
            chosen = self._choose_rooms(unit, start, hit)
            if chosen is None:
                return None
            rooms = chosen
        for person in self.compacted[unit]:
            if not self._fit_compact(person, unit, start, hit):
                return None
        return hit, rooms

    def _rule_conflicts(self, unit: int, start: int, hit: set[int]) -> None:
        """Add the units that minimum-days and non-overlap rules put in the way."""
        day = start // self.periods
        for duration, other, other_duration, min_days, hard in self.day_rules[unit]:
            other_start = self.start_of[other]
            if other_start < 0:
                continue
            other_day = other_start // self.periods
            if abs(other_day - day) >= min_days:
                continue
            # A soft rule may be broken, but then "consecutive if same day" must hold.
            adjacent = start == other_start + other_duration or other_start == start + duration
            if hard or (other_day == day and not adjacent):
                hit.add(other)
        for duration, other, other_duration in self.overlaps[unit]:
            other_start = self.start_of[other]
            if other_start < 0:
                continue
            if other_start < start + duration and start < other_start + other_duration:
                hit.add(other)

    def _fit_day(self, person: int, unit: int, day: int, hours: int, hit: set[int]) -> bool:
        """Add to ``hit`` what must go for ``person``'s daily and weekly limits to hold."""
        limit, max_days = self.daily_max[person], self.max_days[person]
        if limit is None and max_days is None:
            return True
        row, first = self.person_owner[person], day * self.periods
        if limit is not None:
            staying = [o for o in row[first : first + self.periods] if o >= 0 and o not in hit]
            while len(staying) + hours > limit:
                victim = min(sorted(set(staying)), key=lambda o: self.displaced[o])
                hit.add(victim)
                staying = [o for o in staying if o != victim]
        if max_days is not None:
            busy: dict[int, set[int]] = defaultdict(set)
            for cell, owner in enumerate(row):
                if owner >= 0 and owner not in hit and owner != unit:
                    busy[cell // self.periods].add(owner)
            if day not in busy and len(busy) >= max_days:
                if max_days == 0:
                    return False
                hit.update(busy[min(busy, key=lambda d: len(busy[d]))])
        return True

    def _fit_compact(self, person: int, unit: int, start: int, hit: set[int]) -> bool:
        """Add to ``hit`` what must go for ``person``'s idle hours to stay mendable.

        After the move, the idle hours and late beginnings beyond what the person's rules
        allow may not exceed the person's hours still unplaced. While they do, one of the
        person's lessons goes: one whose removal mends it if any, else the one that helps
        most; the shortest, then the least displaced before, on a tie (taking a long
        lesson away frees many hours but rarely the ones that close the gap).
        """
        rule, row = self.compact[person], self.person_owner[person]
        new_hours = self.unit_hours[unit][person]
        new, day = range(start, start + new_hours), start // self.periods
        mine = [h for h in hit if person in self.unit_hours[h]]
        left = rule.hours - rule.placed - new_hours + sum(self.unit_hours[h][person] for h in mine)
        # One day's change moves the need by at most a day of hours and one late start.
        if self.needs[person] + self.day_change[person] * (1 + len(mine)) <= left:
            return True
        shapes = list(self.shapes[person])
        for d in {day} | {self.start_of[h] // self.periods for h in mine}:
            shapes[d] = _day_shape(rule.counted[d], row, hit, new if d == day else _NO_CELLS)
        while rule.need(shapes) > left:
            best: tuple[tuple[int, int, int], int, list[_Shape]] | None = None
            for victim in sorted({o for o in row if o >= 0 and o not in hit}):
                d = self.start_of[victim] // self.periods
                trial = list(shapes)
                cells = new if d == day else _NO_CELLS
                trial[d] = _day_shape(rule.counted[d], row, hit | {victim}, cells)
                hours = self.unit_hours[victim][person]
                key = (max(0, rule.need(trial) - left - hours), hours, self.displaced[victim])
                if best is None or key < best[0]:
                    best = (key, victim, trial)
            if best is None:
                return False
            _, victim, shapes = best
            hit.add(victim)
            left += self.unit_hours[victim][person]
        return True

    def _reshape(self, unit: int) -> None:
        """Recount the idle hours of the unit's people with compactness rules, on its day."""
        day = self.start_of[unit] // self.periods
        for person in self.compacted[unit]:
            rule = self.compact[person]
            self.shapes[person][day] = _day_shape(
                rule.counted[day], self.person_owner[person], _NO_UNITS, _NO_CELLS
            )
            self.needs[person] = rule.need(self.shapes[person])

    def unmendable(self) -> list[int]:
        """Return, on a full board, one unit of each person whose gap rules do not hold."""
        victims = []
        for person, rule in self.compact.items():
            if self.needs[person] > rule.hours - rule.placed:
                owners = sorted({o for o in self.person_owner[person] if o >= 0})
                victims.append(self.rng.choice(owners))
        return sorted(set(victims))

    def _choose_rooms(self, unit: int, start: int, hit: set[int]) -> dict[str, int] | None:
        """Pick a room per activity that displaces the fewest more units; add those to hit."""
        chosen: dict[str, int] = {}
        for ident in self.units[unit]:
            rooms = self.rooms[ident]
            if rooms is None:
                continue
            cells = range(start, start + self.lessons[ident].duration)
            best: tuple[int, set[int]] | None = None
            for room in rooms:
                if room in chosen.values() or any(c in self.room_off[room] for c in cells):
                    continue
                row = self.room_owner[room]
                extra = {row[c] for c in cells} - hit - {-1, unit}
                if best is None or len(extra) < len(best[1]):
                    best = (room, extra)
                    if not extra:
                        break
            if best is None:
                return None
            chosen[ident] = best[0]
            hit.update(best[1])
        return chosen

    # --- moves --------------------------------------------------------------------------

    def place(self, unit: int, start: int, rooms: dict[str, int]) -> None:
        """Put a unit on the board."""
        self.unplaced -= 1
        self.start_of[unit] = start
        self.room_of[unit] = rooms
        for ident in self.units[unit]:
            cells = range(start, start + self.lessons[ident].duration)
            for person in self.people[ident]:
                self.day_load[person][start // self.periods] += len(cells)
                for cell in cells:
                    self.person_owner[person][cell] = unit
            if ident in rooms:
                for cell in cells:
                    self.room_owner[rooms[ident]][cell] = unit
        for person in self.compacted[unit]:
            self.compact[person].placed += self.unit_hours[unit][person]
        self._reshape(unit)

    def remove(self, unit: int) -> None:
        """Take a unit off the board."""
        self.unplaced += 1
        start = self.start_of[unit]
        for ident in self.units[unit]:
            cells = range(start, start + self.lessons[ident].duration)
            for person in self.people[ident]:
                self.day_load[person][start // self.periods] -= len(cells)
                for cell in cells:
                    self.person_owner[person][cell] = -1
            room = self.room_of[unit].get(ident)
            if room is not None:
                for cell in cells:
                    self.room_owner[room][cell] = -1
        for person in self.compacted[unit]:
            self.compact[person].placed -= self.unit_hours[unit][person]
        self._reshape(unit)
        self.start_of[unit] = -1
        self.room_of[unit] = {}

    def choose(self, unit: int, step: int) -> tuple[int, set[int], dict[str, int]] | None:
        """Return the start to take: the earliest free one if any, else the least disruptive.

        Free starts on the short days of people with a minimum of hours a day come before
        earlier ones (see :meth:`_day_rank`). A displacement costs more for a unit displaced
        often before, and much more when the tabu forbids it; None means the unit has no
        possible start at all.
        """
        # Most steps find a free start. Looking for one first, and judging a start in full
        # only once its people are free there, skips the rules at the many taken starts.
        starts = self.starts[unit]
        if self.short_day_people[unit]:
            starts = sorted(starts, key=lambda start: self._day_rank(unit, start))
        for start in starts:
            if self._people_free(unit, start):
                found = self.conflicts(unit, start, 1)
                if found is not None and not found[0]:
                    return start, found[0], found[1]

        best: tuple[float, int, set[int], dict[str, int]] | None = None
        for start in self.starts[unit]:
            found = self.conflicts(unit, start, math.inf if best is None else best[0])
            if found is None:
                continue
            hit, rooms = found
            score = len(hit) + _REPEAT_PRICE * sum(map(self.displaced.__getitem__, hit))
            score += _TIE * self.rng.random()
            forbidden = self.tabu.get(unit)
            if forbidden and any(forbidden.get(h, -1) > step for h in hit):
                score += 100
            if best is None or score < best[0]:
                best = (score, start, hit, rooms)
        return None if best is None else best[1:]

    def _day_rank(self, unit: int, start: int) -> int:
        """Rank a start by the days of the unit's people with a minimum of hours a day.

        A day that is still short comes first, then a day that is long enough, then a day
        without lessons (unless empty days count as short): each lesson on a new day makes
        one more short day to fill.
        """
        day, rank = start // self.periods, 0
        for person, least, every_day in self.short_day_people[unit]:
            load = self.day_load[person][day]
            rank += 0 if (load or every_day) and load < least else 1 if load else 2
        return rank

    def _people_free(self, unit: int, start: int) -> bool:
        """Return True when none of the unit's people has a lesson during it at ``start``."""
        for row, duration in self.rows[unit]:
            for cell in range(start, start + duration):
                if row[cell] >= 0:
                    return False
        return True

    def run(self, deadline: float) -> bool:
        """Repair until every unit is placed or ``deadline`` passes; True when complete.

        When the fewest units ever left unplaced has not fallen for a long while, the
        board starts afresh from a new random order: a run that is stuck in one corner of
        the search seldom gets out by itself.
        """
        queue = self._fresh_queue()
        step, fewest, calm = 0, len(self.units), 0
        while queue or self._requeue(queue):
            _, _, unit = heapq.heappop(queue)
            if self.start_of[unit] >= 0:
                continue
            step += 1
            if step % 64 == 0 and time.perf_counter() > deadline:
                return False
            move = self.choose(unit, step)
            if move is None:
                return False
            start, hit, rooms = move
            for other in sorted(hit):
                self.remove(other)
                self.displaced[other] += 1
                self.tabu[other][unit] = step + _TENURE
                priority = self.difficulty[other] + _BUMP * self.displaced[other]
                heapq.heappush(queue, (-priority, self.rng.random(), other))
            self.place(unit, start, rooms)
            if self.unplaced < fewest:
                fewest, calm = self.unplaced, 0
            elif (calm := calm + 1) > self.patience:
                queue = self._restart()
                fewest, calm = len(self.units), 0
        return True

    def _fresh_queue(self) -> list[tuple[int, float, int]]:
        """Return every unplaced unit in a queue, hardest first, ties in random order."""
        queue = [
            (-self.difficulty[u], self.rng.random(), u)
            for u in range(len(self.units))
            if self.start_of[u] < 0
        ]
        heapq.heapify(queue)
        return queue

    def _restart(self) -> list[tuple[int, float, int]]:
        """Clear the board and the search's memory; return the queue to start again from."""
        self.restarts += 1
        for unit in range(len(self.units)):
            if self.start_of[unit] >= 0:
                self.remove(unit)
        self.displaced = [0] * len(self.units)
        self.tabu.clear()
        return self._fresh_queue()

    def _requeue(self, queue: list[tuple[int, float, int]]) -> bool:
        """On a full board whose gap rules fail, take a unit off per person concerned."""
        victims = self.unmendable()
        for unit in victims:
            self.remove(unit)
            self.displaced[unit] += 1
            priority = self.difficulty[unit] + _BUMP * self.displaced[unit]
            heapq.heappush(queue, (-priority, self.rng.random(), unit))
        return bool(victims)

    def result(self) -> Result:
        """Return the placed units as a result."""
        placements = []
        for unit, members in enumerate(self.units):
            if self.start_of[unit] < 0:
                continue
            day, period = divmod(self.start_of[unit], self.periods)
            for ident in members:
                room = self.room_of[unit].get(ident)
                placements.append(
                    Placement(
                        ident,
                        0,
                        day,
                        period,
                        self.lessons[ident].duration,
                        None if room is None else self.room_ids[room],
                    )
                )
        return Result("FEASIBLE", placements=placements)


@dataclass
class Repair:
    """What the placer reached: every activity placed, or only some when time ran out.

    ``result`` holds the placed activities either way; an incomplete one still serves as
    the CP search's starting point.
    """

    complete: bool
    result: Result


def place_by_repair(fet: FetFile, budget: float = 1.0, seed: int = 0) -> Repair:
    """Place the file's activities by repair within ``budget`` seconds.

    The run stops early, incomplete, when some activity has no possible start at all
    whatever moves; the CP model then says why. The search is seeded, so runs repeat.
    """
    placer = _Placer(fet, seed)
    complete = placer.run(time.perf_counter() + budget)
    return Repair(complete, placer.result())
