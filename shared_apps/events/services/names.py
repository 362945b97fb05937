"""Checks on the names and addresses that schools type in (no writes)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from shared_apps.events.errors import RegistrationRefused

MAX_NAME_LENGTH = 200


def clean_attendee_names(names: list[str]) -> list[str]:
    """Return the non-empty names, stripped; refuse an empty list or a name given twice."""
    cleaned = [" ".join(name.split()) for name in names]
    cleaned = [name for name in cleaned if name]
    if not cleaned:
        raise RegistrationRefused(_("Fill in the name of at least one attendee."), "no_names")
    seen: set[str] = set()
    for name in cleaned:
        if len(name) > MAX_NAME_LENGTH:
            raise RegistrationRefused(_("A name may be at most 200 characters."), "long_name")
        if name.casefold() in seen:
            raise RegistrationRefused(
                _("The name %(name)s appears more than once.") % {"name": name}, "duplicate_name"
            )
        seen.add(name.casefold())
    return cleaned


@dataclass(frozen=True)
class PersonData:
    """A name with an e-mail address, as typed in a form."""

    name: str
    email: str


def clean_people(people: list[PersonData]) -> list[PersonData]:
    """Return the people with both fields filled in; refuse half-filled rows and duplicates."""
    cleaned: list[PersonData] = []
    seen: set[str] = set()
    for person in people:
        name = " ".join(person.name.split())
        email = person.email.strip().lower()
        if not name and not email:
            continue
        if not name or not email:
            raise RegistrationRefused(
                _("Fill in both the name and the e-mail address of every participant."),
                "incomplete_participant",
            )
        if len(name) > MAX_NAME_LENGTH:
            raise RegistrationRefused(_("A name may be at most 200 characters."), "long_name")
        try:
            validate_email(email)
        except ValidationError:
            raise RegistrationRefused(
                _("%(email)s is not a valid e-mail address.") % {"email": email}, "bad_email"
            ) from None
        if email in seen:
            raise RegistrationRefused(
                _("The participant with e-mail address %(email)s appears more than once.")
                % {"email": email},
                "duplicate_participant",
            )
        seen.add(email)
        cleaned.append(PersonData(name, email))
    if not cleaned:
        raise RegistrationRefused(_("Fill in at least one participant."), "no_participants")
    return cleaned
