"""A greedy first timetable that keeps every student's day in one block.

Design note: CP-SAT's first timetable of a large school (found without an objective, which is
several times faster) leaves students thousands of idle periods, and the neighbourhood search
then spends most of a minute clearing them one group at a time. This module places the
lessons one occurrence at a time, hardest first, each at the start that adds the fewest idle
periods for its students (then for its teachers), keeping every hard rule it knows: clashes,
availability, allowed and pinned starts, rooms with their features, capacity and closed
times, daily maxima, travel time between locations and lessons spread over days. What it
cannot place it leaves out. Then each placed lesson in turn moves to a cheaper start
if the others leave it one, which takes a third of the idle periods out for about a second at
300 students. CP-SAT places the rest, hinted with this board (see
:mod:`solver.solve`). It knows nothing of sections: course lessons are placed with their
teachers and rooms only, so it is of most use once sections are assigned beforehand.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass, field

from solver.instance import Instance, Lesson, Room, Slot
from solver.result import Placement

# How much an extra lesson on an already busy day costs a student, against the weight of one
# idle period: spreading a student's lessons evenly over the week keeps room on every day for
# the lessons placed later.
_DAY_LOAD_PRICE = 0.2
# A slight preference for early periods packs each day from its start.
_LATENESS_PRICE = 0.01
# Steps per occurrence before the greedy gives up on those still unplaced; a lesson placed by
# displacing others may not itself be displaced for this many steps (no swapping back).
_PATIENCE = 10
_TABU_STEPS = 20
# Starts tried, fewest displaced first, when a lesson fits nowhere.
_EJECTION_TRIES = 40
# Passes of moving each placed lesson to its cheapest start once the greedy is done; at 300
# students each takes about 0.1 s and the passes stop when none moves a lesson.
_IMPROVE_PASSES = 10


@dataclass
class _Person:
    """Busy periods (a bit per period) and lesson locations of one person, day by day."""

    kind: str
    unavailable: frozenset[Slot]
    max_per_day: int | None
    busy: list[int]
    places: list[dict[int, str]]


@dataclass
class _Job:
    """One weekly occurrence of a lesson waiting for a start and a room."""

    lesson: Lesson
    index: int
    people: list[_Person]
    rooms: list[Room]
    starts: list[Slot] = field(default_factory=list)
    placement: Placement | None = None
    placed_at: int = -_TABU_STEPS


def construct(instance: Instance, seed: int = 0) -> list[Placement]:
    """Return placements for as many occurrences as the greedy rules allow.

    Every returned placement keeps the hard rules listed in the module note against all the
    others; occurrences that fit nowhere are left out.
    """
    board = _Board(instance)
    rng = random.Random(seed)
    jobs = board.jobs()
    rng.shuffle(jobs)
    jobs.sort(key=board.difficulty)
    queue = deque(jobs)
    steps, patience = 0, _PATIENCE * len(jobs)
    while queue and steps < patience:
        job = queue.popleft()
        steps += 1
        placement = board.best_placement(job, rng)
        if placement is not None:
            board.place(job, placement)
            continue
        ejected = board.eject_for(job, rng, steps)
        # The displaced go first, while the board around them is still as they knew it.
        queue.extendleft(reversed(ejected))
    board.improve(jobs, rng)
    return [job.placement for job in jobs if job.placement is not None]


class _Board:
    """Who is busy when, which rooms are taken, and the rules a placement must keep."""

    def __init__(self, instance: Instance) -> None:
        """Index the people, rooms and tight travel pairs of an instance."""
        self.instance = instance
        days, periods = instance.n_days, instance.n_periods
        self.periods = periods
        self.people: dict[tuple[str, str], _Person] = {}
        for teacher in instance.teachers:
            self.people[("teacher", teacher.id)] = _Person(
                "teacher",
                teacher.unavailable,
                teacher.max_periods_per_day,
                [0] * days,
                _day_maps(days),
            )
        for group in instance.groups:
            self.people[("group", group.id)] = _Person(
                "group", group.unavailable, None, [0] * days, _day_maps(days)
            )
        for student in instance.students:
            self.people[("student", student.id)] = _Person(
                "student",
                student.unavailable,
                instance.student_max_per_day(student),
                [0] * days,
                _day_maps(days),
            )
        self.group_of: dict[int, str] = {}
        for group in instance.groups:
            self.group_of[id(self.people[("group", group.id)])] = group.id
            for sid in group.members:
                self.group_of.setdefault(id(self.people[("student", sid)]), group.id)
        self.room_busy: dict[str, list[int]] = {room.id: [0] * days for room in instance.rooms}
        self.lesson_days: Counter[tuple[str, int]] = Counter()
        # Which job holds a person's or a room's period: (id of person or room id, day, period).
        self.owner: dict[tuple[object, int, int], _Job] = {}
        self.room_location = {room.id: room.location for room in instance.rooms}
        self.too_close = set(instance.too_close_to_travel())
        weights = instance.weights
        self.price = {
            "student": float(weights.student_gaps),
            "teacher": float(weights.teacher_gaps),
        }
        self.change_price = float(weights.location_changes)

    def jobs(self) -> list[_Job]:
        """Return a job per weekly occurrence, with its people, rooms and possible starts."""
        instance = self.instance
        groups = instance.group_by_id()
        jobs = []
        for lesson in instance.lessons:
            keys = [("teacher", tid) for tid in lesson.teachers]
            keys += [("group", gid) for gid in lesson.groups]
            students = set(lesson.students)
            for gid in lesson.groups:
                students.update(groups[gid].members)
            keys += [("student", sid) for sid in sorted(students)]
            people = [self.people[key] for key in keys]
            rooms = instance.candidate_rooms(lesson, instance.fixed_headcount(lesson))
            if lesson.needs_room and not rooms:
                continue
            for index in range(lesson.per_week):
                job = _Job(lesson, index, people, rooms)
                job.starts = self._starts(job)
                jobs.append(job)
        return jobs

    def _starts(self, job: _Job) -> list[Slot]:
        """Return the starts that allowed times, pins and availability leave open."""
        lesson = job.lesson
        pin = lesson.pinned[job.index] if job.index < len(lesson.pinned) else None
        starts = []
        for day in range(self.instance.n_days):
            for period in range(self.periods - lesson.duration + 1):
                if pin is not None and (day, period) != (pin.day, pin.period):
                    continue
                if lesson.allowed_starts is not None and (day, period) not in lesson.allowed_starts:
                    continue
                covered = {(day, period + k) for k in range(lesson.duration)}
                if any(covered & person.unavailable for person in job.people):
                    continue
                starts.append((day, period))
        return starts

    def difficulty(self, job: _Job) -> tuple[int, int, int, int]:
        """Sort key: pinned first, then lessons with many people, long ones, few starts."""
        pinned = job.index < len(job.lesson.pinned)
        return (0 if pinned else 1, -len(job.people), -job.lesson.duration, len(job.starts))

    def best_placement(self, job: _Job, rng: random.Random) -> Placement | None:
        """Return the cheapest placement that keeps every rule, or None."""
        best: tuple[float, float] | None = None
        chosen: Placement | None = None
        for day, period in job.starts:
            placement = self._placement_at(job, day, period)
            if placement is None:
                continue
            key = (self._cost_of(job, placement), rng.random())
            if best is None or key < best:
                best, chosen = key, placement
        return chosen

    def _placement_at(self, job: _Job, day: int, period: int) -> Placement | None:
        """Return the job's placement at a start if it keeps every rule there, else None."""
        lesson = job.lesson
        mask = ((1 << lesson.duration) - 1) << period
        if not self._free(job, day, mask):
            return None
        if lesson.spread_days and self.lesson_days[(lesson.id, day)]:
            return None
        room = self._room(job, day, period, mask)
        if room is False:
            return None
        room_id = room.id if isinstance(room, Room) else None
        return Placement(lesson.id, job.index, day, period, lesson.duration, room_id)

    def _free(self, job: _Job, day: int, mask: int) -> bool:
        """Return whether every person of the job is free and under their daily maximum."""
        for person in job.people:
            busy = person.busy[day]
            if busy & mask:
                return False
            if person.max_per_day is not None and (busy | mask).bit_count() > person.max_per_day:
                return False
        return True

    def _room(self, job: _Job, day: int, period: int, mask: int) -> Room | bool | None:
        """Return a free room the people can reach in time, None without rooms, False if none."""
        if not job.lesson.needs_room:
            return None
        covered = {(day, period + k) for k in range(job.lesson.duration)}
        reachable: dict[str, bool] = {}
        for room in job.rooms:
            if self.room_busy[room.id][day] & mask or covered & room.unavailable:
                continue
            if room.location not in reachable:
                reachable[room.location] = self._reachable(job, day, mask, room.location)
            if reachable[room.location]:
                return room
        return False

    def _reachable(self, job: _Job, day: int, mask: int, location: str) -> bool:
        """Return whether no person's lesson before or after is too far away in time."""
        if not self.too_close:
            return True
        first = (mask & -mask).bit_length() - 1
        last = mask.bit_length() - 1
        for person in job.people:
            for other, place in person.places[day].items():
                if other < first and (place, other, location, first) in self.too_close:
                    return False
                if other > last and (location, last, place, other) in self.too_close:
                    return False
        return True

    def _cost(self, job: _Job, day: int, period: int, mask: int, location: str | None) -> float:
        """Return the idle periods, location changes and day loads a placement adds."""
        cost = _LATENESS_PRICE * period
        for person in job.people:
            price = self.price.get(person.kind)
            if price is None:
                continue
            busy = person.busy[day]
            cost += price * (_idle(busy | mask) - _idle(busy))
            if person.kind == "student":
                cost += _DAY_LOAD_PRICE * busy.bit_count()
            if location is not None and person.places[day]:
                cost += self.change_price * _changes_added(person.places[day], mask, location)
        return cost

    def place(self, job: _Job, placement: Placement) -> None:
        """Book the placement's people, room and day."""
        job.placement = placement
        mask = _mask(placement)
        day, periods = placement.day, _periods(placement)
        location = None
        if placement.room is not None:
            self.room_busy[placement.room][day] |= mask
            location = self.room_location[placement.room]
            for period in periods:
                self.owner[(placement.room, day, period)] = job
        for person in job.people:
            person.busy[day] |= mask
            for period in periods:
                self.owner[(id(person), day, period)] = job
                if location is not None:
                    person.places[day][period] = location
        self.lesson_days[(placement.lesson, day)] += 1

    def unplace(self, job: _Job) -> None:
        """Take a job's placement off the board."""
        placement = job.placement
        assert placement is not None
        job.placement = None
        mask = _mask(placement)
        day, periods = placement.day, _periods(placement)
        if placement.room is not None:
            self.room_busy[placement.room][day] &= ~mask
            for period in periods:
                del self.owner[(placement.room, day, period)]
        for person in job.people:
            person.busy[day] &= ~mask
            for period in periods:
                del self.owner[(id(person), day, period)]
                person.places[day].pop(period, None)
        self.lesson_days[(placement.lesson, day)] -= 1

    def improve(self, jobs: list[_Job], rng: random.Random) -> None:
        """Move placed lessons, one at a time, to cheaper starts until no move helps."""
        movable = [j for j in jobs if j.placement is not None and j.index >= len(j.lesson.pinned)]
        for _ in range(_IMPROVE_PASSES):
            rng.shuffle(movable)
            moved = 0
            for job in movable:
                old = job.placement
                assert old is not None
                self.unplace(job)
                best = self.best_placement(job, rng)
                if best is not None and self._cost_of(job, best) < self._cost_of(job, old) - 1e-6:
                    self.place(job, best)
                    moved += 1
                else:
                    self.place(job, old)
            if not moved:
                break

    def _cost_of(self, job: _Job, placement: Placement) -> float:
        """Return the cost of a placement of a job that is off the board."""
        location = self.room_location.get(placement.room) if placement.room else None
        return self._cost(job, placement.day, placement.period, _mask(placement), location)

    def eject_for(self, job: _Job, rng: random.Random, step: int) -> list[_Job]:
        """Place a job that fits nowhere by taking the fewest others off; return those.

        Only clashes are undone this way (people or the room busy); a start that breaks a
        daily maximum, travel time or the spread over days even without those others is
        not used. Pinned lessons stay, and so do lessons that displaced others in the last
        few steps.
        """
        candidates = []
        for day, period in job.starts:
            if job.lesson.spread_days and self.lesson_days[(job.lesson.id, day)]:
                continue
            holders = self._holders(job, day, period, step)
            if holders is not None:
                candidates.append((len(holders), rng.random(), day, period, holders))
        candidates.sort(key=lambda c: c[:2])
        for _, _, day, period, holders in candidates[:_EJECTION_TRIES]:
            before = [(other, other.placement) for other in holders]
            for other in holders:
                self.unplace(other)
            placement = self._placement_at(job, day, period)
            if placement is not None:
                self.place(job, placement)
                job.placed_at = step
                return holders
            for other, old in before:
                assert old is not None
                self.place(other, old)
        return []

    def _holders(self, job: _Job, day: int, period: int, step: int) -> list[_Job] | None:
        """Return the jobs in the way of a start (people and cheapest room), None if stuck."""
        periods = range(period, period + job.lesson.duration)
        found = {
            id(o): o for p in job.people for t in periods if (o := self.owner.get((id(p), day, t)))
        }
        if job.lesson.needs_room:
            best: dict[int, _Job] | None = None
            for room in job.rooms:
                if any((day, t) in room.unavailable for t in periods):
                    continue
                held = {id(o): o for t in periods if (o := self.owner.get((room.id, day, t)))}
                if best is None or len(held.keys() - found.keys()) < len(
                    best.keys() - found.keys()
                ):
                    best = held
            if best is None:
                return None
            found.update(best)
        if any(
            o.index < len(o.lesson.pinned) or step - o.placed_at < _TABU_STEPS
            for o in found.values()
        ):
            return None
        return list(found.values())


def _mask(placement: Placement) -> int:
    """Return the bits of the periods a placement covers on its day."""
    return ((1 << placement.duration) - 1) << placement.period


def _periods(placement: Placement) -> range:
    """Return the periods a placement covers on its day."""
    return range(placement.period, placement.period + placement.duration)


def _day_maps(days: int) -> list[dict[int, str]]:
    """Return an empty period-to-location map per day."""
    return [{} for _ in range(days)]


def _idle(busy: int) -> int:
    """Return the idle periods between the first and last busy period of a day's bits."""
    if not busy:
        return 0
    first = (busy & -busy).bit_length() - 1
    return busy.bit_length() - first - busy.bit_count()


def _changes_added(places: dict[int, str], mask: int, location: str) -> int:
    """Return how many more location changes a lesson at ``location`` makes in a day."""
    first = (mask & -mask).bit_length() - 1
    last = mask.bit_length() - 1
    before = max((p for p in places if p < first), default=None)
    after = min((p for p in places if p > last), default=None)
    added = 0
    if before is not None:
        added += places[before] != location
    if after is not None:
        added += places[after] != location
    if before is not None and after is not None:
        added -= places[before] != places[after]
    return added
