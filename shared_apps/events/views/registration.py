"""The two-step training registration (fill in, see the cost, confirm), shared by both sites."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.forms import PARTICIPANT_ROWS, TrainingRegistrationForm
from shared_apps.events.models import TrainingSession
from shared_apps.events.services import trainings
from shared_apps.events.services.names import PersonData, clean_people
from tenants.models import School

TEMPLATE = "events/training_register.html"


@dataclass(frozen=True)
class Preview:
    school: School
    people: list[PersonData]
    confirmed: int
    waiting: int
    cost: object


def participant_rows(post: QueryDict | None) -> list[tuple[str, str]]:
    """Return the typed-in participant rows, padded with empty rows for the form."""
    rows: list[tuple[str, str]] = []
    if post is not None:
        names = post.getlist("participant_name")
        emails = post.getlist("participant_email")
        rows = [(n, e) for n, e in zip(names, emails, strict=False) if n.strip() or e.strip()]
    return rows + [("", "")] * max(PARTICIPANT_ROWS - len(rows), 1)


def handle_registration(
    request: HttpRequest,
    session: TrainingSession,
    form: TrainingRegistrationForm,
    school_of: Callable[[TrainingRegistrationForm], School],
    on_success: Callable[[trainings.RegistrationResult], HttpResponse],
    base_template: str,
) -> HttpResponse:
    """Show the form, the cost preview, or register and hand the result to ``on_success``."""
    context: dict[str, object] = {
        "session": session,
        "form": form,
        "rows": participant_rows(request.POST if request.method == "POST" else None),
        "base_template": base_template,
    }
    if request.method != "POST" or not form.is_valid():
        return render(request, TEMPLATE, context, status=400 if form.is_bound else 200)

    action = request.POST.get("action", "preview")
    try:
        school = school_of(form)
        data = form.registration_data(request.POST)
        if action == "confirm":
            return on_success(trainings.register_participants(session, school, data))
        people = clean_people(data.participants)
    except RegistrationRefused as refused:
        context["error"] = refused.message
        return render(request, TEMPLATE, context, status=400)

    if action == "edit":
        return render(request, TEMPLATE, context)
    confirmed = min(session.places_left, len(people))
    context["preview"] = Preview(
        school=school,
        people=people,
        confirmed=confirmed,
        waiting=len(people) - confirmed,
        cost=trainings.cost_of(session, confirmed),
    )
    context["full_cost"] = trainings.cost_of(session, len(people))
    return render(request, TEMPLATE, context)
