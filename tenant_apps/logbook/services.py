"""Every change to the logbook."""

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.logbook.models import Category, LogbookEntry
from tenant_apps.school.models import Student

logger = logging.getLogger(__name__)

MAX_NOTE_LENGTH = 5000


def do_add_logbook_entry(
    author: AbstractBaseUser | AnonymousUser,
    student: Student,
    *,
    day: datetime.date,
    category: str,
    text: str,
) -> LogbookEntry:
    """Add a note on ``student``; the author's name is kept with it for the record."""
    text = text.strip()
    if not text:
        raise ValidationError(_("The note is empty."), code="empty")
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationError(
            _("A note holds at most %(max)d characters."),
            code="too_long",
            params={"max": MAX_NOTE_LENGTH},
        )
    if category not in Category.values:
        raise ValidationError(_("Choose a category from the list."), code="category")
    if day > timezone.localdate():
        raise ValidationError(_("A note cannot be about a day in the future."), code="future")

    entry = LogbookEntry.objects.create(
        student=student,
        date=day,
        category=category,
        text=text,
        author_id=author.pk,
        author_name=_author_name(author),
        created_at=timezone.now(),
    )
    logger.info("logbook entry added", extra={"entry": entry.pk, "category": category})
    return entry


def _author_name(author: AbstractBaseUser | AnonymousUser) -> str:
    full_name = getattr(author, "get_full_name", lambda: "")()
    return str(full_name or author.get_username())
