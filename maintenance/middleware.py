"""Maintenance mode: a school whose schema is being migrated answers 503 until it is done."""

import logging
import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)


class MaintenanceModeMiddleware:
    """Answer 503 with ``Retry-After`` for a school in maintenance (health checks come first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        school = getattr(request, "tenant", None)
        until = getattr(school, "maintenance_until", None)
        if until is None:
            return self.get_response(request)

        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        if request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            response: HttpResponse = JsonResponse(
                {
                    "status": "maintenance",
                    "detail": "Presentis wordt bijgewerkt. Probeer het zo opnieuw.",
                    "retry_after": seconds,
                },
                status=503,
            )
        else:
            html = render_to_string(
                "maintenance/maintenance.html",
                {"school": school, "minutes": math.ceil(seconds / 60)},
            )
            response = HttpResponse(html, status=503)
        response["Retry-After"] = str(seconds)
        response["Cache-Control"] = "no-store"
        return response
