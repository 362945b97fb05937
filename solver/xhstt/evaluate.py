"""Evaluate an XHSTT solution: the hard (infeasibility) and soft (objective) cost.

Design note: this follows the XHSTT specification constraint by constraint. Every constraint
has points of application (an event, an event group or a resource); each point yields a
deviation, the cost function turns it into a cost (Linear d, Quadratic d², Step d>0), and the
weight multiplies it. Required constraints add to the hard cost, the others to the soft cost.
A solution event without a time still counts for duration-based deviations but occupies no
times. Constraint kinds this module does not know are listed in ``unsupported`` instead of
being silently priced at zero. This module shares no code with the CP-SAT model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from solver.xhstt.archive import XConstraint, XInstance, XSolution, XSolutionEvent


@dataclass
class Evaluation:
    """Hard and soft cost of a solution with the cost of every constraint."""

    hard: int = 0
    soft: int = 0
    by_constraint: dict[str, int] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)


@dataclass
class _Placed:
    """A solution event resolved to time indices and its full resource assignment."""

    event: str
    duration: int
    start: int | None
    resources: dict[str, str]
    unassigned_roles: set[str]

    def occupied(self) -> range:
        """Return the time indices the sub-event occupies (empty without a time)."""
        if self.start is None:
            return range(0)
        return range(self.start, self.start + self.duration)


def evaluate(instance: XInstance, solution: XSolution) -> Evaluation:
    """Return the cost of a solution of an instance."""
    context = _Context(instance, solution.events)
    result = Evaluation()
    for constraint in instance.constraints:
        rule = _RULES.get(constraint.kind)
        if rule is None:
            result.unsupported.append(f"{constraint.kind} {constraint.id}")
            continue
        deviations = rule(context, constraint)
        cost = constraint.weight * sum(_cost(constraint.cost_function, d) for d in deviations)
        result.by_constraint[constraint.id] = cost
        if constraint.required:
            result.hard += cost
        else:
            result.soft += cost
    return result


def _cost(function: str, deviation: int) -> int:
    """Apply an XHSTT cost function to one deviation."""
    if function == "Quadratic":
        return deviation * deviation
    if function == "Step":
        return 1 if deviation > 0 else 0
    return deviation


class _Context:
    """Sub-events of a solution indexed by event and by resource-time."""

    def __init__(self, instance: XInstance, events: list[XSolutionEvent]) -> None:
        """Resolve times and resources of every solution event."""
        self.instance = instance
        index = instance.time_index()
        self.n_times = len(instance.times)
        self.by_event: dict[str, list[_Placed]] = defaultdict(list)
        for item in events:
            event = instance.events[item.event]
            resources: dict[str, str] = {}
            unassigned: set[str] = set()
            for slot in event.resources:
                role = slot.role or ""
                if slot.reference:
                    resources[role] = slot.reference
                elif role in item.resources:
                    resources[role] = item.resources[role]
                else:
                    unassigned.add(role)
            start = index.get(item.time) if item.time else None
            self.by_event[item.event].append(
                _Placed(item.event, item.duration, start, resources, unassigned)
            )

        # An event the solution does not mention is one unassigned sub-event.
        for event in instance.events.values():
            if event.id not in self.by_event:
                roles = {s.role or "" for s in event.resources if not s.reference}
                fixed = {s.role or "": s.reference for s in event.resources if s.reference}
                self.by_event[event.id].append(
                    _Placed(event.id, event.duration, None, fixed, roles)
                )

        self.busy: dict[str, Counter[int]] = defaultdict(Counter)
        for placed_list in self.by_event.values():
            for placed in placed_list:
                for resource in placed.resources.values():
                    for t in placed.occupied():
                        self.busy[resource][t] += 1

    def times(self, ids: list[str]) -> set[int]:
        """Return time indices of time ids."""
        index = self.instance.time_index()
        return {index[t] for t in ids if t in index}


def _assign_time(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: the duration of sub-events without a time."""
    return [sum(p.duration for p in ctx.by_event[e] if p.start is None) for e in c.events]


def _assign_resource(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: the duration of sub-events whose role is still unassigned."""
    role = c.role or ""
    return [
        sum(p.duration for p in ctx.by_event[e] if role in p.unassigned_roles) for e in c.events
    ]


def _prefer_times(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: the duration of timed sub-events (of the given duration) outside the set."""
    preferred = ctx.times(c.times)
    wanted = c.values.get("Duration")
    return [
        sum(
            p.duration
            for p in ctx.by_event[e]
            if p.start is not None
            and (wanted is None or p.duration == wanted)
            and p.start not in preferred
        )
        for e in c.events
    ]


def _prefer_resources(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: the duration of sub-events whose role got a resource outside the set."""
    role = c.role or ""
    preferred = set(c.preferred_resources)
    return [
        sum(
            p.duration
            for p in ctx.by_event[e]
            if role in p.resources
            and p.resources[role] not in preferred
            and any(s.role == role and not s.reference for s in ctx.instance.events[e].resources)
        )
        for e in c.events
    ]


def _split_events(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: sub-events of a forbidden duration plus the amount outside its bounds."""
    v = c.values
    deviations = []
    for e in c.events:
        parts = ctx.by_event[e]
        bad = sum(
            1
            for p in parts
            if p.duration < v.get("MinimumDuration", 1)
            or p.duration > v.get("MaximumDuration", 10**9)
        )
        n = len(parts)
        bad += max(0, v.get("MinimumAmount", 0) - n) + max(0, n - v.get("MaximumAmount", 10**9))
        deviations.append(bad)
    return deviations


def _distribute_split(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event: how far the number of sub-events of one duration is outside its bounds."""
    v = c.values
    deviations = []
    for e in c.events:
        n = sum(1 for p in ctx.by_event[e] if p.duration == v.get("Duration"))
        deviations.append(max(0, v.get("Minimum", 0) - n) + max(0, n - v.get("Maximum", 10**9)))
    return deviations


def _spread_events(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event group: sub-events starting in each time group outside its bounds."""
    deviations = []
    for group in c.event_groups:
        starts = [
            p.start
            for e in ctx.instance.event_groups.get(group, [])
            for p in ctx.by_event[e]
            if p.start is not None
        ]
        deviation = 0
        for limit in c.time_limits:
            times = ctx.times(ctx.instance.group_times(limit.group))
            n = sum(1 for s in starts if s in times)
            deviation += max(0, (limit.minimum or 0) - n)
            deviation += max(0, n - (limit.maximum if limit.maximum is not None else 10**9))
        deviations.append(deviation)
    return deviations


def _link_events(ctx: _Context, c: XConstraint) -> list[int]:
    """Per event group: times used by some but not all of its events."""
    deviations = []
    for group in c.event_groups:
        used = [
            {t for p in ctx.by_event[e] for t in p.occupied()}
            for e in ctx.instance.event_groups.get(group, [])
        ]
        if not used:
            deviations.append(0)
            continue
        union = set().union(*used)
        common = set.intersection(*used)
        deviations.append(len(union - common))
    return deviations


def _avoid_clashes(ctx: _Context, c: XConstraint) -> list[int]:
    """Per resource: the surplus of simultaneous sub-events over all times."""
    return [sum(n - 1 for n in ctx.busy[r].values() if n > 1) for r in c.resources]


def _avoid_unavailable(ctx: _Context, c: XConstraint) -> list[int]:
    """Per resource: the number of unavailable times at which it is busy."""
    times = ctx.times(c.times)
    return [sum(1 for t, n in ctx.busy[r].items() if n > 0 and t in times) for r in c.resources]


def _group_time_lists(ctx: _Context, c: XConstraint) -> list[list[int]]:
    """Return the sorted time indices of each time group of a constraint."""
    return [sorted(ctx.times(ctx.instance.group_times(x.group))) for x in c.time_limits]


def _limit_idle(ctx: _Context, c: XConstraint) -> list[int]:
    """Per resource: total idle times inside its busy span of each time group, out of bounds."""
    groups = _group_time_lists(ctx, c)
    deviations = []
    for r in c.resources:
        busy = {t for t, n in ctx.busy[r].items() if n > 0}
        idle = 0
        for times in groups:
            hit = [i for i, t in enumerate(times) if t in busy]
            if hit:
                idle += sum(1 for t in times[hit[0] : hit[-1] + 1] if t not in busy)
        deviations.append(_outside(c, idle))
    return deviations


def _cluster_busy(ctx: _Context, c: XConstraint) -> list[int]:
    """Per resource: the number of time groups in which it is busy, out of bounds."""
    groups = _group_time_lists(ctx, c)
    deviations = []
    for r in c.resources:
        busy = {t for t, n in ctx.busy[r].items() if n > 0}
        active = sum(1 for times in groups if busy.intersection(times))
        deviations.append(_outside(c, active))
    return deviations


def _limit_busy(ctx: _Context, c: XConstraint) -> list[int]:
    """Per resource: for each time group where it is busy, busy times out of bounds."""
    groups = _group_time_lists(ctx, c)
    deviations = []
    for r in c.resources:
        busy = {t for t, n in ctx.busy[r].items() if n > 0}
        deviation = 0
        for times in groups:
            n = len(busy.intersection(times))
            if n > 0:
                deviation += _outside(c, n)
        deviations.append(deviation)
    return deviations


def _outside(c: XConstraint, value: int) -> int:
    """Return how far a value lies outside the constraint's Minimum..Maximum."""
    low = c.values.get("Minimum", 0)
    high = c.values.get("Maximum", 10**9)
    return max(0, low - value) + max(0, value - high)


_RULES: dict[str, Callable[[_Context, XConstraint], list[int]]] = {
    "AssignTimeConstraint": _assign_time,
    "AssignResourceConstraint": _assign_resource,
    "PreferTimesConstraint": _prefer_times,
    "PreferResourcesConstraint": _prefer_resources,
    "SplitEventsConstraint": _split_events,
    "DistributeSplitEventsConstraint": _distribute_split,
    "SpreadEventsConstraint": _spread_events,
    "LinkEventsConstraint": _link_events,
    "AvoidClashesConstraint": _avoid_clashes,
    "AvoidUnavailableTimesConstraint": _avoid_unavailable,
    "LimitIdleTimesConstraint": _limit_idle,
    "ClusterBusyTimesConstraint": _cluster_busy,
    "LimitBusyTimesConstraint": _limit_busy,
}

SUPPORTED = frozenset(_RULES)
