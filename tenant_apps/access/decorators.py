"""Declarations of access for views: every school view says what it needs, or is refused.

``requires(module, action)`` and the ``RequiresAccess`` mixin check the matrix; when the
URL names a student (``student_id``) they also check that student's scope and locks and
record the access. ``login_only`` marks pages that need a signed-in user but no module
(the start page), ``public`` pages that need nobody (the login page). Each declaration is
kept on the view as ``access_declaration``, so a test can walk every URL of the school
site and find the views that declare nothing.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render

from tenant_apps.access import services
from tenant_apps.access.modules import Action, Module
from tenant_apps.school.models import Student

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponseBase])

STUDENT_KWARG = "student_id"


@dataclass(frozen=True)
class AccessDeclaration:
    """What a view needs: nobody, a signed-in user, or an action in a module."""

    kind: Literal["public", "login", "module"]
    module: Module | None = None
    action: Action | None = None


def requires(module: Module, action: Action) -> Callable[[ViewFunc], ViewFunc]:
    """Let only users whom the matrix grants ``action`` in ``module`` use the view."""
    declaration = AccessDeclaration("module", module, action)

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            refused = check_request(request, module, action, kwargs.get(STUDENT_KWARG))
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        checked.access_declaration = declaration  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def login_only(view: ViewFunc) -> ViewFunc:
    """Let any signed-in user of the school use the view (no module's data on it)."""

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    checked.access_declaration = AccessDeclaration("login")  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


def public(view: ViewFunc) -> ViewFunc:
    """Mark a view that anyone may reach (login, language choice)."""
    view.access_declaration = AccessDeclaration("public")  # type: ignore[attr-defined]
    return view


class RequiresAccess:
    """Mixin for class-based views: set ``access_module`` and ``access_action``."""

    access_module: Module
    access_action: Action

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = check_request(
            request, self.access_module, self.access_action, kwargs.get(STUDENT_KWARG)
        )
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def check_request(
    request: HttpRequest, module: Module, action: Action, student_id: object = None
) -> HttpResponse | None:
    """Return the refusal for a request that may not proceed, or None to let it through.

    A GET of a student's page is recorded as a view, any other method as the declared
    action; the record is written before the view runs, so a refused change is not one.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can(user, module, action):
        return denied(request)
    if student_id is None:
        return None

    student = get_object_or_404(Student, pk=student_id)
    if not services.can(user, module, action, student):
        return denied(request)
    done = Action.VIEW if request.method in ("GET", "HEAD") else action
    services.record_access(user, student, module, done, request)
    return None


def denied(request: HttpRequest) -> HttpResponse:
    """Return the school's 'no access' page."""
    return render(request, "access/denied.html", status=403)


def declaration_of(view: Callable[..., Any]) -> AccessDeclaration | None:
    """Return the access a resolved URL's view declares, or None when it declares none.

    Function views carry ``access_declaration``; class-based views declare through the
    mixin's class attributes; DRF views through ``access_module`` with ``access_action``
    or an ``access_actions`` entry for each routed action.
    """
    found: AccessDeclaration | None = getattr(view, "access_declaration", None)
    if found is not None:
        return found
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    if view_class is None:
        return None
    module = getattr(view_class, "access_module", None)
    if module is None:
        return getattr(view_class, "access_declaration", None)
    single = getattr(view_class, "access_action", None)
    per_action: dict[str, Action] = getattr(view_class, "access_actions", None) or {}
    routed = getattr(view, "actions", None)
    if routed:
        if single is None and not all(name in per_action for name in routed.values()):
            return None
        return AccessDeclaration("module", module, single)
    if single is None and not per_action:
        return None
    return AccessDeclaration("module", module, single)
