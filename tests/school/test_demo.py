"""The demo parts of the school core add themselves once."""

from tenant_apps.absence.demo import populate_absence
from tenant_apps.absence.models import Absence
from tenant_apps.logbook.demo import populate_logbook
from tenant_apps.logbook.models import LogbookEntry
from tests.school.conftest import Workshop


def test_demo_absence_and_notes_are_added_once(workshop: Workshop) -> None:
    assert populate_absence(7) is True
    assert populate_logbook(7) is True
    counts = (Absence.objects.count(), LogbookEntry.objects.count())

    assert populate_absence(7) is False
    assert populate_logbook(7) is False
    assert counts[0] > 0 and counts[1] > 0
    assert (Absence.objects.count(), LogbookEntry.objects.count()) == counts
