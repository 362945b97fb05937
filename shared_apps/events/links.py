"""Absolute links to public-site pages, for e-mails and calendar files.

Links in e-mails always point at the public domain: a contact person who follows an
invitation need not be signed in at the school's own site.
"""

from django.conf import settings
from django.urls import reverse


def public_url(name: str, **kwargs: object) -> str:
    """Return the absolute public-site URL of the named ``events`` page."""
    path = reverse(f"events:{name}", urlconf=settings.PUBLIC_SCHEMA_URLCONF, kwargs=kwargs)
    return f"{settings.SITE_SCHEME}://{settings.PUBLIC_DOMAIN}{path}"
