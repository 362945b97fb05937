"""Template tags that link to public-site pages from either site."""

from django import template

from shared_apps.events.links import public_url as build_public_url

register = template.Library()


@register.simple_tag
def public_url(name: str, **kwargs: object) -> str:
    """Return the absolute public-site URL of the named ``events`` page."""
    return build_public_url(name, **kwargs)
