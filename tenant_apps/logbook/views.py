"""The logbook tab of a student's page, and adding a note."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenant_apps.access.decorators import requires
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.services import can
from tenant_apps.logbook import selectors, services
from tenant_apps.logbook.models import Category
from tenant_apps.school.models import Student
from tenant_apps.school.views import student_tabs


@requires(Module.LOGBOOK, Action.VIEW)
def student_logbook(request: HttpRequest, student_id: int) -> HttpResponse:
    """Show a student's notes, newest first, with a form for a new one when allowed."""
    student = get_object_or_404(Student, pk=student_id)
    context = {
        "student": student,
        "entries": selectors.entries_of(student),
        "categories": Category.choices,
        "may_write": can(request.user, Module.LOGBOOK, Action.EDIT, student),
        "today": timezone.localdate(),
        "tabs": student_tabs(request, student),
        "active_tab": Module.LOGBOOK,
    }
    return render(request, "logbook/student_logbook.html", context)


@requires(Module.LOGBOOK, Action.EDIT)
def add_entry(request: HttpRequest, student_id: int) -> HttpResponse:
    """Add a note to a student's logbook."""
    if request.method != "POST":
        return redirect("student-logbook", student_id=student_id)
    student = get_object_or_404(Student, pk=student_id)
    try:
        day = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    try:
        services.do_add_logbook_entry(
            request.user,
            student,
            day=day,
            category=request.POST.get("category", ""),
            text=request.POST.get("text", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The note was added."))
    return redirect("student-logbook", student_id=student_id)
