"""Assign course students to sections before timetabling (an optional decomposition).

Design note: deciding sections inside the CP model couples every student to every section
time, which makes large schools slow to get a first timetable. Fixing the assignment first
is what many timetablers do by hand: sizes are balanced to within one student, capacities
are respected, and students of the same group are kept together so that the model can merge
students with identical timetables. The CP model then treats sections as ordinary lessons.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from solver.instance import Instance, Lesson


def preassign_sections(instance: Instance) -> tuple[Instance, dict[str, dict[str, str]]]:
    """Return a copy of the instance without courses, and the section of each student."""
    group_of: dict[str, str] = {}
    for group in instance.groups:
        for sid in group.members:
            group_of.setdefault(sid, group.id)

    sections: dict[str, list[Lesson]] = defaultdict(list)
    for lesson in instance.lessons:
        if lesson.course is not None:
            sections[lesson.course].append(lesson)

    chosen: dict[str, dict[str, str]] = defaultdict(dict)
    members: dict[str, list[str]] = defaultdict(list)
    for course in instance.courses:
        lessons = sections[course.id]
        if not lessons:
            continue
        # Keep groups together: students sorted by group fill sections one after another,
        # with target sizes as equal as possible.
        students = sorted(course.students, key=lambda s: (group_of.get(s, ""), s))
        base, extra = divmod(len(students), len(lessons))
        start = 0
        for k, lesson in enumerate(lessons):
            size = base + (1 if k < extra else 0)
            for sid in students[start : start + size]:
                chosen[sid][course.id] = lesson.id
                members[lesson.id].append(sid)
            start += size

    lessons = [
        dataclasses.replace(
            lesson,
            students=tuple(lesson.students) + tuple(members[lesson.id]),
            course=None,
        )
        if lesson.course is not None
        else lesson
        for lesson in instance.lessons
    ]
    fixed = dataclasses.replace(instance, lessons=lessons, courses=[])
    return fixed, dict(chosen)
