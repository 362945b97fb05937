"""The access matrix for the API: a DRF permission class that denies by default.

A view declares ``access_module`` and either ``access_action`` or ``access_actions``
(a mapping from the viewset action, e.g. ``"list"``, to the matrix action). A view or
action without a declaration is refused. Objects that are students or belong to one
(``obj.student``), and URLs with a ``student_id``, are checked against the student's
scope and locks and recorded in the access log.
"""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from tenant_apps.access import services
from tenant_apps.access.decorators import STUDENT_KWARG
from tenant_apps.access.modules import Action, Module
from tenant_apps.school.models import Student

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def declared_action(view: Any) -> Action | None:
    """Return the matrix action the view declares for the current request, if any."""
    per_action: dict[str, Action] = getattr(view, "access_actions", None) or {}
    routed = getattr(view, "action", None)
    if routed is not None and routed in per_action:
        return per_action[routed]
    single: Action | None = getattr(view, "access_action", None)
    return single


class MatrixPermission(BasePermission):
    """Allow a request only when the school's matrix grants the view's module and action."""

    def has_permission(self, request: Request, view: Any) -> bool:
        module: Module | None = getattr(view, "access_module", None)
        action = declared_action(view)
        if module is None or action is None:
            return False
        if not services.can(request.user, module, action):
            return False
        student_id = getattr(view, "kwargs", {}).get(STUDENT_KWARG)
        if student_id is None:
            return True
        student = Student.objects.filter(pk=student_id).first()
        return student is not None and self._check_student(request, module, action, student)

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        student = obj if isinstance(obj, Student) else getattr(obj, "student", None)
        if not isinstance(student, Student):
            return True
        module: Module = view.access_module
        action = declared_action(view) or Action.VIEW
        return self._check_student(request, module, action, student)

    def _check_student(
        self, request: Request, module: Module, action: Action, student: Student
    ) -> bool:
        if not services.can(request.user, module, action, student):
            return False
        done = Action.VIEW if request.method in SAFE_METHODS else action
        services.record_access(request.user, student, module, done, request)
        return True
