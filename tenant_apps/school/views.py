"""School pages: the start page, the student list with search, and a student's page.

Views are thin: the access declaration says who may come in, selectors fetch, templates
show. The student page's tabs come from the access matrix, one per module the user may
view for this student.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tenant_apps.access.decorators import login_only, requires
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.services import scope_students, visible_modules
from tenant_apps.school import selectors
from tenant_apps.school.models import Student

SEARCH_LIMIT = 200


@login_only
def home(request: HttpRequest) -> HttpResponse:
    """Show the school's start page: its locations with their counts."""
    context = {"locations": selectors.locations_with_counts()}
    return render(request, "school/home.html", context)


@requires(Module.GENERAL, Action.VIEW)
def student_list(request: HttpRequest) -> HttpResponse:
    """List the students the user may see, filtered by name, number or group."""
    query = request.GET.get("q", "").strip()
    students = scope_students(request.user, Module.GENERAL, selectors.search_students(query))
    return render(
        request,
        "school/student_list.html",
        {"students": students[:SEARCH_LIMIT], "query": query, "limit": SEARCH_LIMIT},
    )


@requires(Module.GENERAL, Action.VIEW)
def student_detail(request: HttpRequest, student_id: int) -> HttpResponse:
    """Show the general tab of a student's page."""
    page = selectors.student_page(student_id, timezone.localdate())
    context = {
        "page": page,
        "student": page.student,
        "tabs": student_tabs(request, page.student),
        "active_tab": Module.GENERAL,
    }
    return render(request, "school/student_general.html", context)


def student_tabs(request: HttpRequest, student: Student) -> list[tuple[str, str, str]]:
    """Return (module, label, URL name) for each tab of the student page the user may see."""
    allowed = visible_modules(request.user, student)
    return [
        (module.value, str(module.label), url_name)
        for module, url_name in STUDENT_TABS
        if module in allowed
    ]


# The tabs in the order they appear; modules still to come add their line here.
STUDENT_TABS: list[tuple[Module, str]] = [
    (Module.GENERAL, "student-detail"),
    (Module.ABSENCE, "student-absence"),
    (Module.LOGBOOK, "student-logbook"),
    (Module.TIMETABLE, "student-timetable"),
]
