"""Participant lists of a session as CSV and XLSX, for staff (no writes)."""

import csv
import io
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from shared_apps.events.models import TrainingSession
from shared_apps.events.selectors import session_participants


def participant_header() -> list[str]:
    """Return the column titles of a participant list."""
    return [
        _("Name"),
        _("E-mail address"),
        _("School"),
        _("BRIN"),
        _("Status"),
        _("Attended"),
        _("Registered at"),
    ]


def participant_rows(session: TrainingSession) -> Iterator[list[str]]:
    """Yield one row per participant of ``session``, cancelled ones included."""
    for participant in session_participants(session):
        school = participant.registration.school
        attended = {True: _("yes"), False: _("no"), None: ""}[participant.attended]
        registered = timezone.localtime(participant.registered_at)
        yield [
            _inert(participant.name),
            _inert(participant.email),
            _inert(school.name),
            school.branch_code,
            str(participant.get_status_display()),
            str(attended),
            f"{registered:%Y-%m-%d %H:%M}",
        ]


def participants_csv(session: TrainingSession) -> str:
    """Return the participant list as CSV with semicolons, as Dutch spreadsheets expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(participant_header())
    writer.writerows(participant_rows(session))
    return buffer.getvalue()


def participants_xlsx(session: TrainingSession) -> bytes:
    """Return the participant list as an XLSX workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Participants")
    sheet.append(participant_header())
    for row in participant_rows(session):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _inert(text: str) -> str:
    """Keep spreadsheet programs from reading typed-in text as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
