"""Changes of state of trainings: registrations, the waiting list, cancelling, attendance.

Design note. Places are counted per participant. Every change that takes or frees a place
first locks the session row (``select_for_update``) inside a transaction, so concurrent
registrations for one session queue behind each other and each sees the confirmed count
the previous one left. Participants beyond the capacity go on the waiting list in the
order they registered; when a confirmed participant cancels, the first waiting ones move
up in the same transaction and hear so by e-mail once it commits.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.events.emails import send_after_commit
from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.links import public_url
from shared_apps.events.models import (
    Participant,
    ParticipantStatus,
    TrainingRegistration,
    TrainingSession,
)
from shared_apps.events.services.names import PersonData, clean_people
from shared_apps.events.tokens import hash_token, new_token
from tenants.models import School, SchoolStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistrationData:
    """What a school fills in to register participants for a session."""

    contact_name: str
    contact_email: str
    participants: list[PersonData]


@dataclass
class RegistrationResult:
    """A saved registration, its management token and who got a place."""

    registration: TrainingRegistration
    token: str
    confirmed: list[Participant] = field(default_factory=list)
    waiting: list[Participant] = field(default_factory=list)


def find_school(text: str) -> School:
    """Return the school named ``text`` or with that BRIN or branch code; refuse others."""
    text = " ".join(text.split())
    schools = School.objects.exclude(schema_name="public").exclude(status=SchoolStatus.SUSPENDED)
    code = text.upper().replace(" ", "")
    matches = list(
        schools.filter(
            Q(name__iexact=text) | Q(brin=code) | Q(brin=code[:4], branch_number=code[4:])
        )
    )
    if len(matches) != 1 or not text:
        raise RegistrationRefused(
            _(
                "We do not know a school called %(school)s. Fill in the exact name of your "
                "school or its BRIN code."
            )
            % {"school": text or "-"},
            "unknown_school",
        )
    return matches[0]


def cost_of(session: TrainingSession, persons: int) -> Decimal:
    """Return persons x days x price per person per day."""
    return persons * session.day_count * session.training.price_per_day


def register_participants(
    session: TrainingSession, school: School, data: RegistrationData
) -> RegistrationResult:
    """Register the participants: confirmed while places last, then on the waiting list."""
    people = clean_people(data.participants)
    contact_name = " ".join(data.contact_name.split())
    contact_email = data.contact_email.strip().lower()
    if not contact_name or not contact_email:
        raise RegistrationRefused(
            _("Fill in the name and e-mail address of the contact person."), "no_contact"
        )

    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.deadline_passed:
            raise RegistrationRefused(
                _("The sign-up deadline of this session has passed."), "deadline_passed"
            )
        _refuse_registered_emails(session, [person.email for person in people])

        token = new_token()
        registration = TrainingRegistration.objects.create(
            session=session,
            school=school,
            contact_name=contact_name,
            contact_email=contact_email,
            token_hash=hash_token(token),
        )
        result = RegistrationResult(registration, token)
        free = session.capacity - _confirmed_count(session)
        now = timezone.now()
        for person in people:
            confirmed = free > 0
            free -= 1 if confirmed else 0
            participant = Participant.objects.create(
                registration=registration,
                session=session,
                name=person.name,
                email=person.email,
                status=ParticipantStatus.CONFIRMED if confirmed else ParticipantStatus.WAITING,
                registered_at=now,
                confirmed_at=now if confirmed else None,
            )
            (result.confirmed if confirmed else result.waiting).append(participant)

    _send_registration_mail(session, result)
    logger.info(
        "training registration saved",
        extra={
            "session": session.pk,
            "confirmed": len(result.confirmed),
            "waiting": len(result.waiting),
        },
    )
    return result


def find_registration(token: str) -> TrainingRegistration:
    """Return the registration whose management link carries ``token``; refuse others."""
    registration = (
        TrainingRegistration.objects.select_related("session__training", "school")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if registration is None:
        raise RegistrationRefused(
            _("This link is not valid. Check that you copied the whole link."), "unknown_token"
        )
    return registration


def cancel_participant(participant: Participant) -> list[Participant]:
    """Cancel a participant; return the waiting participants who moved up into the place."""
    with transaction.atomic():
        session = _lock_session(participant.session_id)
        participant = Participant.objects.select_for_update().get(pk=participant.pk)
        if participant.status == ParticipantStatus.CANCELLED:
            raise RegistrationRefused(_("This participant was already cancelled."), "cancelled")
        if _has_started(session):
            raise RegistrationRefused(_("This session has already started."), "started")
        participant.status = ParticipantStatus.CANCELLED
        participant.cancelled_at = timezone.now()
        participant.save(update_fields=["status", "cancelled_at"])
        promoted = _promote_waiting(session)

    send_after_commit(
        "training_cancelled",
        [participant.email, participant.registration.contact_email],
        {"participant": participant, "session": session},
    )
    logger.info("training participant cancelled", extra={"participant": participant.pk})
    return promoted


def fill_free_places(session: TrainingSession) -> list[Participant]:
    """Move waiting participants up into free places (after staff raised the capacity)."""
    with transaction.atomic():
        session = _lock_session(session.pk)
        return _promote_waiting(session)


def record_attendance(session: TrainingSession, attended_ids: set[int]) -> int:
    """Mark which confirmed participants attended; the others did not. Return the count."""
    confirmed = Participant.objects.filter(session=session, status=ParticipantStatus.CONFIRMED)
    with transaction.atomic():
        present = confirmed.filter(pk__in=attended_ids).update(attended=True)
        confirmed.exclude(pk__in=attended_ids).update(attended=False)
    logger.info("training attendance recorded", extra={"session": session.pk, "count": present})
    return present


def _lock_session(pk: int) -> TrainingSession:
    return (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("training")
        .prefetch_related("days")
        .get(pk=pk)
    )


def _has_started(session: TrainingSession) -> bool:
    dates = session.dates
    return bool(dates) and session.start_on(dates[0]) <= timezone.now()


def _confirmed_count(session: TrainingSession) -> int:
    return Participant.objects.filter(session=session, status=ParticipantStatus.CONFIRMED).count()


def _refuse_registered_emails(session: TrainingSession, emails: list[str]) -> None:
    taken = (
        Participant.objects.filter(session=session, email__in=emails)
        .exclude(status=ParticipantStatus.CANCELLED)
        .values_list("email", flat=True)
        .first()
    )
    if taken is not None:
        raise RegistrationRefused(
            _("%(email)s is already registered for this session.") % {"email": taken},
            "duplicate_participant",
        )


def _promote_waiting(session: TrainingSession) -> list[Participant]:
    """Confirm the first waiting participants while places are free; caller holds the lock."""
    free = session.capacity - _confirmed_count(session)
    if free <= 0:
        return []
    waiting = Participant.objects.filter(session=session, status=ParticipantStatus.WAITING)
    promoted = list(waiting.select_related("registration").order_by("registered_at", "id")[:free])
    now = timezone.now()
    for participant in promoted:
        participant.status = ParticipantStatus.CONFIRMED
        participant.confirmed_at = now
        participant.save(update_fields=["status", "confirmed_at"])
        send_after_commit(
            "training_moved_up",
            [participant.email, participant.registration.contact_email],
            {"participant": participant, "session": session, "dates": session.dates},
        )
    if promoted:
        logger.info("waiting list moved up", extra={"session": session.pk, "count": len(promoted)})
    return promoted


def _send_registration_mail(session: TrainingSession, result: RegistrationResult) -> None:
    registration = result.registration
    context = {
        "session": session,
        "training": session.training,
        "dates": session.dates,
        "registration": registration,
        "confirmed": result.confirmed,
        "waiting": result.waiting,
        "cost": cost_of(session, len(result.confirmed)),
        "manage_link": public_url("registration", token=result.token),
        "ics_link": public_url("session-ics", pk=session.pk),
    }
    send_after_commit("training_registered_contact", [registration.contact_email], context)
    for participant in result.confirmed + result.waiting:
        send_after_commit(
            "training_registered_participant",
            [participant.email],
            {**context, "participant": participant},
        )
