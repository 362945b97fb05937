"""The demo school ships a solved, published timetable, added once."""

from tenant_apps.school.models import StaffMember, StaffRole
from tenant_apps.timetable.demo import populate_timetable
from tenant_apps.timetable.models import TimetableVersion, VersionStatus
from tests.school.conftest import Workshop


def test_demo_timetable_is_solved_published_and_added_once(workshop: Workshop) -> None:
    teacher = StaffMember.objects.create(
        first_name="Demo", last_name="Docent", role=StaffRole.TEACHER
    )
    workshop.group.mentors.add(teacher)

    assert populate_timetable() is True

    version = TimetableVersion.objects.get()
    assert version.status == VersionStatus.PUBLISHED
    assert version.verified
    assert version.lessons.filter(group=workshop.group).count() == 3 + 3 + 2 + 1 + 1
    assert populate_timetable() is False
    assert TimetableVersion.objects.count() == 1
