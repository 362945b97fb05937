"""The public tenant: the row that routes the public domain to the public schema."""

from django_tenants.utils import get_public_schema_name

from tenants.models import Domain, School, SchoolStatus


def ensure_public_site(domain: str) -> School:
    """Create the public tenant and its domain when missing; return the tenant."""
    public, _created = School.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={
            "name": "Presentis",
            "brin": "00PS",
            "branch_number": "00",
            "status": SchoolStatus.ACTIVE,
        },
    )
    Domain.objects.get_or_create(
        domain=domain.lower(), defaults={"tenant": public, "is_primary": True}
    )
    return public
