"""Request middleware: health checks, school routing and suspended schools.

``HealthCheckMiddleware`` sits first so that probes answer on every host, also one no
school owns (a Kubernetes probe calls the pod's IP). ``SchoolMiddleware`` then picks the
school from the host name and enters its schema for the request.
"""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

from tenants import health

logger = logging.getLogger(__name__)

HEALTH_PATHS = {"/healthz": health.liveness, "/readyz": health.readiness}


class HealthCheckMiddleware:
    """Answer ``/healthz`` and ``/readyz`` before any routing or host check."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = HEALTH_PATHS.get(request.path_info.rstrip("/") or "/")
        if probe is not None:
            return probe()
        return self.get_response(request)


class SchoolMiddleware(TenantMainMiddleware):
    """Route a request to the school that owns its host, or to the public site."""


class SuspendedSchoolMiddleware:
    """Close a suspended school's site to its users, with a page that says why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        school = getattr(request, "tenant", None)
        if school is not None and getattr(school, "is_suspended", False):
            logger.info("request refused: school suspended")
            return render(request, "tenants/suspended.html", {"school": school}, status=403)
        return self.get_response(request)
