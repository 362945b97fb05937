"""Dated membership, guests, mentors, personal numbers and search."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tenant_apps.school import selectors, services
from tenant_apps.school.models import Group, GroupMembership, StaffMember, Student
from tenant_apps.school.validators import (
    is_education_number,
    passes_eleven_test,
    validate_eck_id,
)
from tests.school.conftest import TODAY, Workshop, make_student

DAY = datetime.timedelta(days=1)


def test_membership_holds_from_start_to_end_inclusive(workshop: Workshop) -> None:
    other = Group.objects.create(name="Keuken", location=workshop.north)
    student = workshop.students[0]
    services.do_move_to_group(student, workshop.group, other, TODAY)

    yesterday = {m.group.name for m in selectors.groups_of_student(student, TODAY - DAY)}
    today = {m.group.name for m in selectors.groups_of_student(student, TODAY)}

    assert yesterday == {"Werkplaats"}
    assert today == {"Keuken"}
    assert set(Student.objects.in_group(workshop.group, TODAY - DAY)) >= {student}
    assert student not in set(Student.objects.in_group(workshop.group, TODAY))


def test_membership_before_start_does_not_count(workshop: Workshop) -> None:
    later = TODAY + 10 * DAY
    services.do_add_to_group(workshop.outsider, workshop.group, later)

    assert workshop.outsider not in Student.objects.in_group(workshop.group, TODAY)
    assert workshop.outsider in Student.objects.in_group(workshop.group, later)


def test_overlapping_place_in_the_same_group_is_refused(workshop: Workshop) -> None:
    with pytest.raises(ValidationError) as error:
        services.do_add_to_group(workshop.students[0], workshop.group, TODAY)
    assert error.value.code == "overlap"


def test_guests_are_counted_apart_from_members(workshop: Workshop) -> None:
    group = selectors.groups_as_of(TODAY).get(pk=workshop.group.pk)

    assert (group.member_count, group.guest_count) == (3, 1)  # type: ignore[attr-defined]
    guest_place = GroupMembership.objects.as_of(TODAY).get(student=workshop.guest)
    assert guest_place.is_guest


def test_a_group_has_at_most_two_mentors(workshop: Workshop) -> None:
    mentors = [StaffMember.objects.create(first_name=f"M{n}", last_name="Test") for n in range(3)]

    services.do_set_mentors(workshop.group, mentors[:2])
    with pytest.raises(ValidationError):
        services.do_set_mentors(workshop.group, mentors)

    assert set(workshop.group.mentors.all()) == set(mentors[:2])


def test_a_teacher_supervises_a_group_across_locations(workshop: Workshop) -> None:
    teacher = StaffMember.objects.create(first_name="Ria", last_name="Test")
    workshop.group.teachers.add(teacher)

    groups = list(selectors.supervised_groups(teacher, TODAY))

    assert groups == [workshop.group]
    locations = {s.location for s in Student.objects.in_group(workshop.group, TODAY)}
    assert locations == {workshop.north, workshop.south}


@pytest.mark.parametrize(
    ("number", "bsn", "education"),
    [
        ("111222333", True, False),
        ("123456782", True, False),
        ("101222331", False, True),
        ("111222334", False, False),
        ("12345678", False, False),
        ("000000000", False, False),
    ],
)
def test_personal_number_checks(number: str, bsn: bool, education: bool) -> None:
    assert passes_eleven_test(number) is bsn
    assert is_education_number(number) is education


def test_student_with_bad_numbers_is_refused_with_reasons(workshop: Workshop) -> None:
    student = Student(
        first_name="Noor",
        last_name="Fout",
        date_of_birth=datetime.date(2011, 1, 1),
        student_number="F-1",
        location=workshop.north,
        enrolled_on=TODAY,
        bsn="111222334",
        eck_id="https://ketenid.nl/201703/abc",
    )
    with pytest.raises(ValidationError) as error:
        services.do_save_student(student)

    assert set(error.value.message_dict) == {"bsn", "eck_id"}
    assert not Student.objects.filter(student_number="F-1").exists()


def test_bsn_and_education_number_are_unique_within_the_school(workshop: Workshop) -> None:
    make_student("U-1", workshop.north, bsn="111222333")
    make_student("U-2", workshop.north, education_number="101222331")

    duplicate = Student(
        first_name="Twee",
        last_name="Keer",
        date_of_birth=datetime.date(2011, 1, 1),
        student_number="U-3",
        location=workshop.north,
        enrolled_on=TODAY,
        bsn="111222333",
    )
    with pytest.raises(ValidationError) as error:
        services.do_save_student(duplicate)
    assert "bsn" in error.value.message_dict
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_student("U-4", workshop.north, education_number="101222331")


def test_a_student_has_a_bsn_or_an_education_number_not_both(workshop: Workshop) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_student("B-1", workshop.north, bsn="111222333", education_number="101222331")


def test_eck_id_format() -> None:
    validate_eck_id("https://ketenid.nl/201703/" + "0a" * 64)
    for wrong in (
        "https://ketenid.nl/201703/" + "0A" * 64,
        "https://ketenid.nl/201703/" + "0" * 127,
        "http://ketenid.nl/201703/" + "0" * 128,
    ):
        with pytest.raises(ValidationError):
            validate_eck_id(wrong)


def test_search_by_name_number_and_group(workshop: Workshop) -> None:
    by_name = set(selectors.search_students("visser"))
    by_part_of_name = set(selectors.search_students("ulde"))
    by_number = set(selectors.search_students("w-4"))
    by_group = set(selectors.search_students("werkplaats"))
    by_name_and_group = set(selectors.search_students("werkplaats jans"))

    assert by_name == {workshop.students[1]}
    assert by_part_of_name == {workshop.students[2]}
    assert by_number == {workshop.guest}
    assert by_group == {*workshop.students, workshop.guest}
    assert by_name_and_group == {workshop.students[0]}


def test_search_uses_the_trigram_index(workshop: Workshop) -> None:
    from django.db import connection

    query = selectors.search_students("visser").query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        # A handful of rows makes any plan cheap; leave the planner only index conditions.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "student_search_trgm" in plan, plan
