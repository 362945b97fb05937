"""The school URLs plus probe pages of modules that have no pages of their own yet.

Tests switch ``ROOT_URLCONF`` to this module to reach a support tab, a logbook tab, a
class-based absence tab and one view that declares nothing.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View

from config.urls_school import urlpatterns as school_urlpatterns
from tenant_apps.access.decorators import RequiresAccess, requires
from tenant_apps.access.modules import Action, Module


def undeclared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("open to all")


@requires(Module.SUPPORT, Action.VIEW)
def support_tab(request: HttpRequest, student_id: int) -> HttpResponse:
    return HttpResponse(f"support of {student_id}")


@requires(Module.SUPPORT, Action.EDIT)
def support_edit(request: HttpRequest, student_id: int) -> HttpResponse:
    return HttpResponse(f"support of {student_id} saved")


@requires(Module.LOGBOOK, Action.VIEW)
def logbook_tab(request: HttpRequest, student_id: int) -> HttpResponse:
    return HttpResponse(f"logbook of {student_id}")


class AbsenceTab(RequiresAccess, View):
    access_module = Module.ABSENCE
    access_action = Action.VIEW

    def get(self, request: HttpRequest, student_id: int) -> HttpResponse:
        return HttpResponse(f"absence of {student_id}")


urlpatterns = [
    path("probe/open/", undeclared),
    path("probe/<int:student_id>/support/", support_tab),
    path("probe/<int:student_id>/support/edit/", support_edit),
    path("probe/<int:student_id>/logbook/", logbook_tab),
    path("probe/<int:student_id>/absence/", AbsenceTab.as_view()),
    *school_urlpatterns,
]
