"""Sessions that end when idle, and school pages refused unless their view declares access.

The absolute limit of a session is the cookie's age (``SESSION_COOKIE_AGE``); the idle
limit is ``SESSION_IDLE_TIMEOUT``.
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django_tenants.utils import get_public_schema_name

from tenant_apps.access.decorators import declaration_of, denied

logger = logging.getLogger(__name__)

LAST_SEEN_KEY = "access_last_seen"
# Write the session at most this often just to move the idle clock (saves a write a click).
TOUCH_EVERY_SECONDS = 60


class IdleSessionMiddleware:
    """Sign out a user whose last request is longer ago than ``SESSION_IDLE_TIMEOUT``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
            elif last_seen is None or now - last_seen > TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class DeclaredAccessMiddleware:
    """Refuse a school page whose view declares no access (deny by default).

    The URL-walk test finds such views before they ship; this stops one that slipped
    through from being reachable. The public site has its own rules and is not checked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[object, ...],
        view_kwargs: dict[str, object],
    ) -> HttpResponse | None:
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == get_public_schema_name():
            return None
        if declaration_of(view_func) is not None:
            return None
        logger.error("view without access declaration refused", extra={"path": request.path})
        return denied(request)
