"""CP-SAT model for XHSTT instances.

Design note: an event of duration D is split into sub-events; the model has one Boolean
``x[e, t, l]`` per event, start time and sub-event length l, with the lengths summing to D.
Lengths come from the event's required SplitEvents constraint; without one, splitting is free
and lengths are capped at ``max_free_block`` to keep the model small. Sub-events stay inside
one day. ``cover[e, t]`` (one Boolean per event and time) says the event runs at t and is
what resource constraints are written over. Required constraints are hard, either by not
creating forbidden starts (PreferTimes, AvoidUnavailableTimes) or as linear constraints;
each point of application of a non-required constraint gets a deviation expression, and the
constraint's cost function (Linear, Quadratic, Step) turns it into objective terms. Events
always get a time and every open resource role gets a resource, so AssignTime and
AssignResource cost nothing. The evaluator in ``evaluate.py`` re-prices every solution.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from ortools.sat.python import cp_model

from solver.lns import hint_values
from solver.result import Progress, ProgressCallback
from solver.xhstt.archive import XConstraint, XEvent, XInstance, XSolution, XSolutionEvent

Expr = cp_model.LinearExpr | cp_model.IntVar | int

# Constraint kinds the model enforces or prices; anything else is reported as unsupported.
MODELLED = frozenset(
    {
        "AssignTimeConstraint",
        "AssignResourceConstraint",
        "PreferTimesConstraint",
        "PreferResourcesConstraint",
        "SplitEventsConstraint",
        "DistributeSplitEventsConstraint",
        "SpreadEventsConstraint",
        "LinkEventsConstraint",
        "AvoidClashesConstraint",
        "AvoidUnavailableTimesConstraint",
        "LimitIdleTimesConstraint",
        "ClusterBusyTimesConstraint",
        "LimitBusyTimesConstraint",
    }
)


@dataclass
class XResult:
    """Outcome of solving an XHSTT instance with CP-SAT."""

    status: str
    solution: XSolution | None
    objective: float | None = None
    bound: float | None = None
    build_seconds: float = 0.0
    first_solution: float | None = None
    best_solution: float | None = None
    total_seconds: float = 0.0
    unsupported: list[str] = field(default_factory=list)
    snapshots: dict[float, XSolution | None] = field(default_factory=dict)


class XhsttModel:
    """Build the CP-SAT model of one XHSTT instance (see the module note)."""

    def __init__(self, instance: XInstance, *, max_free_block: int = 2) -> None:
        """Build variables, hard constraints and the soft-cost objective."""
        self.instance = instance
        self.model = cp_model.CpModel()
        self.max_free_block = max_free_block
        self.index = instance.time_index()
        self.n_times = len(instance.times)
        self.day_of = [t.day for t in instance.times]
        self.objective: list[Expr] = []
        self.unsupported = [
            f"{c.kind} {c.id}" for c in instance.constraints if c.kind not in MODELLED
        ]
        self.x: dict[str, dict[tuple[int, int], cp_model.IntVar]] = {}
        self.cover: dict[str, dict[int, cp_model.IntVar]] = {}
        self.role_choice: dict[tuple[str, str], dict[str, cp_model.IntVar]] = {}

        self._create_subevents()
        self._create_resource_choices()
        self.busy = self._busy_terms()

        for constraint in instance.constraints:
            builder = getattr(self, "_" + constraint.kind, None)
            if builder is not None:
                builder(constraint)
        if self.objective:
            self.model.minimize(sum(self.objective))

    # -------------------------------------------------------------------- variables

    def _hard_of_kind(self, kind: str, event: XEvent) -> list[XConstraint]:
        """Return the required constraints of a kind that apply to an event."""
        return [
            c
            for c in self.instance.constraints
            if c.kind == kind and c.required and event.id in set(c.events)
        ]

    def _lengths(self, event: XEvent) -> tuple[list[int], int, int]:
        """Return allowed sub-event lengths and the min/max number of sub-events."""
        splits = self._hard_of_kind("SplitEventsConstraint", event)
        if not splits:
            top = min(event.duration, self.max_free_block)
            return list(range(1, top + 1)), 1, event.duration
        low = max(c.values.get("MinimumDuration", 1) for c in splits)
        high = min(c.values.get("MaximumDuration", event.duration) for c in splits)
        amount_low = max(c.values.get("MinimumAmount", 1) for c in splits)
        amount_high = min(c.values.get("MaximumAmount", event.duration) for c in splits)
        return list(range(low, min(high, event.duration) + 1)), amount_low, amount_high

    def _forbidden_starts(self, event: XEvent) -> dict[int | None, set[int]]:
        """Return starts forbidden by required PreferTimes, keyed by length (None: any)."""
        forbidden: dict[int | None, set[int]] = defaultdict(set)
        for c in self._hard_of_kind("PreferTimesConstraint", event):
            allowed = {self.index[t] for t in c.times if t in self.index}
            outside = set(range(self.n_times)) - allowed
            forbidden[c.values.get("Duration")].update(outside)
        return forbidden

    def _unavailable(self, event: XEvent) -> set[int]:
        """Return times at which a preassigned resource of the event is hard-unavailable."""
        fixed = {slot.reference for slot in event.resources if slot.reference}
        times: set[int] = set()
        for c in self.instance.constraints:
            hard = c.kind == "AvoidUnavailableTimesConstraint" and c.required
            if hard and fixed & set(c.resources):
                times.update(self.index[t] for t in c.times if t in self.index)
        return times

    def _create_subevents(self) -> None:
        """Create x[e, t, l] and cover[e, t]; lengths sum to the event's duration."""
        for event in self.instance.events.values():
            lengths, amount_low, amount_high = self._lengths(event)
            forbidden = self._forbidden_starts(event)
            unavailable = self._unavailable(event)
            fixed_start = self.index.get(event.time) if event.time else None
            starts: dict[tuple[int, int], cp_model.IntVar] = {}
            for length in lengths:
                for t in range(self.n_times - length + 1):
                    span = range(t, t + length)
                    if fixed_start is not None and (t != fixed_start or length != event.duration):
                        continue
                    if len({self.day_of[k] for k in span}) > 1:
                        continue  # sub-events stay within one day
                    if t in forbidden[None] or t in forbidden.get(length, set()):
                        continue
                    if unavailable.intersection(span):
                        continue
                    starts[(t, length)] = self.model.new_bool_var(f"x[{event.id}@{t}+{length}]")
            self.x[event.id] = starts

            self.model.add(sum(length * v for (_, length), v in starts.items()) == event.duration)
            self.model.add(sum(starts.values()) >= amount_low)
            self.model.add(sum(starts.values()) <= amount_high)

            # cover[e, t] is exactly "some sub-event of e runs at t"; sub-events never overlap.
            covers: dict[int, cp_model.IntVar] = {}
            for t in range(self.n_times):
                running = [v for (s, length), v in starts.items() if s <= t < s + length]
                if running:
                    var = self.model.new_bool_var(f"cover[{event.id}@{t}]")
                    self.model.add(var == sum(running))
                    covers[t] = var
            self.cover[event.id] = covers

    def _create_resource_choices(self) -> None:
        """Create a choice per open resource role, restricted by required PreferResources."""
        for event in self.instance.events.values():
            for slot in event.resources:
                if slot.reference or slot.role is None:
                    continue
                candidates = [
                    r.id
                    for r in self.instance.resources.values()
                    if slot.type is None or r.type == slot.type
                ]
                for c in self.instance.constraints:
                    if (
                        c.kind == "PreferResourcesConstraint"
                        and c.required
                        and c.role == slot.role
                        and event.id in set(c.events)
                    ):
                        allowed = set(c.preferred_resources)
                        candidates = [r for r in candidates if r in allowed]
                choices = {
                    r: self.model.new_bool_var(f"assign[{event.id}.{slot.role}={r}]")
                    for r in candidates
                }
                self.model.add_exactly_one(choices.values())
                self.role_choice[(event.id, slot.role)] = choices

    def _busy_terms(self) -> dict[str, dict[int, list[Expr]]]:
        """Return, per resource and time, terms that are 1 when the resource is in use."""
        busy: dict[str, dict[int, list[Expr]]] = defaultdict(lambda: defaultdict(list))
        for event in self.instance.events.values():
            for slot in event.resources:
                if slot.reference:
                    for t, var in self.cover[event.id].items():
                        busy[slot.reference][t].append(var)
                    continue
                for r, choice in self.role_choice.get((event.id, slot.role or ""), {}).items():
                    for t, var in self.cover[event.id].items():
                        uses = self.model.new_bool_var(f"uses[{event.id}.{r}@{t}]")
                        self.model.add(uses >= var + choice - 1)
                        self.model.add(uses <= var)
                        self.model.add(uses <= choice)
                        busy[r][t].append(uses)
        return busy

    def busy_at(self, resource: str, t: int) -> Expr:
        """Return the busy expression of a resource at a time (0/1 when clashes are hard)."""
        terms = self.busy.get(resource, {}).get(t, [])
        return sum(terms) if terms else 0

    # -------------------------------------------------------------------- charging

    def charge(self, c: XConstraint, deviation: Expr, upper: int, name: str) -> None:
        """Make a deviation zero (required) or add its weighted cost to the objective."""
        if isinstance(deviation, int) and deviation == 0:
            return
        if c.required:
            self.model.add(deviation == 0)
            return
        if c.cost_function == "Linear":
            self.objective.append(c.weight * deviation)
            return
        dev = self.model.new_int_var(0, upper, f"dev[{c.id}:{name}]")
        self.model.add(dev == deviation)
        if c.cost_function == "Quadratic":
            square = self.model.new_int_var(0, upper * upper, f"sq[{c.id}:{name}]")
            self.model.add_multiplication_equality(square, [dev, dev])
            self.objective.append(c.weight * square)
        else:
            step = self.model.new_bool_var(f"step[{c.id}:{name}]")
            self.model.add(dev <= upper * step)
            self.objective.append(c.weight * step)

    def outside(self, value: Expr, low: int, high: int | None, upper: int, name: str) -> Expr:
        """Return an expression for how far ``value`` lies outside ``low..high``."""
        parts: list[Expr] = []
        if low > 0:
            below = self.model.new_int_var(0, low, f"below[{name}]")
            self.model.add(below >= low - value)
            parts.append(below)
        if high is not None and high < upper:
            above = self.model.new_int_var(0, upper, f"above[{name}]")
            self.model.add(above >= value - high)
            parts.append(above)
        return sum(parts) if parts else 0

    # ----------------------------------------------------------- constraint families

    def _AssignTimeConstraint(self, c: XConstraint) -> None:
        """Every event gets times: guaranteed by construction."""

    def _AssignResourceConstraint(self, c: XConstraint) -> None:
        """Every open role gets a resource: guaranteed by construction."""

    def _SplitEventsConstraint(self, c: XConstraint) -> None:
        """Required splits shape the variables; soft ones are priced per event."""
        if c.required:
            return
        v = c.values
        for e in c.events:
            starts = self.x[e]
            bad = sum(
                var
                for (_, length), var in starts.items()
                if length < v.get("MinimumDuration", 1) or length > v.get("MaximumDuration", 10**6)
            )
            amount = sum(starts.values())
            duration = self.instance.events[e].duration
            off = self.outside(
                amount, v.get("MinimumAmount", 0), v.get("MaximumAmount"), duration, f"{c.id}{e}"
            )
            self.charge(c, bad + off, 2 * duration, e)

    def _DistributeSplitEventsConstraint(self, c: XConstraint) -> None:
        """Price the number of sub-events of one length outside its bounds."""
        length = c.values.get("Duration", 1)
        for e in c.events:
            n = sum(v for (_, size), v in self.x[e].items() if size == length)
            duration = self.instance.events[e].duration
            dev = self.outside(
                n, c.values.get("Minimum", 0), c.values.get("Maximum"), duration, f"{c.id}{e}"
            )
            self.charge(c, dev, duration, e)

    def _PreferTimesConstraint(self, c: XConstraint) -> None:
        """Required ones removed starts already; soft ones cost the sub-event's length."""
        if c.required:
            return
        allowed = {self.index[t] for t in c.times if t in self.index}
        wanted = c.values.get("Duration")
        for e in c.events:
            dev = sum(
                length * v
                for (t, length), v in self.x[e].items()
                if t not in allowed and (wanted is None or length == wanted)
            )
            self.charge(c, dev, self.instance.events[e].duration, e)

    def _PreferResourcesConstraint(self, c: XConstraint) -> None:
        """Required ones restricted the choices; soft ones cost the event's duration."""
        if c.required:
            return
        preferred = set(c.preferred_resources)
        for e in c.events:
            choices = self.role_choice.get((e, c.role or ""), {})
            duration = self.instance.events[e].duration
            dev = sum(duration * v for r, v in choices.items() if r not in preferred)
            self.charge(c, dev, duration, e)

    def _SpreadEventsConstraint(self, c: XConstraint) -> None:
        """Bound, per event group and time group, the number of sub-events starting there."""
        for group in c.event_groups:
            events = self.instance.event_groups.get(group, [])
            total = sum(self.instance.events[e].duration for e in events)
            deviations: list[Expr] = []
            for limit in c.time_limits:
                times = {self.index[t] for t in self.instance.group_times(limit.group)}
                n = sum(v for e in events for (t, _), v in self.x[e].items() if t in times)
                name = f"{c.id}:{group}:{limit.group}"
                deviations.append(self.outside(n, limit.minimum or 0, limit.maximum, total, name))
            self.charge(c, sum(deviations), total * len(c.time_limits), group)

    def _LinkEventsConstraint(self, c: XConstraint) -> None:
        """Count times used by some but not all events of a group."""
        for group in c.event_groups:
            events = self.instance.event_groups.get(group, [])
            if len(events) < 2:
                continue
            if c.required:
                for a, b in pairwise(events):
                    for t in range(self.n_times):
                        self.model.add(self._cover(a, t) == self._cover(b, t))
                continue
            deviations: list[Expr] = []
            for t in range(self.n_times):
                covers = [self._cover(e, t) for e in events]
                if all(isinstance(x, int) and x == 0 for x in covers):
                    continue
                some = self.model.new_bool_var(f"some[{group}@{t}]")
                every = self.model.new_bool_var(f"every[{group}@{t}]")
                for cov in covers:
                    self.model.add(some >= cov)
                    self.model.add(every <= cov)
                deviations.append(some - every)
            self.charge(c, sum(deviations), self.n_times, group)

    def _cover(self, event: str, t: int) -> Expr:
        """Return cover[e, t] or 0 when the event cannot run at t."""
        return self.cover[event].get(t, 0)

    def _AvoidClashesConstraint(self, c: XConstraint) -> None:
        """Keep each resource in at most one sub-event at a time."""
        for r in c.resources:
            for t, terms in self.busy.get(r, {}).items():
                if len(terms) < 2:
                    continue
                if c.required:
                    self.model.add(sum(terms) <= 1)
                else:
                    excess = self.model.new_int_var(0, len(terms), f"clash[{r}@{t}]")
                    self.model.add(excess >= sum(terms) - 1)
                    self.charge(c, excess, len(terms), f"{r}@{t}")

    def _AvoidUnavailableTimesConstraint(self, c: XConstraint) -> None:
        """Required ones removed starts of preassigned events; price or forbid the rest."""
        times = [self.index[t] for t in c.times if t in self.index]
        for r in c.resources:
            dev = sum(self.busy_at(r, t) for t in times)
            self.charge(c, dev, len(times), r)

    def _LimitIdleTimesConstraint(self, c: XConstraint) -> None:
        """Count idle times between the first and last busy time of each time group."""
        for r in c.resources:
            idle: list[Expr] = []
            for limit in c.time_limits:
                times = sorted(self.index[t] for t in self.instance.group_times(limit.group))
                busy = [self.busy_at(r, t) for t in times]
                idle.extend(self._idle(busy, f"{r}:{limit.group}"))
            total = sum(idle) if idle else 0
            v = c.values
            dev = self.outside(total, v.get("Minimum", 0), v.get("Maximum"), len(idle), r)
            self.charge(c, dev, max(1, len(idle)), r)

    def _idle(self, busy: list[Expr], name: str) -> list[cp_model.IntVar]:
        """Return Booleans forced to 1 at idle positions of a busy sequence."""
        active = [i for i, b in enumerate(busy) if not isinstance(b, int)]
        if len(active) < 2:
            return []
        lo, hi = active[0], active[-1]
        before: dict[int, cp_model.IntVar] = {}
        after: dict[int, cp_model.IntVar] = {}
        for i in range(lo + 1, hi + 1):
            before[i] = self.model.new_bool_var(f"before[{name}:{i}]")
            self.model.add(before[i] >= busy[i - 1])
            if i - 1 in before:
                self.model.add(before[i] >= before[i - 1])
        for i in range(hi - 1, lo - 1, -1):
            after[i] = self.model.new_bool_var(f"after[{name}:{i}]")
            self.model.add(after[i] >= busy[i + 1])
            if i + 1 in after:
                self.model.add(after[i] >= after[i + 1])
        idles = []
        for i in range(lo + 1, hi):
            var = self.model.new_bool_var(f"idle[{name}:{i}]")
            self.model.add(var >= before[i] + after[i] - 1 - busy[i])
            idles.append(var)
        return idles

    def _busy_in(self, resource: str, group: str) -> list[Expr]:
        """Return the non-constant busy expressions of a resource over a time group."""
        times = [self.index[t] for t in self.instance.group_times(group)]
        busy = [self.busy_at(resource, t) for t in times]
        return [b for b in busy if not isinstance(b, int)]

    def _ClusterBusyTimesConstraint(self, c: XConstraint) -> None:
        """Bound the number of time groups in which a resource is busy."""
        for r in c.resources:
            active: list[Expr] = []
            for limit in c.time_limits:
                busy = [
                    self.busy_at(r, self.index[t]) for t in self.instance.group_times(limit.group)
                ]
                busy = [b for b in busy if not isinstance(b, int)]
                if not busy:
                    continue
                var = self.model.new_bool_var(f"active[{r}:{limit.group}]")
                for b in busy:
                    self.model.add(var >= b)
                self.model.add(var <= sum(busy))
                active.append(var)
            n = sum(active) if active else 0
            v = c.values
            dev = self.outside(n, v.get("Minimum", 0), v.get("Maximum"), len(c.time_limits), r)
            self.charge(c, dev, len(c.time_limits), r)

    def _LimitBusyTimesConstraint(self, c: XConstraint) -> None:
        """Bound busy times per time group, checked only where the resource is busy."""
        v = c.values
        low, high = v.get("Minimum", 0), v.get("Maximum")
        for r in c.resources:
            deviations: list[Expr] = []
            for limit in c.time_limits:
                busy = [
                    self.busy_at(r, self.index[t]) for t in self.instance.group_times(limit.group)
                ]
                busy = [b for b in busy if not isinstance(b, int)]
                if not busy:
                    continue
                n = sum(busy)
                size = len(busy)
                name = f"{c.id}:{r}:{limit.group}"
                if high is not None and high < size:
                    above = self.model.new_int_var(0, size, f"above[{name}]")
                    self.model.add(above >= n - high)
                    deviations.append(above)
                if low > 0:
                    # Only a time group with at least one busy time is held to the minimum.
                    used = self.model.new_bool_var(f"used[{name}]")
                    self.model.add(n >= 1).only_enforce_if(used)
                    self.model.add(n == 0).only_enforce_if(~used)
                    below = self.model.new_int_var(0, low, f"below[{name}]")
                    self.model.add(below >= low - n).only_enforce_if(used)
                    deviations.append(below)
            total = sum(deviations) if deviations else 0
            self.charge(c, total, max(1, len(self.instance.times)), r)

    # ---------------------------------------------------------------------- extract

    def extract(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> XSolution:
        """Turn the chosen sub-events and resources into an XHSTT solution.

        ``solver`` may also be a solution callback, to read a solution while the search runs.
        """
        events = []
        for event in self.instance.events.values():
            assigned = {}
            for slot in event.resources:
                choices = self.role_choice.get((event.id, slot.role or ""), {})
                for r, var in choices.items():
                    if solver.boolean_value(var):
                        assigned[slot.role or ""] = r
            for (t, length), var in sorted(self.x[event.id].items()):
                if solver.boolean_value(var):
                    time_id = self.instance.times[t].id
                    events.append(XSolutionEvent(event.id, length, time_id, dict(assigned)))
        return XSolution("presentis-cpsat", self.instance.id, events)


class _Monitor(cp_model.CpSolverSolutionCallback):
    """Record solution times, forward progress and keep the best solution at checkpoints."""

    def __init__(
        self,
        started: float,
        progress: ProgressCallback | None,
        built: XhsttModel,
        checkpoints: Sequence[float],
    ) -> None:
        """Remember the start time, the callback and the checkpoints (seconds)."""
        super().__init__()
        self.started = started
        self.progress = progress
        self.built = built
        self.pending = sorted(checkpoints)
        self.snapshots: dict[float, XSolution | None] = {}
        self.last: XSolution | None = None
        self.first: float | None = None
        self.best: float | None = None
        self.count = 0
        self.optimising = False

    def on_solution_callback(self) -> None:
        """Note the time, close passed checkpoints with the previous solution, report."""
        now = time.perf_counter() - self.started
        self.count += 1
        self.first = now if self.first is None else self.first
        self.best = now
        while self.pending and self.pending[0] < now:
            self.snapshots[self.pending.pop(0)] = self.last
        if self.pending:
            self.last = self.built.extract(self)
        if self.progress is not None:
            # The first phase has no objective: report its timetable as of unknown cost.
            objective = self.objective_value if self.optimising else float("inf")
            bound = self.best_objective_bound if self.optimising else 0.0
            self.progress(Progress(now, objective, bound, self.count))

    def close(self, final: XSolution | None) -> dict[float, XSolution | None]:
        """Return the solution held at each checkpoint; later ones get the final solution."""
        for checkpoint in self.pending:
            self.snapshots[checkpoint] = final
        return self.snapshots


def solve_xhstt(
    instance: XInstance,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    max_free_block: int = 2,
    progress: ProgressCallback | None = None,
    checkpoints: Sequence[float] = (),
) -> XResult:
    """Solve an XHSTT instance; the returned solution still has to be evaluated.

    ``checkpoints`` (seconds since the call) ask for the best solution held at each of those
    moments as well, so one long run also yields the results of shorter time limits.
    """
    started = time.perf_counter()
    built = XhsttModel(instance, max_free_block=max_free_block)
    build = time.perf_counter() - started
    deadline = started + time_limit
    monitor = _Monitor(started, progress, built, checkpoints)

    # Phase 1: any timetable. CP-SAT's feasibility search (feasibility jump in particular)
    # finds one many times faster without the objective; it then seeds the optimisation.
    built.model.clear_objective()
    solver = _solver(deadline, workers, seed)
    solver.parameters.stop_after_first_solution = True
    code = solver.solve(built.model, monitor)
    solution = built.extract(solver) if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    status = solver.status_name(code)
    objective: float | None = 0.0 if solution is not None else None
    bound: float | None = None

    # Phase 2: minimise the soft cost from that timetable, keeping it if nothing better comes.
    if solution is not None and built.objective:
        hint_values(built.model, list(solver.response_proto.solution))
        built.model.minimize(sum(built.objective))
        monitor.optimising = True
        second = _solver(deadline, workers, seed)
        code = second.solve(built.model, monitor)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solution = built.extract(second)
            status = second.status_name(code)
            objective, bound = second.objective_value, second.best_objective_bound
        else:
            status, objective = "FEASIBLE", None

    return XResult(
        status=status,
        solution=solution,
        objective=objective,
        bound=bound,
        build_seconds=build,
        first_solution=monitor.first,
        best_solution=monitor.best,
        total_seconds=time.perf_counter() - started,
        unsupported=built.unsupported,
        snapshots=monitor.close(solution),
    )


def _solver(deadline: float, workers: int, seed: int) -> cp_model.CpSolver:
    """Return a CP-SAT solver limited to the time left until ``deadline``."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver
