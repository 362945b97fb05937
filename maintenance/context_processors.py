"""The notices banner on every school page."""

from django.http import HttpRequest

from maintenance.services import active_notices
from tenants.models import School


def notices(request: HttpRequest) -> dict[str, object]:
    """Expose the notices for the signed-in user of the current school."""
    school = getattr(request, "tenant", None)
    user = getattr(request, "user", None)
    if not isinstance(school, School) or user is None or not user.is_authenticated:
        return {"notices": []}
    roles = set(user.groups.values_list("name", flat=True))
    return {"notices": list(active_notices(school, user.pk, roles))}
