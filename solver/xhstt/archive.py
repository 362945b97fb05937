"""Read XHSTT archive files: instances and the solutions embedded in them.

Design note: XHSTT names everything by id and lets times, resources and events join groups
from either side (a time names its day and time groups; an event names its course and event
groups). The reader resolves all of that into plain dataclasses with explicit member lists,
so the evaluator and the solver never look at XML. Times keep their archive order, which is
what "consecutive" means for durations and idle times.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from solver.safexml import parse_file


@dataclass
class XTime:
    """One time of the cycle, in archive order."""

    id: str
    index: int
    name: str
    day: str | None


@dataclass
class XResource:
    """A teacher, class, room or other resource."""

    id: str
    name: str
    type: str | None


@dataclass
class XEventResource:
    """A resource slot of an event: preassigned when ``reference`` is set."""

    reference: str | None
    role: str | None
    type: str | None


@dataclass
class XEvent:
    """An event of a given total duration with its resource slots."""

    id: str
    name: str
    duration: int
    time: str | None
    resources: list[XEventResource]


@dataclass
class XTimeLimit:
    """A time group reference inside a constraint, with optional minimum and maximum."""

    group: str
    minimum: int | None
    maximum: int | None


@dataclass
class XConstraint:
    """A constraint with its points of application already resolved to ids."""

    kind: str
    id: str
    name: str
    required: bool
    weight: int
    cost_function: str
    events: list[str] = field(default_factory=list)
    event_groups: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    time_limits: list[XTimeLimit] = field(default_factory=list)
    times: list[str] = field(default_factory=list)
    preferred_resources: list[str] = field(default_factory=list)
    role: str | None = None
    values: dict[str, int] = field(default_factory=dict)


@dataclass
class XInstance:
    """One XHSTT instance."""

    id: str
    name: str
    times: list[XTime]
    time_groups: dict[str, list[str]]
    resources: dict[str, XResource]
    resource_groups: dict[str, list[str]]
    events: dict[str, XEvent]
    event_groups: dict[str, list[str]]
    constraints: list[XConstraint]

    def time_index(self) -> dict[str, int]:
        """Return the position of each time id."""
        return {t.id: t.index for t in self.times}

    def group_times(self, group: str) -> list[str]:
        """Return the times of a time group."""
        return self.time_groups.get(group, [])


@dataclass
class XSolutionEvent:
    """A (sub-)event of a solution: a duration, an optional time and assigned resources."""

    event: str
    duration: int
    time: str | None
    resources: dict[str, str]


@dataclass
class XSolution:
    """A solution of one instance, with the costs its authors reported if any."""

    group: str
    instance: str
    events: list[XSolutionEvent]
    reported: tuple[int, int] | None = None


@dataclass
class Archive:
    """Instances and solutions of one archive file."""

    instances: list[XInstance]
    solutions: list[XSolution]


def read_archive(path: str | Path) -> Archive:
    """Read an XHSTT archive file."""
    root = parse_file(path)
    instances = [_instance(node) for node in root.iter("Instance")]
    by_id = {inst.id: inst for inst in instances}
    solutions = []
    for group in root.iter("SolutionGroup"):
        for node in group.findall("Solution"):
            reference = node.get("Reference", "")
            if reference in by_id:
                solutions.append(_solution(group.get("Id", ""), node, by_id[reference]))
    return Archive(instances, solutions)


def _text(node: ET.Element, tag: str, default: str = "") -> str:
    """Return the stripped text of a child element."""
    child = node.find(tag)
    return (child.text or "").strip() if child is not None else default


def _refs(node: ET.Element | None, tag: str) -> list[str]:
    """Return the Reference attributes of the direct children named ``tag``."""
    if node is None:
        return []
    return [child.get("Reference", "") for child in node.findall(tag)]


def _instance(node: ET.Element) -> XInstance:
    """Read one Instance element."""
    times, time_groups = _times(node.find("Times"))
    resources, resource_groups = _resources(node.find("Resources"))
    events, event_groups = _events(node.find("Events"))
    constraints = [
        _constraint(c, time_groups, resource_groups, event_groups)
        for c in (node.find("Constraints") or [])
    ]
    name = _text(node.find("MetaData") or ET.Element("x"), "Name") or node.get("Id", "")
    return XInstance(
        node.get("Id", ""),
        name,
        times,
        time_groups,
        resources,
        resource_groups,
        events,
        event_groups,
        constraints,
    )


def _times(node: ET.Element | None) -> tuple[list[XTime], dict[str, list[str]]]:
    """Read times and resolve their day, week and time-group memberships."""
    groups: dict[str, list[str]] = {}
    times: list[XTime] = []
    if node is None:
        return times, groups
    for group in node.find("TimeGroups") or []:
        groups[group.get("Id", "")] = []
    for item in node.findall("Time"):
        ident = item.get("Id", "").strip()
        day = item.find("Day")
        day_id = day.get("Reference") if day is not None else None
        times.append(XTime(ident, len(times), _text(item, "Name"), day_id))
        member_of = [r for tag in ("Day", "Week") for r in _refs(item, tag)]
        member_of += _refs(item.find("TimeGroups"), "TimeGroup")
        for group_id in member_of:
            groups.setdefault(group_id, []).append(ident)
    return times, groups


def _resources(node: ET.Element | None) -> tuple[dict[str, XResource], dict[str, list[str]]]:
    """Read resources and resolve their resource-group memberships."""
    groups: dict[str, list[str]] = {}
    resources: dict[str, XResource] = {}
    if node is None:
        return resources, groups
    for group in node.find("ResourceGroups") or []:
        groups[group.get("Id", "")] = []
    for item in node.findall("Resource"):
        ident = item.get("Id", "").strip()
        rtype = item.find("ResourceType")
        type_id = rtype.get("Reference") if rtype is not None else None
        resources[ident] = XResource(ident, _text(item, "Name"), type_id)
        for group_id in _refs(item.find("ResourceGroups"), "ResourceGroup"):
            groups.setdefault(group_id, []).append(ident)
    return resources, groups


def _events(node: ET.Element | None) -> tuple[dict[str, XEvent], dict[str, list[str]]]:
    """Read events and resolve their course and event-group memberships."""
    groups: dict[str, list[str]] = {}
    events: dict[str, XEvent] = {}
    if node is None:
        return events, groups
    for group in node.find("EventGroups") or []:
        groups[group.get("Id", "")] = []
    for item in node.findall("Event"):
        ident = item.get("Id", "").strip()
        time = item.find("Time")
        slots = [
            XEventResource(
                res.get("Reference"),
                _text(res, "Role") or None,
                res.find("ResourceType").get("Reference")  # type: ignore[union-attr]
                if res.find("ResourceType") is not None
                else None,
            )
            for res in (item.find("Resources") or [])
            if res.tag == "Resource"
        ]
        events[ident] = XEvent(
            ident,
            _text(item, "Name"),
            int(_text(item, "Duration", "1")),
            time.get("Reference") if time is not None else None,
            slots,
        )
        member_of = _refs(item, "Course") + _refs(item.find("EventGroups"), "EventGroup")
        for group_id in member_of:
            groups.setdefault(group_id, []).append(ident)
    return events, groups


def _constraint(
    node: ET.Element,
    time_groups: dict[str, list[str]],
    resource_groups: dict[str, list[str]],
    event_groups: dict[str, list[str]],
) -> XConstraint:
    """Read one constraint and resolve what it applies to."""
    applies = node.find("AppliesTo")
    kind = node.tag
    constraint = XConstraint(
        kind=kind,
        id=node.get("Id", ""),
        name=_text(node, "Name"),
        required=_text(node, "Required").lower() == "true",
        weight=int(_text(node, "Weight", "1")),
        cost_function=_text(node, "CostFunction", "Linear"),
        role=_text(node, "Role") or None,
    )
    if applies is not None:
        constraint.event_groups = _refs(applies.find("EventGroups"), "EventGroup")
        direct = _refs(applies.find("Events"), "Event")
        grouped = [e for g in constraint.event_groups for e in event_groups.get(g, [])]
        constraint.events = list(dict.fromkeys(grouped + direct))
        resources = _refs(applies.find("Resources"), "Resource")
        for group in _refs(applies.find("ResourceGroups"), "ResourceGroup"):
            resources += resource_groups.get(group, [])
        constraint.resources = list(dict.fromkeys(resources))

    for tg in node.find("TimeGroups") or []:
        minimum, maximum = tg.find("Minimum"), tg.find("Maximum")
        constraint.time_limits.append(
            XTimeLimit(
                tg.get("Reference", ""),
                int(minimum.text or 0) if minimum is not None else None,
                int(maximum.text or 0) if maximum is not None else None,
            )
        )
    times = _refs(node.find("Times"), "Time")
    for limit in constraint.time_limits:
        times += time_groups.get(limit.group, [])
    constraint.times = list(dict.fromkeys(times))

    preferred = _refs(node.find("Resources"), "Resource")
    for group in _refs(node.find("ResourceGroups"), "ResourceGroup"):
        preferred += resource_groups.get(group, [])
    constraint.preferred_resources = list(dict.fromkeys(preferred))

    for tag in (
        "Minimum",
        "Maximum",
        "Duration",
        "MinimumDuration",
        "MaximumDuration",
        "MinimumAmount",
        "MaximumAmount",
    ):
        child = node.find(tag)
        if child is not None and child.text is not None:
            constraint.values[tag] = int(child.text)
    return constraint


def _solution(group: str, node: ET.Element, instance: XInstance) -> XSolution:
    """Read one Solution element."""
    events = []
    for item in node.find("Events") or []:
        reference = item.get("Reference", "")
        event = instance.events.get(reference)
        if event is None:
            continue
        duration = _text(item, "Duration")
        time = item.find("Time")
        assigned = {}
        for res in item.find("Resources") or []:
            role = _text(res, "Role")
            if res.get("Reference"):
                assigned[role] = res.get("Reference", "")
        events.append(
            XSolutionEvent(
                reference,
                int(duration) if duration else event.duration,
                time.get("Reference") if time is not None else None,
                assigned,
            )
        )
    report = node.find("Report")
    reported = None
    if report is not None:
        reported = (
            int(_text(report, "InfeasibilityValue", "0")),
            int(_text(report, "ObjectiveValue", "0")),
        )
    return XSolution(group, instance.id, events, reported)
