"""From the input in a school's database to a published timetable, on a small school."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tenant_apps.absence.models import LessonPeriod
from tenant_apps.school.models import StaffMember
from tenant_apps.timetable import calendar, selectors, services
from tenant_apps.timetable.models import (
    Course,
    LessonRequirement,
    ScheduledLesson,
    SolveState,
    Subject,
    TimetableVersion,
    VersionStatus,
)
from tests.helpers import SCHOOL_A, login
from tests.timetable.conftest import SmallTimetableSchool


def solve_now(school: SmallTimetableSchool, based_on: TimetableVersion | None = None):
    """Queue a version as the page does, then run the task's body in this transaction."""
    version = services.do_start_solve(school.timetabler, based_on=based_on)
    services.run_solve(version.pk)
    version.refresh_from_db()
    return version


def next_weekday(weekday: int) -> datetime.date:
    today = datetime.date.today()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7)


def test_solve_makes_a_verified_timetable_that_keeps_every_rule(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school

    version = solve_now(school)

    assert version.solve_state == SolveState.DONE
    assert version.verified and version.violations == []
    lessons = list(version.lessons.all())
    assert len(lessons) == school.lessons_per_week
    assert selectors.conflicts(version) == []
    anna = school.teachers[0]
    assert not [x for x in lessons if x.teacher == anna and x.weekday == 0 and x.period <= 4]
    cooking = [x for x in lessons if x.subject_code == "KO"]
    assert {x.room for x in cooking} == {school.kitchen}
    assert all(x.duration == 2 for x in cooking)
    for requirement in school.requirements:
        days = [x.weekday for x in lessons if x.requirement_id == requirement.pk]
        assert len(days) == len(set(days)), "lessons of one subject fall on different days"
    assert version.costs["student_gaps"] == 0
    # The solve wrote its heartbeat, so the stale-solve check can tell it was alive.
    assert version.heartbeat_at is not None


def test_published_timetable_reaches_student_page_app_and_calendar(
    small_timetable_school: SmallTimetableSchool, make_user
) -> None:
    school = small_timetable_school
    version = solve_now(school)
    services.do_publish(version)
    student = school.individual

    own = selectors.student_lessons(student, datetime.date.today())
    assert {x.subject_code for x in own} == {"NE", "RE", "KO", "LOB"}
    assert len(own) == 3 + 3 + 1 + 1
    other = school.students[3]
    assert "LOB" not in {
        x.subject_code for x in selectors.student_lessons(other, datetime.date.today())
    }

    client = login(SCHOOL_A.domain, school.timetabler.username)
    page = client.get(f"/leerlingen/{student.pk}/rooster/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "LOB" in html and 'data-tab="timetable"' in html

    anna = school.teachers[0]
    teacher_user = make_user("anna-rooster", "teacher")
    StaffMember.objects.filter(user=teacher_user).delete()
    anna.user = teacher_user
    anna.save()
    monday_lesson = next(x for x in version.lessons.filter(teacher=anna).order_by("weekday"))
    day = next_weekday(monday_lesson.weekday)
    app = login(SCHOOL_A.domain, teacher_user.username)
    listed = app.get(f"/api/v1/lessons/?date={day.isoformat()}").json()
    expected = version.lessons.filter(teacher=anna, weekday=day.weekday()).count()
    assert len(listed) == expected > 0
    first = listed[0]
    period = LessonPeriod.objects.get(number=first["period"])
    assert first["starts_at"] == period.starts_at.strftime("%H:%M:%S")
    assert first["room"] and first["location"]

    token = calendar.feed_token("student", student.pk)
    feed = client.get(f"/rooster/agenda/{token}.ics")
    assert feed.status_code == 200
    body = feed.content.decode()
    assert body.count("BEGIN:VEVENT") == len(own)
    assert "RRULE:FREQ=WEEKLY" in body and "TZID=Europe/Amsterdam" in body


def test_group_absence_screen_offers_the_lessons_of_the_day(
    small_timetable_school: SmallTimetableSchool, make_user
) -> None:
    school = small_timetable_school
    services.do_publish(solve_now(school))
    group = school.groups[0]
    lesson = ScheduledLesson.objects.published().filter(group=group).order_by("weekday")[0]
    day = next_weekday(lesson.weekday)
    user = make_user("absentie-rooster", "administrator")

    html = (
        login(SCHOOL_A.domain, user.username)
        .get(f"/absentie/groep/{group.pk}/?datum={day.isoformat()}")
        .content.decode()
    )

    assert 'data-testid="group-lessons"' in html
    assert f"uur={lesson.period}" in html


def test_pinned_lesson_stays_and_few_others_move(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    first = solve_now(school)
    lesson = first.lessons.filter(subject_code="RE").order_by("weekday", "period")[0]
    target_day = (lesson.weekday + 2) % 5
    taken = set(
        first.lessons.filter(group=lesson.group, weekday=target_day).values_list(
            "period", flat=True
        )
    )
    target_period = next(n for n in range(1, 9) if n not in taken)
    services.do_pin_lesson(lesson, target_day, target_period)

    second = solve_now(school, based_on=first)

    assert second.solve_state == SolveState.DONE and second.verified
    pinned = second.lessons.get(pinned=True)
    assert (pinned.weekday, pinned.period, pinned.requirement_id) == (
        target_day,
        target_period,
        lesson.requirement_id,
    )
    before = {(x.requirement_id, x.weekday, x.period) for x in first.lessons.all()}
    after = {(x.requirement_id, x.weekday, x.period) for x in second.lessons.all()}
    moved = len(after - before)
    assert moved <= 3, f"{moved} lessons moved for one pin"
    assert second.costs["moves"] == moved


def test_publishing_archives_the_previous_and_refuses_clashes(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    first = solve_now(school)
    services.do_publish(first)
    second = solve_now(school)

    services.do_publish(second)

    first.refresh_from_db()
    assert first.status == VersionStatus.ARCHIVED
    assert TimetableVersion.objects.filter(status=VersionStatus.PUBLISHED).get() == second

    third = solve_now(school)
    # The shorter lesson onto the other's start: it fits there whatever the timetable.
    by_length = third.lessons.filter(group=school.groups[0]).order_by("duration", "weekday")
    a, b = by_length[:2]
    services.do_pin_lesson(a, b.weekday, b.period)
    assert any("tegelijk" in line or "same time" in line for line in selectors.conflicts(third))
    with pytest.raises(ValidationError):
        services.do_publish(third)


def test_impossible_input_gets_a_dutch_explanation(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    anna = school.teachers[0]
    LessonRequirement.objects.create(
        subject=Subject.objects.get(code="NE"),
        group=school.groups[0],
        teacher=anna,
        per_week=10,
        duration=4,
        spread_days=False,
    )

    version = solve_now(school)

    assert version.solve_state == SolveState.INFEASIBLE
    assert not version.lessons.exists()
    text = " ".join(version.explanation)
    assert "Anna Roosters" in text
    assert "docent" in text.lower() or "lessen" in text.lower()


def test_a_solve_that_breaks_leaves_a_failed_version_not_a_running_one(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    version = services.do_start_solve(school.timetabler)
    # A lesson longer than the school day makes the instance itself invalid.
    LessonPeriod.objects.filter(number__gt=1).delete()

    with pytest.raises(Exception, match="duration"):
        services.run_solve(version.pk)

    version.refresh_from_db()
    assert version.solve_state == SolveState.FAILED
    assert version.explanation


def test_students_of_an_elective_course_each_join_one_section(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    sport = Subject.objects.create(code="SP", name="Sport")
    course = Course.objects.create(name="Keuze sport", max_size_difference=1)
    course.students.set(school.students)
    for teacher in school.teachers[1:]:
        LessonRequirement.objects.create(subject=sport, teacher=teacher, course=course)

    version = solve_now(school)

    assert version.solve_state == SolveState.DONE and version.verified
    sections = list(version.lessons.filter(subject_code="SP"))
    assert len(sections) == 2
    members = [set(lesson.student_ids) for lesson in sections]
    assert members[0].isdisjoint(members[1])
    assert members[0] | members[1] == {s.pk for s in school.students}
    assert abs(len(members[0]) - len(members[1])) <= 1
    services.do_publish(version)
    student = school.students[4]
    mine = [
        x
        for x in selectors.student_lessons(student, datetime.date.today())
        if x.subject_code == "SP"
    ]
    assert len(mine) == 1 and student.pk in mine[0].student_ids


def test_a_timetable_the_checker_rejects_cannot_be_published(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    version = solve_now(small_timetable_school)
    TimetableVersion.objects.filter(pk=version.pk).update(
        violations=["student s1 cannot travel l1->l2 on day 0"], verified=False
    )
    version.refresh_from_db()

    with pytest.raises(ValidationError, match=r"controle|check"):
        services.do_publish(version)
    assert not TimetableVersion.objects.filter(status=VersionStatus.PUBLISHED).exists()
