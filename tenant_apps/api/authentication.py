"""Token authentication against the current school's schema.

The request has already entered the school of its host when DRF authenticates, so the
lookup only ever sees that school's tokens: a token of school A presented on school B's
domain finds no row and is refused.
"""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from shared_apps.accounts.models import User
from tenant_apps.api.models import ApiToken

KEYWORD = b"bearer"
# Writing last_used_at on every request would make each read a write; once a minute is
# enough to see which devices are still in use.
LAST_USED_RESOLUTION_SECONDS = 60


def hash_key(key: str) -> str:
    """Return the stored form of a token key."""
    return hashlib.sha256(key.encode()).hexdigest()


class SchoolTokenAuthentication(BaseAuthentication):
    """Accept ``Authorization: Bearer <token>`` issued by this school."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed token header."))
        try:
            key = parts[1].decode()
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("Malformed token header.")) from error

        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))

        now = timezone.now()
        last = token.last_used_at
        if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"
