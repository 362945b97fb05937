"""Large neighbourhood search over a school timetable by re-solving a few groups at a time.

Design note: on large schools a single CP-SAT optimisation spends most of its time in
presolve and improves slowly. Re-solving repeatedly with most lessons fixed works better: each
round frees the lessons of a few groups (with their sections and individual lessons) and fixes
every other lesson to its current start and room, by narrowing variable domains in place.
Lessons stay fixed between rounds: a round unfixes only what it frees and fixes that again
afterwards, and writes its hint straight into the proto's fields. Doing either for the whole
model cost about a second of Python per round at 300 students, a third of the search.
The current timetable is a complete hint, so every round starts from a valid timetable and
can only keep or lower the cost. The neighbourhood grows when rounds are solved to optimality
and shrinks when they run out of time.

Half the rounds free something else: all lessons on two days of the groups linked to one
whose students are idle (linked: sharing a lesson, such as the sections of a department's
electives, directly or through other groups). A student's idle period often sits between a
group lesson and an elective whose section mixes students of several groups; only moving the
lessons of all those groups together closes it, and freeing them on two days instead of all
five keeps the round small enough to solve. At 300 students this took the median idle
periods after 60 s over six seeds from 18.5 to 1.5
(``python -m solver.bench school --students 300 --seeds 6``).
"""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ortools.sat.python import cp_model

from solver.cpmodel import Occurrence, TimetableModel
from solver.result import Progress, ProgressCallback

ROUND_SECONDS = 2.0
# Share of rounds that free the lessons of linked groups on two days instead of whole groups.
DAY_ROUNDS = 0.5


class Neighbourhoods:
    """Improve a solved timetable model round by round until a deadline."""

    def __init__(self, timetable: TimetableModel, seed: int) -> None:
        """Index which occurrences each group's students take part in."""
        self.timetable = timetable
        self.rng = random.Random(seed)
        self.size = 2
        self.found_at: float | None = None
        self.by_group = _occurrences_by_group(timetable)
        self.group_of: dict[str, list[str]] = defaultdict(list)
        for group in timetable.instance.groups:
            for sid in group.members:
                self.group_of[sid].append(group.id)
        self.decisions = [
            [var.index for var in [*occ.starts.values(), *occ.rooms.values()]]
            for occ in timetable.occurrences
        ]
        self.start_days = [
            [(day, var.index) for (day, _), var in occ.starts.items()]
            for occ in timetable.occurrences
        ]
        # Groups that share an occurrence (a section, a joint lesson) with each group: such
        # an occurrence moves only when all its groups are free together.
        # Followed further, the groups linked to those too: a department whose students mix
        # in its electives' sections. Each group's set includes the group itself.
        groups_of: dict[int, set[str]] = defaultdict(set)
        for gid, indices in self.by_group.items():
            for index in indices:
                groups_of[index].add(gid)
        neighbours: dict[str, set[str]] = defaultdict(set)
        for joint in groups_of.values():
            for gid in joint:
                neighbours[gid] |= joint
        self.linked = {gid: _reach(gid, neighbours) for gid in self.by_group}

    def improve(
        self,
        best: cp_model.CpSolver,
        deadline: float,
        workers: int,
        progress: ProgressCallback | None,
        started: float,
        stop: threading.Event | None = None,
    ) -> tuple[cp_model.CpSolver, int]:
        """Return the solver holding the best timetable found and the number of rounds.

        ``best`` may come from a search without objective: its cost counts as unknown, so
        the first round's timetable replaces it. Setting ``stop`` ends the search after the
        current round, which is itself cut short.
        """
        model = self.timetable.model
        rounds = 0
        cost = float("inf")
        groups = sorted(self.by_group)
        values = list(best.response_proto.solution)
        variables = model.proto.variables
        original = {
            var: list(variables[var].domain) for decisions in self.decisions for var in decisions
        }
        self._fix(range(len(self.decisions)), values)
        try:
            while groups and deadline - time.perf_counter() > 1.0:
                if stop is not None and stop.is_set():
                    break
                by_day = self.rng.random() < DAY_ROUNDS
                if by_day:
                    free, days = self._choose_days(groups, values)
                else:
                    chosen = self._choose(groups, values)
                    free = sorted({i for g in chosen for i in self.by_group[g]})
                self._unfix(free, original)
                if by_day:
                    self._keep_to_days(free, days)
                hint_values(model, values)

                solver = cp_model.CpSolver()
                solver.parameters.max_time_in_seconds = min(
                    ROUND_SECONDS, deadline - time.perf_counter()
                )
                solver.parameters.num_workers = workers
                solver.parameters.random_seed = self.rng.randrange(1 << 30)
                # Rounds are small and many: probing and symmetry detection do not pay back.
                solver.parameters.cp_model_probing_level = 0
                solver.parameters.symmetry_level = 0
                code = _solve_round(solver, model, stop)
                rounds += 1

                # Only whole-group rounds adapt their size; a day round's size is its department's.
                if not by_day and code == cp_model.OPTIMAL:
                    self.size = min(len(groups), self.size + 1)
                elif not by_day and self.size > 1:
                    self.size -= 1
                if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value < cost:
                    best, cost = solver, solver.objective_value
                    values = list(best.response_proto.solution)
                    now = time.perf_counter() - started
                    self.found_at = now
                    if progress is not None:
                        report = Progress(
                            now, solver.objective_value, best.best_objective_bound, rounds
                        )
                        progress(report)
                # Only the freed occurrences can have moved: fix them again where they are.
                self._fix(free, values)
        finally:
            self._unfix(range(len(self.decisions)), original)
        return best, rounds

    def _choose(self, groups: list[str], values: list[int]) -> set[str]:
        """Pick groups to free: half (rounded down) at random, the rest by their idle periods."""
        idle: dict[str, int] = defaultdict(int)
        for student, terms in self.timetable.student_idle.items():
            for gid in self.group_of.get(student, ()):
                idle[gid] += sum(weight * values[var.index] for weight, _, var in terms)
        wanted = min(self.size, len(groups))
        chosen = set(self.rng.sample(groups, wanted // 2))
        weights = [idle[g] for g in groups]
        while len(chosen) < wanted and sum(weights) > 0:
            chosen.update(self.rng.choices(groups, weights=weights))
            weights = [0 if g in chosen else w for g, w in zip(groups, weights, strict=True)]
        while len(chosen) < wanted:
            chosen.add(self.rng.choice(groups))
        return chosen

    def _choose_days(self, groups: list[str], values: list[int]) -> tuple[list[int], set[int]]:
        """Pick a group with idle students, the groups it shares lessons with, and two days.

        Return the occurrences of those groups on those days (the day where the group's
        students are idlest and one other) and the days; the occurrences may move only
        within the two days.
        """
        idle: dict[tuple[str, int], int] = defaultdict(int)
        for student, terms in self.timetable.student_idle.items():
            for weight, day, var in terms:
                if values[var.index]:
                    for gid in self.group_of.get(student, ()):
                        idle[(gid, day)] += weight
        n_days = self.timetable.instance.n_days
        if idle:
            keys = sorted(idle)
            ((gid, day),) = self.rng.choices(keys, weights=[idle[k] for k in keys])
        else:
            gid, day = self.rng.choice(groups), self.rng.randrange(n_days)
        days = {day, self.rng.choice([d for d in range(n_days) if d != day] or [day])}
        free = set()
        for linked in self.linked[gid]:
            for index in self.by_group[linked]:
                if any(values[var] and d in days for d, var in self.start_days[index]):
                    free.add(index)
        return sorted(free), days

    def _keep_to_days(self, occurrences: list[int], days: set[int]) -> None:
        """Forbid these (freed) occurrences every start outside ``days``."""
        variables = self.timetable.model.proto.variables
        for index in occurrences:
            for day, var in self.start_days[index]:
                if day not in days:
                    domain = variables[var].domain
                    domain.clear()
                    domain.extend([0, 0])

    def _fix(self, occurrences: Iterable[int], values: list[int]) -> None:
        """Fix the decisions of these occurrences to ``values``."""
        variables = self.timetable.model.proto.variables
        for index in occurrences:
            for var in self.decisions[index]:
                domain = variables[var].domain
                domain.clear()
                domain.extend([values[var], values[var]])

    def _unfix(self, occurrences: Iterable[int], original: dict[int, list[int]]) -> None:
        """Give the decisions of these occurrences their original domains back."""
        variables = self.timetable.model.proto.variables
        for index in occurrences:
            for var in self.decisions[index]:
                domain = variables[var].domain
                domain.clear()
                domain.extend(original[var])


def complete_board(
    timetable: TimetableModel,
    hinted: set[int],
    seconds: float,
    workers: int,
    seed: int,
    monitor: cp_model.CpSolverSolutionCallback | None = None,
) -> cp_model.CpSolver | None:
    """Return a solver holding a first timetable that keeps most of a hinted board, or None.

    The hinted occurrences (see :meth:`TimetableModel.hint_board`) stay where the board put
    them, except those sharing a teacher, group or student with an occurrence the board left
    out: those and the left-out ones are placed by CP-SAT, hinted where the board had them.
    None means no such timetable was found within ``seconds``.
    """
    model = timetable.model
    hint = dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values, strict=True))
    left_out = set(range(len(timetable.occurrences))) - hinted
    fixed = sorted(hinted - _sharing_people(timetable, left_out))
    decisions = [
        [var.index for var in [*occ.starts.values(), *occ.rooms.values()]]
        for occ in timetable.occurrences
    ]
    variables = model.proto.variables
    original = {var: list(variables[var].domain) for i in fixed for var in decisions[i]}
    for var in original:
        _set_domain(variables[var].domain, [hint[var], hint[var]])
    try:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        solver.parameters.stop_after_first_solution = True
        code = solver.solve(model, monitor)
    finally:
        for var, domain in original.items():
            _set_domain(variables[var].domain, domain)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _set_domain(field: Any, bounds: list[int]) -> None:
    """Replace a variable's domain in the proto by ``bounds``."""
    field.clear()
    field.extend(bounds)


def _sharing_people(timetable: TimetableModel, occurrences: set[int]) -> set[int]:
    """Return the occurrences that share a teacher, group or student with any of these."""
    instance = timetable.instance
    course_students = {course.id: course.students for course in instance.courses}
    people: list[set[str]] = []
    for occ in timetable.occurrences:
        lesson = occ.lesson
        found = {f"t:{tid}" for tid in lesson.teachers} | {f"g:{gid}" for gid in lesson.groups}
        found |= {f"s:{sid}" for sid in instance.fixed_students(lesson)}
        if lesson.course is not None:
            found |= {f"s:{sid}" for sid in course_students.get(lesson.course, ())}
        people.append(found)
    touched = set().union(*(people[i] for i in occurrences)) if occurrences else set()
    return {i for i, found in enumerate(people) if found & touched}


def _reach(start: str, links: dict[str, set[str]]) -> set[str]:
    """Return every group reachable from ``start`` through ``links``, itself included."""
    seen, todo = {start}, [start]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _solve_round(
    solver: cp_model.CpSolver, model: cp_model.CpModel, stop: threading.Event | None
) -> int:
    """Solve one round; a stop request from another thread cuts it short."""
    if stop is None:
        return int(solver.solve(model))
    done = threading.Event()

    def watch() -> None:
        # Repeated, in case the request came before the search had begun.
        while not done.is_set():
            if stop.wait(0.05):
                solver.stop_search()
                done.wait(0.1)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        return int(solver.solve(model))
    finally:
        done.set()
        watcher.join()


def _occurrences_by_group(timetable: TimetableModel) -> dict[str, list[int]]:
    """Return, per group, the occurrences that the group or one of its members attends."""
    instance = timetable.instance
    group_of: dict[str, set[str]] = defaultdict(set)
    for group in instance.groups:
        for sid in group.members:
            group_of[sid].add(group.id)
    course_groups: dict[str, set[str]] = defaultdict(set)
    for course in instance.courses:
        for sid in course.students:
            course_groups[course.id].update(group_of[sid])

    by_group: dict[str, list[int]] = defaultdict(list)
    for index, occ in enumerate(timetable.occurrences):
        for gid in _groups_of(occ, group_of, course_groups):
            by_group[gid].append(index)
    return dict(by_group)


def _groups_of(
    occ: Occurrence, group_of: dict[str, set[str]], course_groups: dict[str, set[str]]
) -> set[str]:
    """Return the groups whose members may attend an occurrence."""
    lesson = occ.lesson
    groups = set(lesson.groups)
    for sid in lesson.students:
        groups.update(group_of[sid])
    if lesson.course is not None:
        groups.update(course_groups[lesson.course])
    return groups


def hint_values(model: cp_model.CpModel, values: list[int]) -> None:
    """Replace the model's hints by ``values``, one per variable in index order."""
    # Written to the proto's repeated fields at once: one add_hint call per variable costs
    # most of a second on a large school, every round.
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)
