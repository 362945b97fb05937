"""Notices for users: hide one, and read them as JSON for the app."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from maintenance.models import Notice
from maintenance.services import active_notices, do_dismiss_notice
from tenant_apps.access.decorators import login_only


@login_only
@require_POST
@login_required
def dismiss_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Hide a notice for the current user; htmx replaces the banner with nothing."""
    notice = get_object_or_404(Notice, pk=notice_id)
    do_dismiss_notice(notice, request.tenant, request.user.pk)  # type: ignore[attr-defined, arg-type]
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect(request.headers.get("Referer") or "/")


@login_only
@require_GET
@login_required
def notice_list(request: HttpRequest) -> JsonResponse:
    """Return the current notices for the app (same rules as the banner)."""
    # TODO: accept the teacher app's token authentication once the app API exists; until
    # then the app reads this with a session like the web pages do.
    roles = set(request.user.groups.values_list("name", flat=True))
    notices = active_notices(request.tenant, request.user.pk, roles)  # type: ignore[attr-defined]
    return JsonResponse(
        {
            "notices": [
                {
                    "id": notice.pk,
                    "title": notice.title_nl,
                    "title_en": notice.title_en,
                    "message": notice.message_nl,
                    "message_en": notice.message_en,
                    "starts_at": notice.starts_at.isoformat(),
                    "ends_at": notice.ends_at.isoformat(),
                    "maintenance": notice.window_id is not None,
                }
                for notice in notices
            ]
        }
    )
