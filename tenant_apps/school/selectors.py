"""Read-only queries on the school's structure: groups as of a day, search, the student page."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from tenant_apps.school.models import (
    Contact,
    Group,
    GroupMembership,
    Location,
    StaffMember,
    Student,
    StudentAddress,
)

MIN_TRIGRAM_LENGTH = 3


def locations_with_counts() -> QuerySet[Location]:
    """Return the locations with the number of students and groups at each."""
    return Location.objects.annotate(
        student_count=Count("students", distinct=True),
        group_count=Count("groups", distinct=True),
    ).order_by("name")


def search_students(query: str, day: datetime.date | None = None) -> QuerySet[Student]:
    """Return students whose name, number or group (on ``day``) matches every term.

    Names and numbers are matched on ``search_text``, which a trigram index serves for
    terms of three characters or more; shorter terms match the start of a last name or
    number. A term that is exactly a group's name also matches that group's students.
    Group names are looked up first, so a plain name search stays a single index scan.
    """
    students = Student.objects.select_related("location", "year_group")
    terms = query.lower().split()
    if not terms:
        return students.order_by("last_name", "first_name")

    day = day or datetime.date.today()
    named_groups: dict[str, list[int]] = {}
    any_term = Q()
    for term in terms:
        any_term |= Q(name__iexact=term)
    for group_id, name in Group.objects.filter(any_term).values_list("pk", "name"):
        named_groups.setdefault(name.lower(), []).append(group_id)
    for term in terms:
        if len(term) >= MIN_TRIGRAM_LENGTH:
            matches = Q(search_text__contains=term)
        else:
            matches = Q(last_name__istartswith=term) | Q(student_number__istartswith=term)
        if term in named_groups:
            members = GroupMembership.objects.as_of(day).filter(group__in=named_groups[term])
            matches |= Q(pk__in=members.values("student"))
        students = students.filter(matches)
    # Sorting on lower-cased names, which no index provides, keeps the planner from walking
    # the name index past thousands of rows to fill a page; the trigram match comes first.
    return students.order_by(Lower("last_name"), Lower("first_name"), "pk")


def groups_as_of(day: datetime.date) -> QuerySet[Group]:
    """Return groups with their current number of members and guests on ``day``."""
    current = Q(memberships__start__lte=day) & (
        Q(memberships__end__isnull=True) | Q(memberships__end__gte=day)
    )
    return Group.objects.annotate(
        member_count=Count("memberships", filter=current & Q(memberships__is_guest=False)),
        guest_count=Count("memberships", filter=current & Q(memberships__is_guest=True)),
    ).order_by("name")


def supervised_groups(staff: StaffMember | None, day: datetime.date) -> QuerySet[Group]:
    """Return the groups ``staff`` mentors or teaches, wherever their students come from."""
    if staff is None:
        return Group.objects.none()
    return (
        groups_as_of(day)
        .filter(Q(mentors=staff) | Q(teachers=staff))
        .select_related("location", "year_group")
        .distinct()
    )


def groups_of_student(student: Student, day: datetime.date) -> list[GroupMembership]:
    """Return ``student``'s places in groups on ``day``."""
    return list(
        GroupMembership.objects.as_of(day)
        .filter(student=student)
        .select_related("group")
        .order_by("is_guest", "group__name")
    )


@dataclass
class StudentPage:
    student: Student
    memberships: list[GroupMembership]
    contacts: list[Contact]
    brp_address: StudentAddress | None
    school_addresses: list[StudentAddress]


def student_page(student_id: int, day: datetime.date) -> StudentPage:
    """Return what the general tab of a student's page shows, in a fixed number of queries."""
    current = GroupMembership.objects.as_of(day).select_related("group").order_by("is_guest")
    student = (
        Student.objects.select_related("location", "year_group", "intake_group")
        .prefetch_related(
            Prefetch("memberships", queryset=current, to_attr="current_memberships"),
            "contacts",
            "addresses",
        )
        .get(pk=student_id)
    )
    addresses = list(student.addresses.all())
    return StudentPage(
        student=student,
        memberships=student.current_memberships,  # type: ignore[attr-defined]
        contacts=list(student.contacts.all()),
        brp_address=next((a for a in addresses if a.source == "brp"), None),
        school_addresses=[a for a in addresses if a.source != "brp"],
    )
