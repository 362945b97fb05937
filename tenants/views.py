"""Pages that belong to routing itself rather than to a school or the public site."""

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def unknown_host(request: HttpRequest) -> HttpResponse:
    """Answer 404 for a host that no school owns, without revealing any school."""
    html = render_to_string("tenants/unknown_host.html", {}, request=None)
    return HttpResponse(html, status=404)
