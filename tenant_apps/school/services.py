"""Every change to the school's structure and people: groups, mentors, membership, students."""

import datetime
import logging
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tenant_apps.school.models import (
    MAX_MENTORS,
    Group,
    GroupMembership,
    StaffMember,
    Student,
)

logger = logging.getLogger(__name__)


def do_set_mentors(group: Group, mentors: Sequence[StaffMember]) -> None:
    """Make ``mentors`` the mentors of ``group`` (at most two)."""
    if len(set(mentors)) > MAX_MENTORS:
        raise ValidationError(
            _("A group has at most %(max)d mentors."),
            code="too_many_mentors",
            params={"max": MAX_MENTORS},
        )
    group.mentors.set(mentors)


@transaction.atomic
def do_add_to_group(
    student: Student,
    group: Group,
    start: datetime.date,
    end: datetime.date | None = None,
    *,
    is_guest: bool = False,
) -> GroupMembership:
    """Place ``student`` in ``group`` from ``start`` (until ``end``), as member or guest.

    A student holds one place in a group at a time: a new place may not overlap one
    the student already has in the same group.
    """
    if end is not None and end < start:
        raise ValidationError(_("The end date lies before the start date."), code="dates")
    overlapping = GroupMembership.objects.filter(group=group, student=student).filter(
        Q(end__isnull=True) | Q(end__gte=start)
    )
    if end is not None:
        overlapping = overlapping.filter(start__lte=end)
    if overlapping.exists():
        raise ValidationError(
            _("The student already has a place in this group in that period."), code="overlap"
        )

    membership = GroupMembership.objects.create(
        group=group, student=student, start=start, end=end, is_guest=is_guest
    )
    logger.info("student placed in group", extra={"group": group.pk, "guest": is_guest})
    return membership


def do_end_membership(membership: GroupMembership, last_day: datetime.date) -> None:
    """End a place in a group on ``last_day`` (inclusive); history stays readable."""
    if last_day < membership.start:
        raise ValidationError(_("The end date lies before the start date."), code="dates")
    membership.end = last_day
    membership.save(update_fields=["end"])


def do_move_to_group(
    student: Student, old: Group, new: Group, first_day: datetime.date
) -> GroupMembership:
    """Move ``student`` from ``old`` to ``new``: the old place ends the day before."""
    with transaction.atomic():
        current = GroupMembership.objects.as_of(first_day).get(group=old, student=student)
        do_end_membership(current, first_day - datetime.timedelta(days=1))
        return do_add_to_group(student, new, first_day)


@transaction.atomic
def do_save_student(student: Student) -> Student:
    """Validate and save a student (personal numbers, ECK iD, uniqueness) in one step."""
    student.full_clean()
    student.save()
    return student
