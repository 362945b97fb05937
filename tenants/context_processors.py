"""Template context shared by every page."""

from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.models import School


def school(request: HttpRequest) -> dict[str, object]:
    """Expose the current school (None on the public site) to templates."""
    tenant = getattr(request, "tenant", None)
    if isinstance(tenant, School) and tenant.schema_name != get_public_schema_name():
        return {"school": tenant}
    return {"school": None}
