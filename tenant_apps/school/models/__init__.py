"""The school's own tables: structure (locations, years, groups) and people."""

from tenant_apps.school.models.people import (
    AddressSource,
    Contact,
    ContactRelation,
    StaffMember,
    StaffRole,
    Student,
    StudentAddress,
    StudentQuerySet,
)
from tenant_apps.school.models.structure import (
    MAX_MENTORS,
    Group,
    GroupMembership,
    GroupMembershipQuerySet,
    Holiday,
    Location,
    SchoolYear,
    SchoolYearQuerySet,
    YearGroup,
)

__all__ = [
    "MAX_MENTORS",
    "AddressSource",
    "Contact",
    "ContactRelation",
    "Group",
    "GroupMembership",
    "GroupMembershipQuerySet",
    "Holiday",
    "Location",
    "SchoolYear",
    "SchoolYearQuerySet",
    "StaffMember",
    "StaffRole",
    "Student",
    "StudentAddress",
    "StudentQuerySet",
    "YearGroup",
]
